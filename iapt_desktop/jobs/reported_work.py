"""Turn work that reports through a callback into a generator job (for ui.workers.run_job and the CLI).

SQLite's backup API and the audit trail writers report progress from inside one call, where a generator
cannot yield.  :func:`reported_steps` runs such work on a helper thread of its own and yields each item
it reports, so the job still is a plain generator: its ``return`` value is the work's result and an
exception in the work is raised by the generator.  The work opens its own database connection (it runs
on its own thread).

Stopping: closing the generator (ui.workers does so when cancelled) sets ``cancel`` and waits for the
work to end; the work checks ``cancel`` at its safe points (``report`` raises OperationCancelled once it
is set, unless told the work may not stop there).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Generator
from typing import Any, TypeVar

from iapt_desktop.storage.backups import OperationCancelled

Item = TypeVar("Item")
Result = TypeVar("Result")

_END = object()


class Reporter:
    """What the work is given: ``report(item)`` passes progress on; ``check()`` raises when stopped."""

    def __init__(self, sink: Callable[[Any], None], cancel: threading.Event) -> None:
        self._sink = sink
        self.cancel = cancel

    def check(self) -> None:
        if self.cancel.is_set():
            raise OperationCancelled

    def report(self, item: Any, *, may_stop: bool = True) -> None:
        if may_stop:
            self.check()
        self._sink(item)


def reported_steps(work: Callable[[Reporter], Result], cancel: threading.Event | None = None,
                   ) -> Generator[Any, None, Result]:
    """Run ``work(reporter)`` on a helper thread; yield what it reports; return its result."""
    cancel = cancel or threading.Event()
    # One item in flight: the work waits for its reports to be taken, so it never runs ahead of the job
    # (and of a stop) by more than a step.
    items: queue.Queue[Any] = queue.Queue(maxsize=1)
    outcome: dict[str, Any] = {}

    def body() -> None:
        try:
            outcome["result"] = work(Reporter(items.put, cancel))
        except BaseException as error:  # handed to the generator, which raises it on the job's thread
            outcome["error"] = error
        finally:
            items.put(_END)

    helper = threading.Thread(target=body, name="iapt-desktop-job-step", daemon=True)
    helper.start()
    ended = False
    try:
        while (item := items.get()) is not _END:
            yield item
        ended = True
    finally:
        if not ended:  # closed (cancelled) or interrupted: stop the work at its next safe point
            cancel.set()
            while items.get() is not _END:
                pass
        helper.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
