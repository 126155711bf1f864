"""The dashboard opened from the main window knows who is signed in: a counsellor sees only their own
row and cannot export; an administrator sees and exports everything."""

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
from tests.domain.metrics.referral_rows import small_service
from tests.metrics_database import insert_metrics_rows

START, END = dt.date(2025, 4, 1), dt.date(2025, 6, 30)
SAM = User("sam", "Sam", Role.COUNSELLOR, "C2")
READER = User("rita", "Rita Reader", Role.READ_ONLY, None)
ADMIN = User("admin", "Ada Admin", Role.ADMINISTRATOR, None)


@pytest.fixture
def service_db(db: Database) -> Database:
    insert_metrics_rows(db, small_service())
    return db


def _dashboard_from_window(qtbot, db: Database, db_path: Path, user: User, tmp_path: Path):
    settings = QSettings(str(tmp_path / f"{user.username}.ini"), QSettings.Format.IniFormat)
    window = MainWindow(PlainSession(db, DatabaseLocation(db_path), user), settings)
    qtbot.addWidget(window)
    window._open_dashboard()
    dashboard = window._dashboard
    qtbot.addWidget(dashboard)
    with qtbot.waitSignal(dashboard.computed, timeout=20000):
        dashboard.set_period(START, END)
    return dashboard


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_a_counsellor_opening_the_dashboard_sees_only_their_row_and_cannot_export(
        qtbot, service_db: Database, db_path: Path, tmp_path: Path) -> None:
    dashboard = _dashboard_from_window(qtbot, service_db, db_path, SAM, tmp_path)
    rows = [dashboard.counsellor_model.row_label(r) for r in range(dashboard.counsellor_model.rowCount())]
    assert rows == ["Sam"]
    assert not dashboard.export_button.isEnabled() and not dashboard.include_counsellors.isVisible()
    assert "export" in dashboard.export_button.toolTip().lower()
    target = tmp_path / "outcomes.xlsx"
    with qtbot.waitSignal(dashboard.failed, timeout=20000) as blocker:
        dashboard.export_to(target)  # even called directly, the job refuses
    assert "may not export data" in blocker.args[0]
    assert not target.exists()


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_a_read_only_user_sees_every_row_but_cannot_export(
        qtbot, service_db: Database, db_path: Path, tmp_path: Path) -> None:
    dashboard = _dashboard_from_window(qtbot, service_db, db_path, READER, tmp_path)
    assert dashboard.counsellor_model.rowCount() == 3
    assert not dashboard.export_button.isEnabled()


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_an_administrator_exports_the_breakdown(qtbot, service_db: Database, db_path: Path, tmp_path: Path) -> None:
    dashboard = _dashboard_from_window(qtbot, service_db, db_path, ADMIN, tmp_path)
    assert dashboard.counsellor_model.rowCount() == 3 and dashboard.export_button.isEnabled()
    dashboard.include_counsellors.setChecked(True)
    target = tmp_path / "outcomes.xlsx"
    with qtbot.waitSignal(dashboard.exported, timeout=20000):
        dashboard.export_to(target)
    from openpyxl import load_workbook

    assert "By counsellor" in load_workbook(target).sheetnames
