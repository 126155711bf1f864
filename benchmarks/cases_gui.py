"""Measured cases that need Qt (run offscreen in a child process by benchmarks.child).

Start-up cases return the seconds from the parent's launch of the child
process (``launched``, a ``time.time()`` taken just before the launch) to the
first paint event of the main window; the app and the floor are timed the same
way.  The search case returns the median seconds per keystroke.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.demo_cache import DEMO_PASSWORD


def _first_paint_time(app: Any, window: Any) -> float:
    """Show ``window``, run the event loop until its first paint event; returns that moment (time.time())."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    painted: list[float] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.time())
                QTimer.singleShot(0, app.quit)
            return False

    spy = FirstPaint()
    window.installEventFilter(spy)
    window.show()
    QTimer.singleShot(30_000, app.quit)  # a window that never paints must not hang the suite
    app.exec()
    window.removeEventFilter(spy)
    if not painted:
        raise RuntimeError("the window was never painted")
    return painted[0]


def startup_floor(launched: str, _database: str = "") -> tuple[float, dict[str, float]]:
    """An empty QMainWindow: the floor every Qt Widgets app pays (import, QApplication, show, paint)."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    imported = time.time()
    app = QApplication(["floor"])
    window = QMainWindow()
    window.resize(1440, 900)
    painted = _first_paint_time(app, window)
    return painted - float(launched), {"imports_seconds": imported - float(launched)}


def startup_app(launched: str, database: str) -> tuple[float, dict[str, float]]:
    """The app as ``--screenshot`` starts it: style, sign-in with the password from the environment, the main
    window with the caseload, the sign-in checks; timed to the main window's first paint."""
    import os

    os.environ.setdefault("IAPT_DESKTOP_PASSWORD", DEMO_PASSWORD)
    from iapt_desktop.ui.application import _start_security, make_application
    from iapt_desktop.ui.sign_in import sign_in_unattended

    imported = time.time()
    app = make_application()
    signing_in = time.time()
    session = sign_in_unattended(Path(database), None, None)
    signed_in = time.time()
    from iapt_desktop.ui.main_window import MainWindow

    window = MainWindow(session)
    built = time.time()
    window.resize(1440, 900)
    window.show()
    _start_security(window, session)
    painted = _first_paint_time(app, window)
    rows = window.caseload.model.rowCount()
    if rows == 0:
        raise RuntimeError("the caseload showed no patients")
    window.deleteLater()
    session.close()
    launch = float(launched)
    return painted - launch, {
        "imports_seconds": imported - launch,
        "sign_in_seconds": signed_in - signing_in,
        "window_build_seconds": built - signed_in,
        "without_sign_in_seconds": painted - launch - (signed_in - signing_in),
        "caseload_rows": float(rows),
    }


def typed_sequences(db: Any) -> list[str]:
    """What a counsellor types: a family name letter by letter, then an NHS number digit by digit, both of a
    patient picked from the middle of the register (deterministic for a database)."""
    total = db.execute("SELECT count(*) FROM app_patient").fetchone()[0]
    family, nhs = db.execute(
        "SELECT p.family_name, m.NHSNumber FROM app_patient p JOIN IDS001MPI m ON m.LocalPatientId = p.LocalPatientId "
        "WHERE p.family_name IS NOT NULL AND m.NHSNumber IS NOT NULL ORDER BY p.LocalPatientId LIMIT 1 OFFSET ?",
        [total // 2],
    ).fetchone()
    name = family.lower()
    return [name[:n] for n in range(1, len(name) + 1)] + [nhs[:n] for n in range(1, len(nhs) + 1)]


def search(database: str) -> tuple[float, dict[str, float]]:
    """Search as you type in the caseload (all patients): per keystroke, the query and the table's refresh
    (``apply_filter`` without the 150 ms typing pause, then the repaint); the median keystroke."""
    from PySide6.QtWidgets import QApplication

    from iapt_desktop.storage.session import unlock
    from iapt_desktop.ui.application import make_application
    from iapt_desktop.ui.views.caseload_view import CaseloadView

    app = make_application()
    session = unlock(Path(database), "admin", DEMO_PASSWORD)
    view = CaseloadView(session.db, session.user)
    view.scope.setCurrentIndex(1)  # all patients: the largest lists
    view.resize(600, 800)
    view.show()
    QApplication.processEvents()
    keystrokes = typed_sequences(session.db)
    times: list[float] = []
    cpu_times: list[float] = []
    for text in [*keystrokes, ""]:
        started, cpu_started = time.perf_counter(), time.process_time()
        view.search.setText(text)
        view.apply_filter()
        view.view.viewport().repaint()
        QApplication.processEvents()
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
    del app
    session.close()
    return statistics.median(times), {
        "keystrokes": float(len(times)),
        "slowest_keystroke_seconds": max(times),
        "mean_keystroke_seconds": statistics.fmean(times),
        "cpu_seconds": statistics.median(cpu_times),
    }
