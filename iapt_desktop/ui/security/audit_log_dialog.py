"""The audit trail for administrators: a paged table, the chain check, export to CSV or xlsx.

The export runs on a worker thread with its own connection (jobs/audit_trail_export.py) with a progress bar
and Cancel; a stopped or failed export leaves no file.

``open_audit_log(window, session)`` opens it (the Administration menu calls it).
"""

from __future__ import annotations

import json
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iapt_desktop.domain.access import AccessDenied, Action, User, require
from iapt_desktop.jobs.audit_trail_export import audit_export_job
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.backups import OperationCancelled
from iapt_desktop.storage.startup_checks import audit_chain_warning
from iapt_desktop.ui.security.task_progress import TaskProgress
from iapt_desktop.ui.workers import JobRunner

_Index = QModelIndex | QPersistentModelIndex
PAGE = 500
FIT_ROWS = 200  # rows measured to size the columns when the dialog opens
COLUMN_WIDTH_LIMIT = 180  # longer texts (a long record key) are elided; the tooltip and export have them


def shown_time(stored: str) -> str:
    """'2026-11-24T15:20:10.995568Z' -> '2026-11-24 15:20:10' (still UTC, as the heading says)."""
    return stored.replace("T", " ", 1)[:19] if len(stored) >= 19 else stored


class AuditColumn(IntEnum):
    ID = 0
    AT = 1
    USER = 2
    ACTION = 3
    TABLE = 4
    RECORD = 5
    CHANGES = 6


_HEADINGS = ("Entry", "When (UTC)", "User", "Action", "Table", "Record", "Changes")


class AuditLogTableModel(QAbstractTableModel):
    """Entries oldest first, fetched a page at a time as the view scrolls (canFetchMore/fetchMore)."""

    EntryRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, db: Any, reader: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.reader = reader
        self.entries: list[audit_log.AuditEntry] = []
        self._total = 0
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.entries = []
        self._total = int(self.db.execute("SELECT count(*) FROM app_audit_log").fetchone()[0])
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._total

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(AuditColumn)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and len(self.entries) < self._total

    def fetchMore(self, parent: _Index) -> None:
        if parent.isValid():
            return
        after = self.entries[-1].id if self.entries else 0
        page = list(audit_log.read_entries(self.db, self.reader, after_id=after, limit=PAGE))
        if not page:
            self._total = len(self.entries)
            return
        self.beginInsertRows(QModelIndex(), len(self.entries), len(self.entries) + len(page) - 1)
        self.entries.extend(page)
        self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role == self.EntryRole:
            return entry
        column = AuditColumn(index.column())
        if role == Qt.ItemDataRole.ToolTipRole and column is AuditColumn.CHANGES and entry.changes:
            return json.dumps(entry.changes, ensure_ascii=False, indent=1, default=str)
        if role == Qt.ItemDataRole.ToolTipRole and column is AuditColumn.AT:
            return str(entry.at)  # as stored, to the microsecond
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column is AuditColumn.CHANGES:
            return ", ".join(sorted(entry.changes)) if entry.changes else ""
        if column is AuditColumn.AT:
            return shown_time(str(entry.at))
        return str([entry.id, entry.at, entry.username, entry.action, entry.table_name, entry.record_key][column])

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(_HEADINGS):
            return _HEADINGS[section]
        return None


class AuditLogDialog(QDialog):
    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        require(session.user, Action.VIEW_AUDIT)
        self.session = session
        self.setWindowTitle("Audit trail")
        self.resize(980, 560)
        self.model = AuditLogTableModel(session.db, session.user, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setResizeContentsPrecision(FIT_ROWS)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.fit_columns()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.verify_button = QPushButton("&Check the chain", self)
        self.export_button = QPushButton("&Export…", self)
        row = QHBoxLayout()
        row.addWidget(self.verify_button)
        row.addWidget(self.export_button)
        row.addStretch(1)
        self.task = TaskProgress(self)
        self.task.finished.connect(lambda: self.export_button.setEnabled(True))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.task)
        layout.addWidget(self.status)
        layout.addLayout(row)
        layout.addWidget(close)
        close.rejected.connect(self.reject)
        self.verify_button.clicked.connect(self.verify)
        self.export_button.clicked.connect(self.choose_export_file)

    def fit_columns(self) -> None:
        """Whole dates, names and actions (measured on the first page); the changes take the rest."""
        if self.model.rowCount() == 0 and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        for column in AuditColumn:
            if column is not AuditColumn.CHANGES:
                self.table.resizeColumnToContents(column)
                self.table.setColumnWidth(column, min(self.table.columnWidth(column), COLUMN_WIDTH_LIMIT))

    def verify(self) -> bool:
        warning = audit_chain_warning(self.session.db)
        if warning:
            self.status.setStyleSheet("color: #b91c1c;")
            self.status.setText(warning)
            return False
        self.status.setStyleSheet("color: #166534;")
        self.status.setText(f"The audit trail is whole: {self.model.total:,} entries, each following the one before.")
        return True

    def choose_export_file(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, "Export the audit trail", "audit-trail.xlsx",
                                                    "Workbook (*.xlsx);;CSV (*.csv)")
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> JobRunner | None:
        """Start writing the trail to ``path`` on a worker thread (None: an export is already running)."""
        if self.task.running:
            return None
        location, user = self.session.location, self.session.user
        self.export_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText("")
        return self.task.start(lambda cancel: audit_export_job(location, user, path, cancel),
                               lambda count: self._exported(path, count), lambda error: self._not_exported(path, error),
                               f"Writing {path.name}…")

    def _exported(self, path: Path, count: int) -> None:
        self.model.reload()
        self.status.setStyleSheet("")
        self.status.setText(f"{count:,} entries written to {path.name}.")

    def _not_exported(self, path: Path, error: BaseException) -> None:
        self.status.setStyleSheet("color: #b91c1c;")
        if isinstance(error, OperationCancelled):
            self.status.setText(f"Export stopped: {path.name} was not written.")
        elif isinstance(error, OSError):
            reason = error.strerror or str(error)
            self.status.setText(f"Not exported: {path.name} could not be written in {path.parent} ({reason}). "
                                "Choose a folder you can write to, with free space. Nothing was written.")
        else:
            self.status.setText(f"Not exported: {error}")

    def reject(self) -> None:
        self.task.stop()
        super().reject()


def open_audit_log(window: QWidget, session: Any) -> AuditLogDialog | None:
    try:
        dialog = AuditLogDialog(session, window)
    except AccessDenied:
        return None
    dialog.show()
    return dialog
