"""``--screenshot --view validation|submission``: the administrator's screens on the open database.

validation: the panel docked under the main window, checked for the month the
national window takes as Primary today (or, when that month has no findings,
every stored record), with the first finding opened at its field.
submission: the wizard on its review page for the same month.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QWidget

from iapt_desktop.ui.admin.finding_navigation import open_finding
from iapt_desktop.ui.admin.submission_wizard import SubmissionWizard
from iapt_desktop.ui.admin.validation_panel import ValidationPanel, open_validation
from iapt_desktop.ui.workers import JobRunner

VALIDATION_HEIGHT = 1000
DOCK_HEIGHT = 470


class AdminScreenshotError(Exception):
    """The view cannot be pictured; the message says why."""


def _wait(runner: JobRunner | None) -> None:
    if runner is None:
        return
    if runner.running:
        loop = QEventLoop()
        runner.finished.connect(loop.quit)
        loop.exec()
    QApplication.processEvents()


def _grab(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(path), "PNG"):
        raise AdminScreenshotError(f"The picture could not be written to {path}.")


def _checked_panel(window: Any) -> ValidationPanel:
    window.resize(window.width(), VALIDATION_HEIGHT)
    dock = open_validation(window, window.session)
    QApplication.processEvents()
    window.resizeDocks([dock], [DOCK_HEIGHT], Qt.Orientation.Vertical)
    panel = dock.widget()
    _wait(panel.run_check())
    report = panel.report()
    if report is None:
        raise AdminScreenshotError("The check did not finish.")
    if not report.findings:
        panel.set_period(None)
        _wait(panel.run_check())
    return panel


def save_admin_screenshot(window: Any, view: str, path: Path) -> None:
    if view == "validation":
        panel = _checked_panel(window)
        index = panel.model.index_of_finding(lambda f: f.table == "IDS001MPI") or panel.model.index_of_finding(
            lambda f: True)
        if index.isValid():
            panel.view.setCurrentIndex(index)
            panel.view.scrollTo(index)
            open_finding(window, panel.model.finding(index))
        _grab(window, path)
    elif view == "submission":
        wizard = SubmissionWizard(window.session, window)
        wizard.show()
        wizard.next()
        _wait(wizard.review.runner)
        _grab(wizard, path)
        wizard.close()
    else:
        raise AdminScreenshotError(f"{view} is not an administrator's view.")
