"""Build the IAPT Desktop bundle for this operating system.

    python installer/build.py [--skip-installer] [--from-clone [REVISION]]
    python installer/build.py --report-glibc      (the glibc the Linux bundle in dist/ needs)

- all: a one-dir PyInstaller bundle in dist/iapt-desktop/ (resources inside).
  Windows: two executables in it, iapt-desktop.exe (the app, no console) and iapt-desktop-cli.exe (commands).
- Linux: dist/iapt-desktop-<version>-linux-x86_64.tar.gz with a .desktop file, MIME type, icons, install.sh;
  prints the newest glibc symbol version the bundle needs (the oldest Linux it runs on).
- Windows: dist/IAPT-Desktop-<version>-setup.exe via NSIS (makensis must be on PATH).
- macOS: dist/IAPT Desktop.app (sign and notarise by hand: docs/release.md).
--from-clone builds from a fresh `git clone` of this repository (HEAD, or REVISION) in a temporary folder,
so only committed files go in; the output still lands in this checkout's dist/.
Prints the bundle's size.  PyInstaller cannot cross-build: run it on each OS.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
BUNDLE_NAME = "iapt-desktop"
# A versioned symbol reference in an ELF file's dynamic string table: "GLIBC_2.36\0".
GLIBC_REFERENCE = re.compile(rb"GLIBC_(2\.[0-9]+(?:\.[0-9]+)?)\x00")


def version(source: Path = ROOT) -> str:
    """``__version__`` of the source tree being built (read, not imported: it may be a clone)."""
    text = (source / "iapt_desktop" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if found is None:
        raise SystemExit(f"No __version__ in {source / 'iapt_desktop' / '__init__.py'}")
    return found.group(1)


def folder_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def fresh_clone(revision: str, into: Path) -> Path:
    """A clean `git clone` of this repository at ``revision``: what is committed, nothing else."""
    source = into / "source"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(source)], check=True)
    if revision != "HEAD":
        subprocess.run(["git", "-C", str(source), "checkout", "--quiet", "--detach", revision], check=True)
    commit = subprocess.run(["git", "-C", str(source), "rev-parse", "--short", "HEAD"], check=True,
                            capture_output=True, text=True).stdout.strip()
    print(f"building from a fresh clone of {ROOT} at {commit}")
    return source


def build_bundle(source: Path = ROOT, dist: Path = DIST, work: Path | None = None) -> Path:
    """Run PyInstaller on ``source``'s spec; ``source`` goes first on the import path, so its own
    iapt_desktop package is bundled even when another checkout is installed in the environment."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(source), env.get("PYTHONPATH", "")) if p)
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work or source / "build" / "pyinstaller"),
         str(source / "installer" / "iapt_desktop.spec")],
        check=True,
        cwd=source,
        env=env,
    )
    return dist / BUNDLE_NAME


def is_elf(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(4) == b"\x7fELF"


def required_glibc(bundle: Path) -> tuple[str, list[Path]] | None:
    """The newest ``GLIBC_x.y`` symbol version any executable or library in ``bundle`` refers to, and the
    files that need it (None when nothing refers to glibc). The bundle runs on that glibc or later."""
    needs: dict[tuple[int, ...], list[Path]] = {}
    for path in sorted(p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()):
        if not is_elf(path):
            continue
        found = {tuple(int(part) for part in m.decode().split(".")) for m in GLIBC_REFERENCE.findall(path.read_bytes())}
        if found:
            needs.setdefault(max(found), []).append(path)
    if not needs:
        return None
    newest = max(needs)
    return ".".join(map(str, newest)), needs[newest]


def report_glibc(bundle: Path) -> None:
    needed = required_glibc(bundle)
    if needed is None:
        print("glibc: no ELF file in the bundle refers to glibc")
        return
    release, files = needed
    print(f"needs glibc {release} or later (newest symbol version, in: {', '.join(f.name for f in files)})")


def stage_linux(bundle: Path, source: Path, staging: Path) -> Path:
    """The folder the Linux tarball holds: the bundle, install.sh, the desktop entry, MIME type and icons."""
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(bundle, staging / BUNDLE_NAME, symlinks=True)
    linux = source / "installer" / "linux"
    for name in ("iapt-desktop.desktop", "install.sh", "iapt-desktop-mime.xml"):
        shutil.copy(linux / name, staging / name)
    (staging / "install.sh").chmod(0o755)
    app_icons = source / "resources" / "app"
    shutil.copy(app_icons / "iapt-desktop.svg", staging / "iapt-desktop.svg")
    for size in (16, 32, 48, 256):
        shutil.copy(app_icons / f"iapt-desktop-{size}.png", staging / f"iapt-desktop-{size}.png")
    return staging


def linux_tarball(bundle: Path, source: Path, dist: Path, work: Path) -> Path:
    staging = stage_linux(bundle, source, work / "linux-staging" / f"iapt-desktop-{version(source)}")
    target = dist / f"iapt-desktop-{version(source)}-linux-x86_64.tar.gz"
    with tarfile.open(target, "w:gz") as archive:
        archive.add(staging, arcname=staging.name)
    return target


def windows_installer(bundle: Path, source: Path, dist: Path) -> Path:
    makensis = shutil.which("makensis")
    if makensis is None:
        raise SystemExit("makensis (NSIS) is not on PATH: install NSIS 3 to build the Windows installer.")
    target = dist / f"IAPT-Desktop-{version(source)}-setup.exe"
    subprocess.run(
        [makensis, "-V2", f"-DVERSION={version(source)}", f"-DBUNDLE_DIR={bundle}", f"-DOUTFILE={target}",
         str(source / "installer" / "windows" / "iapt-desktop.nsi")],
        check=True,
    )
    return target


def build(source: Path, work: Path, skip_installer: bool) -> int:
    bundle = build_bundle(source, DIST, work / "pyinstaller")
    print(f"bundle: {bundle} ({folder_size_mb(bundle):.0f} MB)")
    if sys.platform.startswith("linux"):
        report_glibc(bundle)
    if skip_installer:
        return 0
    if sys.platform.startswith("linux"):
        target = linux_tarball(bundle, source, DIST, work)
    elif sys.platform == "win32":
        target = windows_installer(bundle, source, DIST)
    else:
        target = DIST / "IAPT Desktop.app"
    print(f"package: {target} ({(target.stat().st_size / 1e6 if target.is_file() else folder_size_mb(target)):.0f} MB)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-installer", action="store_true", help="build the bundle only")
    parser.add_argument("--from-clone", nargs="?", const="HEAD", default=None, metavar="REVISION",
                        help="build from a fresh git clone of this repository (default revision: HEAD)")
    parser.add_argument("--report-glibc", action="store_true",
                        help="only report the glibc the Linux bundle in dist/ needs")
    args = parser.parse_args()
    if args.report_glibc:
        if not (DIST / BUNDLE_NAME).is_dir():
            raise SystemExit(f"No bundle in {DIST / BUNDLE_NAME}: build it first.")
        report_glibc(DIST / BUNDLE_NAME)
        return 0
    if args.from_clone is None:
        return build(ROOT, ROOT / "build", args.skip_installer)
    with tempfile.TemporaryDirectory(prefix="iapt-desktop-build-") as scratch:
        source = fresh_clone(args.from_clone, Path(scratch))
        return build(source, Path(scratch) / "build", args.skip_installer)


if __name__ == "__main__":
    sys.exit(main())
