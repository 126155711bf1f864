"""A table of figures: one row per month, counsellor or ending reason, one column per figure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from iapt_desktop.domain.metrics.headlines import Headline
from iapt_desktop.domain.metrics.tally import Figure

Index = QModelIndex | QPersistentModelIndex


class FiguresTableModel(QAbstractTableModel):
    """Rows of (label, figures); columns: the label, then one per :class:`Headline`.

    ``SORT_ROLE`` gives the raw value (numbers sort as numbers, empty rates as -1).
    """

    SORT_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, first_header: str, columns: Sequence[Headline], parent: Any = None) -> None:
        super().__init__(parent)
        self._first_header = first_header
        self._columns = tuple(columns)
        self._rows: list[tuple[str, Mapping[str, Figure]]] = []

    def set_rows(self, rows: Sequence[tuple[str, Mapping[str, Figure]]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_label(self, row: int) -> str:
        return self._rows[row][0]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else 1 + len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        label, figures = self._rows[index.row()]
        column = index.column()
        if column == 0:
            if role in (Qt.ItemDataRole.DisplayRole, self.SORT_ROLE):
                return label
            return None
        if not 0 < column <= len(self._columns):
            return None
        headline = self._columns[column - 1]
        value = figures.get(headline.key)
        if role == Qt.ItemDataRole.DisplayRole:
            return headline.format(value)
        if role == self.SORT_ROLE:
            return -1.0 if value is None else float(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and headline.explanation:
            return headline.explanation
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section <= len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._first_header if section == 0 else two_lines(self._columns[section - 1].label)
        if role == Qt.ItemDataRole.ToolTipRole and section > 0:
            headline = self._columns[section - 1]
            return f"{headline.label}: {headline.explanation}" if headline.explanation else headline.label
        return None


def two_lines(label: str, longest: int = 12) -> str:
    """A long header split at the space nearest its middle, so columns stay narrow."""
    if len(label) <= longest or " " not in label:
        return label
    spaces = [i for i, c in enumerate(label) if c == " "]
    split = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return f"{label[:split]}\n{label[split + 1 :]}"
