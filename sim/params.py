"""City data with provenance: loading, validation and overrides.

A city is one YAML file (`sim/data/shanwei.yaml` for Shanwei). Every number in it is a *parameter*
in the OpenFisca sense: a mapping with its value, unit, description and provenance, one of

- ``seed``: from the plans in ``shared/seeds/``; ``source`` gives file and clause and ``fact_id`` the
  entry in ``shared/data/facts.yaml`` it was copied from (the tests check the two agree);
- ``public``: from another public source, cited in ``source``;
- ``assumption``: in no source at hand; ``reasoning`` says why this value and ``range`` gives the
  plausible interval that sensitivity analysis sweeps; ``prior`` (optional: uniform, the default,
  triangular with its peak at the value, or log-uniform) is how `sim forecast` draws it over the range;
- ``calibrated``: identified from a named moment of the 2016-2020 record (``moment``).

A list-valued assumption or a table column may say how ``sim sensitivity`` varies it as one input
(``sample``): ``scale`` multiplies every element by a common factor, ``shift`` adds a common amount,
each kept inside ``range``; without it the list or column is left out of the screen, with the reason.

Tables (places, sectors, ...) carry the provenance per column. ``target_files`` names the files of the
plans' targets, one per plan (`sim.targets`: a packaged name in ``sim/data/targets/`` or a path relative
to the data file); ``targets`` may list more inline (a small or synthetic city); together they are
``CityData.targets``, each a `Target`. ``levers`` (optional) says how far `sim what-it-takes` may move a measure's
parameter (`sim.levers.Lever`: scale it by a factor, or move a month earlier), with the bound's provenance.
Unknown keys, missing provenance, non-finite numbers (``.nan``, ``.inf``) and values outside hard
``bounds`` are errors that name the file, the key and the value (DESIGN §2, §6).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError
from .levers import Lever, parse_levers  # noqa: F401  (CityData.levers; re-exported)
from .targets import COMPARATORS, TARGET_KEYS, Target, TargetFile, load_target_file, merge, parse_target  # noqa: F401
from .targets import resolve_files
from .values import ALLOWED as FINITE_ONLY, reject_non_finite

PROVENANCES = ("seed", "public", "assumption", "calibrated")
PARAM_KEYS = {"value", "unit", "description", "provenance", "source", "fact_id", "range",
              "reasoning", "bounds", "moment", "note", "sample", "se", "prior"}
PRIORS = ("uniform", "triangular", "log-uniform")   # how `sim forecast` draws an assumption over its range
SAMPLE_AS = ("scale", "shift")   # how `sim sensitivity` varies a list or a table column as one input
COLUMN_KEYS = PARAM_KEYS - {"value"}
DATA_DIR = Path(__file__).parent / "data"
DEFAULT_CITY = "shanwei"     # the packaged city a scenario runs when it names none (sim/data/shanwei.yaml)


@dataclass
class Param:
    """One number (or list of numbers) with its provenance."""

    path: str
    value: Any
    provenance: str
    unit: str = ""
    description: str = ""
    source: str = ""
    fact_id: str | None = None
    range: tuple[float, float] | None = None
    bounds: tuple[float | None, float | None] | None = None
    meta: dict = field(default_factory=dict)


def _check_bounds(where: str, path: str, value: Any, bounds) -> None:
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, float) and not math.isfinite(v):
            raise InputError(where, path, f"{v!r} is not a finite number; " + (
                f"allowed [{bounds[0]}, {bounds[1]}]" if bounds is not None else FINITE_ONLY))
    if bounds is None:
        return
    lo, hi = bounds
    for v in value if isinstance(value, list) else [value]:
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            raise InputError(where, path, f"must be a number, got {v!r}")
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            raise InputError(where, path, f"{v!r} is out of range; allowed [{lo}, {hi}]")


def _check_se(where: str, path: str, se: Any, provenance: str) -> None:
    """`se`, the standard error a calibration reports for the value (`sim calibrate` writes it)."""
    if provenance != "calibrated":
        raise InputError(where, f"{path}.se", f"only a calibrated value has a standard error (provenance is {provenance!r})")
    if isinstance(se, bool) or not isinstance(se, (int, float)) or not math.isfinite(se) or se < 0:
        raise InputError(where, f"{path}.se", f"must be a finite number >= 0 (the value's standard error), got {se!r}")


def _check_prior(where: str, path: str, spec: dict, prov: str) -> None:
    """`prior` (how `sim forecast` draws the value over its range): only for a scalar assumption; a
    triangular prior peaks at the value (clipped to the range: a scenario may set a value outside it, and
    then the value is not drawn at all); a log-uniform one needs a range above 0."""
    prior, value, rng = spec["prior"], spec.get("value"), spec.get("range")
    if prior not in PRIORS:
        raise InputError(where, f"{path}.prior", f"must be one of {list(PRIORS)}, got {prior!r}")
    if prov != "assumption" or isinstance(value, (bool, list, str)) or not rng:
        raise InputError(where, f"{path}.prior", "only a scalar assumption with a range has a prior "
                         "(a calibrated value is drawn from its standard error)")
    if prior == "log-uniform" and not rng[0] > 0:
        raise InputError(where, f"{path}.prior", f"a log-uniform prior needs a range above 0, got {rng}")


def _parse_param(where: str, path: str, spec: dict, defaults: dict | None = None) -> Param:
    spec = {**(defaults or {}), **spec}
    unknown = set(spec) - PARAM_KEYS
    if unknown:
        raise InputError(where, path, f"unknown keys {sorted(unknown)}; allowed {sorted(PARAM_KEYS)}")
    prov = spec.get("provenance")
    if prov not in PROVENANCES:
        raise InputError(where, path, f"provenance must be one of {PROVENANCES}, got {prov!r}")
    if prov == "seed" and not spec.get("source"):
        raise InputError(where, path, "a seed value needs 'source' (plan file and clause)")
    if prov == "public" and not spec.get("source"):
        raise InputError(where, path, "a public value needs 'source' (title and where to find it)")
    if prov == "assumption" and not (spec.get("range") and spec.get("reasoning")):
        raise InputError(where, path, "an assumption needs 'reasoning' and a plausible 'range'")
    if prov == "calibrated" and not spec.get("moment"):
        raise InputError(where, path, "a calibrated value needs 'moment' (what it was fitted to)")
    if "se" in spec:
        _check_se(where, path, spec["se"], prov)
    if "prior" in spec:
        _check_prior(where, path, spec, prov)
    if spec.get("sample") not in (None, *SAMPLE_AS):
        raise InputError(where, path, f"sample must be one of {list(SAMPLE_AS)}, got {spec['sample']!r}")
    _check_bounds(where, path, spec.get("value"), spec.get("bounds"))
    rng = tuple(spec["range"]) if spec.get("range") else None
    bounds = tuple(spec["bounds"]) if spec.get("bounds") else None
    meta = {k: spec[k] for k in ("reasoning", "moment", "note", "sample", "se", "prior") if k in spec}
    return Param(path, spec.get("value"), prov, spec.get("unit", ""), spec.get("description", ""),
                 spec.get("source", ""), spec.get("fact_id"), rng, bounds, meta)


def _is_param(node: Any) -> bool:
    return isinstance(node, dict) and "provenance" in node and "value" in node


def _is_table(node: Any) -> bool:
    return isinstance(node, dict) and "columns" in node and "rows" in node


META_REQUIRED = {"city": "the city's name in English", "name_zh": "its name in Chinese",
                 "base_year": "the year of the end-of-year stocks the run starts from (an integer, e.g. 2020)",
                 "outside_market": "the outside labour market's names, {en: ..., zh: ...}"}


def _check_meta(where: str, meta: Any) -> None:
    """The labels the code reads from `meta` must be there (the rest of `meta` is free-form)."""
    if not isinstance(meta, dict):
        raise InputError(where, "meta", "must be a mapping of labels")
    for key, what in META_REQUIRED.items():
        if key not in meta:
            raise InputError(where, f"meta.{key}", f"missing: {what}")
    if not isinstance(meta["base_year"], int) or isinstance(meta["base_year"], bool):
        raise InputError(where, "meta.base_year", f"must be an integer year, got {meta['base_year']!r}")
    if not isinstance(meta["outside_market"], dict) or set(meta["outside_market"]) != {"en", "zh"}:
        raise InputError(where, "meta.outside_market", f"must be {{en: ..., zh: ...}}, got {meta['outside_market']!r}")
    if not isinstance(meta.get("recount_register", True), bool):      # set false by the back-cast's rebased city
        raise InputError(where, "meta.recount_register", f"must be true or false, got {meta['recount_register']!r}")


class CityData:
    """A validated city data file: parameters by dotted path, tables by name."""

    def __init__(self, raw: dict, where: str):
        self.where = where
        self.raw = raw
        self.params: dict[str, Param] = {}
        self.tables: dict[str, dict[str, dict[str, Any]]] = {}
        self.columns: dict[str, dict[str, dict]] = {}
        self.meta: dict = raw.get("meta", {})
        _check_meta(where, self.meta)
        self.target_files: list[TargetFile] = [load_target_file(p) for p in resolve_files(
            where, "target_files", raw.get("target_files", []), Path(where).parent, "the data file's folder")]
        self.targets: list[Target] = merge(_inline_targets(where, raw.get("targets", [])), where, self.target_files)
        for key, node in raw.items():
            if key not in ("meta", "targets", "target_files", "levers"):
                self._walk(key, node)
        self.levers: dict[str, Lever] = parse_levers(where, raw.get("levers", {}), self.params)

    # -- parsing -------------------------------------------------------------------------------
    def _walk(self, path: str, node: Any) -> None:
        if _is_param(node):
            self.params[path] = _parse_param(self.where, path, node)
        elif _is_table(node):
            self._parse_table(path, node)
        elif isinstance(node, dict):
            for key, child in node.items():
                self._walk(f"{path}.{key}", child)
        else:
            raise InputError(self.where, path, f"expected a parameter (value + provenance) or a table, got {node!r}")

    def _parse_table(self, path: str, node: dict) -> None:
        cols = node["columns"]
        for col, spec in cols.items():
            unknown = set(spec) - COLUMN_KEYS - {"kind"}
            if unknown:
                raise InputError(self.where, f"{path}.columns.{col}", f"unknown keys {sorted(unknown)}")
        rows: dict[str, dict[str, Any]] = {}
        for row_id, row in node["rows"].items():
            missing, extra = set(cols) - set(row), set(row) - set(cols)
            if missing or extra:
                raise InputError(self.where, f"{path}.rows.{row_id}",
                                 f"columns must be exactly {sorted(cols)} (missing {sorted(missing)}, unknown {sorted(extra)})")
            for col, spec in cols.items():
                if spec.get("kind") == "label":
                    continue
                _parse_param(self.where, f"{path}.{row_id}.{col}", {"value": row[col]}, spec)
            rows[str(row_id)] = dict(row)
        self.tables[path] = rows
        self.columns[path] = cols

    # -- access --------------------------------------------------------------------------------
    def files(self) -> list[Path]:
        """The files this data comes from: the data file, then its target files (what `data_hash` covers)."""
        return [Path(self.where), *(Path(f.path) for f in self.target_files)]

    def get(self, path: str) -> Any:
        """The value of parameter `path` (dotted)."""
        try:
            return self.params[path].value
        except KeyError:
            raise KeyError(f"{self.where}: no parameter {path!r}") from None

    def table(self, name: str) -> dict[str, dict[str, Any]]:
        return self.tables[name]

    def column(self, table: str, col: str) -> list:
        return [row[col] for row in self.tables[table].values()]

    def provenance_counts(self) -> dict[str, int]:
        counts = {p: 0 for p in PROVENANCES}
        for p in self.params.values():
            counts[p.provenance] += 1
        return counts

    def assumptions(self) -> list[Param]:
        return [p for p in self.params.values() if p.provenance == "assumption"]

    # -- overrides -----------------------------------------------------------------------------
    def with_overrides(self, overrides: dict[str, Any], where: str, prefix: str = "assumptions.") -> "CityData":
        """A copy with `path -> value` replaced; paths must exist and values stay within bounds.

        Errors name `where` (the scenario) and the key as the scenario spells it (`prefix` + path)."""
        if not overrides:
            return self
        raw = copy.deepcopy(self.raw)
        for path, value in overrides.items():
            *parents, leaf = self._raw_keys(path, value, where, prefix)
            node = raw
            for key in parents:
                node = node[key]
            node[leaf] = value
        try:
            return CityData(raw, self.where)
        except InputError as exc:
            raise InputError(where, f"{prefix}{exc.key}", exc.message) from None

    def with_target_files(self, paths: list[str], where: str, key: str = "targets.files") -> "CityData":
        """A copy whose targets include those of the target files `paths` (a scenario's `[targets] files`,
        resolved; a relative path is taken from the working directory). A missing file is an error naming
        `where` and `key`; a target the data already has, one naming the file that repeats it."""
        if not paths:
            return self
        added = [str(p) for p in resolve_files(where, key, list(paths), Path.cwd(), "the working directory")]
        raw = copy.deepcopy(self.raw)
        raw["target_files"] = [*(f.path for f in self.target_files), *added]
        return CityData(raw, self.where)

    def _raw_keys(self, path: str, value: Any, where: str, prefix: str = "assumptions.") -> list[str]:
        """Keys leading to `path`'s value in the raw file: a parameter or a table cell."""
        if path in self.params:
            old = self.params[path].value
            if isinstance(old, list) != isinstance(value, list) or (isinstance(old, list) and len(old) != len(value)):
                shape = f"a list of {len(old)} numbers" if isinstance(old, list) else "a single number"
                raise InputError(where, f"{prefix}{path}", f"must be {shape}, got {value!r}")
            return [*path.split("."), "value"]
        table, _, col = path.rpartition(".")
        table_name, _, row = table.rpartition(".")
        if table_name in self.tables and row in self.tables[table_name] and col in self.columns[table_name]:
            if self.columns[table_name][col].get("kind") == "label":
                raise InputError(where, f"{prefix}{path}", f"is a label (structure of the city), not a number "
                                 f"(got {value!r}); edit the data file to change it")
            if isinstance(value, (list, dict, str, bool)):
                raise InputError(where, f"{prefix}{path}", f"must be a number, got {value!r}")
            return [*table_name.split("."), "rows", row, col]
        raise InputError(where, f"{prefix}{path}",
                         "no such parameter in the city data file (see `sim list parameters`)")


def _inline_targets(where: str, rows) -> list[Target]:
    """The targets a city lists under `targets:` itself (besides those of its target files)."""
    if not isinstance(rows, list):
        raise InputError(where, "targets", f"must be a list of targets, got {rows!r}")
    return [parse_target(where, i, t) for i, t in enumerate(rows)]


def resolve_city_path(city: str, base_dir: Path | None = None) -> Path:
    """`shanwei` -> the packaged file; anything with a slash or suffix -> a path."""
    if "/" in city or city.endswith((".yaml", ".yml")):
        p = Path(city)
        return p if p.is_absolute() or base_dir is None else (base_dir / p)
    return DATA_DIR / f"{city}.yaml"


def load_city(city: str = DEFAULT_CITY, base_dir: Path | None = None) -> CityData:
    path = resolve_city_path(city, base_dir)
    if not path.is_file():
        packaged = sorted(p.stem for p in DATA_DIR.glob("*.yaml"))
        raise InputError(path, "", f"city data file not found (packaged cities: {packaged})")
    stat = path.stat()
    return _load_city_cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _load_city_cached(path_str: str, mtime_ns: int, size: int) -> CityData:
    """Parsing the YAML costs ~0.1 s; sweeps load the same file for every run. CityData is never
    mutated (overrides make copies), so the parsed object is shared. The key changes with the file."""
    path = Path(path_str)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark else ""
        raise InputError(path, "", f"malformed YAML{line}") from None
    if not isinstance(raw, dict):
        raise InputError(path, "", "expected a mapping at the top level")
    reject_non_finite(str(path), raw)
    return CityData(raw, str(path))


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def files_hash(paths: list[Path]) -> str:
    """sha256 of the files' bytes one after the other, in order (of one file: its `file_hash`). A run's
    `data_hash` is this over `CityData.files()`: the data file and the target files it used."""
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).read_bytes())
    return h.hexdigest()
