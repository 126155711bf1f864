"""An editable table of rows under a patient or referral (a list of dicts keyed by technical column names).

Columns are declared as technical names; coded columns show their labels,
dates show DD/MM/YYYY.  Edits change the in-memory list; the form saves it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from iapt_desktop.domain.code_choices import choice_text
from iapt_desktop.domain.dataset import ColumnType, table
from iapt_desktop.domain.date_entry import display_date
from iapt_desktop.ui.views.field_labels import codes_for, label

Index = QModelIndex | QPersistentModelIndex
PROBLEM_BACKGROUND = QColor("#ffedd5")  # a cell a national rule would flag (tooltip says why)


class ChildRowsRole(IntEnum):
    VALUE = Qt.ItemDataRole.UserRole + 1  # the stored value (code or ISO date)


class ChildRowsModel(QAbstractTableModel):
    """Signals: rows_edited() — any change to the rows (for the form's unsaved-changes state)."""

    rows_edited = Signal()

    def __init__(self, table_name: str, columns: Sequence[str], parent: Any = None, *, editable: bool = True) -> None:
        super().__init__(parent)
        self.table_name = table_name
        self.columns = tuple(columns)
        self.editable = editable
        spec = table(table_name)
        self._types = {c: spec.column(c).type for c in self.columns}
        self._rows: list[dict[str, Any]] = []
        # row -> {column: [problem in words]}; set by the form (see ui/views/record_checks.py)
        self.checker: Callable[[dict[str, Any]], dict[str, list[str]]] | None = None

    # -- data in and out
    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = [dict(r) for r in rows]
        self.endResetModel()

    def rows(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self._rows]

    def append_row(self, values: dict[str, Any] | None = None) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(dict(values or {}))
        self.endInsertRows()
        self.rows_edited.emit()
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
            self.rows_edited.emit()

    def column_name(self, column: int) -> str:
        return self.columns[column]

    def column_type(self, column: int) -> ColumnType:
        return self._types[self.columns[column]]

    # -- Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return label(self.columns[section])
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{self.table_name}.{self.columns[section]}"
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole and section >= 0:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if self.editable else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        name = self.columns[index.column()]
        value = self._rows[index.row()].get(name)
        if role in (Qt.ItemDataRole.EditRole, ChildRowsRole.VALUE):
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(name, value)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole):
            problems = self.checker(self._rows[index.row()]).get(name, []) if self.checker else []
            if role == Qt.ItemDataRole.BackgroundRole:
                return PROBLEM_BACKGROUND if problems else None
            if problems:
                return "\n".join(problems)
            if value not in (None, ""):
                return f"{label(name)}: {self._display(name, value)}"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or not self.editable:
            return False
        name = self.columns[index.column()]
        stored = None if value in ("", None) else value
        if self._rows[index.row()].get(name) == stored:
            return False
        self._rows[index.row()][name] = stored
        # a change can settle or raise problems in other cells of the row
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(self.columns) - 1), [])
        self.rows_edited.emit()
        return True

    def _display(self, name: str, value: Any) -> str:
        if value in (None, ""):
            return ""
        if self._types[name] == ColumnType.DATE:
            return display_date(str(value))
        if self._types[name] in (ColumnType.TIME, ColumnType.DATETIME) and len(str(value)) >= 8:
            return str(value)[-8:-3]  # HH:MM
        codes = codes_for(name)
        if codes is not None:
            code = codes.get(str(value))
            return choice_text(code) if code else f"{value} (not in the code list)"
        return str(value)
