"""Every command that writes a file or a folder checks where first and says what to fix (cli.output_paths)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iapt_desktop.cli import main
from iapt_desktop.cli.database_access import DEMO_PASSWORD, PASSWORD_ENVIRONMENT_VARIABLE


@pytest.fixture(scope="module")
def encrypted_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.iaptdb"
    assert main(["demo", "--db", str(path), "--patients", "6", "--months", "2", "--as-of", "2025-06-15",
                 "--password-file", str(_password_file(path.parent))]) == 0
    return path


def _password_file(folder: Path) -> Path:
    file = folder / "password.txt"
    file.write_text(DEMO_PASSWORD + "\n", encoding="utf-8")
    return file


@pytest.fixture(autouse=True)
def demo_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENVIRONMENT_VARIABLE, DEMO_PASSWORD)


@pytest.mark.parametrize("command", [
    ["export-tables", "--out", "{missing}/tables.xlsx"],
    ["export-tables", "--out", "{missing}/tables"],
    ["submission", "--period", "2025-05", "--out", "{missing}/package"],
    ["audit", "--out", "{missing}/trail.csv"],
    ["validate", "--period", "2025-05", "--out", "{missing}/findings.json"],
    ["metrics", "--from", "2025-04-01", "--to", "2025-05-31", "--out", "{missing}/m.xlsx"],
])
def test_a_missing_folder_is_named_with_how_to_fix_it_and_nothing_is_made(
        encrypted_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    missing = tmp_path / "no" / "such"
    arguments = [part.format(missing=missing) for part in command]
    assert main([arguments[0], "--db", str(encrypted_demo), *arguments[1:]]) != 0
    err = capsys.readouterr().err
    assert f"The folder {missing} does not exist" in err and "mkdir" in err, err
    assert "Errno" not in err
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(("command", "expected"), [
    (["export-tables", "--out", "{tmp}/tables.json"], "names a file, not a folder"),
    (["audit", "--out", "{tmp}/trail.json"], "as .csv or .xlsx"),
    (["validate", "--period", "2025-05", "--format", "text", "--out", "{tmp}/f.xlsx"], "does not fit --format text"),
    (["metrics", "--from", "2025-04-01", "--to", "2025-05-31", "--format", "xlsx", "--out", "{tmp}/m.txt"],
     "does not fit --format xlsx"),
])
def test_an_extension_that_does_not_fit_is_refused(encrypted_demo: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str], command: list[str],
                                                   expected: str) -> None:
    arguments = [part.format(tmp=tmp_path) for part in command]
    assert main([arguments[0], "--db", str(encrypted_demo), *arguments[1:]]) != 0
    assert expected in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_new_package_or_tables_folder_is_made_in_a_folder_that_exists(encrypted_demo: Path, tmp_path: Path) -> None:
    assert main(["export-tables", "--db", str(encrypted_demo), "--out", str(tmp_path / "tables")]) == 0
    assert (tmp_path / "tables" / "IDS101Referral.csv").exists()
