"""A message in words under or beside a field: what is wrong and how to fix it (never blocks a save)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

WARNING_STYLE = "color: #9a3412; background: #fff7ed; border-radius: 3px; padding: 2px 6px;"
NOTE_STYLE = "color: #475569; padding: 2px 0px;"


class FieldMessage(QLabel):
    """Hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setObjectName("fieldMessage")
        self.hide()

    def show_problem(self, text: str | None) -> None:
        self._show(text, WARNING_STYLE)

    def show_note(self, text: str | None) -> None:
        self._show(text, NOTE_STYLE)

    def _show(self, text: str | None, style: str) -> None:
        self.setText(text or "")
        self.setStyleSheet(style)
        self.setVisible(bool(text))
