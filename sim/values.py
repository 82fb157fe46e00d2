"""Numbers read from any input must be finite: the one check every reader makes.

TOML (`nan`, `inf`) and YAML (`.nan`, `.inf`) both have non-finite literals, and `--set x=nan`
parses to one. A NaN passes every range check (all its comparisons are false), runs, and ends up in
tables and in manifest.json (which is then not valid JSON). So every reader of numbers - scenario
files and overrides (sim.scenario), sweep specs (sim.sweep), the city data file (sim.params) - calls
`reject_non_finite` on what it read, and such a value is one InputError naming where it came from,
the key and the value.
"""

from __future__ import annotations

import math
from typing import Any

from .errors import InputError

ALLOWED = "allowed: finite numbers (no nan, inf or -inf)"


def is_int(v: Any) -> bool:
    """An integer that is not a bool."""
    return isinstance(v, int) and not isinstance(v, bool)


def is_number(v: Any) -> bool:
    """A finite int or float that is not a bool."""
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def first_non_finite(node: Any, key: str = "") -> tuple[str, float] | None:
    """The first (key, value) in `node` (nested mappings and lists) that is a NaN or an infinity."""
    if isinstance(node, float):
        return None if math.isfinite(node) else (key, node)
    if isinstance(node, dict):
        children = ((f"{key}.{k}" if key else str(k), v) for k, v in node.items())
    elif isinstance(node, (list, tuple)):
        children = ((f"{key}[{i}]", v) for i, v in enumerate(node))
    else:
        return None
    for child_key, child in children:
        hit = first_non_finite(child, child_key)
        if hit is not None:
            return hit
    return None


def reject_non_finite(where: str, node: Any, key: str = "") -> None:
    """InputError(where, key of the bad value, ...) if `node` holds a NaN or an infinity anywhere."""
    hit = first_non_finite(node, key)
    if hit is not None:
        raise InputError(where, hit[0], f"{hit[1]!r} is not a finite number; {ALLOWED}")
