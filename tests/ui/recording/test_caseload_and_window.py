"""Caseload search by keyboard on a few thousand patients; window state remembered without patient data."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from sqlite_utils import Database

from iapt_desktop.ui.main_window import MainWindow
from iapt_desktop.ui.models.caseload_table_model import CaseloadColumn
from tests.storage.test_caseload_queries import fill, nhs_number
from tests.ui.recording.conftest import ADMIN, COUNSELLOR, make_window

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


@pytest.fixture
def big_db(recording_db: Database) -> Database:
    recording_db.execute("DELETE FROM app_care_personnel")
    fill(recording_db, 3000)
    return recording_db


def search(qtbot, window: MainWindow, text: str) -> list[str]:
    box = window.caseload.search
    box.setFocus()
    box.clear()
    with qtbot.waitSignal(window.caseload.model.total_changed, timeout=2000):
        QTest.keyClicks(box, text)
    model = window.caseload.model
    return [model.key(row) for row in range(model.rowCount())]


def test_search_by_name_nhs_number_and_local_id(qtbot, big_db: Database, db_path: Path,
                                                settings: QSettings) -> None:
    window = make_window(qtbot, big_db, db_path, ADMIN, settings)
    assert window.caseload.scope.currentData() is False  # an administrator without a caseload sees everyone
    assert window.caseload.model.total == 3000 and "3,000 patients" in window.caseload.count.text()
    assert search(qtbot, window, "clarke01") == [f"P{10 * n + 3:06d}" for n in range(10, 20)]
    assert search(qtbot, window, nhs_number(7 * 2500)[:6] + " " + nhs_number(7 * 2500)[6:]) == ["P002501"]
    assert sorted(search(qtbot, window, "p00123")) == [f"P00123{n}" for n in range(10)]
    assert "matching the search" in window.caseload.count.text()
    # Enter opens the first match
    QTest.keyClick(window.caseload.search, Qt.Key.Key_Return)
    assert window.record.local_patient_id == window.caseload.model.key(0)


def test_a_broad_search_counts_up_to_the_cap_and_still_pages_every_match(qtbot, big_db: Database, db_path: Path,
                                                                         settings: QSettings) -> None:
    window = make_window(qtbot, big_db, db_path, ADMIN, settings)
    keys = search(qtbot, window, "p00")
    assert window.caseload.count.text() == "1,000+ patients matching the search in the register"
    model = window.caseload.model
    while model.canFetchMore():
        model.fetchMore()
    keys = [model.key(row) for row in range(model.rowCount())]
    assert len(keys) == len(set(keys)) == 3000


def test_counsellor_sees_own_open_referrals_only(qtbot, big_db: Database, db_path: Path,
                                                 settings: QSettings) -> None:
    window = make_window(qtbot, big_db, db_path, COUNSELLOR, settings)
    assert window.caseload.scope.currentData() is True
    assert not window.actions_by_name["all_patients"].isEnabled()
    model = window.caseload.model
    assert model.total == len([i for i in range(3000) if i % 12 == 0 and i % 8 != 0])
    column = CaseloadColumn.COUNSELLOR
    assert all(model.data(model.index(r, column)) == "Casey Counsellor" for r in range(model.rowCount()))


def test_window_state_is_restored_and_holds_no_patient_data(qtbot, recording_db: Database,
                                                            db_path: Path, settings: QSettings) -> None:
    first = make_window(qtbot, recording_db, db_path, ADMIN, settings)
    first.resize(798, 701)  # the offscreen screen is 800 wide; the window needs about 798
    first.splitter.setSizes([250, 450])
    saved_sizes = first.splitter.sizes()
    first.caseload.view.setColumnWidth(0, 222)
    first.close()
    assert sorted(settings.allKeys()) == ["main_window/caseload_columns_v2", "main_window/geometry",
                                          "main_window/splitter", "main_window/state"]
    second = MainWindow(first.session, settings)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (798, 701)
    second.show()
    qtbot.waitExposed(second)
    assert second.splitter.sizes() == saved_sizes
    assert second.caseload.view.columnWidth(0) == 222
