"""The session dialog driven by keyboard, as a counsellor between clients would."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot
from sqlite_utils import Database

from iapt_desktop.storage import audit_log
from iapt_desktop.ui.session.questionnaire_panel import QuestionnairePanel
from iapt_desktop.ui.session.session_dialog import SessionDialog
from tests.session_data import READER
from tests.ui.session.keyboard import CountingKeyboard

# The offscreen platform cannot pass a top-level window's size hints on; harmless, and only offscreen.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

Opener = Callable[..., SessionDialog]
PHQ_DIGITS = "221301210"  # total 12
GAD_DIGITS = "1221011"  # total 8


def rows(db: Database, sql: str, *params: object) -> list[tuple]:
    return db.execute(sql, list(params)).fetchall()


def test_a_routine_session_from_a_paper_form_takes_seventeen_keys(
        qtbot: QtBot, db: Database, open_dialog: Opener) -> None:
    audit_before = len(list(audit_log.entries(db)))
    dialog = open_dialog()
    keys = CountingKeyboard()
    assert keys.focused() is dialog.panels["PHQ9"].view  # the cursor waits on PHQ-9 item 1
    keys.type(PHQ_DIGITS)
    assert keys.focused() is dialog.panels["GAD7"].view
    assert dialog.panels["PHQ9"].summary.text().startswith("Total 12 of 27 · Moderate · at or above caseness (10)")
    keys.type(GAD_DIGITS)
    assert keys.focused() is dialog.save_button
    assert dialog.panels["GAD7"].summary.text().startswith("Total 8 of 21 · Mild")
    assert not dialog.banner.isVisible()
    with qtbot.waitSignal(dialog.saved) as saved:
        keys.save()
    assert keys.count == 17 <= 30
    contact_id = saved.args[0]
    assert contact_id == "C00000002"
    contact = db.table("IDS201CareContact").get(contact_id)
    assert (contact["ServiceRequestId"], contact["CareContDate"], contact["CareContTime"]) == (
        "R1", "2025-04-10", "14:00:00")
    assert (contact["AttendOrDNACode"], contact["AppType"], contact["ConsMechanism"]) == ("5", "02", "11")
    assert (contact["CareContPatientTherMode"], contact["IAPTLTCServiceInd"], contact["OrgIDComm"]) == (
        "1", "N", "15F")
    assert contact["Cancellation"] is None and contact["ClinContDurOfCareCont"] == 50
    [activity] = rows(db, "SELECT CareActId, CarePersLocalId, CodeProcAndProcStatus, ClinContactDurOfCareAct "
                          "FROM IDS202CareActivity WHERE CareContactId = ?", contact_id)
    assert activity == ("A00000002", "CP1", "286711000000107", 50)
    scores = rows(db, "SELECT app_row_id, CodedAssToolType, PersScore FROM IDS607CodedScoreAssessmentAct "
                      "WHERE CareActId = ? ORDER BY app_row_id", activity[0])
    assert [(code, total) for _, code, total in scores] == [("720433000", "12"), ("445455005", "8")]
    for (row_id, _, _), digits in zip(scores, (PHQ_DIGITS, GAD_DIGITS), strict=True):
        answers = rows(db, "SELECT item, answer FROM app_questionnaire_answer WHERE score_table = "
                           "'IDS607CodedScoreAssessmentAct' AND score_row_id = ? ORDER BY item", row_id)
        assert "".join(a for _, a in answers) == digits
    trail = list(audit_log.entries(db))[audit_before:]
    assert [e.table_name for e in trail[:2]] == ["IDS201CareContact", "IDS202CareActivity"]
    assert len(trail) == 2 + 2 + 16 and {e.username for e in trail} == {"casey"}
    assert not dialog.isVisible()


def test_item9_raises_the_risk_banner_and_saving_needs_the_acknowledgement(
        qtbot: QtBot, db: Database, open_dialog: Opener) -> None:
    dialog = open_dialog()
    keys = CountingKeyboard()
    keys.type(PHQ_DIGITS[:8])
    assert not dialog.banner.isVisible()
    keys.type("2")  # item 9: more than half the days
    assert dialog.banner.isVisible()
    details = dialog.banner.details.text()
    assert "item 9" in details and "answered 2 (more than half the days)" in details
    keys.type(GAD_DIGITS)
    with qtbot.assertNotEmitted(dialog.saved):
        keys.save()
    assert dialog.isVisible() and dialog.problems.isVisible()
    assert "risk procedure" in dialog.problems.text()
    assert keys.focused() is dialog.banner.acknowledge
    assert db.table("IDS201CareContact").count == 1  # only the earlier session
    keys.key(Qt.Key.Key_Space)
    assert dialog.banner.is_acknowledged()
    with qtbot.waitSignal(dialog.saved) as saved:
        keys.save()
    assert keys.count == 9 + 7 + 1 + 1 + 1 <= 30
    assert rows(db, "SELECT CareContactId, tool, item, answer, acknowledged_by FROM app_risk_alert") == [
        (saved.args[0], "720433000", 9, "2", "casey")]
    assert rows(db, "SELECT PersScore FROM IDS607CodedScoreAssessmentAct WHERE CodedAssToolType = '720433000' "
                    "ORDER BY app_row_id DESC LIMIT 1") == [("14",)]


def test_backspace_goes_back_and_keys_out_of_range_do_nothing(open_dialog: Opener) -> None:
    dialog = open_dialog()
    panel = dialog.panels["PHQ9"]
    assert isinstance(panel, QuestionnairePanel)
    keys = CountingKeyboard()
    keys.type("12")
    assert panel.answers() == {1: "1", 2: "2"} and panel.view.currentIndex().row() == 2
    keys.type("7x")  # not answers of PHQ-9: nothing happens
    assert panel.answers() == {1: "1", 2: "2"} and panel.view.currentIndex().row() == 2
    keys.key(Qt.Key.Key_Backspace)
    assert panel.answers() == {1: "1"} and panel.view.currentIndex().row() == 1
    keys.type("3")
    assert panel.answers() == {1: "1", 2: "3"}
    assert panel.summary.text().startswith("Incomplete — items 3, 4, 5, 6, 7, 8…")


def test_did_not_attend_disables_questionnaires_and_saves_no_scores(
        qtbot: QtBot, db: Database, open_dialog: Opener) -> None:
    dialog = open_dialog()
    keys = CountingKeyboard()
    keys.type("3")  # an answer typed before noticing the patient did not come
    keys.key(Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # Alt+A: attendance
    assert keys.focused() is dialog.fields.attendance
    keys.type("3")  # 3 · did not attend
    assert dialog.fields.attendance.value() == "3"
    assert not dialog.questionnaires.isEnabled() and dialog.not_attended.isVisible()
    assert not dialog.fields.therapy.isEnabled() and not dialog.fields.cancellation.isEnabled()
    with qtbot.waitSignal(dialog.saved) as saved:
        keys.save()
    contact = db.table("IDS201CareContact").get(saved.args[0])
    assert contact["AttendOrDNACode"] == "3" and contact["Cancellation"] is None
    assert rows(db, "SELECT count(*) FROM IDS202CareActivity WHERE CareContactId = ?", saved.args[0]) == [(0,)]
    assert db.table("IDS607CodedScoreAssessmentAct").count == 2  # the earlier session's only


def test_a_patient_cancellation_asks_whether_it_was_short_notice(
        qtbot: QtBot, db: Database, open_dialog: Opener) -> None:
    dialog = open_dialog()
    keys = CountingKeyboard()
    keys.key(Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    keys.type("2")
    assert dialog.fields.cancellation.isEnabled()
    with qtbot.assertNotEmitted(dialog.saved):
        keys.save()
    assert "short notice" in dialog.problems.text()
    assert keys.focused() is dialog.fields.cancellation
    keys.type("Y")
    with qtbot.waitSignal(dialog.saved) as saved:
        keys.save()
    assert db.table("IDS201CareContact").get(saved.args[0])["Cancellation"] == "Y"


def test_a_date_in_the_future_is_refused_with_a_message(qtbot: QtBot, db: Database, open_dialog: Opener) -> None:
    dialog = open_dialog()
    assert not dialog.problems.isVisible()
    keys = CountingKeyboard()
    keys.key(Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    keys.key(Qt.Key.Key_Up)  # the day part: tomorrow
    assert dialog.problems.isVisible() and "in the future" in dialog.problems.text()  # as you type
    keys.key(Qt.Key.Key_Down)
    assert not dialog.problems.isVisible()
    dialog.fields.date.setDate(dialog.fields.date.date().addDays(1))
    with qtbot.assertNotEmitted(dialog.saved):
        assert not dialog.save()
    assert "in the future" in dialog.problems.text()
    assert QApplication.focusWidget() is dialog.fields.date
    assert db.table("IDS201CareContact").count == 1


def test_editing_a_session_replaces_its_scores(qtbot: QtBot, db: Database, open_dialog: Opener) -> None:
    dialog = open_dialog(care_contact_id="C00000001")
    assert dialog.heading.text() == "Session C00000001"
    phq = dialog.panels["PHQ9"]
    assert isinstance(phq, QuestionnairePanel)
    assert phq.answers()[1] == "2" and phq.summary.text().startswith("Total 16 of 27")
    assert CountingKeyboard.focused() is dialog.fields.date  # editing starts at the top
    phq.view.setFocus()
    phq.view.go_to(0)
    keys = CountingKeyboard()
    keys.type("0")
    with qtbot.waitSignal(dialog.saved) as saved:
        keys.save()
    assert saved.args == ["C00000001"]
    assert rows(db, "SELECT CodedAssToolType, PersScore FROM IDS607CodedScoreAssessmentAct ORDER BY app_row_id") == [
        ("720433000", "14"), ("445455005", "14")]
    assert rows(db, "SELECT answer FROM app_questionnaire_answer a JOIN IDS607CodedScoreAssessmentAct s "
                    "ON s.app_row_id = a.score_row_id WHERE s.CodedAssToolType = '720433000' AND a.item = 1") == [
        ("0",)]
    assert db.table("IDS201CareContact").count == 1


def test_wsas_peq_and_a_typed_total_are_added_from_the_menu(qtbot: QtBot, db: Database, open_dialog: Opener) -> None:
    dialog = open_dialog()
    keys = CountingKeyboard()
    dialog.add_questionnaire("WSAS")
    keys.type("94421")  # work not applicable, then the other four
    assert "no total" in dialog.panels["WSAS"].summary.text()
    dialog.add_questionnaire("APEQ")
    keys.type("yna4")  # 4 is no answer to question 4 (yes / no / not applicable): ignored
    keys.type("n3")
    dialog.add_questionnaire("OCI")
    keys.type("200")
    with qtbot.assertNotEmitted(dialog.saved):
        keys.save()
    assert "0 to 168" in dialog.problems.text()
    keys.key(Qt.Key.Key_Backspace)
    keys.key(Qt.Key.Key_Backspace)
    keys.key(Qt.Key.Key_Backspace)
    keys.type("44")
    with qtbot.waitSignal(dialog.saved):
        keys.save()
    saved = dict(rows(db, "SELECT CodedAssToolType, PersScore FROM IDS607CodedScoreAssessmentAct "
                          "WHERE CareActId = 'A00000002'"))
    assert saved == {"932621000000100": "9", "932581000000100": "4", "932611000000106": "4",
                     "932591000000103": "2", "932601000000109": "1", "747861000000100": "Y",
                     "747871000000107": "N", "747881000000109": "NA", "904691000000103": "N", "747891000000106": "3",
                     "450324005": "44"}


def test_escape_asks_before_discarding_changes(qtbot: QtBot, open_dialog: Opener) -> None:
    dialog = open_dialog()
    keys = CountingKeyboard()
    keys.type("1")

    def question() -> QMessageBox:
        [box] = [b for b in dialog.findChildren(QMessageBox, "discardQuestion") if b.isVisible()]
        return box

    def button(box: QMessageBox, text: str) -> QAbstractButton:
        [found] = [b for b in box.buttons() if b.text().replace("&", "") == text]
        return found

    keys.key(Qt.Key.Key_Escape)
    box = question()
    assert "not saved" in box.text()
    button(box, "Keep editing").click()
    assert dialog.isVisible() and dialog.panels["PHQ9"].answers() == {1: "1"}
    keys.key(Qt.Key.Key_Escape)
    with qtbot.waitSignal(dialog.rejected):
        button(question(), "Discard changes").click()
    assert not dialog.isVisible()


def test_escape_without_changes_closes_at_once(qtbot: QtBot, open_dialog: Opener) -> None:
    dialog = open_dialog()
    with qtbot.waitSignal(dialog.rejected):
        CountingKeyboard().key(Qt.Key.Key_Escape)


def test_a_read_only_user_sees_the_session_and_cannot_change_it(qtbot: QtBot, open_dialog: Opener) -> None:
    dialog = open_dialog(user=READER, care_contact_id="C00000001")
    assert not dialog.save_button.isVisible() and not dialog.fields.isEnabled()
    assert "not change" in dialog.hint.text()
    phq = dialog.panels["PHQ9"]
    phq.view.setFocus()
    phq.view.go_to(0)
    CountingKeyboard().type("0")
    assert phq.answers()[1] == "2"
    with qtbot.assertNotEmitted(dialog.saved):
        assert not dialog.save()


def test_every_alt_letter_is_used_once(open_dialog: Opener) -> None:
    dialog = open_dialog()
    texts = [w.text() for w in dialog.findChildren(QLabel) if w.buddy() is not None]
    texts += [w.text() for w in dialog.findChildren(QAbstractButton)]
    letters = [t[t.index("&") + 1].lower() for t in texts if "&" in t and not t.startswith("<")]
    assert len(letters) >= 15 and len(letters) == len(set(letters)), sorted(letters)


def test_an_imported_total_without_items_is_shown_and_kept(qtbot: QtBot, db: Database, open_dialog: Opener) -> None:
    db.execute("DELETE FROM app_questionnaire_answer")  # as if imported: totals only
    dialog = open_dialog(care_contact_id="C00000001")
    assert dialog.panels["PHQ9"].summary.text().startswith("Total 16 recorded without item answers")
    dialog.fields.duration.setValue(55)
    with qtbot.waitSignal(dialog.saved):
        CountingKeyboard().save()
    assert rows(db, "SELECT CodedAssToolType, PersScore FROM IDS607CodedScoreAssessmentAct ORDER BY app_row_id") == [
        ("720433000", "16"), ("445455005", "14")]


def test_enter_on_save_after_the_last_item_saves(qtbot: QtBot, open_dialog: Opener) -> None:
    dialog = open_dialog()
    keys = CountingKeyboard()
    keys.type(PHQ_DIGITS + GAD_DIGITS)
    with qtbot.waitSignal(dialog.saved):
        keys.key(Qt.Key.Key_Return)
    assert keys.count == 17


def test_a_missing_appointment_type_is_shown_blank_and_asked_for(
        qtbot: QtBot, db: Database, open_dialog: Opener) -> None:
    """A session stored without a mandatory code is not silently given the first code of the list."""
    db.execute("UPDATE IDS201CareContact SET AppType = NULL, IAPTLTCServiceInd = NULL")
    dialog = open_dialog(care_contact_id="C00000001")
    assert dialog.fields.app_type.value() is None and dialog.fields.ltc_service.value() is None
    dialog.focus_field("AppType")
    assert QApplication.focusWidget() is dialog.fields.app_type
    with qtbot.assertNotEmitted(dialog.saved):
        assert not dialog.save()
    assert "appointment type" in dialog.problems.text()


def test_focus_field_finds_activity_details_and_scores(open_dialog: Opener) -> None:
    dialog = open_dialog(care_contact_id="C00000001")
    dialog.focus_field("ClinContactDurOfCareAct")
    assert QApplication.focusWidget() is dialog.fields.duration
    dialog.focus_field("InterpreterPresentInd")  # under "More details", which opens
    assert dialog.fields.more.isVisible() and QApplication.focusWidget() is dialog.fields.interpreter
    dialog.focus_field("PersScore")
    assert QApplication.focusWidget() is dialog.panels["PHQ9"].view
    dialog.focus_field("NoSuchColumn")
    assert QApplication.focusWidget() is dialog.fields.date


def test_enter_inside_a_questionnaire_moves_on_and_never_saves_half_a_form(
        qtbot: QtBot, open_dialog: Opener) -> None:
    dialog = open_dialog()
    keys = CountingKeyboard()
    keys.type("12")
    dialog.panels["PHQ9"].view.go_to(0)
    with qtbot.assertNotEmitted(dialog.saved):
        keys.key(Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.panels["PHQ9"].view.currentIndex().row() == 2  # first unanswered
    keys.type("0000000")
    assert keys.focused() is dialog.panels["GAD7"].view
    dialog.panels["PHQ9"].view.setFocus()
    keys.key(Qt.Key.Key_Return)  # PHQ-9 complete: on to GAD-7
    assert keys.focused() is dialog.panels["GAD7"].view


def test_a_recorded_risk_confirmation_shows_on_reopening_and_a_new_answer_asks_again(
        qtbot: QtBot, db: Database, open_dialog: Opener) -> None:
    dialog = open_dialog()
    keys = CountingKeyboard()
    keys.type(PHQ_DIGITS[:8] + "1" + GAD_DIGITS)
    dialog.banner.acknowledge.setChecked(True)
    dialog.banner.note.setText("Safety plan reviewed")
    with qtbot.waitSignal(dialog.saved) as saved:
        keys.save()
    again = open_dialog(care_contact_id=saved.args[0])
    assert again.banner.isVisible() and again.banner.is_acknowledged()
    assert "casey confirmed the risk procedure" in again.banner.recorded.text()
    assert again.banner.note.text() == "Safety plan reviewed"
    phq = again.panels["PHQ9"]
    phq.view.setFocus()
    phq.view.go_to(8)
    CountingKeyboard().type("3")  # a different risk answer
    assert not again.banner.is_acknowledged()
    with qtbot.assertNotEmitted(again.saved):
        assert not again.save()
