"""Build the IAPT Desktop bundle for this operating system.

    python installer/build.py [--skip-installer]

- all: a one-dir PyInstaller bundle in dist/iapt-desktop/ (resources inside).
- Linux: dist/iapt-desktop-<version>-linux-x86_64.tar.gz with a .desktop file and icon.
- Windows: dist/IAPT-Desktop-<version>-setup.exe via NSIS (makensis must be on PATH).
- macOS: dist/IAPT Desktop.app (sign and notarise by hand: docs/release.md).
Prints the bundle's size.  PyInstaller cannot cross-build: run it on each OS.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
BUNDLE = DIST / "iapt-desktop"


def version() -> str:
    sys.path.insert(0, str(ROOT))
    import iapt_desktop

    return iapt_desktop.__version__


def folder_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def build_bundle() -> Path:
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(DIST), "--workpath", str(ROOT / "build" / "pyinstaller"),
         str(ROOT / "installer" / "iapt_desktop.spec")],
        check=True,
        cwd=ROOT,
    )
    return BUNDLE


def linux_tarball(bundle: Path) -> Path:
    staging = ROOT / "build" / "linux-staging" / f"iapt-desktop-{version()}"
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(bundle, staging / "iapt-desktop", symlinks=True)
    shutil.copy(ROOT / "installer" / "linux" / "iapt-desktop.desktop", staging)
    shutil.copy(ROOT / "installer" / "linux" / "install.sh", staging)
    shutil.copy(ROOT / "resources" / "app" / "iapt-desktop-256.png", staging / "iapt-desktop.png")
    target = DIST / f"iapt-desktop-{version()}-linux-x86_64.tar.gz"
    with tarfile.open(target, "w:gz") as archive:
        archive.add(staging, arcname=staging.name)
    return target


def windows_installer(bundle: Path) -> Path:
    makensis = shutil.which("makensis")
    if makensis is None:
        raise SystemExit("makensis (NSIS) is not on PATH: install NSIS 3 to build the Windows installer.")
    target = DIST / f"IAPT-Desktop-{version()}-setup.exe"
    subprocess.run(
        [makensis, "-V2", f"-DVERSION={version()}", f"-DBUNDLE_DIR={bundle}", f"-DOUTFILE={target}",
         str(ROOT / "installer" / "windows" / "iapt-desktop.nsi")],
        check=True,
    )
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-installer", action="store_true", help="build the bundle only")
    args = parser.parse_args()
    bundle = build_bundle()
    print(f"bundle: {bundle} ({folder_size_mb(bundle):.0f} MB)")
    if args.skip_installer:
        return 0
    if sys.platform.startswith("linux"):
        target = linux_tarball(bundle)
    elif sys.platform == "win32":
        target = windows_installer(bundle)
    else:
        target = DIST / "IAPT Desktop.app"
    print(f"package: {target} ({(target.stat().st_size / 1e6 if target.is_file() else folder_size_mb(target)):.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
