"""Display names on charts and in the report: scenarios, measures, indicators and the charts' footnote.

Chinese names of scenarios and measures come from the city data's `meta.labels_zh`, indicator names
from `sim.indicators`, and every other word from `sim.locale`.
"""

from __future__ import annotations

import pandas as pd

from .. import locale
from ..indicators import BY_ID


def scenario_label(name: str, lang: str, meta: dict | None = None) -> str:
    """A scenario's display name: Chinese from the city data's `meta.labels_zh` when there is one."""
    if lang != "zh" or not meta:
        return name
    labels = meta.get("labels_zh", {})
    if name in labels.get("scenarios", {}):
        return labels["scenarios"][name]
    measure = name.removeprefix("measure_")
    if measure != name and measure in labels.get("policies", {}):
        return locale.text("label.measure_only", lang, measure=labels["policies"][measure])
    return name


def indicator_title(indicator: str, lang: str) -> str:
    """The indicator's Chinese name; in English followed by its English name."""
    ind = BY_ID[indicator]
    return ind.name_zh if lang == "zh" else f"{ind.name_zh}  {ind.name_en}"


def player_label(player: str, lang: str, meta: dict | None = None) -> str:
    """A measure's or a group's display name (Chinese from the city data's `meta.labels_zh`)."""
    labels = (meta or {}).get("labels_zh", {})
    if lang != "zh":
        return player.replace("_", " ")
    return labels.get("policies", {}).get(player) or labels.get("groups", {}).get(player) or player


def chart_subtitle(annual: pd.DataFrame, scale=None, n_assumptions: int = 0, lang: str = "en") -> str:
    """The projected-versus-target charts' footnote: replicates, scale, how many inputs are assumptions."""
    reps = int(annual.groupby("scenario")["replicate"].nunique().max())
    return (locale.text("subtitle.simulated", lang, scenarios=", ".join(annual["scenario"].unique()), reps=reps)
            + (locale.text("subtitle.scale", lang, scale=scale) if scale else "")
            + (locale.text("subtitle.assumptions", lang, n=n_assumptions) if n_assumptions else "")
            + locale.text("subtitle.end", lang))
