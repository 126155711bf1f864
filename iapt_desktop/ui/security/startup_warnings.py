"""Checks at sign-in (the audit trail's hash chain), shown to the person signing in.

Administrators see which entry was altered and what to do; others are told to
fetch an administrator.  Call ``show_startup_warnings(main_window, session)``
once the main window is up.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from iapt_desktop.domain.access import Action
from iapt_desktop.storage.startup_checks import verify_at_startup


def show_startup_warnings(parent: QWidget | None, session: Any) -> QMessageBox | None:
    """A (non-blocking) warning when a check failed; None when all is well."""
    warnings = verify_at_startup(session.db, session.user.username)
    if not warnings:
        return None
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("The audit trail has been altered")
    if session.user.can(Action.VIEW_AUDIT):
        box.setText("\n\n".join(warnings))
    else:
        box.setText("A check of this database's audit trail failed at sign-in. Please tell your administrator "
                    "today; they will see the details when they sign in.")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setModal(True)
    box.show()
    return box
