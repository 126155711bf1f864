"""The audit trail: append-only in SQL, checked at start-up, exported by administrators only."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlite_utils import Database

from iapt_desktop.cli import main as cli_main
from iapt_desktop.domain.access import Role, User
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.record_writes import save_row
from iapt_desktop.storage.session import Session, confirm_password, record_lock, unlock
from iapt_desktop.storage.startup_checks import verify_at_startup
from tests.security.conftest import ADMIN_PASSWORD

ADMIN = User("admin", "Ada Admin", Role.ADMINISTRATOR)


def test_sql_cannot_change_or_remove_an_entry(db: Database) -> None:
    save_row(db, ADMIN, "IDS001MPI", {"LocalPatientId": "P1"})
    with pytest.raises(Exception, match="cannot be changed"):
        db.execute("UPDATE app_audit_log SET username = 'mallory'")
    with pytest.raises(Exception, match="cannot be removed"):
        db.execute("DELETE FROM app_audit_log")
    assert audit_log.verify_chain(db) is None


def test_start_up_names_the_first_altered_entry_and_records_the_finding_once(db: Database) -> None:
    for n in range(3):
        save_row(db, ADMIN, "IDS001MPI", {"LocalPatientId": f"P{n}"})
    assert verify_at_startup(db, "admin") == []
    db.execute("DROP TRIGGER app_audit_log_refuse_update")  # someone with the key and an SQLite tool
    db.execute("UPDATE app_audit_log SET record_key = 'P9' WHERE id = 2")
    warnings = verify_at_startup(db, "admin")
    assert len(warnings) == 1 and "entry 2 " in warnings[0] and "changed after it was written" in warnings[0]
    verify_at_startup(db, "admin")
    assert [e.record_key for e in audit_log.entries(db) if e.action == "audit chain broken"] == ["2"]


def test_lock_and_unlock_are_recorded_and_a_wrong_password_on_the_lock_screen_counts(
        admin_session: Session, secure_path: Path) -> None:
    from iapt_desktop.storage.session import WrongPassword

    record_lock(admin_session)
    with pytest.raises(WrongPassword):
        confirm_password(admin_session, "not my password, sorry")
    confirm_password(admin_session, ADMIN_PASSWORD)
    actions = [e.action for e in audit_log.entries(admin_session.db)][-3:]
    assert actions == ["lock", "failed login", "unlock"]


def test_the_audit_command_verifies_and_exports_for_administrators(
        admin_session: Session, secure_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    save_row(admin_session.db, admin_session.user, "IDS001MPI", {"LocalPatientId": "=HYPERLINK(\"x\")"})
    admin_session.close()
    monkeypatch.setenv("IAPT_DESKTOP_PASSWORD", ADMIN_PASSWORD)
    assert cli_main(["audit", "--db", str(secure_path), "--verify"]) == 0
    assert "audit trail is whole" in capsys.readouterr().out
    out = tmp_path / "trail.csv"
    assert cli_main(["audit", "--db", str(secure_path), "--out", str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:4] == ["Entry", "When (UTC)", "User", "Action"]
    assert any(row[5] == "'=HYPERLINK(\"x\")" for row in rows[1:])  # neutralised, never a formula
    xlsx = tmp_path / "trail.xlsx"
    assert cli_main(["audit", "--db", str(secure_path), "--out", str(xlsx)]) == 0
    import openpyxl

    sheet = openpyxl.load_workbook(xlsx).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    with unlock(secure_path, "admin", ADMIN_PASSWORD) as session:
        assert "export audit trail" in [e.action for e in audit_log.entries(session.db)]


def test_the_audit_command_refuses_a_counsellor_and_reports_a_broken_chain(
        admin_session: Session, secure_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from iapt_desktop.storage.users import add_user

    add_user(admin_session, "rita", "Rita Reader", Role.READ_ONLY, "reading is all I do here")
    admin_session.db.execute("DROP TRIGGER app_audit_log_refuse_delete")
    admin_session.db.execute("DELETE FROM app_audit_log WHERE id = 2")
    admin_session.close()
    monkeypatch.setenv("IAPT_DESKTOP_PASSWORD", "reading is all I do here")
    assert cli_main(["audit", "--db", str(secure_path), "--user", "rita"]) == 1
    assert "may not view and export the audit trail" in capsys.readouterr().err
    monkeypatch.setenv("IAPT_DESKTOP_PASSWORD", ADMIN_PASSWORD)
    assert cli_main(["audit", "--db", str(secure_path), "--verify"]) == 1
    assert "entry 3 " in capsys.readouterr().err
