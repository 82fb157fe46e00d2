"""Every chart the simulator draws, one package; charts read tidy tables (pandas DataFrames), never the model.

- `style`: how every chart looks (slide size, CJK font, colours, bands, target lines, met markers, saving);
- `labels`: display names of scenarios, measures and indicators, and the charts' footnote;
- `targets`: projected versus target, one chart per targeted indicator (`sim run`, `sim compare`,
  the report), and P(met) of every target (`chart_probabilities`);
- `measures`: attribution waterfalls (`sim attribute`), each measure's effect alone, trade-offs, the
  measures' timetable (the report);
- `backcast`: the 2016-2020 back-cast chart (`sim backcast`);
- `sensitivity`: the sensitivity screen's chart (`sim sensitivity`).

The functions below are the public ones; `from sim.charts import write_charts` etc. keep working
as they did when this was one module. Words on the charts come from `sim.locale`.
"""

from __future__ import annotations

from . import style  # noqa: F401  (first: it selects matplotlib's non-interactive backend)
from .backcast import backcast_chart
from .labels import chart_subtitle, indicator_title, player_label, scenario_label
from .measures import chart_effects, chart_tradeoff, timetable_chart, waterfall, write_waterfalls
from .sensitivity import sensitivity_chart
from .targets import QUANTILES, chart_indicator, chart_probabilities, is_cumulative, quantiles, write_charts

__all__ = [
    "QUANTILES", "backcast_chart", "chart_effects", "chart_indicator", "chart_probabilities", "chart_subtitle",
    "chart_tradeoff", "indicator_title", "is_cumulative", "player_label", "quantiles", "scenario_label",
    "sensitivity_chart", "style", "timetable_chart", "waterfall", "write_charts", "write_waterfalls",
]
