"""The Linux tarball's install.sh: program, menu entry, icons and the .iaptdb file type, and --uninstall."""

from __future__ import annotations

import configparser
import importlib.util
import os
import shutil
import subprocess
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree

import pytest

from iapt_desktop.ui.open_database import DATABASE_SUFFIX

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "installer" / "linux"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("installer_build", ROOT / "installer" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def desktop_entry(path: Path) -> configparser.SectionProxy:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(path, encoding="utf-8")
    return entry["Desktop Entry"]


def declared_mime_type() -> str:
    types = [t for t in desktop_entry(LINUX / "iapt-desktop.desktop")["MimeType"].split(";") if t]
    assert len(types) == 1
    return types[0]


def test_the_mime_package_declares_the_desktop_entrys_type_for_iaptdb_files() -> None:
    # Our own file, not user input: the standard library parser is fine here.
    root = ElementTree.parse(LINUX / "iapt-desktop-mime.xml").getroot()  # noqa: S314
    assert root.tag == f"{MIME_NS}mime-info"
    (mime_type,) = root.findall(f"{MIME_NS}mime-type")
    assert mime_type.get("type") == declared_mime_type()
    assert [g.get("pattern") for g in mime_type.findall(f"{MIME_NS}glob")] == [f"*{DATABASE_SUFFIX}"]
    assert mime_type.find(f"{MIME_NS}icon").get("name") == desktop_entry(LINUX / "iapt-desktop.desktop")["Icon"]


@pytest.fixture
def staged(tmp_path: Path) -> Path:
    """The tarball's folder as build.py stages it, around a stand-in for the PyInstaller bundle."""
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    program = bundle / "iapt-desktop"
    program.write_text("#!/bin/sh\necho stand-in\n", encoding="utf-8")
    program.chmod(0o755)
    return build_script().stage_linux(bundle, ROOT, tmp_path / "iapt-desktop-0.1.0")


def run_install(staged: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": os.environ["PATH"], "LANG": "C.UTF-8"}
    return subprocess.run(["sh", str(staged / "install.sh"), *args], env=env, capture_output=True, text=True,
                          check=False, timeout=120)


def test_the_staged_folder_holds_the_icons_rendered_from_the_one_source(staged: Path) -> None:
    app = ROOT / "resources" / "app"
    assert (staged / "iapt-desktop.svg").read_bytes() == (app / "iapt-desktop.svg").read_bytes()
    assert (staged / "iapt-desktop-256.png").read_bytes() == (app / "iapt-desktop-256.png").read_bytes()
    assert os.access(staged / "install.sh", os.X_OK)


def test_install_registers_the_file_type_and_uninstall_removes_everything_but_the_data(
        staged: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    share = home / ".local" / "share"
    data = share / "IAPT Desktop" / "iapt-desktop.iaptdb"
    data.parent.mkdir(parents=True)
    data.write_bytes(b"the user's records")

    done = run_install(staged, home)
    assert done.returncode == 0, done.stderr
    launcher = home / ".local" / "bin" / "iapt-desktop"
    assert subprocess.run([str(launcher)], capture_output=True, text=True, check=True).stdout == "stand-in\n"
    entry = desktop_entry(share / "applications" / "iapt-desktop.desktop")
    assert entry["Exec"] == f"{launcher} %f" and entry["MimeType"] == f"{declared_mime_type()};"
    assert (share / "mime" / "packages" / "iapt-desktop.xml").read_bytes() == \
        (LINUX / "iapt-desktop-mime.xml").read_bytes()
    for size in (16, 32, 48, 256):
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "iapt-desktop.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "iapt-desktop.svg").is_file()
    if shutil.which("update-mime-database"):  # the database the desktop reads: *.iaptdb -> our type
        globs = (share / "mime" / "globs2").read_text(encoding="utf-8")
        assert f"{declared_mime_type()}:*{DATABASE_SUFFIX}" in globs

    done = run_install(staged, home, "--uninstall")
    assert done.returncode == 0, done.stderr
    assert not launcher.exists() and not launcher.is_symlink()
    assert not (share / "iapt-desktop-app").exists()
    assert not (share / "applications" / "iapt-desktop.desktop").exists()
    assert not (share / "mime" / "packages" / "iapt-desktop.xml").exists()
    assert not list((share / "icons").rglob("iapt-desktop.*"))
    if shutil.which("update-mime-database"):
        assert declared_mime_type() not in (share / "mime" / "globs2").read_text(encoding="utf-8")
    assert data.read_bytes() == b"the user's records"
