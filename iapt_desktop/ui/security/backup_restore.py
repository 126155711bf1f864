"""Administration ▸ Backups…: the backups dialog, with restoring a chosen backup from the app.

Restoring puts the backup's contents in place of everything in the open database.  It runs on a worker
thread with its own connection to the open file (jobs/backup_jobs.restore_job, with a progress bar);
storage.backups.restore_into_open_database does steps 1-3, this screen asks first and does 4:

1. the backup is checked page by page (storage.backups.verify_backup): a damaged one changes nothing;
2. the current contents are saved as a ``…-before-restore`` backup (storage.backups.create_backup);
3. SQLite's backup API copies the backup into the open database in one transaction (a failure or a crash
   leaves the database as it was), migrations bring an older backup up to date, and the restore is recorded
   in the audit trail;
4. the main window closes the open record, forgets deletes it could undo and reloads the caseload.

Cancel works during steps 1 and 2 (nothing changes); once step 3 starts it is disabled, and the progress
says why (stopping half way is what the single transaction exists to prevent).

Databases made before encryption (no key file) have no backups here: ``iapt-desktop backup`` explains.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDockWidget, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from iapt_desktop.domain.access import AccessDenied
from iapt_desktop.jobs.backup_jobs import restore_job
from iapt_desktop.storage.backups import BackupError, OperationCancelled
from iapt_desktop.ui.security.backups_dialog import BackupsDialog
from iapt_desktop.ui.workers import JobRunner

RESTORE_NOTE = ("Restoring replaces every record in this database by the backup's; what is here now is kept "
                "as a backup first.")


class RestoringBackupsDialog(BackupsDialog):
    """The backups dialog with "Restore this backup…" for the chosen one.

    Signals: restored(str) — the name of the backup now in place.
    """

    restored = Signal(str)

    def __init__(self, session: Any, parent: QWidget | None = None,
                 before_restore: Callable[[], bool] | None = None) -> None:
        super().__init__(session, parent)
        self.before_restore = before_restore  # e.g. the open record offering to save; False stops the restore
        self.restore_button = QPushButton("&Restore this backup…", self)
        self.restore_button.setObjectName("restoreBackup")
        self.restore_button.clicked.connect(self.confirm_restore)
        note = QLabel(RESTORE_NOTE, self)
        note.setWordWrap(True)
        note.setStyleSheet("color: #475569;")
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addWidget(note, 1)
        layout = self.layout()
        layout.insertLayout(layout.count() - 1, row)  # above Close
        for label in self.findChildren(QLabel):
            if "To restore one" in label.text():  # the app restores now; the command line still can
                label.setText(label.text().split(" To restore one")[0] + " To restore one, choose it and "
                              "press Restore (or, with the app closed: iapt-desktop backup --db DATABASE "
                              "--restore BACKUP).")
        self.list.currentRowChanged.connect(lambda _row: self._update_restore())
        self.confirmation: QMessageBox | None = None
        self._update_restore()

    def chosen_backup(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def job_buttons(self) -> list[QPushButton]:
        return [*super().job_buttons(), self.restore_button]

    def _task_finished(self) -> None:
        super()._task_finished()
        self._update_restore()

    def _update_restore(self) -> None:
        self.restore_button.setEnabled(self.chosen_backup() is not None and not self.task.running)

    def confirm_restore(self) -> QMessageBox | None:
        """Ask first (window-modal, without a nested event loop); Yes restores."""
        backup = self.chosen_backup()
        if backup is None:
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, "Restore a backup",
                          f"Replace every record in this database by the backup {backup.name}?\n\n"
                          "Everything entered since that backup was made will be gone from the database (it is "
                          "kept in a 'before-restore' backup). Open records are closed.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText("Restore")
        box.accepted.connect(lambda: self.restore(backup))
        box.finished.connect(box.deleteLater)
        self.confirmation = box
        box.open()
        return box

    def restore(self, backup: Path) -> JobRunner | None:
        """Start restoring ``backup`` on a worker thread (None: not started); ``restored`` says it is done."""
        if self.task.running:
            return None
        if self.before_restore is not None and not self.before_restore():
            self.status.setText("Nothing was restored: the open record has changes. Save or discard them first.")
            return None
        self._block_the_window()
        location, user = self.session.location, self.session.user
        self._task_started()
        return self.task.start(lambda cancel: restore_job(location, backup, user, cancel),
                               lambda safety: self._restored(backup, safety), self._restore_failed,
                               f"Restoring {backup.name}…")

    def _block_the_window(self) -> None:
        """Nothing may be typed into the main window while its contents are replaced (it would be lost)."""
        if self.windowModality() == Qt.WindowModality.WindowModal or self.parentWidget() is None:
            return
        shown = self.isVisible()
        self.hide()  # modality changes take effect when a window is shown
        self.setWindowModality(Qt.WindowModality.WindowModal)
        if shown:
            self.show()

    def _restored(self, backup: Path, safety: Path) -> None:
        self.reload()
        self.status.setText(f"Restored {backup.name}. What was there before is kept as {safety.name}.")
        self.restored.emit(backup.name)

    def _restore_failed(self, error: BaseException) -> None:
        if isinstance(error, OperationCancelled):
            self.status.setText("Nothing was restored: stopped before anything in the database was changed.")
        elif isinstance(error, (BackupError, OSError, AccessDenied)):
            self.status.setText(f"Nothing was restored. {error}")
        else:
            self.status.setText(f"The restore failed: {error}. The 'before-restore' backup, if one was made, "
                                "has what was there.")
        self.reload()


def show_restored(window: Any, dialog: QDialog) -> None:
    """The main window after a restore: no open record, nothing to undo, the caseload reloaded."""
    for other in window.findChildren(QWidget):
        separate = other.isWindow() or isinstance(other, QDockWidget)
        if separate and other is not dialog and other.isVisible() and not isinstance(other, QMessageBox):
            other.close()  # dialogs, panels and the dashboard show the contents from before the restore
    record = getattr(window, "record", None)
    if record is not None:  # as when a new patient is discarded: nothing shown, nothing unsaved
        record.form.clear()
        record.local_patient_id = None
        record.closed.emit()
        window.setWindowModified(False)
    undo = getattr(window, "undo", None)
    if undo is not None and undo.can_undo():
        undo._items.clear()  # deletes from before the restore cannot be undone into the restored contents
        undo.changed.emit()
    caseload = getattr(window, "caseload", None)
    if caseload is not None:
        caseload.refresh()
    window.statusBar().showMessage("Backup restored", 5000)


def open_backups_with_restore(window: Any, session: Any) -> QDialog | None:
    """The Administration menu's entry (BACKUP permission)."""
    if not hasattr(session, "path"):  # a database made before encryption: no key file, no backups here
        box = QMessageBox(QMessageBox.Icon.Information, "Backups",
                          "This database is not encrypted, so the app makes no backups of it. Make a new "
                          "(encrypted) database and import the data, or back it up with: iapt-desktop backup",
                          QMessageBox.StandardButton.Ok, window)
        box.finished.connect(box.deleteLater)
        box.open()
        return box
    record = getattr(window, "record", None)
    try:
        dialog = RestoringBackupsDialog(session, window, record.maybe_leave if record is not None else None)
    except AccessDenied:
        return None
    dialog.restored.connect(lambda _name: show_restored(window, dialog))
    dialog.show()
    return dialog
