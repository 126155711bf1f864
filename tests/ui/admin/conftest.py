"""Fixtures for the administrator's screens: the demo database, signed in as an administrator, in a main window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from sqlite_utils import Database

from iapt_desktop.domain.access import Role, User
from iapt_desktop.storage.database import DatabaseLocation
from iapt_desktop.ui.main_window import MainWindow
from iapt_desktop.ui.sign_in import PlainSession
from tests.ui.message_boxes import dialogs_answered  # noqa: F401 (an autouse fixture for this folder)

ADMIN = User("admin", "Ada Admin", Role.ADMINISTRATOR, None)
COUNSELLOR = User("casey", "Casey Counsellor", Role.COUNSELLOR, "C1")
DEMO_TODAY = dt.date(2026, 10, 15)  # the demo's "today": its last full month is September 2026
LAST_MONTH = "2026-09"


@pytest.fixture
def demo_path(demo_db: Database, tmp_path: Path) -> Path:
    return tmp_path / "demo.db"


@pytest.fixture
def admin_window(qtbot, demo_db: Database, demo_path: Path, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(PlainSession(demo_db, DatabaseLocation(demo_path), ADMIN), settings)
    qtbot.addWidget(window)
    window.resize(1300, 900)
    window.show()
    qtbot.waitExposed(window)
    return window


def patient_in_month(db: Database, period: str = LAST_MONTH) -> tuple[str, str]:
    """(LocalPatientId, ServiceRequestId) of a patient with a care contact in the month."""
    found = db.execute(
        "SELECT r.LocalPatientId, r.ServiceRequestId FROM IDS201CareContact AS c "
        "JOIN IDS101Referral AS r ON r.ServiceRequestId = c.ServiceRequestId "
        "WHERE substr(c.CareContDate, 1, 7) = ? ORDER BY r.LocalPatientId LIMIT 1", [period]).fetchone()
    assert found is not None
    return str(found[0]), str(found[1])
