"""Sweeps: identical rows whatever the executor, resume after a kill, failed runs recorded, spec errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim import sweep as sw
from sim.errors import InputError

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"
SPEC = f"""
name = "t"
base = "{BASELINE}"
replicates = 2
scale = 800
seed = 3
end = "2022-12"
indicators = ["skilled_talent", "unemployed"]
[sampler]
method = "lhs"
samples = 3
seed = 5
[parameters]
"assumptions.outside_market.wage_premium" = {{low = 0.3, high = 0.8}}
"assumptions.training.pass_rate" = [0.7, 0.9]
"""


def write_spec(tmp_path: Path, text: str = SPEC) -> Path:
    path = tmp_path / "spec.toml"
    path.write_text(text, encoding="utf-8")
    return path


def rows(out: Path) -> pd.DataFrame:
    df = sw.read_results(out)
    return df.sort_values(["run_id", "year", "indicator"]).reset_index(drop=True)


def test_design_crosses_lists_with_sampled_ranges_and_seeds_do_not_depend_on_order(tmp_path):
    spec = sw.load_spec(write_spec(tmp_path))
    tasks = sw.tasks(spec)
    assert len(tasks) == 2 * 3 * 2
    assert len({t.seed for t in tasks}) == len(tasks)
    assert [t.seed for t in sw.tasks(spec)] == [t.seed for t in tasks]
    values = [t.params["assumptions.outside_market.wage_premium"] for t in tasks]
    assert all(0.3 <= v <= 0.8 for v in values)


def test_local_pool_in_process_and_dask_give_identical_rows(tmp_path):
    spec = sw.load_spec(write_spec(tmp_path))
    sw.sweep(spec, tmp_path / "pool", workers=2, progress=False)
    sw.sweep(spec, tmp_path / "serial", workers=0, progress=False)
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        sw.sweep(spec, tmp_path / "dask", scheduler=cluster.scheduler_address, progress=False)
    reference = rows(tmp_path / "pool")
    assert len(reference) == 12 * 2 * 3      # runs x indicators x years (2020-2022)
    pd.testing.assert_frame_equal(reference, rows(tmp_path / "serial"))
    pd.testing.assert_frame_equal(reference, rows(tmp_path / "dask"))
    assert set(pd.read_csv(tmp_path / "dask" / "runs.csv")["status"]) == {"done"}


def test_explicit_points_with_common_seeds_run_as_given(tmp_path):
    spec = sw.load_spec(write_spec(tmp_path))
    spec.points = [{"assumptions.outside_market.wage_premium": 0.3}, {"assumptions.outside_market.wage_premium": 0.7}]
    spec.common_seeds, spec.replicates = True, 2
    tasks = sw.tasks(spec)
    assert [(t.point, t.replicate, t.seed) for t in tasks] == [(0, 0, 3), (0, 1, 4), (1, 0, 3), (1, 1, 4)]
    assert [t.params for t in tasks[::2]] == spec.points
    spec.common_seeds = False
    assert len({t.seed for t in sw.tasks(spec)}) == 4


def test_killed_sweep_resumes_to_the_same_result_set(tmp_path):
    spec_path = write_spec(tmp_path)
    complete = tmp_path / "complete"
    sw.sweep(sw.load_spec(spec_path), complete, workers=0, progress=False)
    out = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-m", "sim.cli", "sweep", str(spec_path), "--out", str(out), "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(list((out / "results").glob("*.parquet"))) < 3:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = len(list((out / "results").glob("*.parquet")))
    assert 3 <= partial < 12, partial
    summary = sw.sweep(sw.load_spec(spec_path), out, workers=1, resume=True, progress=False)
    assert summary["skipped_as_done"] >= partial and summary["done"] == 12
    assert not list((out / "results").glob("*.tmp"))
    pd.testing.assert_frame_equal(rows(complete), rows(out))
    assert rows(out)[["run_id", "year", "indicator"]].duplicated().sum() == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))     # sim.outputs.manifest
    assert manifest["kind"] == "sweep" and manifest["settings"]["spec"] == spec_path.read_text(encoding="utf-8")


def test_resume_refuses_a_directory_of_another_spec(tmp_path):
    spec_path = write_spec(tmp_path)
    out = tmp_path / "out"
    sw.sweep(sw.load_spec(spec_path), out, workers=0, progress=False)
    spec_path.write_text(spec_path.read_text(encoding="utf-8").replace("samples = 3", "samples = 4"), encoding="utf-8")
    with pytest.raises(InputError, match="different sweep"):
        sw.sweep(sw.load_spec(spec_path), out, workers=0, resume=True, progress=False)


def test_a_failing_run_is_recorded_and_the_others_finish(tmp_path, monkeypatch):
    spec = sw.load_spec(write_spec(tmp_path))
    bad_seed = sw.tasks(spec)[4].seed
    import sim.runner

    real_run = sim.runner.run

    def flaky(scenario, *args, **kwargs):
        if scenario.seed == bad_seed:
            raise RuntimeError("boom in the model")
        return real_run(scenario, *args, **kwargs)

    monkeypatch.setattr(sim.runner, "run", flaky)
    summary = sw.sweep(spec, tmp_path / "out", workers=0, progress=False)
    log = pd.read_csv(tmp_path / "out" / "runs.csv")
    assert summary["failed"] == 1 and summary["done"] == 11
    failed = log[log["status"] == "failed"]
    assert list(failed["seed"]) == [bad_seed] and "boom in the model" in failed["error"].iloc[0]
    monkeypatch.setattr(sim.runner, "run", real_run)
    again = sw.sweep(spec, tmp_path / "out", workers=0, resume=True, progress=False)
    assert again["ran"] == 1 and again["failed"] == 0


@pytest.mark.parametrize("change, key", [
    ('"assumptions.no.such_thing" = [1, 2]', "assumptions.no.such_thing"),
    ('"assumptions.training.pass_rate" = {low = 0.9, high = 0.9}', "parameters.assumptions.training.pass_rate"),
    ('"assumptions.training.pass_rate" = []', "parameters.assumptions.training.pass_rate"),
    ('"assumptions.training.pass_rate" = [1.5]', "assumptions.training.pass_rate"),
])
def test_bad_parameters_fail_before_any_run(tmp_path, change, key):
    text = SPEC.replace('"assumptions.training.pass_rate" = [0.7, 0.9]', change)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "sim.cli", "sweep", str(write_spec(tmp_path, text)), "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1 and "Traceback" not in proc.stderr
    assert key in proc.stderr, proc.stderr
    assert not out.exists()


def test_unknown_sampler_and_unreachable_scheduler_are_one_line_errors(tmp_path):
    bad = write_spec(tmp_path, SPEC.replace('method = "lhs"', 'method = "monte_carlo"'))
    with pytest.raises(InputError) as info:
        sw.load_spec(bad)
    assert info.value.key == "sampler.method"
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "sim.cli", "sweep", str(write_spec(tmp_path)), "--out", str(out),
                           "--scheduler", "tcp://127.0.0.1:9"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--scheduler" in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert not out.exists()


def test_run_replicates_give_identical_tables_whatever_the_number_of_workers(tmp_path, capsys):
    """`sim run --replicates 3` on 1 or 2 worker processes (or in-process): the same tables, rows in replicate order."""
    from sim.cli import main

    tables = {}
    for workers in (1, 2, 0):
        out = tmp_path / f"w{workers}"
        assert main(["run", "baseline", "--scale", "200", "--replicates", "3", "--seed", "5", "--set", "run.end=2021-12",
                     "--workers", str(workers), "--no-charts", "--out", str(out)]) == 0
        tables[workers] = {name: pd.read_parquet(out / f"{name}.parquet") for name in ("annual", "monthly")}
        assert list(tables[workers]["annual"]["replicate"].drop_duplicates()) == [0, 1, 2]
    assert "replicate 3/3 done" in capsys.readouterr().err
    for name in ("annual", "monthly"):
        pd.testing.assert_frame_equal(tables[1][name], tables[2][name])
        pd.testing.assert_frame_equal(tables[1][name], tables[0][name])
    seeds = tables[2]["annual"].groupby("replicate")["seed"].first()
    assert list(seeds) == [5, 6, 7]
    assert not tables[2]["annual"].groupby("replicate")["value"].sum().duplicated().any(), "replicates must differ"


def test_bad_workers_for_run_is_one_line_exit_2(tmp_path, capsys):
    from sim.cli import main

    assert main(["run", "baseline", "--workers", "-1", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--workers" in err and "-1" in err
    assert not (tmp_path / "o").exists()
