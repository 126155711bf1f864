"""The language of a session (IDS201 LanguageCodeTreat) is picked by name and stored as its two-letter code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlite_utils import Database

from iapt_desktop.ui.session.session_dialog import SessionDialog
from iapt_desktop.ui.widgets.code_combo import CodeCombo
from tests.session_data import COUNSELLOR, referral_with_staff
from tests.ui.session.conftest import NOW

# The offscreen platform cannot raise windows, grab the keyboard or pass size hints on; it says so as warnings.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

Opener = Callable[..., SessionDialog]


def receiver() -> QWidget:
    """Where a key press goes: the open list of matches while it shows (as the window system sends it), else
    the focused field."""
    widget = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert widget is not None
    return widget


def choose_language(dialog: SessionDialog, typed: str, leave: Qt.Key = Qt.Key.Key_Tab) -> None:
    assert dialog.fields.focus_column("LanguageCodeTreat")
    assert QApplication.focusWidget() is dialog.fields.language
    for character in typed:
        QTest.keyClicks(QApplication.focusWidget(), character)
    QTest.keyClick(receiver(), leave)


def test_the_session_language_is_a_searchable_list_of_names(open_dialog: Opener) -> None:
    dialog = open_dialog()
    language = dialog.fields.language
    assert isinstance(language, CodeCombo)
    assert language.itemText(1) == "English (en)"  # first after "not recorded"
    assert language.findData("q2") > 0 and "q2" in language.itemText(language.findData("q2"))
    choose_language(dialog, "Eng")
    assert language.value() == "en" and language.currentText() == "English (en)"
    choose_language(dialog, "punj", Qt.Key.Key_Return)  # Enter takes the match and stays (the form is not saved)
    assert language.value() == "pa" and dialog.isVisible()
    assert QApplication.focusWidget() is language


def test_the_chosen_language_is_saved_as_its_code_and_shown_by_name_again(
        qtbot: QtBot, db: Database, open_dialog: Opener) -> None:
    dialog = open_dialog()
    choose_language(dialog, "Polish")
    with qtbot.waitSignal(dialog.saved) as saved:
        assert dialog.save(), dialog.problems.text()
    contact = db.table("IDS201CareContact").get(saved.args[0])
    assert contact["LanguageCodeTreat"] == "pl"
    again = open_dialog(care_contact_id=saved.args[0])
    assert again.fields.language.value() == "pl" and again.fields.language.currentText() == "Polish (pl)"


def test_a_stored_code_outside_the_list_is_kept(qtbot: QtBot, db: Database, open_dialog: Opener) -> None:
    db.execute("UPDATE IDS201CareContact SET LanguageCodeTreat = 'xx' WHERE CareContactId = 'C00000001'")
    dialog = open_dialog(care_contact_id="C00000001")
    assert dialog.fields.language.value() == "xx"
    assert "not in the code list" in dialog.fields.language.currentText()


def test_a_first_session_takes_the_patients_preferred_language(qtbot: QtBot, db: Database) -> None:
    referral_with_staff(db)
    db.execute("UPDATE IDS001MPI SET LanguageCodePreferred = 'pl' WHERE LocalPatientId = 'P1'")
    dialog = SessionDialog(db, COUNSELLOR, "R1", None, now=NOW)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.fields.language.value() == "pl" and dialog.fields.language.currentText() == "Polish (pl)"
    with qtbot.waitSignal(dialog.saved) as saved:
        assert dialog.save(), dialog.problems.text()
    assert db.table("IDS201CareContact").get(saved.args[0])["LanguageCodeTreat"] == "pl"
    # the next session copies the last session's language, even when the preference changed since
    db.execute("UPDATE IDS001MPI SET LanguageCodePreferred = 'pa' WHERE LocalPatientId = 'P1'")
    second = SessionDialog(db, COUNSELLOR, "R1", None, now=NOW + dt.timedelta(days=7))
    qtbot.addWidget(second)
    assert second.fields.language.value() == "pl"


def test_a_first_session_without_a_preferred_language_leaves_the_language_unrecorded(
        qtbot: QtBot, db: Database) -> None:
    referral_with_staff(db)
    dialog = SessionDialog(db, COUNSELLOR, "R1", None, now=NOW)
    qtbot.addWidget(dialog)
    assert dialog.fields.language.value() is None
