"""A date entry box: type 31/01/2025 (or t for today); checked as you type, shown as DD/MM/YYYY."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from iapt_desktop.domain.date_entry import display_date, parse_typed_date, typed_date_problem


class DateField(QLineEdit):
    """Signals: value_edited(object) — the ISO date text or None, after each keystroke;
    problem_changed(object) — a message in words or None."""

    value_edited = Signal(object)
    problem_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("dd/mm/yyyy")
        self.setMaximumWidth(130)
        self.setToolTip("Type the date as day/month/year, for example 31/01/2025; t is today.")
        self._problem: str | None = None
        self.textEdited.connect(self._edited)
        self.editingFinished.connect(self._tidy)

    def value(self) -> str | None:
        day = parse_typed_date(self.text())
        return day.isoformat() if day else None

    def date(self) -> dt.date | None:
        return parse_typed_date(self.text())

    def set_value(self, iso: str | None) -> None:
        self.setText(display_date(iso))
        self._set_problem(typed_date_problem(self.text()))

    def problem(self) -> str | None:
        return self._problem

    def _edited(self, text: str) -> None:
        self._set_problem(typed_date_problem(text))
        self.value_edited.emit(self.value())

    def _tidy(self) -> None:
        if self.value():
            self.setText(display_date(self.value()))

    def _set_problem(self, problem: str | None) -> None:
        if problem != self._problem:
            self._problem = problem
            self.problem_changed.emit(problem)
