"""Known-answer tests of single rules of sim/rules/, each on a freshly built city.

The first four failed before their fix (docs/CHANGELOG.md, 0.3.0): start-up posts divided by the
scale, repeated firms in one placement round counted once, order-class graduates of one firm
squeezed into one post, and a PES contact rate solved from a steady state the rule does not have.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import calibration
from sim import scenario as scen
from sim.agents.workers import INACTIVE, PROGRAMME_ORDER, SCHOOL, UNEMP
from sim.model import LabourMarketModel
from sim.rules import programmes, registration, schooling


def city(scale: int, seed: int = 1) -> LabourMarketModel:
    return LabourMarketModel(scen.load("baseline", overrides={"run.scale": scale}), seed=seed)


@pytest.mark.parametrize("scale", [10, 50])
def test_a_founder_opens_the_measures_posts_whatever_the_scale(scale):
    """Each founder's firm opens `startup_posts` posts per founder (2.5: 2 or 3, mean 2.5), at any K."""
    model = city(scale)
    model.world.levers.startup_posts = 2.5
    founders = np.flatnonzero(model.pop.status == UNEMP)[:300]
    first_new = model.firms.n
    programmes.startups(model, np.random.default_rng(0), founders, 1.0, "startups")
    new = np.arange(first_new, model.firms.n)
    assert new.size == founders.size and (model.firms.headcount[new] == 1).all()
    posts = model.firms.target[new] - 1           # the founder's own job is the first
    assert set(np.unique(posts)) <= {2.0, 3.0}
    assert posts.mean() == pytest.approx(2.5, abs=4 * 0.5 / np.sqrt(new.size))


@pytest.mark.parametrize("programme, lever, graduates_only", [("welfare", "welfare_posts", False),
                                                             ("grassroots", "grassroots_posts", True)])
def test_every_placement_is_a_new_post_even_at_the_same_employer(programme, lever, graduates_only):
    """Many placements (100 agents at K = 50) at few public-service employers: targets rise by one
    per placement, however many land at the same employer."""
    model = city(50)
    if graduates_only:                          # 三支一扶 places unemployed graduates
        model.pop.graduate[np.flatnonzero(model.pop.status == UNEMP)[:200]] = True
    setattr(model.world.levers, lever, 5000.0)  # persons a month
    before = model.firms.target.copy()
    getattr(programmes, lever)(model, np.random.default_rng(1))
    placed = model.pop.events[f"{programme}_placements"]
    assert placed >= 90
    assert (model.firms.target - before).sum() == pytest.approx(placed)


def test_order_class_graduates_of_one_firm_all_fit_into_its_target():
    """A firm with no open post orders a class of 30; those who pass join it and none is laid off."""
    model = city(50)
    pop, firms = model.pop, model.firms
    f = int(np.argmax(firms.headcount))
    firms.target[f] = firms.headcount[f]
    rows = np.flatnonzero(pop.status == UNEMP)[:30]
    pop.move(rows, SCHOOL, "order_training_entry")
    pop.programme[rows], pop.order_firm[rows], pop.target_skill[rows] = PROGRAMME_ORDER, f, 2
    schooling.graduate_order(model, np.random.default_rng(3), rows)
    joined = int((pop.firm[rows] == f).sum())
    assert joined >= 10
    assert firms.target[f] >= firms.headcount[f] and firms.excess()[f] == 0


def churn(model, rng) -> None:
    """Urban unemployed leave unemployment at the data's exit rate; as many urban inactive replace them
    (before registration, as separations, returns and school leavers do in the model)."""
    pop = model.pop
    h = 1 / model.world.data.get("labour_market.unemployment_spell_months_2020")
    unemployed = np.flatnonzero((pop.status == UNEMP) & pop.urban)
    leaving = unemployed[rng.random(unemployed.size) < h]
    inactive = np.flatnonzero((pop.status == INACTIVE) & pop.urban)
    pop.move(leaving, INACTIVE, "exit")
    pop.move(rng.choice(inactive, size=leaving.size, replace=False), UNEMP, "entry")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_registered_share_settles_where_the_pes_contact_rate_was_solved_for(seed):
    """The registration rule alone, with unemployed flowing in and out at the solved-for exit rate:
    the registered share of the urban unemployed stays at its end-2020 value (within 2 points, the
    mean of months 13-48). The old solve (s = pL / (1 + pL), no exits, no same-month renewal) put it
    near 0.89 against 0.78-0.82 and hit its cap of 1 at some seeds."""
    model = city(20, seed)
    pop = model.pop
    urban_unemployed = lambda: (pop.status == UNEMP) & pop.urban   # noqa: E731
    start = (pop.registered & urban_unemployed()).sum() / urban_unemployed().sum()
    model.phases = (("separations", churn), ("registration", registration.register_jobseekers))
    shares = []
    for month in range(48):
        model.step()
        if month >= 12:
            shares.append((pop.registered & urban_unemployed()).sum() / urban_unemployed().sum())
    assert model.calibrated["pes_contact_urban"] < 1
    assert np.mean(shares) == pytest.approx(start, abs=0.02)


@pytest.mark.parametrize("share", [0.0, 0.3, 0.8, 0.95, 1.0])
def test_registration_probability_is_a_probability_and_reproduces_its_share(share):
    p = calibration.registration_probability(share, 6, 1 / 6)
    assert 0 <= p <= 1
    months = (1 - (5 / 6) ** 6) * 6
    assert p * months / (p * months + 1 - p) == pytest.approx(share) if p > 0 else share == 0


def test_reemployment_counts_persons_once_a_year_as_the_real_name_record():
    """A registered urban unemployed person re-employed twice in a year counts once; next year again."""
    from sim.calendar import Month

    model = city(50)
    pop = model.pop
    rows = np.flatnonzero((pop.status == UNEMP) & pop.registered & pop.urban)[:20]
    assert rows.size == 20
    for _ in range(2):
        registration.count_reemployment(model, rows)
    assert pop.events["reemployed_registered"] == rows.size
    model.month = Month(model.month.year + 1, 1)
    registration.count_reemployment(model, rows)
    assert pop.events["reemployed_registered"] == 2 * rows.size
