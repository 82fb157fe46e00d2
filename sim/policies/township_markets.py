"""'1+9' township / central-town HR markets ([000] 二、(一)2).

Mechanism: a market is an agency at a central town with a catchment (places within `catchment_km`),
a capacity (job fairs per month x attendance x applications per visit) and an opening month (the
sites open one after another over `ramp_months`). It gives seekers living in its catchment contacts
with vacancies listed at the markets (firms inside any open market's catchment, in the seeker's own
town or county); it draws idle rural labour (闲散劳动力) into search (a higher monthly search
probability for the inactive nearby); and it registers the jobseekers it meets (a higher
registration contact nearby). The registered rate can therefore rise while inactivity falls and
employment grows; with the default parameters the count of unemployed rises too, because the new
searchers outrank the long-term unemployed (docs/ODD.md §8). The plan names eight sites for nine
markets (inc02): the ninth is the parameter `ninth_site`.
"""

from __future__ import annotations

import numpy as np

from ..agents.agencies import TownshipMarket
from .base import Charge, Policy, register


@register
class TownshipMarkets(Policy):
    name = "township_markets"
    source = "[000] 二、(一)2"
    summary = "central-town HR markets: local contacts, idle labour into search, more registration"
    pays = (Charge("fit_out", "sites_opening"), Charge("running", "site_years"))

    def sites(self) -> list[str]:
        extra = [] if self["ninth_site"] in (None, "", "none") else [self["ninth_site"]]
        return list(self["sites"]) + extra

    def setup(self, model) -> None:
        w = model.world
        sites = self.sites()
        capacity = self["fairs_per_month"] * self["attendance_per_fair"] * self["applications_per_visit"]
        self.markets = []
        for i, site in enumerate(sites):
            place = w.place_ids.index(site)
            opens = self.start + round(i * self.ramp / len(sites)) - w.start.index
            self.markets.append(TownshipMarket(model, f"{w.place_names[place]}人力资源市场", place,
                                               w.places_within(place, self["catchment_km"]),
                                               self["contact_rate"], opens, capacity))
        w.agencies.extend(self.markets)

    def apply(self, world, month_index: int) -> None:
        if month_index > self.end:
            return
        lv = world.levers
        for market in self.markets:
            if market.is_open(month_index - world.start.index):
                lv.inactive_search_mult[market.places] = np.maximum(lv.inactive_search_mult[market.places],
                                                                    self["idle_labour_search_mult"])
                lv.registration_mult[market.places] = np.maximum(lv.registration_mult[market.places],
                                                                 self["registration_mult"])
