#!/usr/bin/env bash
# Set up (if needed) and run every check: ruff, the import contracts, the tests.
# Fails when any check fails or when no test ran (pytest exits 5 then).
#   bash scripts/test.sh            the normal run (what CI runs)
#   bash scripts/test.sh --bundle   also build the PyInstaller bundle and start it offscreen
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=0
if [ "${1:-}" = "--bundle" ]; then
    bundle=1
    shift
fi
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
echo "== ruff"
.venv/bin/ruff check .
echo "== import contracts"
.venv/bin/lint-imports
echo "== pytest"
.venv/bin/python -m pytest -q "$@"
if [ "$bundle" = 1 ]; then
    echo "== frozen bundle"
    .venv/bin/python -m pip install -q "pyinstaller==6.22.*"
    .venv/bin/python -m pytest -q -m bundle -s tests/installer
fi
