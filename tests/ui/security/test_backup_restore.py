"""Administration ▸ Backups…: restore a backup from the app, into the open database, and see the result at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from iapt_desktop.domain.access import Role
from iapt_desktop.storage import backups
from iapt_desktop.storage.keyfile import KdfParameters
from iapt_desktop.storage.record_writes import save_row
from iapt_desktop.storage.session import Session, create_database
from iapt_desktop.storage.table_rows import count_rows
from iapt_desktop.storage.users import add_user
from iapt_desktop.ui.main_window import MainWindow
from iapt_desktop.ui.security.backup_restore import RestoringBackupsDialog, open_backups_with_restore

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen only

CHEAP_KDF = KdfParameters(time_cost=1, memory_cost_kib=8192, parallelism=1)
PASSWORD = "restore from the app passphrase 3"


def add_patient(session: Session, local_id: str, nhs_number: str) -> None:
    save_row(session.db, session.user, "IDS001MPI", {"LocalPatientId": local_id, "NHSNumber": nhs_number})


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    opened, _recovery = create_database(tmp_path / "service.db", "admin", "Ada Admin", PASSWORD, kdf=CHEAP_KDF)
    yield opened
    opened.close()


def make_window(qtbot, session: Session, tmp_path: Path) -> MainWindow:
    window = MainWindow(session, QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def backups_action(window: MainWindow) -> QAction:
    found = [a for a in window.menus["Administration"].actions() if a.text() == "Backups…"]
    assert len(found) == 1
    return found[0]


def test_restore_from_the_app_puts_the_backup_back_and_the_caseload_shows_it(qtbot, session: Session,
                                                                              tmp_path: Path) -> None:
    add_patient(session, "P1", "9990000018")
    made = backups.create_backup(session.db, session.path, session.location.key, actor=session.user)
    add_patient(session, "P2", "9990000026")  # entered after the backup
    window = make_window(qtbot, session, tmp_path)
    assert window.caseload.model.total == 2
    backups_action(window).trigger()
    dialog = window.findChild(RestoringBackupsDialog)
    assert dialog is not None and dialog.isVisible()
    assert not dialog.restore_button.isEnabled()  # nothing chosen yet
    dialog.list.setCurrentRow(0)
    assert dialog.chosen_backup() == made
    box = dialog.confirm_restore()
    assert box is not None and box.isVisible() and made.name in box.text()
    with qtbot.waitSignal(dialog.restored):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert count_rows(session.db, "IDS001MPI") == 1
    assert window.caseload.model.total == 1
    assert "Restored" in dialog.status.text()
    kept = [p for p in backups.list_backups(session.path) if "before-restore" in p.name]
    assert len(kept) == 1 and kept[0].name in dialog.status.text()
    assert not list(made.parent.glob(".*.restoring"))
    last = session.db.execute("SELECT username, action, record_key FROM app_audit_log ORDER BY id DESC LIMIT 1"
                              ).fetchone()
    assert last == ("admin", "restore", made.name)


def test_cancel_or_a_damaged_backup_changes_nothing(qtbot, session: Session, tmp_path: Path) -> None:
    add_patient(session, "P1", "9990000018")
    made = backups.create_backup(session.db, session.path, session.location.key, actor=session.user)
    add_patient(session, "P2", "9990000026")
    window = make_window(qtbot, session, tmp_path)
    dialog = open_backups_with_restore(window, session)
    assert isinstance(dialog, RestoringBackupsDialog)
    qtbot.addWidget(dialog)
    dialog.list.setCurrentRow(0)
    box = dialog.confirm_restore()
    with qtbot.assertNotEmitted(dialog.restored):
        box.button(QMessageBox.StandardButton.Cancel).click()
    assert count_rows(session.db, "IDS001MPI") == 2
    data = bytearray(made.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte in a page
    made.write_bytes(bytes(data))
    with qtbot.assertNotEmitted(dialog.restored), qtbot.waitSignal(dialog.task.finished, timeout=30000):
        assert dialog.restore(made) is not None
    assert dialog.status.text().startswith("Nothing was restored.")
    assert count_rows(session.db, "IDS001MPI") == 2
    assert [p for p in backups.list_backups(session.path) if "before-restore" in p.name] == []


def test_backups_are_for_administrators(qtbot, session: Session, tmp_path: Path) -> None:
    save_row(session.db, session.user, "app_care_personnel", {"CarePersLocalId": "C1", "display_name": "Casey"})
    casey = add_user(session, "casey", "Casey Counsellor", Role.COUNSELLOR, PASSWORD + " casey", "C1",
                     must_change_password=False)
    counsellor_session = Session(session.db, session.location, casey)
    window = make_window(qtbot, counsellor_session, tmp_path)
    assert not backups_action(window).isEnabled()
    assert open_backups_with_restore(window, counsellor_session) is None


def test_an_unsaved_record_is_offered_first_and_other_windows_close_after(qtbot, session: Session, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QDialog

    add_patient(session, "P1", "9990000018")
    made = backups.create_backup(session.db, session.path, session.location.key, actor=session.user)
    window = make_window(qtbot, session, tmp_path)
    other = QDialog(window)
    other.show()
    window.new_patient()  # a new record, not saved yet
    assert window.record.is_dirty()
    dialog = open_backups_with_restore(window, session)
    qtbot.addWidget(dialog)
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: answers.pop(0))  # the OS edge: the user's answer
    assert not dialog.restore(made)
    assert "open record has changes" in dialog.status.text() and other.isVisible()
    with qtbot.waitSignal(dialog.restored):
        assert dialog.restore(made)
    assert not other.isVisible() and dialog.isVisible()
    assert window.stack.currentWidget() is window.placeholder
    assert not window.record.is_dirty() and not window.isWindowModified()


def test_the_core_restores_into_the_open_connection_and_refuses_counsellors(session: Session) -> None:
    """The database work lives in storage.backups (the screen only delegates); it checks the permission."""
    from iapt_desktop.domain.access import AccessDenied

    add_patient(session, "P1", "9990000018")
    made = backups.create_backup(session.db, session.path, session.location.key, actor=session.user)
    add_patient(session, "P2", "9990000026")
    save_row(session.db, session.user, "app_care_personnel", {"CarePersLocalId": "C1", "display_name": "Casey"})
    casey = add_user(session, "casey", "Casey Counsellor", Role.COUNSELLOR, PASSWORD + " casey", "C1",
                     must_change_password=False)
    with pytest.raises(AccessDenied):
        backups.restore_into_open_database(session.db, session.path, session.location.key, made, casey)
    assert count_rows(session.db, "IDS001MPI") == 2
    safety = backups.restore_into_open_database(session.db, session.path, session.location.key, made, session.user)
    assert count_rows(session.db, "IDS001MPI") == 1 and "before-restore" in safety.name
    last = session.db.execute("SELECT username, action, record_key FROM app_audit_log ORDER BY id DESC LIMIT 1"
                              ).fetchone()
    assert last == ("admin", "restore", made.name)


def test_the_backup_screen_opens_no_database_itself() -> None:
    import iapt_desktop.ui.security.backup_restore as screen

    assert "sqlcipher3" not in vars(screen) and "apply_migrations" not in vars(screen)
