"""Fixtures for the import and export dialogs: a main window on a real database, as an administrator or not."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from sqlite_utils import Database

from iapt_desktop.domain.access import Role, User
from iapt_desktop.storage.database import DatabaseLocation
from iapt_desktop.ui.main_window import MainWindow
from iapt_desktop.ui.sign_in import PlainSession

ADMIN = User("admin", "Ada Admin", Role.ADMINISTRATOR, None)
COUNSELLOR = User("casey", "Casey Counsellor", Role.COUNSELLOR, "C1")
IMPORT_TEXT = "&Import data set tables…"
EXPORT_TEXT = "E&xport data set tables…"


def make_window(qtbot, db: Database, path: Path, user: User, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(PlainSession(db, DatabaseLocation(path), user), settings)
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def file_action(window: MainWindow, text: str) -> QAction:
    found = [a for a in window.menus["File"].actions() if a.text() == text]
    assert len(found) == 1, [a.text() for a in window.menus["File"].actions()]
    return found[0]


@pytest.fixture
def admin_window(qtbot, db: Database, db_path: Path, tmp_path: Path) -> MainWindow:
    return make_window(qtbot, db, db_path, ADMIN, tmp_path)


@pytest.fixture
def counsellor_window(qtbot, db: Database, db_path: Path, tmp_path: Path) -> MainWindow:
    return make_window(qtbot, db, db_path, COUNSELLOR, tmp_path)


@pytest.fixture
def demo_admin_window(qtbot, demo_db: Database, tmp_path: Path) -> MainWindow:
    return make_window(qtbot, demo_db, tmp_path / "demo.db", ADMIN, tmp_path)
