"""The Person tab's language and 2021 ethnic category fields."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from iapt_desktop.ui.views.person_fields import PersonFields
from iapt_desktop.ui.widgets.code_combo import CodeField

# The offscreen platform cannot raise windows or grab the keyboard; it says so as warnings.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


@pytest.fixture
def fields(qtbot: QtBot) -> PersonFields:
    widget = PersonFields()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def receiver() -> QWidget:
    """Where a key press goes: the open list of matches while it shows, else the focused field."""
    widget = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert widget is not None
    return widget


def test_preferred_language_is_picked_by_name_and_stored_as_its_code(qtbot: QtBot, fields: PersonFields) -> None:
    language = fields.code_fields["LanguageCodePreferred"]
    assert isinstance(language, CodeField)
    assert language.combo.itemText(1) == "English (en)"  # first after "not recorded"
    edited: list[bool] = []
    fields.edited.connect(lambda: edited.append(True))
    language.setFocus()
    for character in "Eng":
        QTest.keyClicks(QApplication.focusWidget(), character)
    QTest.keyClick(receiver(), Qt.Key.Key_Return)
    assert language.value() == "en" and edited
    mpi: dict[str, object] = {}
    fields.write_into(mpi, {})
    assert mpi["LanguageCodePreferred"] == "en"


def test_a_stored_language_shows_its_name_and_an_unknown_code_is_kept(fields: PersonFields) -> None:
    language = fields.code_fields["LanguageCodePreferred"]
    fields.load({"LocalPatientId": "P1", "LanguageCodePreferred": "ur"}, {})
    assert language.combo.currentText() == "Urdu (ur)"
    fields.load({"LocalPatientId": "P1", "LanguageCodePreferred": "q2"}, {})
    assert language.combo.currentText() == "Local code q2 (meaning set by the service)"
    fields.load({"LocalPatientId": "P1", "LanguageCodePreferred": "zz"}, {})
    mpi: dict[str, object] = {}
    fields.write_into(mpi, {})
    assert mpi["LanguageCodePreferred"] == "zz"
    fields.set_read_only(True)
    assert not language.isEnabled()


def test_the_2021_ethnic_category_says_its_code_list_is_unconfirmed_and_keeps_free_text(
        fields: PersonFields) -> None:
    edit = fields.ethnic_2021
    assert "not confirmed" in edit.placeholderText()
    assert "not confirmed" in edit.toolTip() and "not checked" in edit.toolTip() and "v2.1" in edit.toolTip()
    edit.setText("B1")
    mpi: dict[str, object] = {}
    fields.write_into(mpi, {})
    assert mpi["EthnicCategory2021"] == "B1"
