"""Search and matching: seekers apply through channels, firms rank, seekers choose.

One application round a month, followed by up to `offer_rounds` offer rounds (a many-to-many
urn-ball game with ranking; Butters 1977, Albrecht, Gautier and Vroman 2006):

1. **Applications.** Each seeker sends Poisson(rate) applications through each channel it can
   reach (informal contacts: everyone; the public employment service: the registered; the online
   market: its users; a township HR market: residents of its catchment; private agencies: seekers
   out of work),
   capped at `max_applications` per channel. Each application goes to a
   vacancy drawn uniformly from those the channel lists within its reach (own town, own county
   or the whole city).
2. **Screening.** A vacancy considers only applicants meeting its skill requirement (and its age
   limit, if it states one; a post at an urban unit, none at or past the statutory retirement age,
   when labour contracts end: 《劳动合同法实施条例》第二十一条), and of those only
   the ones it judges suitable after screening and interview (each with probability `suitability`,
   the firm-side acceptability of Pissarides 2000, ch. 6; times the seeker's `efficiency`, higher for
   on-the-job searchers, capped at 1): a post with applicants may stay vacant.
3. **Ranking.** It ranks the suitable applicants by
   fit = skill_weight * skill - duration_penalty * log(1 + months out of work) + noise, the noise's
   scale set by the channel (agencies screen better than acquaintances).

**Conflict rule** (it moves unemployment by whole points, so it is written down and tested):

- *Two persons want the same job*: the firm offers it to the applicant with the highest fit; ties
  are broken by the noise, i.e. at random.
- *Two firms want the same person*: the person takes the offer with the highest wage net of
  commuting cost, if it beats the reservation wage; the other offers are declined.
- *A declined offer passes down the shortlist*: in the next offer round each post still open
  offers to its best-ranked applicant it has not yet made an offer to (the ranking and the
  applications are those of the month: no new draws), and each person still unplaced again takes
  the best offer in hand if it beats the reservation wage. After `offer_rounds` rounds
  (`matching.offer_rounds`) the posts still open stay vacant until next month; with one round a
  refused post is simply left vacant.
- Each person takes at most one job and each post is filled at most once per month.

The function is pure: arrays in, matches out; all randomness from the `rng` passed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

INFORMAL, PES, ONLINE, TOWNSHIP, PRIVATE = range(5)
CHANNEL_NAMES = ("informal", "pes", "online", "township_market", "private_agency")
N_CHANNELS = len(CHANNEL_NAMES)


@dataclass
class Seekers:
    row: np.ndarray           # worker rows
    place: np.ndarray
    county: np.ndarray
    skill: np.ndarray
    months_out_of_work: np.ndarray   # since the last job, through unemployment and inactivity (0: employed)
    reservation: np.ndarray   # minimum acceptable net wage
    rates: np.ndarray         # (n, N_CHANNELS) applications per month by channel (0 = unreachable)
    efficiency: np.ndarray | None = None   # multiplier on the chance an application is judged suitable (None: 1)
    age_m: np.ndarray | None = None        # ages in months, for posts with an age limit (None: no limits apply)
    statutory_m: np.ndarray | None = None  # statutory retirement ages in months, for urban posts (None: no rule)


@dataclass
class Match:
    seeker: np.ndarray        # positions in Seekers
    vacancy: np.ndarray       # positions in Vacancies
    channel: np.ndarray
    net_wage: np.ndarray
    applications: int        # qualified and suitable applications (those a post can rank)
    offers: int
    posts_applied: int = 0    # posts with at least one such application (diagnostics)
    offered: np.ndarray | None = None   # positions in Seekers of everyone offered a post this month
    suitable_per_post: np.ndarray | None = None   # per vacancy: qualified and suitable applications it received


def _pick(rng, keys_of_vacancies: np.ndarray, pool: np.ndarray, wanted_keys: np.ndarray) -> np.ndarray:
    """For each wanted key, a uniformly drawn vacancy from `pool` with that key (-1 if none)."""
    order = pool[np.argsort(keys_of_vacancies[pool], kind="stable")]
    sorted_keys = keys_of_vacancies[order]
    lo = np.searchsorted(sorted_keys, wanted_keys, side="left")
    hi = np.searchsorted(sorted_keys, wanted_keys, side="right")
    count = hi - lo
    pick = lo + np.floor(rng.random(wanted_keys.size) * np.maximum(count, 1)).astype(np.int64)
    out = np.full(wanted_keys.size, -1, dtype=np.int64)
    ok = count > 0
    out[ok] = order[pick[ok]]
    return out


def applications(rng, seekers: Seekers, vac, reach: dict, max_apps: int) -> tuple[np.ndarray, ...]:
    """(seeker position, vacancy position, channel) of every application that found a vacancy."""
    n = seekers.row.size
    pools = {INFORMAL: np.arange(len(vac)), PES: np.flatnonzero(vac.on_pes), ONLINE: np.flatnonzero(vac.online),
             TOWNSHIP: np.flatnonzero(vac.township), PRIVATE: np.flatnonzero(vac.on_private)}
    out_s, out_v, out_c = [], [], []
    for ch in range(N_CHANNELS):
        k = np.minimum(rng.poisson(seekers.rates[:, ch]), max_apps)
        s = np.repeat(np.arange(n), k)
        if s.size == 0 or pools[ch].size == 0:
            continue
        scope = rng.choice(3, size=s.size, p=reach[ch])     # 0 own place, 1 own county, 2 city
        v = np.full(s.size, -1, dtype=np.int64)
        for level, key_vac, key_seek in ((0, vac.place, seekers.place), (1, vac.county, seekers.county),
                                         (2, np.zeros(len(vac), np.int64), np.zeros(n, np.int64))):
            m = scope == level
            if m.any():
                v[m] = _pick(rng, np.asarray(key_vac, np.int64), pools[ch], np.asarray(key_seek, np.int64)[s[m]])
        found = v >= 0
        out_s.append(s[found])
        out_v.append(v[found])
        out_c.append(np.full(found.sum(), ch))
    if not out_s:
        empty = np.empty(0, np.int64)
        return empty, empty, empty
    return np.concatenate(out_s), np.concatenate(out_v), np.concatenate(out_c)


def first_of_groups(group: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Positions of the highest score within each group (one per group, in ascending group order;
    a tie goes to the earliest position). `group` holds non-negative integers. Linear time: the
    groups' maxima, then the first position reaching its group's maximum (no sort)."""
    if group.size == 0:
        return np.empty(0, np.int64)
    n_groups = int(group.max()) + 1
    best = np.full(n_groups, -np.inf)
    np.maximum.at(best, group, score)
    top = np.flatnonzero(score == best[group])
    first = np.full(n_groups, group.size)
    np.minimum.at(first, group[top], top)
    return first[first < group.size]


def match(rng, seekers: Seekers, vac, offer_net_wage, params: dict) -> Match:
    """One month of matching; `offer_net_wage(seeker_pos, vacancy_pos)` prices an offer.

    All draws (applications, screening noise) are made before the first offer round, so the number
    of rounds changes no draw and one round is the original single-round game."""
    s, v, ch = applications(rng, seekers, vac, params["reach"], params["max_applications"])
    suitability = params["suitability"] * (1.0 if seekers.efficiency is None else seekers.efficiency[s])
    ok = (seekers.skill[s] >= vac.required[v]) & (rng.random(s.size) < np.minimum(1.0, suitability))
    if seekers.age_m is not None and vac.max_age_m is not None:
        ok &= seekers.age_m[s] <= vac.max_age_m[v]
    if seekers.statutory_m is not None and vac.urban is not None:     # a labour contract ends at the statutory age
        ok &= ~vac.urban[v] | (seekers.age_m[s] < seekers.statutory_m[s])
    s, v, ch = s[ok], v[ok], ch[ok]
    n_apps, n_posts_applied = int(s.size), int(np.unique(v).size)
    suitable = np.bincount(v, minlength=len(vac))
    noise = np.asarray(params["screening_noise"])[ch] * rng.standard_normal(s.size)
    fit = (params["skill_weight"] * seekers.skill[s]
           - params["duration_penalty"] * np.log1p(seekers.months_out_of_work[s]) + noise)
    taken, n_offers, offered = [], 0, []                  # (seeker, vacancy, channel, net wage) by round
    for _ in range(params["offer_rounds"]):
        best = first_of_groups(v, fit)                    # each open post offers to its best remaining applicant
        net = offer_net_wage(s[best], v[best])
        chosen = first_of_groups(s[best], net)            # each person takes the best offer in hand ...
        took = chosen[net[chosen] >= seekers.reservation[s[best[chosen]]]]   # ... if it beats the reservation
        acc = best[took]
        taken.append((s[acc], v[acc], ch[acc], net[took]))
        n_offers += int(best.size)
        offered.append(s[best])
        pair = s * len(vac) + v                           # one person may apply to a post more than once
        keep = ~np.isin(s, s[acc]) & ~np.isin(v, v[acc]) & ~np.isin(pair, pair[best])
        s, v, ch, fit = s[keep], v[keep], ch[keep], fit[keep]
        if s.size == 0:
            break
    ms, mv, mc, mw = (np.concatenate(x) for x in zip(*taken, strict=True))
    people = np.unique(np.concatenate(offered)) if offered else np.empty(0, np.int64)
    return Match(ms, mv, mc, mw, n_apps, n_offers, n_posts_applied, people, suitable)
