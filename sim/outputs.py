"""Writing results: atomic directories and files, and the one manifest every result carries.

Every directory the library writes (a run, a comparison, an attribution, a sweep, a sensitivity
screen, a calibration, a back-cast) is built under a temporary name and renamed only when complete
(`atomic_directory`), so a crash leaves nothing half-written; single files go through
`atomic_write_text`. Each holds `manifest.json` with one schema (`manifest`):

    schema            1 (this layout)
    kind              run | compare | attribution | sweep | sensitivity | calibration | backcast | forecast | what_it_takes
    created           UTC time, ISO 8601
    package_version, code_revision, python, numpy
    data_file, data_hash   the city data file (absolute path) and the sha256 of it and its target files
                      (`sim.params.files_hash`), when one was used
    scenarios         one entry per scenario run: scenario, scenario_file, resolved_scenario, seeds,
                      scale, policies, assumption_overrides (and, for runs, data_file, target_files,
                      data_hash with the scenario's own target files, provenance_counts and the
                      calibrated rates); empty when none was
    settings          what else the command was given (method, budget, compared paths, ...)

Numbers are written with `allow_nan=False`: a non-finite value is a bug, never a silent `NaN`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__
from .errors import InputError
from .params import files_hash, load_city, resolve_city_path

SCHEMA = 1
KINDS = ("run", "compare", "attribution", "sweep", "sensitivity", "calibration", "backcast", "forecast", "what_it_takes",
         "effects")


def code_revision() -> str:
    """The git commit of the code (with '+dirty' for uncommitted changes), or 'unknown'."""
    root = Path(__file__).resolve().parent.parent
    try:
        rev = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if rev.returncode != 0:
        return "unknown"
    return rev.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def scenario_entry(scenario, **extra) -> dict:
    """What reproduces one scenario's runs: the scenario as resolved, its seeds, scale and measures."""
    return {"scenario": scenario.name, "scenario_file": scenario.path, "resolved_scenario": scenario.resolved,
            "seeds": [scenario.seed + r for r in range(scenario.replicates)], "scale": scenario.scale,
            "policies": sorted(n for n, p in scenario.policies.items() if p.get("enabled", True)),
            "assumption_overrides": scenario.assumptions, **extra}


def work_dir(out: Path) -> Path:
    """Where a resumable study's runs (a sensitivity study, a forecast) accumulate until its tables are
    written: beside `out`, hidden."""
    return Path(out).parent / f".{Path(out).name}.runs"


def check_resumable_out(out: Path, resume: bool, what: str, interrupted: str,
                        markers: tuple[str, ...] = ("manifest.json",)) -> None:
    """--out must be new, empty or an earlier `what` directory (one holding one of `markers`); runs of an
    interrupted `interrupted` beside it need --resume."""
    out = Path(out)
    earlier = out.is_dir() and any((out / m).is_file() for m in markers)
    if out.exists() and not (out.is_dir() and (not any(out.iterdir()) or earlier)):
        raise InputError("command line", "--out", f"{out} exists and is not an earlier {what} directory; "
                         "choose a new or empty directory")
    if work_dir(out).exists() and not resume:
        raise InputError("command line", "--resume", f"{work_dir(out)} holds the runs of an interrupted {interrupted} for "
                         f"{out}; add --resume to continue it, or delete it to start again")


def manifest(kind: str, city: str | None = None, scenarios: list[dict] | None = None, **settings) -> dict:
    """The manifest of a result of `kind` (module docstring); `city` is the city data file used."""
    if kind not in KINDS:
        raise ValueError(f"unknown manifest kind {kind!r}; known: {KINDS}")
    out: dict[str, Any] = {"schema": SCHEMA, "kind": kind,
                           "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                           "package_version": __version__, "code_revision": code_revision(),
                           "python": platform.python_version(), "numpy": np.__version__}
    if city is not None:
        path = resolve_city_path(city).resolve()
        out.update(data_file=str(path), data_hash="sha256:" + files_hash(load_city(str(path)).files()))
    return {**out, "scenarios": scenarios or [], "settings": settings}


def manifest_text(m: dict) -> str:
    return json.dumps(m, ensure_ascii=False, indent=2, allow_nan=False, default=_json_default)


def write_manifest(folder: Path, m: dict) -> None:
    (Path(folder) / "manifest.json").write_text(manifest_text(m), encoding="utf-8")


@contextmanager
def atomic_directory(out: Path):
    """Yield a temporary directory beside `out`; it becomes `out` only if the block completes."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)          # mkdtemp makes it private; a result directory is not
        _replace_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


@contextmanager
def atomic_file(path: Path):
    """Yield a temporary path beside `path` to write to; it becomes `path` (by a rename, with the usual
    permissions: mkstemp's are private) only if the block completes, and nothing is left otherwise."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to `path` atomically (`atomic_file`)."""
    with atomic_file(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _replace_dir(tmp: Path, out: Path) -> None:
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, out)


def _json_default(obj):
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    return str(obj)
