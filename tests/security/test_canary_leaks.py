"""No canary identifier outside the encrypted file: not in the database or WAL bytes, backups, logs,
crash reports, temporary files or pseudonymised exports."""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

import pytest

from iapt_desktop.app_logging import RedactingFilter, RedactingFormatter, redact, write_crash_report
from iapt_desktop.storage import backups
from iapt_desktop.storage.record_writes import save_row
from iapt_desktop.storage.session import Session
from tests.security.canaries import (
    CANARY_BIRTH_DATE,
    CANARY_FAMILY_NAME,
    CANARY_NHS_NUMBER,
    CANARY_POSTCODE,
    add_canary_patient,
    canaries_in,
    files_under,
)


def test_the_database_its_wal_backups_and_key_file_hold_no_canary(admin_session: Session, secure_path: Path) -> None:
    add_canary_patient(admin_session.db, admin_session.user)
    save_row(admin_session.db, admin_session.user, "app_patient", {"address": f"1 {CANARY_FAMILY_NAME} Lane"},
             key="CANARY1")
    wal = Path(f"{secure_path}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the changes are in the WAL right now
    backups.create_backup(admin_session.db, secure_path, admin_session.location.key, actor=admin_session.user)
    files = files_under(secure_path.parent)
    assert len(files) >= 5
    assert {str(f.relative_to(secure_path.parent)): canaries_in(f) for f in files} == {
        str(f.relative_to(secure_path.parent)): [] for f in files}


def test_pseudonymised_exports_and_temporary_files_hold_no_canary(
        admin_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from iapt_desktop.jobs.table_export import export_tables

    add_canary_patient(admin_session.db, admin_session.user)
    temp = tmp_path / "system-temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    out = tmp_path / "exports"
    export_tables(admin_session.db, out / "tables.xlsx", pseudonymise_key=bytes(32), actor=admin_session.user)
    export_tables(admin_session.db, out / "csv", pseudonymise_key=bytes(32), actor=admin_session.user)
    exported = files_under(out)
    assert exported
    assert {f.name: canaries_in(f) for f in exported} == {f.name: [] for f in exported}
    assert {f.name: canaries_in(f) for f in files_under(temp)} == {f.name: [] for f in files_under(temp)}


def test_log_messages_and_logged_exceptions_are_redacted(tmp_path: Path) -> None:
    from iapt_desktop.app_logging import configure_logging

    path = configure_logging(tmp_path)
    log = logging.getLogger("iapt_desktop.test")
    try:
        log.warning("Saving %s born %s at %s", CANARY_NHS_NUMBER, CANARY_BIRTH_DATE, CANARY_POSTCODE)
        log.warning("Spaced 999 000 0042, other dates 23/07/1961 and 23 July 1961, postcode zz993cz")
        try:
            raise ValueError(f"bad NHS number {CANARY_NHS_NUMBER} for {CANARY_POSTCODE}")
        except ValueError:
            log.exception("Save failed")
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "_iapt_desktop", False)]:
            root.removeHandler(handler)
            handler.close()
    text = path.read_text()
    assert "[number]" in text and "[postcode]" in text and "[date]" in text and "Save failed" in text
    assert canaries_in(path) == []
    for leaked in ("999 000 0042", "23/07/1961", "23 July 1961", "zz993cz"):
        assert leaked not in text


def test_redaction_keeps_ordinary_text_and_times() -> None:
    assert redact("Imported 1,204 rows in 12.5 s at 14:03") == "Imported 1,204 rows in 12.5 s at 14:03"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "id %s", (CANARY_NHS_NUMBER,), None)
    RedactingFilter().filter(record)
    assert RedactingFormatter("%(message)s").format(record) == "id [number]"


def test_a_crash_report_says_where_but_holds_no_message_or_value(tmp_path: Path) -> None:
    def save(family_name: str) -> None:
        raise RuntimeError(f"cannot save {family_name} {CANARY_NHS_NUMBER}")

    try:
        save(CANARY_FAMILY_NAME)
    except RuntimeError:
        _type, _value, traceback_ = sys.exc_info()
        report = write_crash_report(RuntimeError, traceback_, tmp_path)
    text = report.read_text()
    assert "builtins.RuntimeError" in text and "in save" in text and "test_canary_leaks.py" in text
    assert canaries_in(report) == []
    if sys.platform != "win32":
        assert report.stat().st_mode & 0o077 == 0


# -- reports and exports made from a month holding the canary patient ------------------------------------------

OWNER_ONLY = 0o600


@pytest.fixture
def canary_month(secure_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The canary patient with a referral and a contact in April 2025 (one fault to report), and a second
    canary patient added through the app (so the audit trail quotes its values); the database closed, for
    the command line to open with the administrator's password."""
    from iapt_desktop.storage.session import create_database
    from tests.month_data import add_contact, add_patient, add_referral, add_staff, set_provider
    from tests.security.conftest import ADMIN_PASSWORD, CHEAP_KDF

    session, _recovery = create_database(secure_path, "admin", "Ada Admin", ADMIN_PASSWORD, kdf=CHEAP_KDF)
    db = session.db
    set_provider(db)
    add_staff(db)
    add_patient(db, "CANARY1", NHSNumber=CANARY_NHS_NUMBER, Postcode=CANARY_POSTCODE,
                PersonBirthDate=CANARY_BIRTH_DATE)
    db.table("app_patient").insert({"LocalPatientId": "CANARY1", "family_name": CANARY_FAMILY_NAME})
    add_referral(db, "R1", "CANARY1", "2025-03-10")
    add_contact(db, "C1", "R1", "2025-04-02", AttendOrDNACode="9")
    db.conn.commit()
    add_canary_patient(db, session.user, "CANARY2")
    session.close()
    monkeypatch.setenv("IAPT_DESKTOP_PASSWORD", ADMIN_PASSWORD)
    return secure_path


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def _owner_only(files: list[Path]) -> dict[str, int]:
    return {f.name: _mode(f) for f in files if sys.platform != "win32" and _mode(f) != OWNER_ONLY}


@pytest.mark.parametrize("name", ["findings.json", "findings.txt", "findings.xlsx"])
def test_validation_reports_are_owner_only_and_pseudonymised_ones_hold_no_canary(
        canary_month: Path, tmp_path: Path, name: str) -> None:
    from iapt_desktop.cli import main

    plain, pseudonymised = tmp_path / "plain" / name, tmp_path / "pseudonymised" / name
    plain.parent.mkdir()
    pseudonymised.parent.mkdir()
    assert main(["validate", "--db", str(canary_month), "--period", "2025-04", "--out", str(plain)]) in (0, 1)
    assert main(["validate", "--db", str(canary_month), "--period", "2025-04", "--out", str(pseudonymised),
                 "--pseudonymise"]) in (0, 1)
    assert _owner_only([plain, pseudonymised]) == {}
    assert canaries_in(pseudonymised) == []


def test_the_submission_package_is_owner_only_throughout(canary_month: Path, tmp_path: Path) -> None:
    from iapt_desktop.cli import main

    out = tmp_path / "out"
    assert main(["submission", "--db", str(canary_month), "--period", "2025-04", "--out", str(out),
                 "--window", "primary"]) == 0
    files = files_under(out)
    names = {f.name for f in files}
    assert {"manifest.json", "validation_report.json", "validation_report.txt"} <= names
    assert any(canaries_in(f) for f in files)  # the submission carries the patient: hence owner-only
    assert _owner_only(files) == {}


@pytest.mark.parametrize("name", ["audit.csv", "audit.xlsx"])
def test_the_audit_export_is_owner_only(canary_month: Path, tmp_path: Path, name: str) -> None:
    from iapt_desktop.cli import main

    out = tmp_path / name
    assert main(["audit", "--db", str(canary_month), "--out", str(out)]) == 0
    if name.endswith(".csv"):  # (a workbook is compressed: its bytes do not show the texts)
        assert canaries_in(out)  # the trail quotes the values a change set: as sensitive as the database
    assert _owner_only([out]) == {}


@pytest.mark.parametrize("name", ["metrics.json", "metrics.txt", "metrics.xlsx"])
def test_metrics_exports_hold_no_canary_and_are_owner_only(canary_month: Path, tmp_path: Path, name: str) -> None:
    from iapt_desktop.cli import main

    out = tmp_path / name
    assert main(["metrics", "--db", str(canary_month), "--from", "2025-04-01", "--to", "2025-04-30",
                 "--by-counsellor", "--out", str(out)]) == 0
    assert canaries_in(out) == []
    assert _owner_only([out]) == {}


def test_the_import_problems_list_saved_from_the_import_screen_is_owner_only(tmp_path: Path) -> None:
    from iapt_desktop.interchange.table_source import RowProblem
    from iapt_desktop.ui.interchange.problems_table_model import save_problems_csv

    out = tmp_path / "problems.csv"
    save_problems_csv(out, [RowProblem("IDS001MPI", 2, "NHSNumber", CANARY_NHS_NUMBER, "duplicate NHS number")])
    assert canaries_in(out)  # the value at fault is quoted, so the list is patient data
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # still UTF-8 with a BOM, for Excel
    assert _owner_only([out]) == {}
