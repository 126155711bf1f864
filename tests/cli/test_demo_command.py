"""``iapt-desktop demo``: creates a demo database, refuses to overwrite one, lists planted faults."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from iapt_desktop.cli import main
from iapt_desktop.cli.database_access import open_existing
from iapt_desktop.domain.demo_faults import PLANTED_FAULTS


def count_patients(path: Path) -> int:
    db = open_existing(argparse.Namespace(db=path, password_file=None))
    try:
        return db.table("IDS001MPI").count
    finally:
        db.close()


def test_demo_creates_a_database_and_reports_what_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path), "--patients", "25", "--months", "6", "--as-of", "2026-10-15"]) == 0
    out, err = capsys.readouterr()
    assert "25 patients" in out and "Planted faults" not in out
    assert "April 2026 to September 2026" in err
    assert count_patients(path) == 25


def test_demo_refuses_a_database_that_holds_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path), "--patients", "20", "--as-of", "2026-10-15"]) == 0
    capsys.readouterr()
    assert main(["demo", "--db", str(path), "--patients", "30", "--as-of", "2026-10-15"]) == 1
    assert "already holds records" in capsys.readouterr().err
    assert count_patients(path) == 20


def test_with_faults_lists_every_planted_fault(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "faults.db"
    assert main(["demo", "--db", str(path), "--patients", "40", "--as-of", "2026-10-15", "--with-faults"]) == 0
    out = capsys.readouterr().out
    assert f"Planted faults ({len(PLANTED_FAULTS)}):" in out
    for fault in PLANTED_FAULTS:
        assert fault.rule_id in out and fault.description in out


@pytest.mark.parametrize(("arguments", "message"), [
    (["--patients", "0"], "at least 1"),
    (["--months", "0"], "between 1 and 120"),
    (["--patients", "5", "--with-faults"], "at least 20 patients"),
])
def test_bad_options_are_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str],
                                   message: str) -> None:
    path = tmp_path / "bad.db"
    assert main(["demo", "--db", str(path), *arguments]) == 1
    assert message in capsys.readouterr().err
    assert not path.exists()


def test_every_demo_counsellor_can_sign_in_to_their_own_caseload(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from iapt_desktop.domain.access import Role
    from iapt_desktop.domain.passwords import DEMO_PASSWORD
    from iapt_desktop.storage.session import unlock

    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path), "--patients", "25", "--months", "6", "--as-of", "2026-10-15"]) == 0
    out = capsys.readouterr().out
    assert "Sign-in accounts: admin (administrator) and counsellors" in out
    usernames = out.split("counsellors ", 1)[1].split(", all with", 1)[0].split(", ")
    assert len(usernames) >= 2
    held = 0
    for username in usernames:
        with unlock(path, username, DEMO_PASSWORD) as session:
            assert session.user.role is Role.COUNSELLOR
            staff_id = session.user.care_personnel_id
            assert session.db.execute(
                "SELECT count(*) FROM app_care_personnel WHERE CarePersLocalId = ?", [staff_id]).fetchone() == (1,)
            held += session.db.execute(
                "SELECT count(*) FROM app_referral WHERE CarePersLocalId = ?", [staff_id]).fetchone()[0]
    assert held > 0


def test_a_database_in_a_missing_folder_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nonexist"
    assert main(["demo", "--db", str(missing / "z.db"), "--patients", "5"]) == 1
    err = capsys.readouterr().err
    assert f"The folder {missing} does not exist" in err and "--db" in err
    assert not missing.exists()
