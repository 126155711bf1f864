"""The command line takes the password from --password-file or IAPT_DESKTOP_PASSWORD and says when it is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from iapt_desktop.cli import main as cli_main
from iapt_desktop.cli.database_access import DEMO_PASSWORD, PASSWORD_ENVIRONMENT_VARIABLE
from iapt_desktop.storage import keyfile
from iapt_desktop.storage.session import unlock


def _demo(path: Path) -> int:
    return cli_main(["demo", "--db", str(path), "--patients", "3", "--months", "1"])


def test_demo_without_a_password_uses_the_documented_demo_password_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv(PASSWORD_ENVIRONMENT_VARIABLE)
    path = tmp_path / "demo.db"
    assert _demo(path) == 0
    assert f"using the demo password '{DEMO_PASSWORD}'" in capsys.readouterr().err
    assert path.read_bytes()[:16] != b"SQLite format 3\x00"
    with unlock(path, "admin", DEMO_PASSWORD) as session:
        assert session.db.table("IDS001MPI").count == 3


def test_a_wrong_password_exits_non_zero_naming_the_password(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.db"
    assert _demo(path) == 0
    capsys.readouterr()
    monkeypatch.setenv(PASSWORD_ENVIRONMENT_VARIABLE, "this is not the password")
    assert cli_main(["export-tables", "--db", str(path), "--out", str(tmp_path / "out")]) == 1
    error = capsys.readouterr().err
    assert "password is wrong" in error and PASSWORD_ENVIRONMENT_VARIABLE in error
    assert not (tmp_path / "out").exists()


def test_the_password_file_is_read_and_a_missing_password_is_explained(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(PASSWORD_ENVIRONMENT_VARIABLE, "a service password 2025")
    path = tmp_path / "real.db"
    assert _demo(path) == 0
    assert "Recovery key" in capsys.readouterr().err  # a real password: the recovery key is shown once
    monkeypatch.delenv(PASSWORD_ENVIRONMENT_VARIABLE)
    assert cli_main(["audit", "--db", str(path), "--verify"]) == 1
    assert "password is needed" in capsys.readouterr().err
    secret = tmp_path / "password.txt"
    secret.write_text("a service password 2025\n")
    assert cli_main(["audit", "--db", str(path), "--verify", "--password-file", str(secret)]) == 0
    assert cli_main(["audit", "--db", str(path), "--verify", "--password-file", str(tmp_path / "none")]) == 1
    assert "cannot be read" in capsys.readouterr().err


def test_a_weak_password_is_refused_before_anything_is_created(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(PASSWORD_ENVIRONMENT_VARIABLE, "password1234")
    path = tmp_path / "weak.db"
    assert _demo(path) == 1
    assert "password cannot be used" in capsys.readouterr().err
    assert not path.exists() and not keyfile.keyfile_path(path).exists()


def test_a_missing_key_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.db"
    assert _demo(path) == 0
    keyfile.keyfile_path(path).rename(tmp_path / "elsewhere")
    assert cli_main(["audit", "--db", str(path)]) == 1
    assert "key file demo.db.keys is missing" in capsys.readouterr().err
