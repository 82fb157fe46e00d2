"""Known-answer tests of single rules of sim/rules/, each on a freshly built city.

The first four failed before their fix (docs/CHANGELOG.md, 0.3.0): start-up posts divided by the
scale, repeated firms in one placement round counted once, order-class graduates of one firm
squeezed into one post, and a PES contact rate solved from a steady state the rule does not have.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import scenario as scen
from sim.agents.workers import PROGRAMME_ORDER, SCHOOL, UNEMP
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
    firms.plan[f] = firms.target[f] = firms.headcount[f]
    rows = np.flatnonzero(pop.status == UNEMP)[:30]
    pop.move(rows, SCHOOL, "order_training_entry")
    pop.programme[rows], pop.order_firm[rows], pop.target_skill[rows] = PROGRAMME_ORDER, f, 2
    schooling.graduate_order(model, np.random.default_rng(3), rows)
    joined = int((pop.firm[rows] == f).sum())
    assert joined >= 10
    assert firms.target[f] >= firms.headcount[f] and firms.excess()[f] == 0


def test_more_contact_with_the_pes_puts_more_of_the_unemployed_on_the_register():
    """The register's level follows the (fitted) contact probability: over 2021, seeds 1-3, doubling it
    raises the registered share of the urban unemployed in every seed."""
    shares = {}
    for contact in (0.06, 0.12):
        for seed in (1, 2, 3):
            sc = scen.load("baseline", {"run.scale": 100, "run.end": "2021-12",
                                        "assumptions.registration.pes_contact_urban": contact})
            model = LabourMarketModel(sc, seed=seed)
            model.run()
            pop = model.pop
            unemployed = (pop.status == UNEMP) & pop.urban
            shares[contact, seed] = (pop.registered & unemployed).sum() / unemployed.sum()
    assert all(shares[0.12, s] > shares[0.06, s] for s in (1, 2, 3)), shares


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
