"""The security screens under Qt: sign-in, first run with the recovery key, the lock overlay, users, audit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow
from pytestqt.qtbot import QtBot

from iapt_desktop.domain.access import Role
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.keyfile import read_keyfile
from iapt_desktop.storage.session import Session, unlock
from iapt_desktop.storage.users import list_users
from iapt_desktop.ui.security.audit_log_dialog import PAGE, AuditLogDialog, AuditLogTableModel
from iapt_desktop.ui.security.auto_lock import LOCKED_TITLE, LockOverlay, install_auto_lock
from iapt_desktop.ui.security.first_run_dialog import FirstRunDialog
from iapt_desktop.ui.security.login_dialog import LoginDialog
from iapt_desktop.ui.security.startup_warnings import show_startup_warnings
from iapt_desktop.ui.security.user_management import UserFormDialog, UserManagementDialog, UserTableModel
from tests.security.canaries import CANARY_FAMILY_NAME
from tests.security.conftest import ADMIN_PASSWORD

# The offscreen platform says this whenever a window is shown; it is not about our code.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_the_login_dialog_says_when_the_password_is_wrong_then_signs_in(
        qtbot: QtBot, created: tuple[Session, str], secure_path: Path) -> None:
    created[0].close()
    dialog = LoginDialog(secure_path, "admin")
    qtbot.addWidget(dialog)
    dialog.password.setText("not the right one at all")
    dialog.sign_in_button.click()
    assert "password is wrong" in dialog.message.text() and dialog.password.text() == ""
    assert dialog.session is None
    dialog.password.setText(ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.signed_in) as signal:
        dialog.sign_in_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    session = signal.args[0]
    assert session is dialog.session and session.user.username == "admin"
    session.close()


def test_first_run_creates_the_administrator_and_shows_the_recovery_key_until_confirmed(
        qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    dialog = FirstRunDialog(path)
    qtbot.addWidget(dialog)
    dialog.username.setText("ada")
    dialog.display_name.setText("Ada Admin")
    dialog.password.setText("password1234")
    dialog.confirmation.setText("password1234")
    dialog.create_button.click()
    assert "commonly used" in dialog.message.text() and not path.exists()
    dialog.password.setText(ADMIN_PASSWORD)
    dialog.confirmation.setText(ADMIN_PASSWORD)
    seen: dict[str, object] = {}

    def confirm_key() -> None:
        shown = dialog.recovery_key_dialog
        assert shown is not None
        seen["key"] = shown.key_label.text()
        seen["enabled_before"] = shown.continue_button.isEnabled()
        shown.reject()  # Escape does not skip it
        seen["still_open"] = shown.isVisible()
        shown.written_down.setChecked(True)
        shown.continue_button.click()

    QTimer.singleShot(0, confirm_key)
    dialog.create_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert seen["enabled_before"] is False and seen["still_open"] is True
    assert len(str(seen["key"]).split("-")) == 8
    assert dialog.session is not None and dialog.session.user.username == "ada"
    dialog.session.close()
    assert list(read_keyfile(path).users) == ["ada"]


def _patient_window(qtbot: QtBot) -> QMainWindow:
    window = QMainWindow()
    window.setWindowTitle(f"{CANARY_FAMILY_NAME} - IAPT Desktop")
    window.setCentralWidget(QLabel(f"{CANARY_FAMILY_NAME}, 999 000 0042", window))
    window.menuBar().addMenu("&Patient").addAction("New patient")
    qtbot.addWidget(window)
    window.resize(800, 600)
    window.show()
    return window


def test_the_lock_covers_the_window_hides_the_title_and_asks_for_the_password(
        qtbot: QtBot, admin_session: Session) -> None:
    window = _patient_window(qtbot)
    auto = install_auto_lock(window, admin_session, 60)
    assert auto.policy.minutes == 15 and auto.timer.interval() == 15 * 60 * 1000
    with qtbot.waitSignal(auto.locked):
        auto.timer.timeout.emit()
    overlay = window.findChild(LockOverlay)
    assert overlay is not None and overlay.isVisible() and overlay.geometry() == window.rect()
    centre = window.rect().center()
    covering = window.childAt(centre)
    assert covering is overlay or overlay.isAncestorOf(covering)
    assert window.windowTitle() == LOCKED_TITLE
    assert not any(a.isEnabled() for a in window.findChildren(QAction))
    assert not window.menuBar().isEnabled()
    window.resize(900, 700)
    assert overlay.geometry() == window.rect()
    overlay.password.setText("certainly not it")
    overlay.unlock_button.click()
    assert "password is wrong" in overlay.message.text() and auto.is_locked
    overlay.password.setText(ADMIN_PASSWORD)
    with qtbot.waitSignal(auto.unlocked):
        overlay.unlock_button.click()
    assert window.windowTitle() == f"{CANARY_FAMILY_NAME} - IAPT Desktop"
    assert window.menuBar().isEnabled() and auto.timer.isActive()
    actions = [e.action for e in audit_log.entries(admin_session.db)][-3:]
    assert actions == ["lock", "failed login", "unlock"]


def test_user_input_restarts_the_idle_timer(qtbot: QtBot, admin_session: Session) -> None:
    window = _patient_window(qtbot)
    auto = install_auto_lock(window, admin_session, 5)
    auto.timer.stop()
    qtbot.keyClick(window.centralWidget(), Qt.Key.Key_A)
    assert auto.timer.isActive()
    auto.timer.stop()
    qtbot.mouseClick(window.centralWidget(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert auto.timer.isActive()
    auto.lock_now()
    auto.timer.stop()
    qtbot.keyClick(window.findChild(LockOverlay).password, Qt.Key.Key_A)
    assert not auto.timer.isActive()  # typing on the lock screen is not activity


def test_the_lock_setting_is_read_from_the_database(qtbot: QtBot, admin_session: Session) -> None:
    from iapt_desktop.storage.settings_store import set_setting

    set_setting(admin_session.db, "auto_lock_minutes", "3")
    auto = install_auto_lock(_patient_window(qtbot), admin_session)
    assert auto.timer.interval() == 3 * 60 * 1000


def test_user_management_adds_resets_changes_role_and_deactivates(qtbot: QtBot, admin_session: Session,
                                                                   qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    admin_session.db.execute("INSERT INTO app_care_personnel (CarePersLocalId, display_name) VALUES ('C1', 'Cy')")
    dialog = UserManagementDialog(admin_session)
    qtbot.addWidget(dialog)
    form = UserFormDialog("Add a user", dialog)
    form.username.setText("cy")
    form.display_name.setText("Cy Counsellor")
    form.role.setCurrentIndex(form.role.findData(Role.COUNSELLOR))
    form.caseload.setText("C1")
    form.password.setText("listening is half the work")
    form.confirmation.setText("listening is half the work")
    form._check()
    assert dialog.add(form=form)
    assert [u.username for u in list_users(admin_session.db)] == ["admin", "cy"]
    qtmodeltester.check(dialog.model)
    dialog.table.selectRow(1)
    reset = UserFormDialog("New password", dialog, new_user=False, username="cy")
    reset.password.setText("a second start for cy")
    reset.confirmation.setText("a second start for cy")
    reset._check()
    assert dialog.reset(form=reset)
    dialog.role_box.setCurrentIndex(dialog.role_box.findData(Role.READ_ONLY))
    assert dialog.change_role(), dialog.message.text()
    assert dialog.model.data(dialog.model.index(1, 2)) == "Read only"
    assert dialog.deactivate()
    assert dialog.model.data(dialog.model.index(1, 4)) == "deactivated"
    dialog.table.selectRow(0)
    assert not dialog.deactivate() and "yourself" in dialog.message.text()


def test_the_user_table_model_passes_the_model_tester(qtbot: QtBot, admin_session: Session,
                                                      qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(UserTableModel(admin_session))


def test_the_audit_dialog_pages_verifies_and_exports(qtbot: QtBot, admin_session: Session, tmp_path: Path,
                                                     qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    with admin_session.db.atomic():
        for n in range(PAGE + 20):
            audit_log.append(admin_session.db, "admin", "export", "", str(n), {"rows": n})
    model = AuditLogTableModel(admin_session.db, admin_session.user)
    qtmodeltester.check(model)
    assert model.rowCount() <= model.total
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == model.total >= PAGE + 20
    dialog = AuditLogDialog(admin_session)
    qtbot.addWidget(dialog)
    assert dialog.verify() and "whole" in dialog.status.text()
    with qtbot.waitSignal(dialog.task.finished, timeout=30000):
        assert dialog.export_to(tmp_path / "trail.csv") is not None
    assert f"{model.total:,} entries written" in dialog.status.text()
    assert "export audit trail" in [e.action for e in audit_log.entries(admin_session.db)][-1:]


def test_a_broken_chain_is_shown_to_the_administrator_at_sign_in(qtbot: QtBot, created: tuple[Session, str],
                                                                  secure_path: Path) -> None:
    session = created[0]
    session.db.execute("DROP TRIGGER app_audit_log_refuse_update")
    session.db.execute("UPDATE app_audit_log SET username = 'mallory' WHERE id = 2")
    session.close()
    with unlock(secure_path, "admin", ADMIN_PASSWORD) as again:
        box = show_startup_warnings(None, again)
        assert box is not None
        qtbot.addWidget(box)
        assert "entry 2 " in box.text()
        dialog = AuditLogDialog(again)
        qtbot.addWidget(dialog)
        assert not dialog.verify() and "entry 2 " in dialog.status.text()


def test_an_open_dialog_is_covered_too_and_keeps_what_was_typed(qtbot: QtBot, admin_session: Session) -> None:
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout

    window = _patient_window(qtbot)
    dialog = QDialog(window)
    dialog.setWindowTitle(f"Edit {CANARY_FAMILY_NAME}")
    field = QLineEdit("half-typed note", dialog)
    QVBoxLayout(dialog).addWidget(field)
    dialog.show()
    auto = install_auto_lock(window, admin_session, 10)
    auto.lock_now()
    cover = dialog.findChild(LockOverlay)
    assert cover is not None and cover.isVisible() and dialog.windowTitle() == LOCKED_TITLE
    assert auto.try_unlock(ADMIN_PASSWORD)
    assert dialog.isVisible() and field.text() == "half-typed note"
    assert dialog.windowTitle() == f"Edit {CANARY_FAMILY_NAME}"
    leftover = dialog.findChild(LockOverlay)  # deleted later by Qt; hidden now
    assert leftover is None or not leftover.isVisible()


def test_the_backups_dialog_backs_up_and_checks(qtbot: QtBot, admin_session: Session) -> None:
    from iapt_desktop.ui.security.backups_dialog import BackupsDialog

    dialog = BackupsDialog(admin_session)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 0
    with qtbot.waitSignal(dialog.task.finished, timeout=30000):
        assert dialog.back_up_now() is not None
    assert dialog.list.count() == 1
    with qtbot.waitSignal(dialog.task.finished, timeout=30000):
        assert dialog.verify_all() is not None
    assert "All 1 backups are sound" in dialog.status.text()
    assert [e.action for e in audit_log.entries(admin_session.db)][-1] == "backup"
