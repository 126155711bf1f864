"""Backups, for administrators: the list, "Back up now" and "Check every backup".

Both run on a worker thread (jobs/backup_jobs.py, on their own connection) with a progress bar and
Cancel (ui/security/task_progress.py): a stopped backup leaves no file, a stopped check says what it
checked.  Restoring (ui/security/backup_restore.py) adds to this dialog; with the app closed:
``iapt-desktop backup --db PATH --restore BACKUP`` (the dialog says so).
``open_backups(window, session)`` opens it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iapt_desktop.domain.access import AccessDenied, Action, require
from iapt_desktop.jobs.backup_jobs import VerifyOutcome, backup_job, verify_job
from iapt_desktop.storage import backups
from iapt_desktop.storage.backups import OperationCancelled
from iapt_desktop.ui.security.task_progress import TaskProgress
from iapt_desktop.ui.workers import JobRunner


class BackupsDialog(QDialog):
    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        require(session.user, Action.BACKUP)
        self.session = session
        self.setWindowTitle("Backups")
        self.resize(640, 400)
        where = QLabel(
            f"Encrypted backups are kept in {backups.backups_dir(session.path)} (the newest {backups.KEEP}); "
            "one is made at sign-in when the last is more than 12 hours old. Copy that folder to another drive "
            "regularly. To restore one, close the app and run: iapt-desktop backup --db DATABASE --restore BACKUP",
            self)
        where.setWordWrap(True)
        self.list = QListWidget(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.backup_button = QPushButton("&Back up now", self)
        self.verify_button = QPushButton("&Check every backup", self)
        row = QHBoxLayout()
        row.addWidget(self.backup_button)
        row.addWidget(self.verify_button)
        row.addStretch(1)
        self.task = TaskProgress(self)
        self.task.finished.connect(self._task_finished)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addWidget(self.list)
        layout.addWidget(self.task)
        layout.addWidget(self.status)
        layout.addLayout(row)
        layout.addWidget(close)
        close.rejected.connect(self.reject)
        self.backup_button.clicked.connect(self.back_up_now)
        self.verify_button.clicked.connect(self.verify_all)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        for path in backups.list_backups(self.session.path):
            made = dt.datetime.fromtimestamp(path.stat().st_mtime)
            item = QListWidgetItem(f"{made:%d %b %Y %H:%M}   {path.name}   {path.stat().st_size / 1e6:.1f} MB")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.list.addItem(item)

    def job_buttons(self) -> list[QPushButton]:
        """Buttons that start a job: disabled while one runs."""
        return [self.backup_button, self.verify_button]

    def _task_started(self) -> None:
        for button in self.job_buttons():
            button.setEnabled(False)
        self.status.setText("")

    def _task_finished(self) -> None:
        for button in self.job_buttons():
            button.setEnabled(True)

    def back_up_now(self) -> JobRunner | None:
        """Start a backup on a worker thread; the status says how it ended."""
        if self.task.running:
            return None
        location, user = self.session.location, self.session.user
        self._task_started()
        return self.task.start(lambda cancel: backup_job(location, user, cancel), self._backed_up,
                               self._backup_failed, "Backing up…")

    def _backed_up(self, made: Any) -> None:
        self.reload()
        self.status.setText(f"Backup written: {made.name}")

    def _backup_failed(self, error: BaseException) -> None:
        if isinstance(error, OperationCancelled):
            self.status.setText("Backup stopped: no backup was made, and nothing half written is kept.")
        else:
            self.status.setText(f"No backup was made: {error}")

    def verify_all(self) -> JobRunner | None:
        """Check every backup page by page on a worker thread; the status names the damaged ones."""
        if self.task.running:
            return None
        path, key = self.session.path, self.session.location.key
        self._task_started()
        return self.task.start(lambda cancel: verify_job(path, key, cancel), self._verified,
                               lambda error: self.status.setText(f"The backups could not be checked: {error}"),
                               "Checking backups…")

    def _verified(self, outcome: VerifyOutcome) -> None:
        self.status.setText(outcome.summary())

    def reject(self) -> None:
        if self.task.running and not self.task.may_stop:
            self.status.setText("Wait until the restore has finished (it cannot be stopped half way).")
            return
        self.task.stop()
        super().reject()


def open_backups(window: QWidget, session: Any) -> BackupsDialog | None:
    try:
        dialog = BackupsDialog(session, window)
    except AccessDenied:
        return None
    dialog.show()
    return dialog
