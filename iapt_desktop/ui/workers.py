"""Run long work off the UI thread: a generator job on a QThread, its yields turned into progress signals.

A *job* is any iterable (usually a generator) that yields progress items and
does no Qt work; when it finishes, its ``return`` value (``StopIteration.value``)
is the result.  The job must open its own database connection
(``DatabaseLocation.open()``): the UI's connection stays on the UI thread.

Usage::

    runner = run_job(
        lambda: validate_database_job(location, cancel_check),  # built on the worker thread
        on_progress=lambda item: bar.setValue(item.done),
        on_done=lambda result: show(result),
        on_error=lambda error: QMessageBox.warning(window, "Failed", str(error)),
        parent=window,
    )
    cancel_button.clicked.connect(runner.cancel)

Cancelling is cooperative: ``runner.cancel()`` sets ``runner.cancelled``; the job
is closed (``GeneratorExit`` at its current ``yield``) before its next item, and
``on_done`` is not called; ``cancelled`` is emitted instead.  Tests wait on
``runner.finished`` (qtbot.waitSignal), never sleep.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot


class _Worker(QObject):
    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    stopped = Signal()
    done = Signal()

    def __init__(self, job_factory: Callable[[], Iterable[Any]], cancel: threading.Event) -> None:
        super().__init__()
        self._factory = job_factory
        self._cancel = cancel

    @Slot()
    def run(self) -> None:
        try:
            job = self._factory()
            iterator = iter(job)
            result: Any = None
            while True:
                if self._cancel.is_set():
                    close = getattr(iterator, "close", None)
                    if close is not None:
                        close()
                    self.stopped.emit()
                    return
                try:
                    item = next(iterator)
                except StopIteration as finished:
                    result = finished.value
                    break
                self.progressed.emit(item)
            self.succeeded.emit(result)
        except Exception as error:
            self.failed.emit(error)
        finally:
            self.done.emit()


# Runners started without a parent stay referenced here until they finish, so dropping the returned
# runner never destroys a running thread.
_RUNNING: set[JobRunner] = set()


class JobRunner(QObject):
    """Owns one worker thread for one job.

    Signals: progressed(object) — each item the job yields; succeeded(object) — the job's return
    value; failed(object) — the exception it raised; cancelled() — it stopped after cancel();
    finished() — always last, whatever happened.
    """

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, job_factory: Callable[[], Iterable[Any]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._thread = QThread()
        self._worker = _Worker(job_factory, self._cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self.progressed)
        self._worker.succeeded.connect(self.succeeded)
        self._worker.failed.connect(self.failed)
        self._worker.stopped.connect(self.cancelled)
        # Quit straight from the worker thread (QThread.quit is thread-safe): a queued quit would wait
        # for the UI event loop, so wait() while a window closes would block until its timeout.
        self._worker.done.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread.finished.connect(self._cleanup)
        self.running = False

    def start(self) -> None:
        self.running = True
        _RUNNING.add(self)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Block until the thread ends (for closing the app, not for tests)."""
        return self._thread.wait(timeout_ms)

    def _cleanup(self) -> None:
        self.running = False
        self._worker.deleteLater()
        self._thread.deleteLater()
        self.finished.emit()
        _RUNNING.discard(self)


def run_job(
    job_factory: Callable[[], Iterable[Any]],
    on_progress: Callable[[Any], None] | None = None,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    parent: QObject | None = None,
) -> JobRunner:
    """Start ``job_factory()`` on a worker thread; callbacks run on the UI thread. Returns the runner."""
    runner = JobRunner(job_factory, parent)
    if on_progress:
        runner.progressed.connect(on_progress)
    if on_done:
        runner.succeeded.connect(on_done)
    if on_error:
        runner.failed.connect(on_error)
    runner.start()
    return runner
