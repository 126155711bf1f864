"""The submission log: every package written (when, by whom, which month and window, how many rows) and,
for the chosen one, what it changed since the package before it for the same month."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from iapt_desktop.domain.reporting_period import ReportingPeriod
from iapt_desktop.storage.submission_log import SubmissionRecord, diff_fingerprints, stored_fingerprints, submissions

LOG_COLUMNS = ("Month", "Window", "Made", "By", "Rows", "Validation", "Folder")


def _item(text: str, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class SubmissionLogDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("submissionLog")
        self.setWindowTitle("Submission log — IAPT Desktop")
        self.db = db
        self.records: list[SubmissionRecord] = submissions(db)
        self.table = QTableWidget(len(self.records), len(LOG_COLUMNS), self)
        self.table.setObjectName("submissionLogTable")
        self.table.setHorizontalHeaderLabels(list(LOG_COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for row, record in enumerate(self.records):
            summary = record.validation_summary
            verdict = str(summary.get("verdict", ""))
            values = [ReportingPeriod.parse(record.period).label, record.window.capitalize(),
                      f"{record.created_at:%d/%m/%Y %H:%M}", record.created_by,
                      f"{sum(record.counts.values()):,}",
                      ("FORCED · " if record.forced else "") + verdict, record.out_dir]
            for column, value in enumerate(values):
                self.table.setItem(row, column, _item(value, column == 4))
        header = self.table.horizontalHeader()
        for column in range(len(LOG_COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.changes = QTableWidget(0, 4, self)
        self.changes.setObjectName("submissionChanges")
        self.changes.setHorizontalHeaderLabels(["Table", "Added", "Changed", "Removed"])
        self.changes.verticalHeader().hide()
        self.changes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.changes_title = QLabel(self)
        self.changes_title.setWordWrap(True)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.changes_title)
        lower_layout.addWidget(self.changes, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_folder = QPushButton("Open the folder", self)
        buttons.addButton(self.open_folder, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.open_folder.clicked.connect(self._open_folder)
        layout = QVBoxLayout(self)
        empty = "No package has been written yet." if not self.records else (
            "Newest first. Choose a package to see what it changed since the one before it for the same month.")
        layout.addWidget(QLabel(empty, self))
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.table.currentCellChanged.connect(lambda row, *_: self.show_changes(row))
        self.resize(980, 620)
        if self.records:
            self.table.selectRow(0)
        else:
            self.open_folder.setEnabled(False)

    def _earlier(self, record: SubmissionRecord) -> SubmissionRecord | None:
        earlier = [r for r in self.records if r.period == record.period and r.id < record.id]
        return max(earlier, key=lambda r: r.id) if earlier else None

    def show_changes(self, row: int) -> dict[str, Any] | None:
        """Fill the lower table for the package in ``row``; returns {table: TableChanges} or None (first one)."""
        self.changes.setRowCount(0)
        if not 0 <= row < len(self.records):
            return None
        record = self.records[row]
        before = self._earlier(record)
        if before is None:
            self.changes_title.setText(f"The first package for {ReportingPeriod.parse(record.period).label}: "
                                       "nothing to compare with.")
            return None
        changes = diff_fingerprints(stored_fingerprints(self.db, before.id), stored_fingerprints(self.db, record.id))
        changed = {name: c for name, c in changes.items() if c.any}
        self.changes_title.setText(f"Changes since the package of {before.created_at:%d/%m/%Y %H:%M}"
                                   + ("" if changed else ": none, the same rows were sent."))
        self.changes.setRowCount(len(changed))
        for number, (name, change) in enumerate(changed.items()):
            for column, value in enumerate((name, f"{change.added:,}", f"{change.changed:,}",
                                            f"{change.removed:,}")):
                self.changes.setItem(number, column, _item(value, column > 0))
        return changed

    def _open_folder(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.records):
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.records[row].out_dir))


def open_submission_log(window: Any, session: Any) -> SubmissionLogDialog:
    dialog = SubmissionLogDialog(session.db, window)
    dialog.open()
    return dialog
