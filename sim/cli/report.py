"""`sim report`: one self-contained HTML report of run, sweep or compare directories."""

from __future__ import annotations

import time
from pathlib import Path


def add_parser(sub) -> None:
    rp = sub.add_parser("report", help="one self-contained HTML report (tables, charts, measures, assumptions, sources)")
    rp.add_argument("dirs", nargs="+", type=Path, metavar="RUN_OR_SWEEP_DIR",
                    help="run, sweep or compare directories (sim run / sim sweep / sim compare)")
    rp.add_argument("--out", type=Path, default=Path("report.html"), help="the HTML file to write (default report.html)")
    rp.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of labels, titles and headers")


def handle(args) -> int:
    from ..report import write_report

    t0 = time.time()
    out = write_report(args.dirs, args.out, args.lang)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, self-contained; open it in any browser) "
          f"in {time.time() - t0:.1f} s")
    return 0
