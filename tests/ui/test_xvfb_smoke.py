"""One real-window smoke test: the app starts on X11 (under Xvfb) and paints its main window.

Offscreen tests cannot catch missing xcb libraries; this one does. Skipped where Xvfb is not
installed (scripts/test.sh installs it on Debian when it runs as root).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iapt_desktop.domain.passwords import DEMO_PASSWORD


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="Xvfb is not installed")
def test_the_app_paints_its_main_window_on_a_real_x_server(tmp_path: Path) -> None:
    database = tmp_path / "demo.iaptdb"
    env = dict(os.environ, IAPT_DESKTOP_PASSWORD=DEMO_PASSWORD)
    made = subprocess.run(
        [sys.executable, "-m", "iapt_desktop", "demo", "--db", str(database), "--patients", "20", "--months", "4"],
        env=env, capture_output=True, text=True, check=False, timeout=300,
    )
    assert made.returncode == 0, made.stderr[-2000:]
    picture = tmp_path / "window.png"
    env["QT_QPA_PLATFORM"] = "xcb"
    shot = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1440x900x24", sys.executable, "-m", "iapt_desktop",
         "--db", str(database), "--screenshot", str(picture), "--view", "referral"],
        env=env, capture_output=True, text=True, check=False, timeout=300,
    )
    assert shot.returncode == 0, shot.stderr[-3000:]
    assert "Could not load the Qt platform plugin" not in shot.stderr
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert picture.stat().st_size > 50_000
