"""Build the PyInstaller bundle and start it offscreen: the frozen app runs and finds its resources.

Slow (a minute or two): marked ``bundle``; scripts/test.sh runs it when PyInstaller is installed
(``bash scripts/test.sh --bundle``), the normal run leaves it out.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.bundle


def test_linux_bundle_builds_and_takes_a_screenshot_of_the_main_window(tmp_path: Path) -> None:
    pytest.importorskip("PyInstaller")
    build = subprocess.run(
        [sys.executable, "installer/build.py"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-4000:]
    executable = ROOT / "dist" / "iapt-desktop" / "iapt-desktop"
    assert executable.exists()
    size_mb = sum(f.stat().st_size for f in executable.parent.rglob("*") if f.is_file()) / 1e6
    print(f"bundle size: {size_mb:.0f} MB")
    assert size_mb < 400
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    database = tmp_path / "demo.iaptdb"
    demo = subprocess.run(
        [str(executable), "demo", "--db", str(database), "--patients", "30", "--months", "6"],
        env=env, capture_output=True, text=True, check=False, timeout=300,
    )
    assert demo.returncode == 0, demo.stderr[-3000:]
    picture = tmp_path / "main-window.png"
    shot = subprocess.run(
        [str(executable), "--db", str(database), "--screenshot", str(picture)],
        env=env, capture_output=True, text=True, check=False, timeout=300,
    )
    assert shot.returncode == 0, shot.stderr[-3000:]
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert picture.stat().st_size > 20_000
