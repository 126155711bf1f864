"""Fixtures for the recording screens: a database with a counsellor, a signed-in session, a main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from sqlite_utils import Database

from iapt_desktop.domain.access import Role, User
from iapt_desktop.storage.database import DatabaseLocation
from iapt_desktop.storage.record_writes import save_row
from iapt_desktop.storage.settings_store import set_setting
from iapt_desktop.ui.main_window import MainWindow
from iapt_desktop.ui.sign_in import PlainSession
from tests.ui.message_boxes import dialogs_answered  # noqa: F401 (an autouse fixture for this folder)

ADMIN = User("admin", "Ada Admin", Role.ADMINISTRATOR, None)
COUNSELLOR = User("casey", "Casey Counsellor", Role.COUNSELLOR, "C1")


@pytest.fixture
def recording_db(db: Database) -> Database:
    set_setting(db, "provider_ods", "AB1")
    set_setting(db, "default_commissioner", "XYZ01")
    save_row(db, ADMIN, "app_care_personnel", {"CarePersLocalId": "C1", "display_name": "Casey Counsellor"})
    save_row(db, ADMIN, "app_care_personnel", {"CarePersLocalId": "C2", "display_name": "Dana Other"})
    return db


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


def make_window(qtbot, db: Database, db_path: Path, user: User, settings: QSettings) -> MainWindow:
    window = MainWindow(PlainSession(db, DatabaseLocation(db_path), user), settings)
    qtbot.addWidget(window)
    window.resize(1300, 850)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def admin_window(qtbot, recording_db: Database, db_path: Path, settings: QSettings) -> MainWindow:
    return make_window(qtbot, recording_db, db_path, ADMIN, settings)


@pytest.fixture
def counsellor_window(qtbot, recording_db: Database, db_path: Path, settings: QSettings) -> MainWindow:
    return make_window(qtbot, recording_db, db_path, COUNSELLOR, settings)
