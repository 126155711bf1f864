"""Settings and staff: bad values get messages in words and nothing wrong is stored; good ones are saved and audited."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlite_utils import Database

from iapt_desktop.domain.access import AccessDenied, Role, User
from iapt_desktop.storage.audit_log import entries
from iapt_desktop.storage.settings_store import all_settings, get_setting
from iapt_desktop.storage.staff_records import StaffRecord, StaffRefused, load_staff, save_staff
from iapt_desktop.ui.admin.settings_dialog import SettingsDialog
from iapt_desktop.ui.admin.staff_dialog import StaffDialog
from tests.ui.admin.conftest import ADMIN, COUNSELLOR

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen only


def _type(qtbot, edit, text: str) -> None:
    edit.selectAll()
    edit.del_()
    qtbot.keyClicks(edit, text)


def test_settings_bad_codes_explained_and_save_disabled(qtbot, db: Database) -> None:
    dialog = SettingsDialog(db, ADMIN)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Needed for the monthly file" in dialog.messages["provider_ods"].text()
    _type(qtbot, dialog.edits["provider_ods"], "AB-1")
    assert dialog.messages["provider_ods"].isVisible()
    assert "letters and digits only" in dialog.messages["provider_ods"].text()
    assert not dialog.save_button.isEnabled()
    _type(qtbot, dialog.edits["default_commissioner"], "ABCDEF")
    assert "3 to 5 characters" in dialog.messages["default_commissioner"].text()
    assert not dialog.save() and get_setting(db, "provider_ods") == ""
    _type(qtbot, dialog.edits["provider_ods"], "ab1")
    assert dialog.save_button.isEnabled() is False  # the commissioner is still wrong
    _type(qtbot, dialog.edits["default_commissioner"], "xyz01")
    assert dialog.save_button.isEnabled()
    dialog.lock.setValue(40)  # the box stops at the maximum
    assert dialog.lock.value() == 15
    assert "IDB" in dialog.messages["idb_template_path"].text()
    _type(qtbot, dialog.template, "/nowhere/IAPTMasterIDB_2.1.accdb")
    assert "was not found" in dialog.messages["idb_template_path"].text()
    assert dialog.save_button.isEnabled()  # a path that is not reachable now can still be stored
    assert dialog.save()
    stored = all_settings(db)
    assert stored["provider_ods"] == "AB1" and stored["default_commissioner"] == "XYZ01"
    assert stored["auto_lock_minutes"] == "15" and stored["submitter_ods"] == ""
    logged = [e for e in entries(db) if e.action == "change settings"]
    assert logged and logged[-1].changes["provider_ods"] == ["", "AB1"]


def test_settings_read_only_for_a_counsellor(qtbot, db: Database) -> None:
    dialog = SettingsDialog(db, COUNSELLOR)
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled()
    assert not dialog.edits["provider_ods"].isEnabled()


def test_staff_entry_checked_as_typed_and_stored_with_qualifications(qtbot, db: Database) -> None:
    dialog = StaffDialog(db, ADMIN)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.rowCount() == 0  # empty list: a new entry is started
    _type(qtbot, dialog.local_id, "C 7")
    assert "no spaces" in dialog.id_message.text()
    assert not dialog.save_button.isEnabled()
    _type(qtbot, dialog.local_id, "X" * 21)
    assert "at most 20" in dialog.id_message.text()
    _type(qtbot, dialog.local_id, "C7")
    assert not dialog.id_message.isVisible()
    assert "Enter the name" in dialog.problems.text()
    _type(qtbot, dialog.name, "Robin Therapist")
    _type(qtbot, dialog.role, "High intensity therapist")
    model = dialog.qualifications.model
    dialog.qualifications.add_row()
    row = model.rowCount() - 1
    model.setData(model.index(row, 0), "16")
    model.setData(model.index(row, 1), "2003-06-30")  # before 2005: a national reject, explained
    assert "IDS90212" in dialog.problems.text()
    dialog.qualifications.add_row()
    model.setData(model.index(1, 0), "16")  # the same level twice cannot be stored
    assert "listed twice" in dialog.problems.text()
    assert not dialog.save_button.isEnabled()
    model.remove_row(1)
    model.setData(model.index(0, 1), "not a date")
    assert "is not a date" in dialog.problems.text()
    assert not dialog.save_button.isEnabled()
    assert load_staff(db, "C7") is None
    model.setData(model.index(0, 1), "2019-06-30")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    stored = load_staff(db, "C7")
    assert stored is not None and stored.display_name == "Robin Therapist" and stored.active
    assert [(q["QualAttainLevelIAPT"], q["QualAwardedDate"]) for q in stored.qualifications] == [("16", "2019-06-30")]
    assert dialog.list.rowCount() == 1 and dialog.list.item(0, 3).text() == "1"
    audited = {(e.action, e.table_name) for e in entries(db)}
    assert ("create", "app_care_personnel") in audited and ("create", "IDS902CarePersQual") in audited

    dialog.active.setChecked(False)  # deactivate: kept, marked as left
    assert dialog.save()
    assert not load_staff(db, "C7").active
    assert dialog.list.item(0, 4).text() == "left"

    dialog.start_new()
    _type(qtbot, dialog.local_id, "C7")
    assert "already on the staff list" in dialog.id_message.text()


def test_storage_refuses_wrong_staff_and_other_roles(db: Database) -> None:
    with pytest.raises(StaffRefused, match="identifier"):
        save_staff(db, ADMIN, StaffRecord("", "Nobody"), is_new=True)
    with pytest.raises(StaffRefused, match="not a date"):
        save_staff(db, ADMIN, StaffRecord("C8", "Sam", qualifications=[
            {"QualAttainLevelIAPT": "16", "QualAwardedDate": "31/02/2020"}]), is_new=True)
    with pytest.raises(AccessDenied):
        save_staff(db, User("ro", "Read Only", Role.READ_ONLY, None), StaffRecord("C9", "Sam"), is_new=True)
    with pytest.raises(AccessDenied):
        save_staff(db, COUNSELLOR, StaffRecord("C9", "Sam"), is_new=True)
    assert load_staff(db, "C8") is None and load_staff(db, "C9") is None


def test_new_lock_minutes_apply_at_once(qtbot, admin_window) -> None:
    from PySide6.QtWidgets import QApplication

    from iapt_desktop.ui.admin.settings_dialog import open_settings
    from iapt_desktop.ui.security.auto_lock import AutoLock

    lock = AutoLock(admin_window, admin_window.session, 10)
    admin_window.auto_lock = lock
    try:
        dialog = open_settings(admin_window, admin_window.session)
        dialog.lock.setValue(5)
        assert dialog.save()
        assert lock.policy.minutes == 5 and lock.timer.interval() == 5 * 60 * 1000
        assert get_setting(admin_window.session.db, "auto_lock_minutes") == "5"
    finally:
        QApplication.instance().removeEventFilter(lock)


def test_staff_save_and_close_share_one_button_row_at_the_bottom(qtbot, db: Database) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    dialog = StaffDialog(db, ADMIN)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    boxes = dialog.findChildren(QDialogButtonBox)
    assert len(boxes) == 1
    box = boxes[0]
    close = box.button(QDialogButtonBox.StandardButton.Close)
    assert close is not None and dialog.save_button in box.buttons()
    assert box.buttonRole(dialog.save_button) == QDialogButtonBox.ButtonRole.ApplyRole
    save_y = dialog.save_button.mapTo(dialog, dialog.save_button.rect().center()).y()
    close_y = close.mapTo(dialog, close.rect().center()).y()
    assert save_y == close_y  # one row
    assert box.geometry().bottom() >= dialog.height() - 2 * box.height()  # at the bottom
    _type(qtbot, dialog.local_id, "S77")
    _type(qtbot, dialog.name, "Sam Row")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # Save keeps the dialog open; only Close closes it
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
