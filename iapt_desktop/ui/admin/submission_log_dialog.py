"""The submission log: every package written (when, by whom, which month and window, how many rows) and,
for the chosen one, what it changed since the package before it for the same month.

The window (Primary/Refresh) is the one the package was made in; a second package for a month is also
marked "re-submission of #N" (N: the package before it), with the rows it added, changed and removed."""

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
from iapt_desktop.storage.submission_log import (
    Resubmission,
    SubmissionRecord,
    resubmissions,
    submissions,
)

LOG_COLUMNS = ("No.", "Month", "Window", "Made", "By", "Rows", "Validation", "Folder")
NUMBER_COLUMNS = (0, 5)


def _item(text: str, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def window_text(record: SubmissionRecord, resubmission: Resubmission | None) -> str:
    """'Primary', or 'Refresh · re-submission of #3: 2 added, 5 changed, 0 removed'."""
    window = record.window.capitalize()
    if resubmission is None:
        return window
    total = resubmission.total
    return (f"{window} \u00b7 re-submission of #{resubmission.of.id}: {total.added:,} added, "
            f"{total.changed:,} changed, {total.removed:,} removed")


class SubmissionLogDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("submissionLog")
        self.setWindowTitle("Submission log — IAPT Desktop")
        self.db = db
        self.records: list[SubmissionRecord] = submissions(db)
        self.resubmissions: dict[int, Resubmission] = resubmissions(db, self.records)
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
            values = [str(record.id), ReportingPeriod.parse(record.period).label,
                      window_text(record, self.resubmissions.get(record.id)),
                      f"{record.created_at:%d/%m/%Y %H:%M}", record.created_by,
                      f"{sum(record.counts.values()):,}",
                      ("FORCED · " if record.forced else "") + verdict, record.out_dir]
            for column, value in enumerate(values):
                self.table.setItem(row, column, _item(value, column in NUMBER_COLUMNS))
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
            "Newest first. Primary or Refresh: the window a package was made in. A second package for a month is a "
            "re-submission of the one before it; choose it to see what it changed.")
        layout.addWidget(QLabel(empty, self))
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.table.currentCellChanged.connect(lambda row, *_: self.show_changes(row))
        self.resize(980, 620)
        if self.records:
            self.table.selectRow(0)
        else:
            self.open_folder.setEnabled(False)

    def show_changes(self, row: int) -> dict[str, Any] | None:
        """Fill the lower table for the package in ``row``; returns {table: TableChanges} or None (first one)."""
        self.changes.setRowCount(0)
        if not 0 <= row < len(self.records):
            return None
        record = self.records[row]
        resubmission = self.resubmissions.get(record.id)
        if resubmission is None:
            self.changes_title.setText(f"The first package for {ReportingPeriod.parse(record.period).label}: "
                                       "nothing to compare with.")
            return None
        before = resubmission.of
        changed = {name: c for name, c in resubmission.changes.items() if c.any}
        self.changes_title.setText(f"Re-submission of #{before.id}: changes since that package of "
                                   f"{before.created_at:%d/%m/%Y %H:%M}"
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
