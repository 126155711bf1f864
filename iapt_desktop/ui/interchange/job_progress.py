"""A progress bar with a Cancel button for one table import or export running on a worker thread.

It starts the job (ui.admin.admin_jobs: the thread quits as soon as the job ends), shows each
:class:`~iapt_desktop.interchange.table_source.TableProgress` the job yields, and stops the job when its
window closes or the app quits.

Signals: succeeded(object) — the job's result; failed(object) — the exception it raised; cancelled();
finished() — always last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from iapt_desktop.ui.admin.admin_jobs import start_job
from iapt_desktop.ui.admin.table_titles import table_title
from iapt_desktop.ui.progress_row import ProgressRow
from iapt_desktop.ui.workers import JobRunner


class JobProgress(ProgressRow):
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, verb: str, parent: QWidget | None = None) -> None:
        super().__init__("job", "Stop now: nothing is kept of a stopped import or export", parent)
        self.verb = verb  # "Reading" / "Writing"
        self.bar.setFormat("%v of %m tables")
        self.cancel_button.clicked.connect(self.cancel)

    def start(self, job_factory: Callable[[], Iterable[Any]]) -> JobRunner:
        self.bar.setRange(0, 0)  # busy until the first step says how many tables
        self.status.setText(f"{self.verb}…")
        self.cancel_button.setEnabled(True)
        self.show()
        runner = start_job(job_factory, self, on_progress=self._progressed, on_done=self.succeeded.emit,
                           on_error=self.failed.emit)
        runner.cancelled.connect(self.cancelled)
        runner.finished.connect(self._finished)
        self.runner = runner
        return runner

    def cancel(self) -> None:
        if self.running and self.runner is not None:
            self.runner.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Stopping…")

    def _progressed(self, step: Any) -> None:
        total = int(getattr(step, "tables_total", 0) or 0)
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(min(int(step.tables_done), total))
        if self.runner is not None and self.runner.cancel_requested:
            return
        name = getattr(step, "table", "")
        rows = int(getattr(step, "rows", 0) or 0)
        if name:
            self.status.setText(f"{self.verb} {name} ({table_title(name)}): {rows:,} rows")

    def _finished(self) -> None:
        self.hide()
        self.finished.emit()
