"""The resumable results store: one atomic Parquet part per finished run, runs.csv (the log of every
run) and manifest.json (`sim.outputs.manifest`, kind "sweep": the spec and its hash in `settings`,
checked on --resume); reading the results back."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..outputs import atomic_file, atomic_write_text, manifest, manifest_text
from .spec import RunTask, Spec


class Store:
    """DIR/results/<run_id>.parquet (atomic), DIR/runs.csv (rewritten atomically), DIR/manifest.json."""

    LOG_INTERVAL = 2.0      # seconds between rewrites of runs.csv while runs finish (failures: at once)

    def __init__(self, out: Path, spec: Spec, all_tasks: list[RunTask]):
        self.out, self.spec = Path(out), spec
        self.last_log = 0.0
        self.results = self.out / "results"
        self.records = {t.run_id: {"run_id": t.run_id, "point": t.point, "replicate": t.replicate, "seed": t.seed,
                                   **{f"param:{k}": v for k, v in t.params.items()},
                                   "status": "pending", "error": "", "seconds": ""} for t in all_tasks}

    def spec_hash(self) -> str:
        return hashlib.sha256(self.spec.text.encode()).hexdigest()

    def earlier_spec_hash(self) -> str | None:
        """The spec hash of the sweep already in the directory (manifest.json; sweep.json before 0.3.0)."""
        if (self.out / "manifest.json").is_file():
            return json.loads((self.out / "manifest.json").read_text()).get("settings", {}).get("spec_hash")
        if (self.out / "sweep.json").is_file():
            return json.loads((self.out / "sweep.json").read_text()).get("spec_hash")
        return None

    def prepare(self, resume: bool) -> set[str]:
        """Create or check the directory; returns run ids already done."""
        if self.out.exists() and any(self.out.iterdir()):
            if not resume:
                raise InputError("command line", "--out", f"{self.out} already holds a sweep; use --resume or a new directory")
            if self.earlier_spec_hash() != self.spec_hash():
                raise InputError("command line", "--resume", f"{self.out} holds a different sweep (spec changed)")
            old = self.out / "runs.csv"
            if old.is_file():
                for r in pd.read_csv(old, dtype=str, keep_default_na=False).to_dict("records"):
                    if r["run_id"] in self.records and r["status"] == "failed":
                        self.records[r["run_id"]].update(status="failed", error=r["error"], seconds=r["seconds"])
        self.results.mkdir(parents=True, exist_ok=True)
        for stale in self.results.glob(".*.tmp"):      # a part a killed run was writing: it is run again
            stale.unlink()
        atomic_write_text(self.out / "manifest.json", manifest_text(manifest(
            "sweep", name=self.spec.name, spec_file=self.spec.path, spec_hash=self.spec_hash(), spec=self.spec.text)))
        done = {p.stem for p in self.results.glob("*.parquet")}
        for run_id in done & set(self.records):
            self.records[run_id]["status"] = "done"
        self.write_runs()
        return done

    def save(self, result: dict) -> None:
        rec = self.records[result["run_id"]]
        if result["status"] == "done":
            with atomic_file(self.results / f"{result['run_id']}.parquet") as tmp:
                result["rows"].to_parquet(tmp, index=False)
        rec.update(status=result["status"], error=result["error"], seconds=f"{result['seconds']:.3f}")
        if result["status"] != "done" or time.monotonic() - self.last_log >= self.LOG_INTERVAL:
            self.write_runs()         # finished runs are on disk as parts; the log catches up (and at the end)

    def write_runs(self) -> None:
        atomic_write_text(self.out / "runs.csv", pd.DataFrame(list(self.records.values())).to_csv(index=False))
        self.last_log = time.monotonic()


def read_results(out: Path) -> pd.DataFrame:
    """All finished runs of a sweep as one table."""
    parts = sorted((Path(out) / "results").glob("*.parquet"))
    if not parts:
        return pd.DataFrame()
    return pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
