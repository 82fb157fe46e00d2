#!/usr/bin/env bash
# Render a report (sim report ... --out REPORT.html) in headless Chromium and save a screenshot, to look
# at it as a reader would. The tests do the same (tests/test_report.py) and check it is not blank.
#     scripts/screenshot_report.sh report.html report.png [HEIGHT]
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 REPORT.html OUT.png [HEIGHT (default 3000)]" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "screenshot_report: no Chromium found; install Debian's chromium (make setup does it as root)" >&2; exit 2; }
[ -f "$1" ] || { echo "screenshot_report: $1: no such file" >&2; exit 2; }
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="1400,${3:-3000}" \
  --screenshot="$(realpath -m "$2")" "file://$(realpath "$1")" 2>/dev/null
echo "wrote $2"
