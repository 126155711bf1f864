"""The dashboard on a small real database: computed off the UI thread, shown in cards and tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlite_utils import Database

from iapt_desktop.domain.metrics.headlines import COUNSELLOR_COLUMNS
from iapt_desktop.storage.database import DatabaseLocation
from iapt_desktop.ui.dashboard.figures_table_model import FiguresTableModel
from iapt_desktop.ui.dashboard.service_dashboard import ServiceDashboard
from tests.domain.metrics.referral_rows import small_service
from tests.metrics_database import insert_metrics_rows

START, END = dt.date(2025, 4, 1), dt.date(2025, 6, 30)


@pytest.fixture
def location(db: Database, db_path: Path) -> DatabaseLocation:
    insert_metrics_rows(db, small_service())
    return DatabaseLocation(db_path)


@pytest.fixture
def dashboard(qtbot, location: DatabaseLocation) -> ServiceDashboard:
    widget = ServiceDashboard(location, today=dt.date(2025, 7, 15))
    qtbot.addWidget(widget)
    widget.resize(1180, 780)
    return widget


def test_the_dashboard_computes_and_shows_the_figures(qtbot, dashboard: ServiceDashboard) -> None:
    with qtbot.waitSignal(dashboard.computed, timeout=20000) as blocker:
        dashboard.set_period(START, END)
    assert blocker.args[0].figures["finished_treatment"] == 3
    cards = dashboard.cards.cards
    assert cards["recovery_rate"].value_text() == "50.0%"
    assert cards["recovery_rate"].basis.text() == "1 of 2"  # recovered of (finished − not at caseness)
    assert cards["finished_treatment"].value_text() == "3"
    assert "England 2024-25: 50.5%" in cards["recovery_rate"].national.text()
    assert dashboard.counsellor_model.rowCount() == 3
    assert [dashboard.trend_model.row_label(r) for r in range(3)] == ["2025-04", "2025-05", "2025-06"]
    assert dashboard.export_button.isEnabled() and not dashboard.progress.isVisible()


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_showing_the_dashboard_computes_the_default_period(qtbot, dashboard: ServiceDashboard) -> None:
    with qtbot.waitSignal(dashboard.computed, timeout=20000) as blocker:
        dashboard.show()
    assert dashboard.preset_box.currentText() == "Last 12 months"
    assert (blocker.args[0].start, blocker.args[0].end) == (dt.date(2024, 7, 1), dt.date(2025, 6, 30))


def test_a_preset_sets_the_dates(qtbot, dashboard: ServiceDashboard) -> None:
    with qtbot.waitSignal(dashboard.computed, timeout=20000):
        dashboard.apply_preset("Last 3 months")
    assert dashboard.period() == (dt.date(2025, 4, 1), dt.date(2025, 6, 30))


def test_a_period_ending_before_it_starts_is_explained(qtbot, dashboard: ServiceDashboard) -> None:
    with qtbot.assertNotEmitted(dashboard.computed, wait=50):
        dashboard.set_period(END, START)
    assert "ends before it starts" in dashboard.status.text()


def test_export_writes_the_workbook_off_the_ui_thread(qtbot, dashboard: ServiceDashboard, tmp_path: Path) -> None:
    with qtbot.waitSignal(dashboard.computed, timeout=20000):
        dashboard.set_period(START, END)
    dashboard.include_counsellors.setChecked(True)
    target = tmp_path / "outcomes.xlsx"
    with qtbot.waitSignal(dashboard.exported, timeout=20000) as blocker:
        dashboard.export_to(target)
    assert blocker.args == [target] and target.stat().st_size > 0
    from openpyxl import load_workbook

    assert "By counsellor" in load_workbook(target).sheetnames


def test_a_broken_database_is_reported(qtbot, tmp_path: Path) -> None:
    broken = tmp_path / "not-a-database.db"
    broken.write_bytes(b"this is not sqlite" * 100)
    widget = ServiceDashboard(DatabaseLocation(broken), today=dt.date(2025, 7, 15))
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.failed, timeout=20000) as blocker:
        widget.set_period(START, END)
    assert "could not be worked out" in blocker.args[0]


def test_the_figures_models_pass_the_model_tester(qtmodeltester, dashboard: ServiceDashboard, qtbot) -> None:
    with qtbot.waitSignal(dashboard.computed, timeout=20000):
        dashboard.set_period(START, END)
    for model in (dashboard.counsellor_model, dashboard.trend_model, dashboard.ending_model):
        qtmodeltester.check(model, force_py=True)
    empty = FiguresTableModel("Counsellor", COUNSELLOR_COLUMNS)
    qtmodeltester.check(empty, force_py=True)


def test_cancel_drops_the_calculation_and_a_new_one_replaces_it(qtbot, dashboard: ServiceDashboard) -> None:
    with qtbot.assertNotEmitted(dashboard.computed, wait=100):
        dashboard.set_period(START, END)
        dashboard.cancel()
    assert dashboard.status.text() == "Calculation cancelled." and not dashboard.cancel_button.isVisible()
    with qtbot.waitSignal(dashboard.computed, timeout=20000) as blocker:
        dashboard.set_period(dt.date(2025, 1, 1), dt.date(2025, 3, 31))
        dashboard.set_period(START, END)  # replaces the first: only its figures are shown
    assert blocker.args[0].start == START
    assert dashboard.metrics is blocker.args[0]


def test_a_counsellor_sees_only_their_own_row(qtbot, location: DatabaseLocation) -> None:
    from iapt_desktop.domain.access import Role, User

    sam = User("sam", "Sam", Role.COUNSELLOR, "C2")
    widget = ServiceDashboard(location, today=dt.date(2025, 7, 15), user=sam)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.computed, timeout=20000):
        widget.set_period(START, END)
    assert [widget.counsellor_model.row_label(r) for r in range(widget.counsellor_model.rowCount())] == ["Sam"]
    assert widget.cards.cards["finished_treatment"].value_text() == "3"  # the service's figures stay whole
    assert widget.include_counsellors.isHidden()  # no staff breakdown in its workbook either
