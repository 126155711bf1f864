"""A JobRunner whose thread quits as soon as its job ends."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, Qt

from iapt_desktop.ui.workers import JobRunner


class QuittingJobRunner(JobRunner):
    """JobRunner whose thread quits as soon as the job ends.

    ui.workers connects the worker's ``done`` to ``QThread.quit`` with an automatic (here: queued)
    connection, so the quit waits for the UI event loop and ``wait()`` during close blocks until its
    timeout.  Quitting directly from the worker thread (QThread.quit is thread-safe) avoids that; this
    class can go once ui.workers does the same.
    """

    def __init__(self, job_factory: Callable[[], Iterable[Any]], parent: QObject | None = None) -> None:
        super().__init__(job_factory, parent)
        self._worker.done.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
