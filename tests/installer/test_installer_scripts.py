"""The installer recipes: the NSIS script compiles, the desktop entry and spec are well-formed."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (Debian package nsis) is not installed")
def test_makensis_accepts_the_windows_installer_script(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "iapt-desktop.exe").write_bytes(b"MZ stand-in for the PyInstaller executable")
    (bundle / "_internal" / "resources.txt").write_text("stand-in", encoding="utf-8")
    out = tmp_path / "IAPT-Desktop-test-setup.exe"
    result = subprocess.run(
        ["makensis", "-V2", "-WX", "-DVERSION=0.1.0", f"-DBUNDLE_DIR={bundle}", f"-DOUTFILE={out}",
         "iapt-desktop.nsi"],
        cwd=INSTALLER / "windows", capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.stat().st_size > 50_000
    assert out.read_bytes()[:2] == b"MZ"


def test_nsis_script_keeps_user_data_unless_asked() -> None:
    script = (INSTALLER / "windows" / "iapt-desktop.nsi").read_text(encoding="utf-8")
    assert 'Section /o "un.My data' in script  # data removal is opt-in
    assert "RequestExecutionLevel user" in script
    assert 'Software\\Classes\\${DB_EXTENSION}' in script


def test_linux_desktop_entry_is_valid() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(INSTALLER / "linux" / "iapt-desktop.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Name"] == "IAPT Desktop"
    assert section["Exec"].startswith("iapt-desktop")
    assert section["Icon"] == "iapt-desktop"
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(INSTALLER / "linux" / "iapt-desktop.desktop")], check=True)


def test_the_icon_exists_in_every_format_the_installers_use() -> None:
    app = ROOT / "resources" / "app"
    for name in ("iapt-desktop.svg", "iapt-desktop.png", "iapt-desktop.ico", "iapt-desktop-256.png"):
        assert (app / name).stat().st_size > 0, name
