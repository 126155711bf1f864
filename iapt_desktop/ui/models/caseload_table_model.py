"""The caseload as a Qt table: patient keys in view order plus their rows, fetched a page at a time.

Pages come from ``storage.caseload_queries`` with keyset paging (``WHERE key > ?
LIMIT 200``), on demand as the view scrolls (Qt's ``canFetchMore``/``fetchMore``),
so 100,000 patients open instantly.  A new filter or search is one model reset.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from sqlite_utils import Database

from iapt_desktop.domain.access import User
from iapt_desktop.domain.date_entry import display_date
from iapt_desktop.domain.field_checks import format_nhs_number
from iapt_desktop.storage.caseload_queries import (
    COUNT_CAP,
    PAGE_SIZE,
    CaseloadFilter,
    CaseloadRow,
    count_caseload,
    page_caseload,
)

Index = QModelIndex | QPersistentModelIndex


class CaseloadColumn(IntEnum):
    """In view order: who and where they are first (a narrow list shows these), the rest to scroll to."""

    NAME = 0
    STATUS = 1
    LAST_CONTACT = 2
    NHS_NUMBER = 3
    BIRTH_DATE = 4
    LOCAL_ID = 5
    COUNSELLOR = 6


HEADERS = {
    CaseloadColumn.NAME: "Name",
    CaseloadColumn.LOCAL_ID: "Local ID",
    CaseloadColumn.NHS_NUMBER: "NHS number",
    CaseloadColumn.BIRTH_DATE: "Born",
    CaseloadColumn.STATUS: "Referral",
    CaseloadColumn.COUNSELLOR: "Counsellor",
    CaseloadColumn.LAST_CONTACT: "Last session",
}

KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # LocalPatientId of the row
ELIDED_COLUMNS = (CaseloadColumn.NAME, CaseloadColumn.COUNSELLOR)  # may be narrower than their texts


class CaseloadTableModel(QAbstractTableModel):
    """Signals: total_changed(object) — the number of patients matching the filter (a Python int); a search
    counts at most ``COUNT_CAP`` + 1 (``total_is_capped`` then says the real number is larger)."""

    total_changed = Signal(object)

    def __init__(self, db: Database, viewer: User, flt: CaseloadFilter, parent: Any = None,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.db = db
        self.viewer = viewer
        self.page_size = page_size
        self._filter = flt
        self._rows: list[CaseloadRow] = []
        self._exhausted = False
        self.total = 0
        self.reload()

    @property
    def filter(self) -> CaseloadFilter:
        return self._filter

    def set_filter(self, flt: CaseloadFilter) -> None:
        self._filter = flt
        self.reload()

    def reload(self) -> None:
        """One reset: the first page, then the count (more pages arrive as the view scrolls)."""
        self.beginResetModel()
        self._rows = page_caseload(self.db, self.viewer, self._filter, None, self.page_size)
        self._exhausted = len(self._rows) < self.page_size
        # a page that is not full is every match: no need to count them again
        self.total = (len(self._rows) if self._exhausted
                      else count_caseload(self.db, self.viewer, self._filter, COUNT_CAP))
        self.endResetModel()
        self.total_changed.emit(self.total)

    @property
    def total_is_capped(self) -> bool:
        return bool(self._filter.search.strip()) and self.total > COUNT_CAP

    def row_of(self, local_patient_id: str) -> int:
        for number, row in enumerate(self._rows):
            if row.local_patient_id == local_patient_id:
                return number
        return -1

    def key(self, row: int) -> str | None:
        return self._rows[row].local_patient_id if 0 <= row < len(self._rows) else None

    def texts(self, column: CaseloadColumn, rows: int) -> set[str]:
        """The distinct texts of a column in the first ``rows`` rows loaded (to size the column)."""
        return {self._text(row, column) for row in self._rows[:rows]}

    # -- fetching on demand
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted or not self._rows:
            self._exhausted = True
            return
        page = page_caseload(self.db, self.viewer, self._filter, self._rows[-1].page_key, self.page_size)
        self._exhausted = len(page) < self.page_size
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    # -- Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CaseloadColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(CaseloadColumn):
            return HEADERS[CaseloadColumn(section)]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == KEY_ROLE:
            return row.local_patient_id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, CaseloadColumn(index.column()))
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in ELIDED_COLUMNS:
            return self._text(row, CaseloadColumn(index.column()))  # the whole name when the column is narrow
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == CaseloadColumn.STATUS:
            return QColor("#15803d") if row.status == "Open" else QColor("#64748b")
        return None

    @staticmethod
    def _text(row: CaseloadRow, column: CaseloadColumn) -> str:
        match column:
            case CaseloadColumn.NAME:
                return row.display_name
            case CaseloadColumn.LOCAL_ID:
                return row.local_patient_id
            case CaseloadColumn.NHS_NUMBER:
                return format_nhs_number(row.nhs_number)
            case CaseloadColumn.BIRTH_DATE:
                return display_date(row.birth_date)
            case CaseloadColumn.STATUS:
                if row.referral_id and not row.discharged:
                    return f"Open, from {display_date(row.referral_received)}"
                return f"Ended {display_date(row.discharged)}" if row.discharged else row.status
            case CaseloadColumn.COUNSELLOR:
                return row.counsellor
            case CaseloadColumn.LAST_CONTACT:
                return display_date(row.last_contact)
        return ""
