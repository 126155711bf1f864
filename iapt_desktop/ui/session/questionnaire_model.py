"""The items of one questionnaire and their answers, as a table model (one row per item)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from iapt_desktop.domain.questionnaires import Questionnaire

Index = QModelIndex | QPersistentModelIndex
RISK_BRUSH = QBrush(QColor("#b91c1c"))
UNANSWERED_BRUSH = QBrush(QColor("#94a3b8"))


class Column(IntEnum):
    NUMBER = 0
    QUESTION = 1
    ANSWER = 2


HEADERS = {Column.NUMBER: "#", Column.QUESTION: "Question", Column.ANSWER: "Answer"}

# The stored answer of a row (EditRole gives the same for the answer column).
ANSWER_ROLE = Qt.ItemDataRole.UserRole + 1


class QuestionnaireTableModel(QAbstractTableModel):
    """Signals: answers_changed() — after any answer is set or cleared."""

    answers_changed = Signal()

    def __init__(self, form: Questionnaire, parent: Any = None) -> None:
        super().__init__(parent)
        self.form = form
        self._answers: dict[int, str] = {}
        self._editable = True

    # --- Qt model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.form.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.form.items):
            return None
        item = self.form.items[index.row()]
        value = self._answers.get(item.number)
        column = Column(index.column())
        if role == ANSWER_ROLE or (role == Qt.ItemDataRole.EditRole and column is Column.ANSWER):
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            if column is Column.NUMBER:
                return str(item.number)
            if column is Column.QUESTION:
                return item.text
            option = item.option(value)
            if option is None:
                return "–" if value is None else f"{value} (not a valid answer)"
            return option.caption
        if role == Qt.ItemDataRole.ToolTipRole:
            keys = ", ".join(f"{o.key} = {o.label or o.value}" for o in item.options)
            return f"{item.text}\nKeys: {keys}"
        if role == Qt.ItemDataRole.ForegroundRole and column is Column.ANSWER:
            if item.is_risk(value):
                return RISK_BRUSH
            return UNANSWERED_BRUSH if value is None else None
        if role == Qt.ItemDataRole.FontRole and column is Column.ANSWER and item.is_risk(value):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.NUMBER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(
                Column):
            return HEADERS[Column(section)]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable and index.column() == Column.ANSWER:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != Column.ANSWER:
            return False
        if not self._editable:
            return False
        item = self.form.items[index.row()]
        text = None if value in (None, "") else str(value)
        if text is not None and item.option(text) is None:
            return False  # out of range: impossible by construction
        if self._answers.get(item.number) == text:
            return True
        if text is None:
            self._answers.pop(item.number, None)
        else:
            self._answers[item.number] = text
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(Column) - 1))
        self.answers_changed.emit()
        return True

    # --- our interface
    def answers(self) -> dict[int, str]:
        return dict(self._answers)

    def set_answers(self, answers: dict[int, str]) -> None:
        self.beginResetModel()
        self._answers = {n: a for n, a in answers.items() if 1 <= n <= len(self.form.items)}
        self.endResetModel()
        self.answers_changed.emit()

    def set_editable(self, editable: bool) -> None:
        self._editable = editable

    def answer_by_key(self, row: int, key: str) -> bool:
        """Set row's answer from a typed key ('2', 'y', 'a'); False when the key is no answer of that item."""
        option = self.form.items[row].option_for_key(key)
        if option is None:
            return False
        return self.setData(self.index(row, Column.ANSWER), option.value)
