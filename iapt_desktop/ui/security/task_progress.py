"""A progress bar with Cancel for the backups and audit trail screens' jobs (jobs/backup_jobs.py,
jobs/audit_trail_export.py), run on a worker thread by ui.workers.

Each job is built with a ``threading.Event`` that Cancel sets; the job stops at its next safe point.  A
step with ``may_stop=False`` (a restore copying pages into the database) disables Cancel and says why.
When the window closes, a job that may stop is stopped and waited for.

Signals: finished() — the job ended, whatever happened (after its own callbacks).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from iapt_desktop.ui.admin.admin_jobs import start_job
from iapt_desktop.ui.progress_row import ProgressRow
from iapt_desktop.ui.workers import JobRunner

CANNOT_STOP = ("The backup is being copied into the database: this cannot be stopped now, or the database "
               "would be left half restored. It takes as long as making a backup.")


class TaskProgress(ProgressRow):
    finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("task", "Stop now: nothing half done is kept", parent)
        self.cancel_event = threading.Event()
        self.may_stop = True
        # Tests may wrap each job (e.g. to hold it at a step while the UI acts); None runs it as it is.
        self.wrap_job: Callable[[Iterable[Any]], Iterable[Any]] | None = None
        self.bar.setRange(0, 100)
        self.cancel_button.clicked.connect(self.cancel)

    def start(self, job_factory: Callable[[threading.Event], Iterable[Any]], on_done: Callable[[Any], None],
              on_error: Callable[[Any], None], starting: str) -> JobRunner:
        """Run ``job_factory(cancel_event)`` on a worker thread; the callbacks run on the UI thread."""
        cancel = threading.Event()
        self.cancel_event = cancel
        self.may_stop = True
        self.bar.setValue(0)
        self.status.setText(starting)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setToolTip("Stop now: nothing half done is kept")
        self.show()
        wrap = self.wrap_job or (lambda job: job)
        runner = start_job(lambda: wrap(job_factory(cancel)), self, on_progress=self._progressed, on_done=on_done,
                           on_error=on_error)
        runner.finished.connect(self._finished)
        self.runner = runner
        return runner

    def cancel(self) -> None:
        if self.running and self.may_stop:
            self.cancel_event.set()
            self.cancel_button.setEnabled(False)
            self.status.setText("Stopping…")

    def stop(self) -> None:
        """The window is closing: stop a job that may stop, and wait for the thread."""
        if self.may_stop:
            self.cancel_event.set()
        super().stop()

    def _progressed(self, step: Any) -> None:
        self.bar.setValue(step.percent)
        if not step.may_stop and self.may_stop:
            self.may_stop = False
            self.cancel_button.setEnabled(False)
            self.cancel_button.setToolTip(CANNOT_STOP)
        if self.cancel_event.is_set():
            return
        counted = f": {step.done:,} of {step.total:,}" if step.total > 1 else ""
        text = f"{step.stage}{counted}"
        if not self.may_stop:
            text += f". {CANNOT_STOP}"
        self.status.setText(text)

    def _finished(self) -> None:
        self.hide()
        self.may_stop = True
        self.finished.emit()
