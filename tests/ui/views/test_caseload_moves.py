"""A counsellor reaching a patient or referral that left their caseload (a stale row: the referral moved to a
colleague after the list was shown) is told so, and nothing crashes.  Real encrypted database, real main window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from iapt_desktop.domain.access import Role, User
from iapt_desktop.storage.record_writes import save_row
from iapt_desktop.storage.session import Session, create_database
from iapt_desktop.ui.main_window import MainWindow
from tests.security.conftest import ADMIN_PASSWORD, CHEAP_KDF

CY = User("cy", "Cy Counsellor", Role.COUNSELLOR, "C1")
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


@pytest.fixture
def admin(tmp_path: Path) -> Iterator[Session]:
    """Cy (C1) holds R1 (P1), R2 (P2) and R3, R4 (both P3); every referral has one session."""
    session, _recovery = create_database(tmp_path / "service.db", "admin", "Ada Admin", ADMIN_PASSWORD,
                                         kdf=CHEAP_KDF)
    db, user = session.db, session.user
    for staff, name in (("C1", "Cy Counsellor"), ("C2", "Di Counsellor")):
        save_row(db, user, "app_care_personnel", {"CarePersLocalId": staff, "display_name": name})
    for referral, patient in (("R1", "P1"), ("R2", "P2"), ("R3", "P3"), ("R4", "P3")):
        if not db.execute("SELECT 1 FROM IDS001MPI WHERE LocalPatientId = ?", [patient]).fetchone():
            save_row(db, user, "IDS001MPI", {"LocalPatientId": patient})
            save_row(db, user, "app_patient", {"LocalPatientId": patient, "family_name": f"Family{patient}"})
        save_row(db, user, "IDS101Referral", {"ServiceRequestId": referral, "LocalPatientId": patient,
                                              "ReferralRequestReceivedDate": "2025-04-01"})
        save_row(db, user, "app_referral", {"ServiceRequestId": referral, "CarePersLocalId": "C1"})
        save_row(db, user, "IDS201CareContact", {"CareContactId": f"C{referral}", "ServiceRequestId": referral,
                                                 "CareContDate": "2025-04-02", "AttendOrDNACode": "3"})
    yield session
    session.close()


@pytest.fixture
def notes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def note(_parent: object, title: str, text: str, *_a: object, **_k: object) -> QMessageBox.StandardButton:
        shown.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "information", note)
    return shown


@pytest.fixture
def window(qtbot, admin: Session, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    shown = MainWindow(Session(admin.db, admin.location, CY), settings)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def _listed(window: MainWindow) -> list[str]:
    model = window.caseload.model
    return [model.key(row) for row in range(model.rowCount())]


def test_a_stale_caseload_row_says_the_patient_is_not_on_the_caseload(
        window: MainWindow, admin: Session, notes: list[str]) -> None:
    assert {"P1", "P2", "P3"} <= set(_listed(window))
    assert window.show_patient("P1")
    save_row(admin.db, admin.user, "app_referral", {"CarePersLocalId": "C2"}, key="R2")  # P2 moves to Di
    assert "P2" in _listed(window)  # the list was shown before the move
    window.caseload.select("P2")  # the counsellor moves to the stale row: the window tries to open P2
    assert notes == [notes[0]] and notes[0].startswith("Not on your caseload: This patient is not on your caseload")
    assert "Ask an administrator" in notes[0]
    assert window.record.local_patient_id == "P1" and window.stack.currentWidget() is window.record
    assert "P2" not in _listed(window)  # the list was refreshed
    assert not window.show_patient("P2")  # and asked directly (a validation finding, say): the same answer
    assert len(notes) == 2


def test_a_referral_moved_while_the_patient_is_open_is_refused_kindly(
        window: MainWindow, admin: Session, notes: list[str], qtbot) -> None:  # type: ignore[no-untyped-def]
    assert window.show_patient("P3")
    panel = window.record.referrals
    assert sorted(panel.chooser.itemData(i) for i in range(panel.chooser.count())) == ["R3", "R4"]
    shown = panel.current_id()
    other = "R4" if shown == "R3" else "R3"
    save_row(admin.db, admin.user, "app_referral", {"CarePersLocalId": "C2"}, key=other)
    panel.chooser.setCurrentIndex(panel.chooser.findData(other))
    panel.chooser.activated.emit(panel.chooser.currentIndex())
    assert notes and notes[-1].startswith("Not on your caseload: This referral is not on your caseload")
    assert panel.current_id() == shown and panel.chooser.currentData() == shown
    save_row(admin.db, admin.user, "app_referral", {"CarePersLocalId": "C2"}, key=shown)
    panel.open_session(None)  # a session of a referral that has just moved: refused, no form opens
    assert len(notes) == 2 and panel.session_dialog is None
    window.record.open_patient("P3")  # reopened: P3 has no referral of Cy's left, so P3 is not Cy's any more
    assert len(notes) == 3 and "patient is not on your caseload" in notes[-1]


def test_a_stale_session_finding_of_a_referral_that_moved_is_refused_kindly(
        window: MainWindow, admin: Session, notes: list[str]) -> None:
    from iapt_desktop.ui.admin.finding_navigation import open_finding
    from iapt_desktop.validation.findings import Finding

    finding = Finding("IDS201-example", "error", "IDS201CareContact", "CR4", "CareContTime", None, "example")
    opened = open_finding(window, finding)  # R4 is still Cy's: the session form opens
    assert opened is not None and opened.isVisible() and not notes
    opened.close()
    save_row(admin.db, admin.user, "app_referral", {"CarePersLocalId": "C2"}, key="R4")  # R4 moves to Di
    assert open_finding(window, finding) is None
    assert notes and notes[-1].startswith("Not on your caseload: This session's referral is not on your caseload")
    save_row(admin.db, admin.user, "app_referral", {"CarePersLocalId": "C2"}, key="R3")  # so does all of P3
    assert window.show_patient("P1")
    assert open_finding(window, finding) is None and len(notes) == 2
    assert "patient is not on your caseload" in notes[-1]
