"""Measures entered as a typed total say beside the field why they are not entered item by item."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from iapt_desktop.domain.questionnaires import questionnaire
from iapt_desktop.ui.session.questionnaire_panel import TypedTotalPanel
from iapt_desktop.ui.session.session_dialog import SessionDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

Opener = Callable[..., SessionDialog]


@pytest.mark.parametrize("key", ["OCI", "MI_473354003", "BIQ", "IBS_SSS"])
def test_a_typed_total_measure_explains_itself_beside_the_field(qtbot: QtBot, open_dialog: Opener, key: str) -> None:
    dialog = open_dialog()
    panel = dialog.add_questionnaire(key)
    assert isinstance(panel, TypedTotalPanel)
    reason = questionnaire(key).total_only_reason
    qtbot.waitUntil(panel.total_only.isVisible)  # a panel added to the open form is shown by the event loop
    assert panel.total_only.text().startswith("<b>Total typed, not item by item:</b>")
    assert reason in panel.total_only.text()
    assert reason in panel.edit.toolTip()


def test_item_by_item_measures_have_no_such_note(open_dialog: Opener) -> None:
    dialog = open_dialog()
    panel = dialog.add_questionnaire("SPIN")
    assert not isinstance(panel, TypedTotalPanel)
    assert len(questionnaire("SPIN").items) == 17
