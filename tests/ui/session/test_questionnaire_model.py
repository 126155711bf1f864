"""The questionnaire table model: Qt's model contract, answers in range only, live totals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from iapt_desktop.domain.questionnaires import questionnaire
from iapt_desktop.ui.session.questionnaire_model import ANSWER_ROLE, Column, QuestionnaireTableModel
from iapt_desktop.ui.session.questionnaire_panel import QuestionnairePanel


@pytest.mark.parametrize("key", ["PHQ9", "GAD7", "WSAS", "APEQ", "TPEQ", "SPIN"])
def test_the_model_keeps_qts_model_contract(qtmodeltester: ModelTester, key: str) -> None:
    model = QuestionnaireTableModel(questionnaire(key))
    qtmodeltester.check(model)
    first = model.form.items[0].options[-1]
    assert model.setData(model.index(0, Column.ANSWER), first.value)
    model.set_answers({1: first.value, 2: model.form.items[1].options[0].value})
    qtmodeltester.check(model)


def test_only_the_items_answers_can_be_set(qtbot: QtBot) -> None:
    model = QuestionnaireTableModel(questionnaire("PHQ9"))
    with qtbot.waitSignal(model.answers_changed):
        assert model.setData(model.index(8, Column.ANSWER), "2")
    assert model.index(8, Column.ANSWER).data() == "2 · More than half the days"
    assert model.index(8, Column.ANSWER).data(ANSWER_ROLE) == "2"
    assert model.index(8, Column.ANSWER).data(Qt.ItemDataRole.ForegroundRole) is not None  # risk shown in red
    assert not model.setData(model.index(0, Column.ANSWER), "4")
    assert not model.setData(model.index(0, Column.QUESTION), "1")
    assert not model.answer_by_key(0, "9")
    assert model.answers() == {9: "2"}
    model.set_editable(False)
    assert not model.setData(model.index(0, Column.ANSWER), "1")
    assert not model.flags(model.index(0, Column.ANSWER)) & Qt.ItemFlag.ItemIsEditable


def test_the_panel_shows_the_total_band_and_caseness_as_answers_arrive(qtbot: QtBot) -> None:
    panel = QuestionnairePanel(questionnaire("GAD7"))
    qtbot.addWidget(panel)
    assert panel.summary.text() == "Not answered: nothing is saved for it."
    panel.set_answers({n: "1" for n in range(1, 7)})
    assert panel.summary.text() == "Incomplete — item 7 missing: saved without a total."
    panel.set_answers({n: "1" for n in range(1, 8)})
    assert panel.summary.text() == "Total 7 of 21 · Mild · below caseness (8)"
    panel.set_answers({n: "3" for n in range(1, 8)})
    assert panel.summary.text() == "Total 21 of 21 · Severe · at or above caseness (8)"
