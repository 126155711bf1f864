"""The automatic backup at sign-in, made in the background after the main window is shown.

When the sign-in found the backup due (storage.session.unlock(backup_in_background=True) sets
``session.automatic_backup_due``), the main window starts jobs/backup_jobs.backup_job on a worker thread with
its own connection, as the Backups dialog does, and shows its progress with Cancel in the status bar.

- made: a short status-bar message; the backup is no longer due;
- stopped (Cancel, closing the window, quitting): no backup file is left and the backup is still due, so it
  is tried again at the next sign-in;
- failed: a non-blocking message says what is wrong and what to do; the log gets the kind of error only.

The backup is made as SYSTEM_USER (as create_backup's automatic backups always were): it protects the
service whoever signs in, counsellors included.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QWidget

from iapt_desktop.domain.access import SYSTEM_USER
from iapt_desktop.jobs.backup_jobs import backup_job
from iapt_desktop.storage.backups import BackupError, OperationCancelled
from iapt_desktop.ui.security.task_progress import TaskProgress

_log = logging.getLogger(__name__)

TITLE = "Automatic backup"
STOPPED = "Automatic backup stopped: nothing was kept; it is tried again at the next sign-in."
FAILED_TITLE = "Automatic backup not made"
RETRY = ("IAPT Desktop keeps working meanwhile; the automatic backup is tried again at the next sign-in "
         "(an administrator can also make one from Administration ▸ Backups).")


class AutomaticBackup(TaskProgress):
    """A compact progress row for the status bar: "Automatic backup", the bar, Cancel and what it is doing.

    ``outcome`` after it ends: "made", "stopped" or "failed"; ``message`` is the failure message shown."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("automaticBackup")
        self.session = session
        self.outcome = ""
        self.tried = False  # once per window: a failure is not retried (and shown again) at every show
        self.made: Path | None = None
        self.message: QMessageBox | None = None
        self.bar.setMaximumWidth(160)
        self.status.setWordWrap(False)
        # one line for the status bar: title, bar, Cancel, then what it is doing
        outer = self.layout()
        row = outer.itemAt(0).layout() if outer is not None else None
        if isinstance(row, QHBoxLayout):
            outer.removeWidget(self.status)
            row.insertWidget(0, QLabel(TITLE, self))
            row.addWidget(self.status)
        self.cancel_button.setToolTip("Stop the automatic backup: nothing half made is kept, and it is tried "
                                      "again at the next sign-in")
        self.finished.connect(self._ended)

    @property
    def due(self) -> bool:
        return bool(getattr(self.session, "automatic_backup_due", False))

    def start_if_due(self) -> bool:
        """Start the backup job when the sign-in found it due (and it is not already running)."""
        if not self.due or self.tried:
            return False
        self.tried = True
        location = self.session.location
        self.outcome = ""
        self.start(lambda cancel: backup_job(location, SYSTEM_USER, cancel), self._made, self._failed,
                   "Starting…")
        return True

    def _made(self, path: Any) -> None:
        self.outcome = "made"
        self.made = Path(path)
        self.session.automatic_backup_due = False

    def _failed(self, error: Any) -> None:
        if isinstance(error, OperationCancelled):
            return  # stopped: see _ended
        self.outcome = "failed"
        _log.warning("Automatic backup failed: %s", type(error).__name__)  # never the message: it may name files
        reason = str(error) if isinstance(error, BackupError | OSError) else (
            f"An unexpected problem stopped it ({type(error).__name__}); the database itself is unchanged.")
        window = self.window()
        box = QMessageBox(QMessageBox.Icon.Warning, FAILED_TITLE, f"{reason}\n\n{RETRY}",
                          QMessageBox.StandardButton.Ok, window)
        box.setObjectName("automaticBackupMessage")
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message = box
        box.show()

    def _ended(self) -> None:
        if not self.outcome:
            self.outcome = "stopped"
        window = self.window()
        status_bar = getattr(window, "statusBar", None)
        if status_bar is None:
            return
        if self.outcome == "made" and self.made is not None:
            status_bar().showMessage(f"Automatic backup made: {self.made.name}", 8000)
        elif self.outcome == "stopped":
            status_bar().showMessage(STOPPED, 8000)
        elif self.outcome == "failed":
            status_bar().showMessage(f"{FAILED_TITLE}: see the message.", 8000)
