"""The spin-up: the end-2020 city is brought to a state the rules sustain before the first month.

The city built from the data file's 2020 stocks carries state no source gives - how long each
unemployed person has been out of work, who holds unemployment-insurance entitlement, who is
registered and certified, firms' open posts, their wage adjustments and
unfilled months. Drawn at random, it is not what the rules would have produced, so the first year of
a run is a transient (issue 13, point 5). The spin-up runs the labour market's own phases for
`labour_market.spin_up_months` months with the calendar held at the start (nobody ages, no cohort,
school, training, certification, titles, measures or moves to and from the outside market: a move
would take certificate holders out of the counted skill stocks; spells lengthen; sectors' trends
off, firms' own shocks on),
from a random stream of its own, and discards their flows; the first recorded month then starts
from a sustained state. Stocks move during it (employment, unemployment, registration) toward the
rules' own levels. Then what the plans counted in 2020 is re-counted: the register is brought back
to the 2020 registered rate (`recount`); skill and title stocks and the outside market's stock do
not move during the spin-up. The tables' base-year
row is measured after that, and the calibration (sim/smm.py) fits the rules to the 2016-2020 record
so that what they sustain is the data within its errors.
"""

from __future__ import annotations

from . import indicators
from .agents.workers import EXITED, INACTIVE, UNEMP
from .rules import demand, matching, registration, separations
from .synthesis import place_registered


def pass_time(model, rng) -> None:
    """Spells go on (months in status, months out of work); nobody ages."""
    pop = model.pop
    pop.status_m += pop.status != EXITED
    pop.out_m += (pop.status == UNEMP) | (pop.status == INACTIVE)


PHASES = (
    ("time", pass_time),
    ("wages", lambda model, rng: model.firms.adjust_offers()),
    ("demand", demand.hold_demand),
    ("separations", separations.separate),
    ("registration", registration.register_jobseekers),
    ("matching", matching.search_and_match_locally),
)


def spin_up(model) -> None:
    """Run the labour market's phases for the data file's spin-up months at the start month (clock 0)."""
    months = int(model.world.data.get("labour_market.spin_up_months"))
    rng = model.rng.spawn(1)[0]
    model.clock = 0
    for _ in range(months):
        for _name, rule in PHASES:
            rule(model, rng)
        model.pop.reset_month()
    model.pop.entry_year[:] = 0          # the once-a-year counts start with the first recorded year
    model.pop.reemployed_year[:] = 0
    recount(model, rng)
    model.clock = None


def recount(model, rng) -> None:
    """The plans' 2020 count of the registered is re-established (`place_registered` adds or removes
    registrations at random), as the other counted stocks are by construction: the hidden state the
    spin-up built is kept. The back-cast's end-2015 city has no count (its rate is an assumption,
    `meta.recount_register` false), so there the register the rules built stands."""
    if not model.world.data.meta.get("recount_register", True):
        return
    pop = model.pop
    place_registered(model.world, rng, pop, int(indicators.rate_denominator(pop, model.firms).sum()))
