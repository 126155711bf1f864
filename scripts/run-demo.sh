#!/usr/bin/env bash
# Set up (if needed), create the demo database once, and open the app on it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p demo
if [ ! -f demo/demo.iaptdb ]; then
    .venv/bin/iapt-desktop demo --db demo/demo.iaptdb --patients 400 --months 18 --seed 1
fi
exec .venv/bin/iapt-desktop --db demo/demo.iaptdb "$@"
