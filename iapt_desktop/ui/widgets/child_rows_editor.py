"""A list of dated rows under a patient or referral, edited in place: Add, Remove, type to pick codes.

Used for employment history, disabilities, GP registrations, presenting
complaints and the like.  Coded cells are edited with a CodeCombo, date cells
with a DateField (the four delegate overrides of Qt's spinbox delegate example).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iapt_desktop.domain.dataset import ColumnType
from iapt_desktop.ui.models.child_rows_model import ChildRowsModel
from iapt_desktop.ui.views.field_labels import codes_for
from iapt_desktop.ui.widgets.code_combo import CodeCombo
from iapt_desktop.ui.widgets.date_field import DateField

Index = QModelIndex | QPersistentModelIndex
STRETCH_UP_TO_COLUMNS = 5  # wider tables (employment) keep readable widths and scroll sideways


class ChildRowDelegate(QStyledItemDelegate):
    """Code cells get a searchable code picker, date cells a date box, the rest a line edit."""

    def __init__(self, model: ChildRowsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        name = self._model.column_name(index.column())
        codes = codes_for(name)
        if codes is not None:
            return CodeCombo(codes, parent)
        if self._model.column_type(index.column()) == ColumnType.DATE:
            return DateField(parent)
        return QLineEdit(parent)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        """Enter in a code picker first settles the typed words on a code, then commits as usual."""
        if (isinstance(editor, CodeCombo) and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            editor.settle()
        return super().eventFilter(editor, event)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, (CodeCombo, DateField)):
            editor.set_value(None if value is None else str(value))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, (CodeCombo, DateField)):
            value: Any = editor.value()
        elif isinstance(editor, QLineEdit):
            value = editor.text().strip()
        else:
            return
        model.setData(index, value, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:
        rect = option.rect
        editor.setGeometry(rect.x(), rect.y(), max(rect.width(), editor.sizeHint().width()), rect.height())


class ChildRowsEditor(QWidget):
    """Signals: rows_edited() — forwarded from the model."""

    rows_edited = Signal()

    def __init__(
        self, title: str, table_name: str, columns: Sequence[str], parent: QWidget | None = None,
        *, hint: str = "", defaults: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = ChildRowsModel(table_name, columns, self)
        self._defaults = defaults or {}
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(ChildRowDelegate(self.model, self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setMinimumHeight(96)
        heading = QLabel(f"<b>{title}</b>", self)
        self.add_button = QPushButton("Add", self)
        self.add_button.setToolTip(f"Add a row to {title.lower()}")
        self.remove_button = QPushButton("Remove", self)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected)
        top = QHBoxLayout()
        top.addWidget(heading)
        if hint:
            note = QLabel(hint, self)
            note.setStyleSheet("color: #64748b;")
            top.addWidget(note)
        top.addStretch(1)
        top.addWidget(self.add_button)
        top.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view)
        self.model.rows_edited.connect(self.rows_edited)
        remove = QShortcut(QKeySequence.StandardKey.Delete, self.view, activated=self.remove_selected)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._fit_columns()

    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        self.model.set_rows(rows)

    def rows(self) -> list[dict[str, Any]]:
        return self.model.rows()

    def set_editable(self, editable: bool) -> None:
        self.model.editable = editable
        self.add_button.setEnabled(editable)
        self.remove_button.setEnabled(editable)

    def add_row(self) -> None:
        row = self.model.append_row(dict(self._defaults))
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.setFocus()
        self.view.edit(index)

    def remove_selected(self) -> None:
        index = self.view.currentIndex()
        if index.isValid() and self.model.editable:
            self.model.remove_row(index.row())

    def _fit_columns(self) -> None:
        """Coded columns share the spare width; dates and short text keep a fixed, readable width."""
        header = self.view.horizontalHeader()
        few = self.model.columnCount() <= STRETCH_UP_TO_COLUMNS
        coded = any(codes_for(self.model.column_name(c)) is not None for c in range(self.model.columnCount()))
        header.setStretchLastSection(not (few and coded))
        for column in range(self.model.columnCount()):
            if codes_for(self.model.column_name(column)) is not None and not few:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                self.view.setColumnWidth(column, 175)
            elif codes_for(self.model.column_name(column)) is not None:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                wide = self.model.column_type(column) != ColumnType.DATE
                # never narrower than the heading ("Previous diagnosis (code)" was cut at both ends)
                self.view.setColumnWidth(column, max(150 if wide else 105, header.sectionSizeHint(column)))
