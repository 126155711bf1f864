"""A picture of the session dialog (for docs and the ``--screenshot --view session`` option)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from sqlite_utils import Database

from iapt_desktop.domain.access import User
from iapt_desktop.storage.session_queries import showcase_session
from iapt_desktop.ui.session.session_dialog import SessionDialog

SCREENSHOT_SIZE = (1120, 760)


def session_screenshot(db: Database, user: User, path: Path, size: tuple[int, int] = SCREENSHOT_SIZE) -> Path:
    """Save a PNG of the first referral's last attended session as the dialog shows it; returns ``path``.

    Needs a running QApplication. Raises LookupError when the database has no referral.
    """
    found = showcase_session(db)
    if found is None:
        raise LookupError("The database has no referral to show a session for. Create one (or a demo database).")
    service_request_id, care_contact_id = found
    dialog = SessionDialog(db, user, service_request_id, care_contact_id)
    try:
        dialog.resize(*size)
        dialog.show()
        for _ in range(3):  # rows re-wrap after the first layout pass; let the layout settle before the grab
            QApplication.processEvents()
        dialog.grab().save(str(path), "PNG")
    finally:
        dialog.hide()
        dialog.deleteLater()
    return path
