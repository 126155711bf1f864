"""The installer recipes: the NSIS script compiles, the desktop entry and spec are well-formed."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"


def stand_in_bundle(folder: Path, *executables: str) -> Path:
    (folder / "_internal").mkdir(parents=True)
    for name in executables:
        (folder / name).write_bytes(b"MZ stand-in for a PyInstaller executable")
    (folder / "_internal" / "resources.txt").write_text("stand-in", encoding="utf-8")
    return folder


def makensis(bundle: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["makensis", "-V2", "-WX", "-DVERSION=0.1.0", f"-DBUNDLE_DIR={bundle}", f"-DOUTFILE={out}",
         "iapt-desktop.nsi"],
        cwd=INSTALLER / "windows", capture_output=True, text=True, check=False,
    )


needs_makensis = pytest.mark.skipif(shutil.which("makensis") is None,
                                    reason="makensis (Debian package nsis) is not installed")


@needs_makensis
def test_makensis_accepts_the_windows_installer_script(tmp_path: Path) -> None:
    bundle = stand_in_bundle(tmp_path / "bundle", "iapt-desktop.exe", "iapt-desktop-cli.exe")
    out = tmp_path / "IAPT-Desktop-test-setup.exe"
    result = makensis(bundle, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.stat().st_size > 50_000
    assert out.read_bytes()[:2] == b"MZ"


@needs_makensis
def test_the_installer_refuses_a_bundle_without_the_console_executable(tmp_path: Path) -> None:
    """Without iapt-desktop-cli.exe every command would print nothing in cmd and PowerShell."""
    bundle = stand_in_bundle(tmp_path / "bundle", "iapt-desktop.exe")
    result = makensis(bundle, tmp_path / "setup.exe")
    assert result.returncode != 0
    assert "has no iapt-desktop-cli.exe" in result.stdout + result.stderr


def test_the_windows_installer_installs_the_command_line_and_opens_databases_with_the_app() -> None:
    script = (INSTALLER / "windows" / "iapt-desktop.nsi").read_text(encoding="utf-8")
    assert '!define CLI_EXE_NAME "iapt-desktop-cli.exe"' in script
    assert 'command line.lnk" "$SYSDIR\\cmd.exe"' in script and '"${CLI_EXE_NAME}" --help' in script
    # The app takes the database as its argument (and explains a file that is not one).
    assert 'shell\\open\\command" "" \'"$INSTDIR\\${EXE_NAME}" "%1"\'' in script


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
