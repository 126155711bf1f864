"""Every file written for people leaves an audit entry: what, which scope, who, which file; never a value.

Real encrypted databases, the real command line and the real dashboard."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from iapt_desktop.cli import main
from iapt_desktop.domain.access import Role, User
from iapt_desktop.storage.session import Session, create_database, unlock
from tests.security.canaries import CANARIES, add_canary_patient
from tests.security.conftest import ADMIN_PASSWORD, CHEAP_KDF


@pytest.fixture
def month_path(secure_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """April 2025 with the canary patient (its referral and a contact), closed for the command line."""
    from tests.month_data import add_contact, add_referral, add_staff, set_provider

    session, _recovery = create_database(secure_path, "admin", "Ada Admin", ADMIN_PASSWORD, kdf=CHEAP_KDF)
    db = session.db
    set_provider(db)
    add_staff(db)
    add_canary_patient(db, session.user)
    add_referral(db, "R1", "CANARY1", "2025-03-10")
    add_contact(db, "C1", "R1", "2025-04-02", AttendOrDNACode="9")
    db.conn.commit()
    session.close()
    monkeypatch.setenv("IAPT_DESKTOP_PASSWORD", ADMIN_PASSWORD)
    return secure_path


def _exports(path: Path) -> list[tuple[str, dict[str, Any], str]]:
    """(username, changes, raw changes text) of every export entry, oldest first."""
    with unlock(path, "admin", ADMIN_PASSWORD) as session:
        rows = session.db.execute(
            "SELECT username, changes FROM app_audit_log WHERE action = 'export' ORDER BY id").fetchall()
    return [(row[0], json.loads(row[1]), row[1]) for row in rows]


def _holds_no_value(raw: str) -> None:
    for canary in CANARIES:
        assert canary.lower() not in raw.lower()


@pytest.mark.parametrize("name", ["metrics.json", "metrics.txt", "metrics.xlsx"])
def test_a_metrics_file_from_the_command_line_is_audited(month_path: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    assert main(["metrics", "--db", str(month_path), "--from", "2025-04-01", "--to", "2025-04-30",
                 "--by-counsellor", "--out", str(out)]) == 0
    username, changes, raw = _exports(month_path)[-1]
    assert username == "admin"
    assert changes == {"what": "outcome metrics", "scope": "2025-04-01 to 2025-04-30, by counsellor",
                       "file": name, "pseudonymised": False}
    _holds_no_value(raw)


def test_metrics_printed_to_the_terminal_are_not_an_export(month_path: Path) -> None:
    assert main(["metrics", "--db", str(month_path), "--from", "2025-04-01", "--to", "2025-04-30"]) == 0
    assert _exports(month_path) == []


@pytest.mark.parametrize("name", ["findings.json", "findings.xlsx"])
def test_a_validation_report_file_is_audited_with_its_scope(month_path: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    assert main(["validate", "--db", str(month_path), "--period", "2025-04", "--out", str(out)]) in (0, 1)
    username, changes, raw = _exports(month_path)[-1]
    assert username == "admin"
    assert {k: changes[k] for k in ("what", "scope", "file", "pseudonymised")} == {
        "what": "validation findings", "scope": "2025-04", "file": name, "pseudonymised": False}
    _holds_no_value(raw)


def test_the_submission_entry_names_the_package_files_with_the_validation_report(
        month_path: Path, tmp_path: Path) -> None:
    assert main(["submission", "--db", str(month_path), "--period", "2025-04", "--out", str(tmp_path / "out"),
                 "--window", "primary", "--force"]) == 0
    with unlock(month_path, "admin", ADMIN_PASSWORD) as session:
        raw = session.db.execute("SELECT changes FROM app_audit_log WHERE action = 'submission'").fetchone()[0]
    files = json.loads(raw)["files"]
    assert {"validation_report.json", "validation_report.txt", "tables/IDS001MPI.csv"} <= set(files)
    _holds_no_value(raw)


@pytest.fixture
def metrics_session(secure_path: Path) -> Iterator[Session]:
    from tests.domain.metrics.referral_rows import small_service
    from tests.metrics_database import insert_metrics_rows

    session, _recovery = create_database(secure_path, "admin", "Ada Admin", ADMIN_PASSWORD, kdf=CHEAP_KDF)
    insert_metrics_rows(session.db, small_service())
    yield session
    session.close()


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_a_workbook_exported_from_the_dashboard_is_audited(qtbot, metrics_session: Session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from iapt_desktop.ui.dashboard.service_dashboard import ServiceDashboard

    admin = User("admin", "Ada Admin", Role.ADMINISTRATOR)
    dashboard = ServiceDashboard(metrics_session.location, today=dt.date(2025, 7, 15), user=admin)
    qtbot.addWidget(dashboard)
    with qtbot.waitSignal(dashboard.computed, timeout=20000):
        dashboard.set_period(dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    target = tmp_path / "outcomes.xlsx"
    with qtbot.waitSignal(dashboard.exported, timeout=20000):
        dashboard.export_to(target)
    row = metrics_session.db.execute(
        "SELECT username, changes FROM app_audit_log WHERE action = 'export' ORDER BY id DESC").fetchone()
    assert row[0] == "admin"
    assert json.loads(row[1]) == {"what": "outcome metrics", "scope": "2025-04-01 to 2025-06-30", "file":
                                  "outcomes.xlsx", "pseudonymised": False}
