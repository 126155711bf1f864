"""Creating and editing patients and referrals by keyboard; checks in words; saves audited; nothing lost."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QMessageBox, QToolButton
from sqlite_utils import Database

from iapt_desktop.storage import audit_log
from iapt_desktop.storage.record_writes import get_row
from iapt_desktop.ui.main_window import MainWindow
from iapt_desktop.ui.widgets.code_combo import CodeField
from iapt_desktop.ui.widgets.date_field import DateField

# The offscreen platform cannot raise windows or grab the keyboard; it says so as warnings.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


def type_into(widget, text: str) -> None:
    widget.setFocus()
    QTest.keyClicks(widget, text)


def pick(field: CodeField, text: str) -> None:
    """Type part of the words into a code picker and press Enter, as a person would."""
    edit = field.combo.lineEdit()
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, text)
    QTest.keyClick(edit, Qt.Key.Key_Return)


def save_by_keyboard(window: MainWindow) -> None:
    window.activateWindow()
    QTest.keyClick(window.record.form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def new_patient(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    QTest.keyClick(window.caseload.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.record)


def test_create_a_patient_with_checks_in_words_then_save(qtbot, admin_window: MainWindow,
                                                         recording_db: Database) -> None:
    window = admin_window
    new_patient(qtbot, window)
    person = window.record.form.person
    assert person.local_id.text() == "P000001"
    type_into(person.person_edits["family_name"], "Canary")
    type_into(person.person_edits["given_name"], "Cal")
    type_into(person.nhs_number, "999 000 0019")
    message = person.messages["NHSNumber"]
    assert message.isVisible() and "check digit" in message.text()
    person.nhs_number.clear()
    type_into(person.nhs_number, "999 000 0018")
    assert not message.isVisible()
    type_into(person.birth_date, "31/02/1990")
    assert "Not a date" in person.messages["PersonBirthDate"].text()
    person.birth_date.clear()
    type_into(person.birth_date, "14/03/1990")
    assert person.messages["PersonBirthDate"].text().startswith("Age ")
    type_into(person.postcode, "ls14ap")
    assert "space" in person.messages["Postcode"].text()
    QTest.keyClick(person.postcode, Qt.Key.Key_Tab)
    assert person.postcode.text() == "LS1 4AP" and not person.messages["Postcode"].isVisible()
    pick(person.code_fields["Gender"], "Female")
    assert person.code_fields["Gender"].value() == "2"
    assert window.record.state.text() == "Unsaved changes"

    save_by_keyboard(window)
    mpi = get_row(recording_db, "IDS001MPI", "P000001")
    assert mpi and mpi["NHSNumber"] == "9990000018" and mpi["PersonBirthDate"] == "1990-03-14"
    assert mpi["Postcode"] == "LS1 4AP" and mpi["Gender"] == "2" and mpi["OrgIDLocalPatientId"] == "AB1"
    assert get_row(recording_db, "app_patient", "P000001")["family_name"] == "Canary"
    assert ("create", "IDS001MPI", "P000001") in [(e.action, e.table_name, e.record_key)
                                                   for e in audit_log.entries(recording_db)]
    assert window.record.state.text() == "All changes saved"
    assert window.caseload.model.row_of("P000001") >= 0


def test_prefer_not_to_say_and_religion_become_rows(qtbot, admin_window: MainWindow,
                                                    recording_db: Database) -> None:
    window = admin_window
    new_patient(qtbot, window)
    form = window.record.form
    ethnic = form.person.code_fields["EthnicCategory"]
    assert ethnic.declined == "Z"
    qtbot.mouseClick(ethnic.findChild(QToolButton), Qt.MouseButton.LeftButton)
    assert ethnic.value() == "Z"
    pick(form.pickers["Religion"], "Sikh")
    assert form.pickers["Religion"].value() == "366740002"
    save_by_keyboard(window)
    assert get_row(recording_db, "IDS001MPI", "P000001")["EthnicCategory"] == "Z"
    rows = recording_db.execute("SELECT SocPerCircumstance FROM IDS011SocPerCircumstances").fetchall()
    assert rows == [("366740002",)]


def test_referral_created_with_source_dates_and_counsellor(qtbot, counsellor_window: MainWindow,
                                                           recording_db: Database) -> None:
    window = counsellor_window
    new_patient(qtbot, window)
    type_into(window.record.form.person.person_edits["family_name"], "Dove")
    save_by_keyboard(window)
    QTest.keyClick(window.record.form, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    form = window.record.referrals.form
    assert form.counsellor.currentData() == "C1" and form.commissioner.text() == "XYZ01"
    form.received.clear()
    type_into(form.received, "02/04/2025")
    pick(form.source, "Self")
    assert form.source.value() == "B1"
    save_by_keyboard(window)
    referral = get_row(recording_db, "IDS101Referral", "R000001")
    assert referral and referral["ReferralRequestReceivedDate"] == "2025-04-02"
    assert referral["SourceOfReferralIAPT"] == form.source.value() and referral["OrgIDComm"] == "XYZ01"
    assert get_row(recording_db, "app_referral", "R000001")["CarePersLocalId"] == "C1"
    # the counsellor's caseload now lists the patient
    assert window.caseload.model.row_of("P000001") == 0
    type_into(form.discharged, "01/06/2025")
    assert "reason" in form.discharge_message.text()


def test_unsaved_changes_prompt_on_moving_to_another_patient(qtbot, admin_window: MainWindow,
                                                             monkeypatch) -> None:
    window = admin_window
    for name in ("Ash", "Birch"):
        new_patient(qtbot, window)
        type_into(window.record.form.person.person_edits["family_name"], name)
        save_by_keyboard(window)
    assert window.record.local_patient_id == "P000002"
    type_into(window.record.form.person.person_edits["given_name"], "Bea")
    asked: list[str] = []
    answer = QMessageBox.StandardButton.Cancel
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[1]) or answer)
    assert not window.show_patient("P000001")
    assert asked == ["Unsaved changes"] and window.record.local_patient_id == "P000002"
    assert window.record.form.person.person_edits["given_name"].text() == "Bea"
    answer = QMessageBox.StandardButton.Discard
    assert window.show_patient("P000001") and window.record.local_patient_id == "P000001"
    type_into(window.record.form.person.person_edits["given_name"], "Al")
    answer = QMessageBox.StandardButton.Save
    assert window.show_patient("P000002")
    assert window.record.db.execute(
        "SELECT given_name FROM app_patient WHERE LocalPatientId = 'P000001'").fetchone()[0] == "Al"


def test_delete_then_undo_from_the_status_bar(qtbot, admin_window: MainWindow, recording_db: Database,
                                              monkeypatch) -> None:
    window = admin_window
    new_patient(qtbot, window)
    type_into(window.record.form.person.person_edits["family_name"], "Elm")
    save_by_keyboard(window)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.actions_by_name["delete_patient"].trigger()
    assert get_row(recording_db, "IDS001MPI", "P000001") is None
    assert window.caseload.model.row_of("P000001") == -1
    assert window.undo_button.isVisible() and "patient P000001" in window.undo_message.text()
    qtbot.mouseClick(window.undo_button, Qt.MouseButton.LeftButton)
    assert get_row(recording_db, "app_patient", "P000001")["family_name"] == "Elm"
    assert window.caseload.model.row_of("P000001") >= 0 and window.record.local_patient_id == "P000001"
    assert not window.actions_by_name["undo_delete"].isEnabled()


def test_read_only_users_cannot_type_and_are_told_kindly(qtbot, recording_db: Database, db_path,
                                                         settings) -> None:
    from iapt_desktop.domain.access import Role, User
    from tests.ui.recording.conftest import make_window

    reader = User("rita", "Rita Reader", Role.READ_ONLY)
    window = make_window(qtbot, recording_db, db_path, reader, settings)
    assert not window.actions_by_name["new_patient"].isEnabled()
    assert not window.record.save_button.isEnabled()
    edit: QLineEdit = window.record.form.person.person_edits["family_name"]
    assert edit.isReadOnly()
    assert isinstance(window.record.form.person.birth_date, DateField)


def test_national_rules_are_shown_as_you_type_and_mark_cells(qtbot, admin_window: MainWindow) -> None:
    window = admin_window
    new_patient(qtbot, window)
    form = window.record.form
    assert form.checks.isVisible() and "IDS00162" in form.checks.text()  # status is blank
    pick(form.person.code_fields["NHSNumberStatus"], "01")  # "number present and verified" ...
    assert "IDS00162" not in form.checks.text() and "IDS00161" in form.checks.text()  # ... but there is none
    gp = form.editors["IDS002GP"].model
    gp.append_row({"GMPCodeReg": "X1"})
    cell = gp.index(0, gp.columns.index("GMPCodeReg"))
    assert gp.data(cell, Qt.ItemDataRole.BackgroundRole) is not None
    assert "format" in gp.data(cell, Qt.ItemDataRole.ToolTipRole)
    gp.setData(cell, "B86012")
    assert gp.data(cell, Qt.ItemDataRole.BackgroundRole) is None


def test_deleting_an_unsaved_new_patient_discards_the_draft(qtbot, admin_window: MainWindow,
                                                            recording_db: Database) -> None:
    window = admin_window
    new_patient(qtbot, window)
    type_into(window.record.form.person.person_edits["family_name"], "Draft")
    window.actions_by_name["delete_patient"].trigger()  # the fixture answers Discard
    assert window.stack.currentWidget() is window.placeholder and not window.record.is_dirty()
    assert recording_db.execute("SELECT count(*) FROM IDS001MPI").fetchone()[0] == 0


def test_rows_are_added_and_coded_by_keyboard(qtbot, admin_window: MainWindow, recording_db: Database) -> None:
    window = admin_window
    new_patient(qtbot, window)
    editor = window.record.form.editors["IDS007DisabilityType"]
    window.record.form.setCurrentIndex(4)
    editor.add_button.setFocus()
    QTest.keyClick(editor.add_button, Qt.Key.Key_Space)
    combo = editor.view.focusWidget()
    assert combo is not None
    QTest.keyClicks(combo, "Hearing")
    QTest.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.rows() and editor.rows()[0].get("DisabCode") is not None)
    save_by_keyboard(window)
    stored = recording_db.execute("SELECT DisabCode FROM IDS007DisabilityType").fetchall()
    assert len(stored) == 1 and stored[0][0] == editor.rows()[0]["DisabCode"]
    # the Delete key removes the chosen row; saving deletes it (audited)
    window.record.form.setCurrentIndex(4)
    editor = window.record.form.editors["IDS007DisabilityType"]
    editor.view.setFocus()
    editor.view.setCurrentIndex(editor.model.index(0, 0))
    QTest.keyClick(editor.view, Qt.Key.Key_Delete)
    assert editor.rows() == [] and window.record.state.text() == "Unsaved changes"
    save_by_keyboard(window)
    assert recording_db.execute("SELECT count(*) FROM IDS007DisabilityType").fetchone()[0] == 0


def test_a_refused_save_is_explained_and_changes_nothing(qtbot, recording_db: Database, db_path,
                                                        settings, dialogs_answered: list[str]) -> None:
    from iapt_desktop.domain.access import Role, User
    from iapt_desktop.storage.patient_records import new_patient_record, save_patient
    from tests.ui.recording.conftest import ADMIN, make_window

    save_patient(recording_db, ADMIN, new_patient_record(recording_db), None)
    reader = User("rita", "Rita Reader", Role.READ_ONLY)
    window = make_window(qtbot, recording_db, db_path, reader, settings)
    assert window.show_patient("P000001")
    window.record.form.person.person_edits["family_name"].setText("Changed")
    window.actions_by_name["save"].trigger()
    assert dialogs_answered and dialogs_answered[-1].startswith("Not allowed: Rita Reader (Read only) may not")
    assert recording_db.execute("SELECT family_name FROM app_patient").fetchone()[0] == ""


def test_administration_menu_lists_installed_tools_by_permission(qtbot, recording_db: Database, db_path,
                                                                 settings) -> None:
    from tests.ui.recording.conftest import ADMIN, COUNSELLOR, make_window

    def entries(user) -> dict[str, bool]:
        window = make_window(qtbot, recording_db, db_path, user, settings)
        return {a.text(): a.isEnabled() for a in window.menus["Administration"].actions()}

    admin = entries(ADMIN)
    assert admin.get("Users…") is True and admin.get("Audit log…") is True
    assert entries(COUNSELLOR).get("Users…") is False


def test_new_session_opens_the_session_form_and_a_save_refreshes_the_list(qtbot, counsellor_window: MainWindow,
                                                                          recording_db: Database) -> None:
    from iapt_desktop.storage.patient_records import new_patient_record, save_patient
    from iapt_desktop.storage.referral_records import new_referral_record, save_referral
    from iapt_desktop.ui.session.session_dialog import SessionDialog
    from tests.ui.recording.conftest import COUNSELLOR

    patient = new_patient_record(recording_db)
    save_patient(recording_db, COUNSELLOR, patient, None)
    save_referral(recording_db, COUNSELLOR, new_referral_record(recording_db, "P000001", "C1"), None)
    window = counsellor_window
    window.caseload.refresh()
    assert window.show_patient("P000001")
    window.actions_by_name["new_session"].trigger()
    dialog = window.record.referrals.session_dialog
    assert isinstance(dialog, SessionDialog) and dialog.isVisible()
    with qtbot.waitSignal(window.record.referrals.session_saved, timeout=5000):
        assert dialog.save(), dialog.problems.text()
    sessions = window.record.referrals.form.sessions.model
    assert sessions.rowCount() == 1 and sessions.care_contact_id(0)


def test_delete_a_referral_then_undo_from_the_edit_menu(qtbot, counsellor_window: MainWindow,
                                                        recording_db: Database, monkeypatch) -> None:
    from iapt_desktop.storage.patient_records import new_patient_record, save_patient
    from iapt_desktop.storage.referral_records import new_referral_record, save_referral
    from tests.ui.recording.conftest import COUNSELLOR

    save_patient(recording_db, COUNSELLOR, new_patient_record(recording_db), None)
    referral = new_referral_record(recording_db, "P000001", "C1")
    referral.children["IDS603PresentingComplaints"] = [{"FindSchemeInUse": "01", "PresComp": "F411"}]
    save_referral(recording_db, COUNSELLOR, referral, None)
    window = counsellor_window
    window.caseload.refresh()
    assert window.show_patient("P000001") and window.record.referrals.current_id() == "R000001"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.actions_by_name["delete_referral"].trigger()
    assert get_row(recording_db, "IDS101Referral", "R000001") is None
    assert window.record.referrals.current_id() is None
    assert window.caseload.model.row_of("P000001") == 0  # still listed: a patient Casey added, without a referral
    assert "referral R000001" in window.actions_by_name["undo_delete"].text()
    window.actions_by_name["undo_delete"].trigger()
    assert get_row(recording_db, "app_referral", "R000001")["CarePersLocalId"] == "C1"
    assert recording_db.execute("SELECT PresComp FROM IDS603PresentingComplaints").fetchall() == [("F411",)]
    assert window.record.referrals.current_id() == "R000001" and window.caseload.model.row_of("P000001") == 0


def test_an_nhs_number_already_on_another_record_is_pointed_out(qtbot, admin_window: MainWindow) -> None:
    window = admin_window
    new_patient(qtbot, window)
    type_into(window.record.form.person.nhs_number, "9990000018")
    save_by_keyboard(window)
    new_patient(qtbot, window)
    message = window.record.form.person.messages["NHSNumber"]
    type_into(window.record.form.person.nhs_number, "999 000 0018")
    assert message.isVisible() and "already on patient P000001" in message.text()
    window.show_patient("P000001")  # the fixture discards the draft
    assert not message.isVisible()


def test_referral_changes_are_saved_from_any_tab(qtbot, counsellor_window: MainWindow,
                                                 recording_db: Database) -> None:
    window = counsellor_window
    new_patient(qtbot, window)
    type_into(window.record.form.person.person_edits["family_name"], "Fern")
    QTest.keyClick(window.record.form, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    pick(window.record.referrals.form.source, "Self")
    window.record.form.setCurrentIndex(0)  # back on the Person tab: the referral form is out of sight
    save_by_keyboard(window)
    assert get_row(recording_db, "IDS101Referral", "R000001")["SourceOfReferralIAPT"] == "B1"


def test_a_date_that_is_not_a_date_is_never_dropped_silently(qtbot, admin_window: MainWindow,
                                                             recording_db: Database, monkeypatch) -> None:
    window = admin_window
    new_patient(qtbot, window)
    birth = window.record.form.person.birth_date
    type_into(birth, "31/02/1990")
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[1]) or QMessageBox.StandardButton.Cancel)
    save_by_keyboard(window)
    assert asked == ["Some dates are not dates"] and birth.text() == "31/02/1990"
    assert recording_db.execute("SELECT count(*) FROM IDS001MPI").fetchone()[0] == 0
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    save_by_keyboard(window)
    assert get_row(recording_db, "IDS001MPI", "P000001")["PersonBirthDate"] is None
