"""`sim report` and the chart style: a self-contained bilingual HTML report, charts as PNG and SVG.

Contract: the report is one HTML file with every chart embedded and no network reference; it has the
target table, a chart per targeted indicator, the measures and their timetable, the assumptions and
the sources; with --lang zh its labels are Chinese. Bad input (missing or wrong directory, bad
--lang, --out a folder, no CJK font) is one line on stderr, exit 2, and no file. When Chromium is
installed, the report is rendered headless and the screenshot must not be blank.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from sim import cli
from sim.charts import style
from sim.indicators import INDICATORS

SWEEP_SPEC = """name = "tiny"
base = "plan_2025"
replicates = 1
scale = 800
seed = 1
[sampler]
method = "grid"
[parameters]
"assumptions.outside_market.wage_premium" = [0.4, 0.6]
"""


def sim(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, "-m", "sim.cli", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def dirs(tmp_path_factory) -> dict[str, Path]:
    """A run of baseline and plan_2025, a two-run sweep and a comparison of both (small and fast)."""
    root = tmp_path_factory.mktemp("report")
    assert cli.main(["run", "baseline", "plan_2025", "--scale", "400", "--replicates", "2",
                     "--out", str(root / "run"), "--no-charts"]) == 0
    (root / "tiny.toml").write_text(SWEEP_SPEC, encoding="utf-8")
    assert cli.main(["sweep", str(root / "tiny.toml"), "--out", str(root / "sweep"), "--workers", "0"]) == 0
    assert cli.main(["compare", str(root / "run"), str(root / "sweep"), "--out", str(root / "compare"),
                     "--no-charts"]) == 0
    return {"root": root, "run": root / "run", "sweep": root / "sweep", "compare": root / "compare"}


@pytest.fixture(scope="module")
def zh_report(dirs) -> Path:
    out = dirs["root"] / "report_zh.html"
    assert cli.main(["report", str(dirs["run"]), "--out", str(out), "--lang", "zh"]) == 0
    return out


def test_zh_report_is_self_contained_and_chinese(zh_report):
    text = zh_report.read_text(encoding="utf-8")
    assert not re.search(r"https?://", text), "no network references"
    assert not re.search(r"<(script|link|iframe)\b", text), "no scripts or linked resources"
    targeted = [i for i in INDICATORS if i.targeted]
    assert text.count('src="data:image/png;base64,') >= len(targeted) + 1      # a chart per target + timetable
    for ind in targeted:
        assert f'id="chart-{ind.id}"' in text and ind.name_zh in text
    for heading in ("规划目标", "达成概率", "差距", "政策措施与实施时间表", "所用假设", "目标出处", "基准情景",
                    "镇级人力资源市场"):
        assert heading in text
    assert "[003] 专栏2 row 12" in text                                          # every target's source clause


def test_en_report_from_a_compare_directory_covers_its_run_and_sweep(dirs, tmp_path):
    out = tmp_path / "r.html"
    assert cli.main(["report", str(dirs["compare"]), "--out", str(out), "--lang", "en"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Targets: projected versus planned" in text and "Urban new employment" in text
    assert "plan_2025" in text and "tiny" in text                                  # the run's and the sweep's scenarios
    assert "swept [0.4, 0.6]" in text and "outside_market.wage_premium" in text          # the swept assumption and its values


@pytest.mark.parametrize("case, args, says", [
    ("missing directory", ["NOPE"], "NOPE: no such directory"),
    ("not a run or sweep", ["EMPTY"], "not a run directory"),
    ("bad --lang", ["RUN", "--lang", "fr"], "--lang"),
    ("--out is a folder", ["RUN", "--out", "EMPTY"], "is a directory"),
    ("--out in a missing folder", ["RUN", "--out", "no/such/r.html"], "does not exist"),
])
def test_bad_input_is_one_line_exit_2_and_no_file(dirs, tmp_path, monkeypatch, capsys, case, args, says):
    (tmp_path / "EMPTY").mkdir()
    monkeypatch.chdir(tmp_path)
    args = [str(dirs["run"]) if a == "RUN" else a for a in args]
    if "--out" not in args:
        args += ["--out", "r.html"]
    assert cli.main(["report", *args]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and says in lines[0] and lines[0].startswith("sim: error: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["EMPTY"]               # nothing written, no temp file


def test_a_damaged_run_directory_is_named_in_one_line(dirs, tmp_path, capsys):
    damaged = tmp_path / "run"
    shutil.copytree(dirs["run"], damaged)
    (damaged / "annual.parquet").write_text("not parquet")
    assert cli.main(["report", str(damaged), "--out", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(damaged) in err[0] and "cannot read" in err[0]
    assert not (tmp_path / "r.html").exists()


def test_the_command_line_entry_point_prints_no_traceback(tmp_path):
    proc = sim("report", "NOPE", "--out", "r.html", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.strip() == (
        "sim: error: NOPE: no such directory; give run, sweep or compare directories "
        "(written by sim run, sim sweep, sim compare)")
    assert not list(tmp_path.iterdir())


def test_zh_without_a_cjk_font_says_how_to_install_one(dirs, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(style, "cjk_font", lambda: None)
    assert cli.main(["report", str(dirs["run"]), "--out", str(tmp_path / "r.html"), "--lang", "zh"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "fonts-noto-cjk" in err[0]
    assert not list(tmp_path.iterdir())


def test_style_saves_png_and_svg_atomically_with_chinese_glyphs(tmp_path):
    assert style.cjk_font() is not None, "a CJK font must be available (fonts-noto-cjk or mplfonts)"
    with style.figure("zh") as (fig, ax):
        style.band(ax, [2020, 2021, 2022], {0.1: [1, 2, 3], 0.25: [1.5, 2.5, 3.5], 0.5: [2, 3, 4],
                                            0.75: [2.5, 3.5, 4.5], 0.9: [3, 4, 5]}, style.COLOURS[0], "规划")
        style.mark_base(ax, 2020, 2, "persons", "zh")
        style.target_line(ax, [2022], 5, ">=", "[003] 专栏2 row 12 技能人才总量达42万人", "persons", "zh")
        style.met_marker(ax, 2022, 4, 0.2, "zh")
        paths = style.save(fig, tmp_path / "chart")
    assert [p.name for p in paths] == ["chart.png", "chart.svg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png", "chart.svg"]
    assert paths[0].stat().st_size > 10_000 and "<svg" in paths[1].read_text()


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(_chromium() is None,
                    reason="Chromium not installed (Debian: apt-get install chromium; make setup does it as root)")
def test_report_renders_in_headless_chromium(zh_report, tmp_path):
    shot = tmp_path / "report.png"
    t0 = time.time()
    subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--screenshot={shot}", "--window-size=1400,3000", zh_report.as_uri()],
                   capture_output=True, timeout=120, cwd=tmp_path)
    assert shot.is_file(), "Chromium wrote no screenshot"
    from PIL import Image

    pixels = np.asarray(Image.open(shot).convert("L"), dtype=float)
    assert pixels.shape == (3000, 1400)
    assert pixels.std() > 20 and (pixels < 128).mean() > 0.01, "the screenshot is blank"
    assert time.time() - t0 < 60
