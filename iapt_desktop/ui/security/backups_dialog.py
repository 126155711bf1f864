"""Backups, for administrators: the list, "Back up now" and "Check every backup".

Restoring replaces the open database, so it is done with the app closed:
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

from iapt_desktop.domain import audit_actions
from iapt_desktop.domain.access import AccessDenied, Action, require
from iapt_desktop.storage import audit_log, backups


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
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addWidget(self.list)
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

    def back_up_now(self) -> bool:
        try:
            made = backups.create_backup(self.session.db, self.session.path, self.session.location.key,
                                         actor=self.session.user)
        except (backups.BackupError, OSError) as error:
            self.status.setText(f"No backup was made: {error}")
            return False
        audit_log.append(self.session.db, self.session.user.username, audit_actions.BACKUP, "", made.name)
        self.reload()
        self.status.setText(f"Backup written: {made.name}")
        return True

    def verify_all(self) -> int:
        """Checks every backup page by page; returns how many are damaged."""
        found = backups.list_backups(self.session.path)
        damaged = [p.name for p in found if backups.verify_backup(p, self.session.location.key)]
        if not found:
            self.status.setText("There are no backups yet.")
        elif damaged:
            self.status.setText(f"{len(damaged)} of {len(found)} backups are damaged: {', '.join(damaged)}. "
                                "Delete them and make a new backup.")
        else:
            self.status.setText(f"All {len(found)} backups are sound.")
        return len(damaged)


def open_backups(window: QWidget, session: Any) -> BackupsDialog | None:
    try:
        dialog = BackupsDialog(session, window)
    except AccessDenied:
        return None
    dialog.show()
    return dialog
