"""Months: the model's clock unit, and how a month is read from a file or the command line.

A month is written 'YYYY-MM' everywhere (scenario files, the city data's policy timetables, sweep
specs, `--end`). `Month.index` counts months from year 0, so differences are month counts. This
module depends on nothing else in the package, so scenarios, policies and the world can all use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import InputError


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def parse_month(where: str, key: str, value: Any) -> Month:
    """'2021-07' -> Month(2021, 7); anything else is an InputError naming `where`, `key` and the value."""
    if isinstance(value, str) and len(value) == 7 and value[4] == "-":
        try:
            y, m = int(value[:4]), int(value[5:])
            if 1 <= m <= 12:
                return Month(y, m)
        except ValueError:
            pass
    raise InputError(where, key, f"must be a month 'YYYY-MM', got {value!r}")
