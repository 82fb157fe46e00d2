#!/usr/bin/env bash
# Create .venv with a Python >= 3.12 and install the project with its test extra.
# Safe to run again: it reinstalls only when pyproject.toml changed.
# Looks for Python in this order: $PYTHON, python3.13, python3.12, python3 (if new enough),
# pyenv-installed versions, uv-managed versions. Exits 2 with one line if none is found.
# System packages: Debian's fonts-noto-cjk (Chinese glyphs in charts and `sim report --lang zh`) and
# chromium (renders the report headless in the tests) are installed with apt-get when missing and
# running as root; otherwise one line says what to install (charts then use the mplfonts font and
# the rendering test is skipped). Nothing is done when they are already installed.
set -euo pipefail
cd "$(dirname "$0")/.."

is_ok() {  # is "$1" a Python >= 3.12?
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  local c
  for c in "${PYTHON:-}" python3.13 python3.12 python3; do
    [ -n "$c" ] && command -v "$c" >/dev/null 2>&1 && is_ok "$c" && { command -v "$c"; return; }
  done
  for c in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 \
           "$HOME"/.local/share/uv/python/cpython-3.1[2-9]*/bin/python3; do
    [ -x "$c" ] && is_ok "$c" && { echo "$c"; return; }
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! is_ok .venv/bin/python; then
  py=$(find_python) || { echo "bootstrap: no Python >= 3.12 found; install one (e.g. 'pyenv install 3.12') or set PYTHON=/path/to/python3.12" >&2; exit 2; }
  echo "bootstrap: creating .venv with $py ($("$py" -V))"
  rm -rf .venv
  "$py" -m venv .venv
fi

stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "bootstrap: installing the project and its dependencies into .venv"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[test]"
  touch "$stamp"
fi

SYSTEM_PACKAGES=(fonts-noto-cjk chromium)
missing_system_packages() {
  local p
  for p in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  missing=$(missing_system_packages | xargs)
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "bootstrap: installing Debian packages: $missing"
      if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
               --no-install-recommends $missing; } >.venv/apt-get.log 2>&1; then
        echo "bootstrap: apt-get could not install $missing (see .venv/apt-get.log); charts use the mplfonts font and the report rendering test is skipped" >&2
      fi
    else
      echo "bootstrap: not root, so not installing $missing; run: sudo apt-get install $missing (charts use the mplfonts font meanwhile)" >&2
    fi
  fi
else
  echo "bootstrap: no apt-get here; install a CJK font (Noto Sans CJK SC) and Chromium yourself for Chinese charts and the report rendering test (charts use the mplfonts font meanwhile)" >&2
fi
