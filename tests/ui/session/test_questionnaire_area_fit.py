"""At the session form's default size every questionnaire is laid out whole: no item's words cut, nothing under
the scroll bar, no sideways scrolling; scrolling down reaches the last questionnaire and the Add button."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from iapt_desktop.ui.session.questionnaire_panel import QuestionnairePanel
from iapt_desktop.ui.session.session_dialog import SessionDialog
from iapt_desktop.ui.session.session_screenshot import SCREENSHOT_SIZE

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


@pytest.mark.parametrize("size", [SCREENSHOT_SIZE, (1120, 900), (860, 700)])
def test_questionnaires_fit_the_scroll_area_at_the_default_size(
        qtbot: QtBot, open_dialog: Callable[..., SessionDialog], size: tuple[int, int]) -> None:
    dialog = open_dialog()
    area = dialog.questionnaires
    for key in ("WSAS", "HAI"):
        area.add(key)
    dialog.resize(*size)
    for _ in range(3):
        QApplication.processEvents()
    viewport = area.viewport()
    assert not area.horizontalScrollBar().isVisible(), "questionnaires wider than the form"
    assert area.verticalScrollBar().isVisible()  # four questionnaires are taller than the form
    for key, panel in area.panels.items():
        left = panel.mapTo(viewport, QPoint(0, 0)).x()
        assert left >= 0 and left + panel.width() <= viewport.width(), f"{key} under the scroll bar or cut"
        needed = panel.heightForWidth(panel.width()) if panel.hasHeightForWidth() else panel.minimumSizeHint().height()
        assert panel.height() >= needed, f"{key} squashed"
        for child in panel.findChildren(QWidget):
            if child.isVisible() and child.parentWidget() is panel:
                assert child.geometry().bottom() < panel.height(), f"{key}: {child.objectName()} cut off"
        if isinstance(panel, QuestionnairePanel):
            view = panel.view
            for row in range(view.model().rowCount()):
                assert view.rowHeight(row) >= view.sizeHintForRow(row), f"{key} item {row + 1} cut"
            assert view.viewport().height() >= sum(view.rowHeight(r) for r in range(view.model().rowCount()))
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    QApplication.processEvents()
    last = area.panels[area.keys()[-1]]
    bottom = last.mapTo(viewport, QPoint(0, last.height())).y()
    assert bottom <= viewport.height()
    button = area.add_button.mapTo(viewport, QPoint(0, area.add_button.height())).y()
    assert button <= viewport.height()
