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
# Test-only system packages, installed when missing and we are root (else those checks are skipped):
# NSIS checks the Windows installer script; Xvfb and Qt's xcb libraries run one real-window smoke test.
if [ "$(id -u)" -eq 0 ]; then
    test_pkgs=()
    for pkg in nsis xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
               libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || test_pkgs+=("$pkg")
    done
    if [ ${#test_pkgs[@]} -gt 0 ]; then
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${test_pkgs[@]}"; } >/dev/null 2>&1 \
            || echo "Could not install ${test_pkgs[*]}: the installer-script and Xvfb checks will be skipped."
    fi
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
