"""Starting and stopping the administrator's background jobs (checks, the submission) with ui.workers.

Runners quit their thread as soon as the job ends, so a window that closes while a job runs can cancel
it and wait for it without waiting on the event loop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from iapt_desktop.ui.workers import JobRunner, run_job

STOP_WAIT_MS = 10000


def start_job(job_factory: Callable[[], Iterable[Any]], parent: QObject,
              on_progress: Callable[[Any], None] | None = None, on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[Any], None] | None = None) -> JobRunner:
    """ui.workers.run_job with the owning window first, as the administrator's screens call it."""
    return run_job(job_factory, on_progress, on_done, on_error, parent)


def stop_jobs(*runners: JobRunner | None) -> None:
    """Cancel running jobs and wait for their threads (before their window goes)."""
    for runner in runners:
        if runner is not None and runner.running:
            runner.cancel()
            runner.wait(STOP_WAIT_MS)


def stop_on_quit(stop: Callable[[], None]) -> None:
    application = QApplication.instance()
    if application is not None:
        application.aboutToQuit.connect(stop)
