"""Build the PyInstaller bundle from a fresh clone and start it offscreen: the frozen app runs and finds its
resources, opens a database given as its argument (as the desktop entry does), and needs no newer glibc than
docs/install.md promises.

Slow (a few minutes): marked ``bundle``; scripts/test.sh runs it when PyInstaller is installed
(``bash scripts/test.sh --bundle``), the normal run leaves it out. It builds the committed HEAD
(``installer/build.py --from-clone``): commit before running it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.installer.test_build_script import build_script
from tests.installer.test_release_docs import documented_glibc

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.bundle


def test_linux_bundle_builds_from_a_fresh_clone_and_takes_a_screenshot_of_the_main_window(tmp_path: Path) -> None:
    pytest.importorskip("PyInstaller")
    build = subprocess.run(
        [sys.executable, "installer/build.py", "--from-clone"], cwd=ROOT, capture_output=True, text=True,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-4000:]
    assert "building from a fresh clone" in build.stdout
    print(build.stdout)
    bundle = ROOT / "dist" / "iapt-desktop"
    executable = bundle / "iapt-desktop"
    assert executable.exists()
    size_mb = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file()) / 1e6
    print(f"bundle size: {size_mb:.0f} MB")
    assert size_mb < 400

    needed = build_script().required_glibc(bundle)
    assert needed is not None
    assert tuple(int(p) for p in needed[0].split(".")) <= documented_glibc(), (
        f"the bundle needs glibc {needed[0]} ({', '.join(f.name for f in needed[1])}); docs/install.md promises "
        "less: build on an older base or correct the page (docs/release.md)")

    version = build_script().version()
    with tarfile.open(ROOT / "dist" / f"iapt-desktop-{version}-linux-x86_64.tar.gz") as archive:
        names = set(archive.getnames())
    for name in ("install.sh", "iapt-desktop.desktop", "iapt-desktop-mime.xml", "iapt-desktop.svg",
                 "iapt-desktop/iapt-desktop"):
        assert f"iapt-desktop-{version}/{name}" in names, name

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("IAPT_DESKTOP_PASSWORD", None)
    database = tmp_path / "demo.iaptdb"
    demo = subprocess.run(
        [str(executable), "demo", "--db", str(database), "--patients", "30", "--months", "6"],
        env=env, capture_output=True, text=True, check=False, timeout=300,
    )
    assert demo.returncode == 0, demo.stderr[-3000:]
    picture = tmp_path / "main-window.png"
    shot = subprocess.run(
        [str(executable), str(database), "--screenshot", str(picture)],  # Exec=iapt-desktop %f
        env=env, capture_output=True, text=True, check=False, timeout=300,
    )
    assert shot.returncode == 0, shot.stderr[-3000:]
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert picture.stat().st_size > 20_000
