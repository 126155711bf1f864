"""The main window's first layout: a sensible size on the screen, the caseload's edge between whole columns,
columns as wide as their texts (fitted once, not on every keystroke), sessions without sideways scrolling."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QGroupBox, QLabel
from sqlite_utils import Database

from iapt_desktop.storage.database import DatabaseLocation
from iapt_desktop.ui.main_window import MainWindow
from iapt_desktop.ui.models.caseload_table_model import CaseloadColumn
from iapt_desktop.ui.models.sessions_table_model import SHOWN
from iapt_desktop.ui.screenshots import PATIENT_TAB, REFERRAL_TAB
from iapt_desktop.ui.sign_in import PlainSession
from iapt_desktop.ui.views.caseload_view import FIXED_FORMAT_SAMPLES
from iapt_desktop.ui.window_geometry import (
    RECORD_MINIMUM_WIDTH,
    default_splitter_sizes,
    default_window_rect,
    saved_frame,
    visible_on,
)
from tests.conftest import DEMO_AS_OF
from tests.ui.recording.conftest import ADMIN, COUNSELLOR, make_window

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


@pytest.mark.parametrize(("screen", "expected_size"), [
    (QRect(0, 0, 1920, 1080), (1632, 918)),  # 85%
    (QRect(0, 0, 1440, 900), (1224, 765)),
    (QRect(0, 0, 1280, 800), (1200, 760)),  # 85% would be smaller than 1200 x 760, which fits
    (QRect(0, 0, 1024, 700), (1024, 700)),  # a small screen: all of it, never more
    (QRect(1920, 0, 2560, 1400), (2176, 1190)),  # a second screen to the right
])
def test_the_default_window_is_most_of_the_screen_and_centred_on_it(screen: QRect,
                                                                    expected_size: tuple[int, int]) -> None:
    rect = default_window_rect(screen)
    assert (rect.width(), rect.height()) == expected_size
    assert screen.contains(rect)
    assert abs(rect.center().x() - screen.center().x()) <= 1 and abs(rect.center().y() - screen.center().y()) <= 1


def available() -> QRect:
    return QGuiApplication.primaryScreen().availableGeometry()


def test_a_first_run_opens_at_the_default_size_not_a_tiny_window(qtbot, recording_db: Database, db_path: Path,
                                                                  settings: QSettings) -> None:
    window = MainWindow(PlainSession(recording_db, DatabaseLocation(db_path), ADMIN), settings)
    qtbot.addWidget(window)
    assert window.geometry() == default_window_rect(available())
    window.show()
    qtbot.waitExposed(window)
    caseload, record = window.splitter.sizes()  # the offscreen screen is small: the record takes what it needs
    assert caseload > 200 and record >= caseload


def saved_geometry_at(qtbot, session: PlainSession, settings: QSettings, where: QRect) -> None:
    first = MainWindow(session, settings)
    qtbot.addWidget(first)
    first.setGeometry(where)
    first.save_window_state()


def test_a_remembered_window_off_every_screen_opens_at_the_default_instead(
        qtbot, recording_db: Database, db_path: Path, settings: QSettings) -> None:
    session = PlainSession(recording_db, DatabaseLocation(db_path), ADMIN)
    off = QRect(available().right() + 2000, available().bottom() + 2000, 700, 500)  # a screen no longer attached
    saved_geometry_at(qtbot, session, settings, off)
    second = MainWindow(session, settings)
    qtbot.addWidget(second)
    assert second.geometry() == default_window_rect(available())


def test_a_remembered_window_on_the_screen_keeps_its_place_and_size(
        qtbot, recording_db: Database, db_path: Path, settings: QSettings) -> None:
    session = PlainSession(recording_db, DatabaseLocation(db_path), ADMIN)
    where = QRect(available().left() + 30, available().top() + 40, 700, 500)
    saved_geometry_at(qtbot, session, settings, where)
    second = MainWindow(session, settings)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (700, 500)


def test_saved_geometry_is_read_and_nonsense_is_refused(qtbot, recording_db: Database, db_path: Path,
                                                        settings: QSettings) -> None:
    window = MainWindow(PlainSession(recording_db, DatabaseLocation(db_path), ADMIN), settings)
    qtbot.addWidget(window)
    window.setGeometry(QRect(50, 60, 640, 480))
    frame = saved_frame(window.saveGeometry())
    assert frame is not None and (frame.width(), frame.height()) == (640, 480)
    assert saved_frame(QByteArray(b"not a geometry at all")) is None
    assert saved_frame(QByteArray()) is None
    screens = [QRect(0, 0, 1920, 1080)]
    assert visible_on(QRect(1700, 980, 600, 400), screens)  # a corner showing: the user can move it
    assert not visible_on(QRect(1900, 1070, 600, 400), screens)  # 20 x 10 pixels: lost
    assert not visible_on(QRect(-3000, 0, 600, 400), screens)


def test_the_caseload_edge_falls_between_whole_columns() -> None:
    widths, chrome = [160, 150, 95, 100, 85, 70, 115], 18
    edges = [chrome + sum(widths[:n]) for n in range(1, len(widths) + 1)]
    caseload, record = default_splitter_sizes(1440, widths, chrome)
    assert caseload in edges and caseload + record == 1440 and record >= RECORD_MINIMUM_WIDTH
    assert caseload == edges[3]  # name, referral, last session and NHS number; born would squeeze the record
    wide, _ = default_splitter_sizes(2400, widths, chrome)
    assert wide == edges[-1]  # room for every column
    narrow, rest = default_splitter_sizes(1200, widths, chrome)
    assert narrow == edges[2] and rest > 0  # a small window still shows who and where their referral is


def test_the_window_lays_out_the_caseload_to_whole_columns(qtbot, recording_db: Database, db_path: Path,
                                                           settings: QSettings) -> None:
    from tests.storage.test_caseload_queries import fill

    recording_db.execute("DELETE FROM app_care_personnel")
    fill(recording_db, 6)  # a short list, without scrolling down: its edge must fall between columns too
    window = make_window(qtbot, recording_db, db_path, ADMIN, settings)
    window.resize(1440, 900)
    window.apply_default_splitter()
    view = window.caseload.view
    widths, chrome = window.caseload.column_widths(), window.caseload.chrome_width()
    edges = [chrome + sum(widths[:n]) for n in range(1, len(widths) + 1)]
    qtbot.waitUntil(lambda: window.splitter.sizes()[0] in edges)
    assert view.viewport().width() in [sum(widths[:n]) for n in range(1, len(widths) + 1)]  # no column cut


def test_caseload_columns_fit_their_texts_once_and_keep_their_widths_while_searching(
        qtbot, recording_db: Database, db_path: Path, settings: QSettings) -> None:
    from tests.storage.test_caseload_queries import fill

    recording_db.execute("DELETE FROM app_care_personnel")
    fill(recording_db, 300)
    window = make_window(qtbot, recording_db, db_path, ADMIN, settings)
    view, model = window.caseload.view, window.caseload.model
    metrics = view.fontMetrics()
    status_texts = [model.data(model.index(r, CaseloadColumn.STATUS)) for r in range(model.rowCount())]
    for column in (CaseloadColumn.STATUS, CaseloadColumn.LAST_CONTACT, CaseloadColumn.NHS_NUMBER):
        samples = [*FIXED_FORMAT_SAMPLES[column]] + (status_texts if column == CaseloadColumn.STATUS else [])
        assert view.columnWidth(column) > max(metrics.horizontalAdvance(t) for t in samples)
    names = [model.data(model.index(r, CaseloadColumn.NAME)) for r in range(30)]
    assert view.columnWidth(CaseloadColumn.NAME) > max(metrics.horizontalAdvance(n) for n in names)
    view.setColumnWidth(CaseloadColumn.NAME, 123)  # the user's choice
    with qtbot.waitSignal(model.total_changed, timeout=2000):
        QTest.keyClicks(window.caseload.search, "p0001")
    assert view.columnWidth(CaseloadColumn.NAME) == 123  # a search does not measure again


def test_my_caseload_leaves_out_the_counsellor_column_all_patients_shows_it(
        qtbot, recording_db: Database, db_path: Path, settings: QSettings) -> None:
    window = make_window(qtbot, recording_db, db_path, COUNSELLOR, settings)
    assert window.caseload.scope.currentData() is True
    assert window.caseload.view.isColumnHidden(CaseloadColumn.COUNSELLOR)
    admin = make_window(qtbot, recording_db, db_path, ADMIN, QSettings(str(db_path) + ".ini",
                                                                       QSettings.Format.IniFormat))
    admin.caseload.scope.setCurrentIndex(1)
    assert not admin.caseload.view.isColumnHidden(CaseloadColumn.COUNSELLOR)
    admin.caseload.scope.setCurrentIndex(0)
    assert admin.caseload.view.isColumnHidden(CaseloadColumn.COUNSELLOR)


@pytest.fixture
def demo_window(qtbot, demo_db: Database, tmp_path: Path) -> MainWindow:
    from iapt_desktop.ui.screenshots import WINDOW_SIZE

    window = MainWindow(PlainSession(demo_db, DatabaseLocation(tmp_path / "demo.db"), ADMIN),
                        QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(*WINDOW_SIZE)
    window.apply_default_splitter()
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_sessions_table_shows_every_column_without_scrolling_sideways(qtbot, demo_window: MainWindow) -> None:
    from iapt_desktop.ui.screenshots import _first_patient

    assert DEMO_AS_OF  # the demo's sessions
    assert demo_window.show_patient(_first_patient(demo_window))
    demo_window.record.form.setCurrentIndex(REFERRAL_TAB)
    sessions = demo_window.record.referrals.form.sessions
    qtbot.waitUntil(lambda: sessions.view.isVisible() and sessions.model.rowCount() > 0)
    header = sessions.view.horizontalHeader()
    assert header.length() <= sessions.view.viewport().width()
    assert sessions.view.horizontalScrollBar().maximum() == 0
    date_column = 0
    widest_date = max(sessions.view.fontMetrics().horizontalAdvance(
        sessions.model.data(sessions.model.index(r, date_column))) for r in range(sessions.model.rowCount()))
    assert header.sectionSize(date_column) > widest_date  # short columns whole; worded ones share the rest


def test_the_person_tab_gives_the_coded_fields_the_larger_share(qtbot, demo_window: MainWindow) -> None:
    from iapt_desktop.ui.screenshots import _first_patient

    assert demo_window.show_patient(_first_patient(demo_window))
    demo_window.record.form.setCurrentIndex(PATIENT_TAB)
    groups = {box.title(): box for box in demo_window.record.findChildren(QGroupBox)}
    names, about = groups["Name and contact"], groups["About the person"]
    qtbot.waitUntil(about.isVisible)
    assert about.width() >= 1.4 * names.width()
    note = names.findChild(QLabel, "localOnlyNote")
    assert note is not None and "never submitted" in note.text()


def test_the_dashboard_picture_waits_for_the_figures(qtbot, demo_window: MainWindow) -> None:
    from iapt_desktop.ui.screenshots import dashboard_with_figures

    dashboard = dashboard_with_figures(demo_window)
    qtbot.addWidget(dashboard)
    assert dashboard.isVisible()
    assert not dashboard.status.text().startswith("Working out")  # the documented picture once showed only that
    assert "referrals ended" in dashboard.status.text()
    from PySide6.QtWidgets import QTableView

    monthly = next(v for v in dashboard.findChildren(QTableView) if v.isVisible())
    header = monthly.horizontalHeader()
    last = header.count() - 1
    widest = max(monthly.sizeHintForColumn(last), header.sectionSizeHint(last))
    assert header.sectionSize(last) <= widest  # not stretched to the window's edge, away from its heading
    dashboard.close()


def test_plain_columns_of_a_child_table_are_never_narrower_than_their_heading(qtbot) -> None:
    from iapt_desktop.ui.views.patient_form import _columns
    from iapt_desktop.ui.widgets.child_rows_editor import ChildRowsEditor

    editor = ChildRowsEditor("Previous diagnoses", "IDS601MedHistPrevDiag", _columns("IDS601MedHistPrevDiag"))
    qtbot.addWidget(editor)
    editor.resize(860, 300)
    editor.show()
    qtbot.waitExposed(editor)
    header = editor.view.horizontalHeader()
    for column in range(editor.model.columnCount()):
        if header.sectionResizeMode(column) == header.ResizeMode.Interactive and column < header.count() - 1:
            assert header.sectionSize(column) >= header.sectionSizeHint(column), editor.model.column_name(column)


def test_the_referral_child_tables_stand_one_above_the_other_with_whole_headings(qtbot,
                                                                                 demo_window: MainWindow) -> None:
    from iapt_desktop.ui.screenshots import _first_patient

    assert demo_window.show_patient(_first_patient(demo_window))
    demo_window.record.form.setCurrentIndex(REFERRAL_TAB)
    form = demo_window.record.referrals.form
    form.tabs.setCurrentIndex(1)
    complaints, conditions = form.editors["IDS603PresentingComplaints"], form.editors["IDS602LongTermCondition"]
    qtbot.waitUntil(complaints.isVisible)
    assert conditions.y() > complaints.y() and conditions.x() == complaints.x()
    assert complaints.width() == conditions.width()
    header = complaints.view.horizontalHeader()
    assert all(header.sectionSize(c) >= header.sectionSizeHint(c) for c in range(header.count()))


def test_the_record_fits_the_room_the_default_layout_leaves_it(qtbot, demo_window: MainWindow) -> None:
    """Otherwise opening a patient squeezes the caseload and cuts a column in two."""
    from iapt_desktop.ui.screenshots import _first_patient

    assert demo_window.show_patient(_first_patient(demo_window))
    demo_window.record.form.setCurrentIndex(REFERRAL_TAB)
    sessions = demo_window.record.referrals.form.sessions
    qtbot.waitUntil(lambda: sessions.model.rowCount() > 0 and bool(sessions.waits.text()))
    assert demo_window.record.minimumSizeHint().width() <= RECORD_MINIMUM_WIDTH
    assert sessions.model.headerData(SHOWN.index("AppType"), Qt.Orientation.Horizontal) == "Type"
