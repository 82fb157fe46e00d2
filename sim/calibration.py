"""Rates identified from the 2016-2020 record when the model is built (exactly identified moments).

Each rate below is `calibrated` in the sense of DESIGN §2: it is solved from a named moment of the
plans' 2020 baseline, never from a target. They are recomputed for every run from the (possibly
overridden) city data and written to the manifest.

- Workplace skill assessment (certification of people already working): the 2020 flow of
  certificates (18,194, [003] 专栏2 row 14) minus what schools and subsidised training certify,
  spread over the employed weighted by their sector's skill intensity; the same for certificates
  at 高级工 and above (3,359, 专栏2 row 15), net of the advanced certificates schools and training give.
- Entry into professional-technical talent: the 2015-2020 growth of the stock (9.89%, [003]
  第一章第一节) plus the holders expected to retire or die within a year.
- UI insured share: the 2020 count of UI contributors (123,386, [003] 第一章第一节) over urban employment.
"""

from __future__ import annotations

import numpy as np

from .agents.workers import EMP_LOCAL, HIGH_SKILL, UNEMP


def certification_hazards(world, pop) -> dict[str, float]:
    d = world.data
    school_graduates = d.get("schools.students_2020_total") * 12 / d.get("schools.programme_months")
    school_certs = school_graduates * d.get("schools.pass_rate")
    school_adv = sum(s.advanced_share * s.students for s in world.schools) / max(1, sum(s.students for s in world.schools))
    training_certs = d.get("training.subsidised_2016_2020") / 5 * d.get("training.pass_rate")
    young = pop.age_m < d.get("allocation.training_max_age") * 12
    pool = ((pop.status == EMP_LOCAL) | (pop.status == UNEMP)) & young & (pop.skill < 5)
    training_adv = training_certs * (pool & (pop.skill >= HIGH_SKILL - 1)).sum() / max(1, pool.sum())
    direct = max(0.0, d.get("skills.certificates_2020") - school_certs - training_certs)
    direct_adv = max(0.0, d.get("skills.advanced_certificates_2020") - school_certs * school_adv - training_adv)
    direct_adv = min(direct_adv, direct)
    emp = pop.status == EMP_LOCAL
    w = intensity_weight(world, pop)
    low_base = (w * (emp & (pop.skill < HIGH_SKILL - 1))).sum() * world.scale
    high_base = (w * (emp & (pop.skill >= HIGH_SKILL - 1) & (pop.skill < 5))).sum() * world.scale
    return {"certify_low_per_month": (direct - direct_adv) / 12 / max(low_base, 1.0),
            "certify_high_per_month": direct_adv / 12 / max(high_base, 1.0)}


def intensity_weight(world, pop) -> np.ndarray:
    by_sector = world.sector_skill_intensity ** world.data.get("skills.certificate_sector_intensity")
    return np.where(pop.sector >= 0, by_sector[np.maximum(pop.sector, 0)], 0.0)


def title_entry_hazard(world, pop, exit_age_m: np.ndarray) -> float:
    d = world.data
    holders = pop.in_shanwei() & (pop.title >= 1)
    stock = holders.sum()
    growth = (1 + d.get("titles.growth_2015_2020") / 100) ** (1 / 5) - 1
    retiring = (holders & (pop.age_m >= exit_age_m - 12)).sum()
    new_per_year = growth * stock + retiring
    eligible = title_eligibility(world, pop).sum()
    return float(new_per_year / 12 / max(eligible, 1e-9))


def title_eligibility(world, pop, levers=None) -> np.ndarray:
    """Weight of becoming professional-technical talent: employed, educated, public sector first.

    The `levers` of the title measures (none: the baseline, as calibrated): `title_private_weight` opens
    titles wider to staff outside the public sector; `skill_diploma_*` count a skill level as a diploma;
    `title_skill_*` let skilled workers apply for titles (ladders linked)."""
    d = world.data
    public = world.in_public_service(pop.sector)
    edu_w = education_weight(d, pop, levers)
    private = 1.0 if levers is None else 1.0 + levers.title_private_weight
    sector_w = np.where(public, d.get("allocation.public_sector_title_factor"), private)
    return (pop.status == EMP_LOCAL) * (pop.title == 0) * edu_w * sector_w


def education_weight(d, pop, levers=None) -> np.ndarray:
    """Title-entry odds by education (`allocation.title_entry_weight_by_education`). Skills as diplomas:
    a share `skill_diploma_weight` of evaluations weigh the diploma the person's skill level counts as,
    if higher; linked ladders add `title_skill_weight` from skill level `title_skill_level` up."""
    weights = np.asarray(d.get("allocation.title_entry_weight_by_education"))
    edu_w = weights[pop.edu]
    if levers is None:
        return edu_w
    if levers.skill_diploma_education:
        counted = np.maximum(pop.edu, np.asarray(levers.skill_diploma_education)[pop.skill])
        edu_w = edu_w + levers.skill_diploma_weight * (weights[counted] - edu_w)
    return edu_w + levers.title_skill_weight * (pop.skill >= levers.title_skill_level)


def ui_insured_share(world, pop) -> float:
    """Insured share of urban jobs: the 2020 count of UI contributors over urban employment (persons)."""
    urban_jobs = ((pop.status == EMP_LOCAL) & world.sector_urban[np.maximum(pop.sector, 0)].astype(bool)).sum()
    return float(min(1.0, world.data.get("registration.ui_insured_2020") / max(urban_jobs * world.scale, 1)))
