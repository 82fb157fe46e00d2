"""What `sim list` shows: scenarios, policies, indicators with their targets, and parameters, as text lines."""

from __future__ import annotations

from collections.abc import Iterator

from . import costs, indicators, policies, scenario as scen
from .params import DEFAULT_CITY, load_city


def scenarios() -> Iterator[str]:
    for path in sorted(scen.SCENARIO_DIR.glob("*.toml")):
        doc = scen.read_document(path)
        yield f"{path.stem:<28} {doc.get('description', '')}"


def measures(city: str = DEFAULT_CITY) -> Iterator[str]:
    """Each measure: its mechanism, its clause and what it costs (unit costs with their provenance)."""
    data = load_city(city)
    for name, cls in sorted(policies.all_policies().items()):
        yield f"{name:<24} {cls.summary}\n{'':<24} clause: {cls.source}"
        for line in costs.cost_lines(cls, data):
            yield f"{'':<24} cost: {line}"




def city_heading(data) -> str:
    """The city's name as its file gives it, and the file."""
    return f"{data.meta.get('city', '')} {data.meta.get('name_zh', '')} ({data.where})".strip()


def indicators_and_targets(city: str = DEFAULT_CITY) -> Iterator[str]:
    data = load_city(city)
    targets = data.targets
    yield f"targets of {city_heading(data)}"
    for ind in indicators.INDICATORS:
        tag = "" if ind.targeted else "  (diagnostic)"
        yield f"{ind.id:<32} {ind.unit:<13} {ind.kind:<6} {ind.name_zh} / {ind.name_en}{tag}"
        for t in (t for t in targets if t.indicator == ind.id):
            when = f"{t.period[0]}-{t.period[1]} total" if t.period else t.year
            yield f"{'':<32} target {when}: {t.comparator} {t.value:,}  ({t.source})"


def parameters(city: str = DEFAULT_CITY) -> Iterator[str]:
    data = load_city(city)
    yield f"parameters of {city_heading(data)}"
    for path, p in data.params.items():
        extra = f"range {list(p.range)}" if p.range else (p.source or p.meta.get("moment", ""))
        extra = f"se {p.meta['se']}, {extra}" if "se" in p.meta else extra
        extra = f"{extra}, {p.meta['prior']} prior" if "prior" in p.meta else extra
        yield f"{path:<48} {str(p.value):<22} {p.unit[:22]:<22} {p.provenance:<10} {extra[:70]}"
    for name in data.tables:
        yield f"{name + '.<row>.<column>':<48} (table; see {data.where})"


LISTINGS = {"scenarios": scenarios, "policies": measures, "indicators": indicators_and_targets, "parameters": parameters}
CITY_LISTINGS = {"policies", "indicators", "parameters"}     # the listings that read a city file (`sim list ... --city`)
