"""``--screenshot FILE.png --view V``: render one view for the first suitable patient and save a picture.

For the README and for checks; runs unattended (offscreen works).  Views whose
screens are not part of this build fail with a clear message.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from iapt_desktop.storage.caseload_queries import CaseloadFilter, page_caseload
from iapt_desktop.storage.record_visibility import referral_visible
from iapt_desktop.storage.referral_records import load_sessions
from iapt_desktop.ui.main_window import MainWindow

WINDOW_SIZE = (1440, 900)
PATIENT_TAB = 0
REFERRAL_TAB = 1
SEARCH_EXAMPLE = "ma"  # a name prefix common in the demo data
DASHBOARD_WAIT_MS = 120_000  # the picture shows the figures, not "Working out the figures…"


class ScreenshotError(Exception):
    """The view cannot be pictured; the message says why."""


def _first_patient(window: MainWindow) -> str:
    """A patient with an open referral and sessions when there is one (a fuller picture), else the first."""
    db, user = window.session.db, window.session.user
    rows = page_caseload(db, user, CaseloadFilter(mine_only=False), None, 200)
    if not rows:
        raise ScreenshotError("The database has no patients to show; make a demo one with 'iapt-desktop demo'.")
    for row in rows:
        if (row.status == "Open" and row.last_contact and referral_visible(db, user, row.referral_id)
                and len(load_sessions(db, user, row.referral_id)) >= 3):
            return row.local_patient_id
    return rows[0].local_patient_id


def _settle() -> None:
    QApplication.processEvents()


def _grab(widget: QWidget, path: Path) -> None:
    _settle()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(path), "PNG"):
        raise ScreenshotError(f"The picture could not be written to {path}.")


def save_screenshot(window: MainWindow, view: str, path: Path) -> None:
    window.resize(*WINDOW_SIZE)
    window.apply_default_splitter()  # as a first run at this size lays it out
    window.show()
    _settle()
    if view == "caseload":
        if window.caseload.model.rowCount() == 0 and window.caseload.scope.model().item(1).isEnabled():
            window.caseload.scope.setCurrentIndex(1)
        window.caseload.search.setText(SEARCH_EXAMPLE)  # shows instant search at work
        window.caseload.apply_filter()
        if window.caseload.model.rowCount() == 0:
            window.caseload.search.clear()
            window.caseload.apply_filter()
        first = window.caseload.model.key(0)
        if first:
            window.caseload.select(first)
            window.show_patient(first)
            window.record.form.setCurrentIndex(REFERRAL_TAB)
        _grab(window, path)
    elif view in ("patient", "referral"):
        patient = _first_patient(window)
        if window.caseload.scope.model().item(1).isEnabled():
            window.caseload.scope.setCurrentIndex(1)
        window.caseload.select(patient)
        window.show_patient(patient)
        window.record.form.setCurrentIndex(PATIENT_TAB if view == "patient" else REFERRAL_TAB)
        _grab(window, path)
    elif view == "session":
        _session_screenshot(window, path)
    elif view == "dashboard":
        _dashboard_screenshot(window, path)
    elif view in ("validation", "submission"):
        try:
            from iapt_desktop.ui.admin.admin_screenshots import AdminScreenshotError, save_admin_screenshot
        except ImportError:
            raise ScreenshotError(f"The {view} screen is not part of this build.") from None
        try:
            save_admin_screenshot(window, view, path)
        except AdminScreenshotError as error:
            raise ScreenshotError(str(error)) from None
    else:
        raise ScreenshotError(f"There is no {view} view; try --view caseload, patient, referral, session, "
                              "validation, submission or dashboard.")


def _session_screenshot(window: MainWindow, path: Path) -> None:
    try:
        dialog_class = importlib.import_module("iapt_desktop.ui.session.session_dialog").SessionDialog
    except (ImportError, AttributeError):
        raise ScreenshotError("The session form is not part of this build yet.") from None
    patient = _first_patient(window)
    window.show_patient(patient)
    referral = window.record.referrals.current_id()
    sessions = load_sessions(window.session.db, window.session.user, referral) if referral else []
    if not referral or not sessions:
        raise ScreenshotError("No patient has a referral with sessions to show.")
    treated = [s for s in sessions if s["AppType"] in ("02", "03", "05") and s["AttendOrDNACode"] in ("5", "6")]
    shown = (treated or sessions)[-1]["CareContactId"]
    dialog = dialog_class(window.session.db, window.session.user, referral, shown, parent=window)
    dialog.show()
    _grab(dialog, path)
    dialog.close()


def _dashboard_screenshot(window: MainWindow, path: Path) -> None:
    dashboard = dashboard_with_figures(window)
    _grab(dashboard, path)
    dashboard.close()


def dashboard_with_figures(window: MainWindow) -> QWidget:
    """The service dashboard at the picture's size, once its figures are on show (or its message why not)."""
    dashboard_class = window.dashboard_class()
    if dashboard_class is None:
        raise ScreenshotError("The service dashboard is not part of this build yet.")
    dashboard = dashboard_class(window.session.location, None)
    finished = QEventLoop()
    for signal in (dashboard.computed, dashboard.failed):  # the figures are worked out off the UI thread
        signal.connect(finished.quit)
    QTimer.singleShot(DASHBOARD_WAIT_MS, finished.quit)
    dashboard.resize(*WINDOW_SIZE)
    dashboard.show()
    finished.exec()
    return dashboard  # type: ignore[no-any-return]
