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
# makensis checks the Windows installer script; the check is skipped where NSIS cannot be installed.
if ! command -v makensis >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nsis >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nsis >/dev/null 2>&1; } \
        || echo "NSIS could not be installed: the installer-script check will be skipped."
fi
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
