"""Running a generator job (jobs/) to its end in a command, with its progress on stderr when that is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Generator
from typing import Any, TypeVar

Result = TypeVar("Result")


def run_to_end(job: Generator[Any, None, Result]) -> Result:
    """Drive ``job``; show 'stage: NN %' on a terminal; Ctrl-C closes the job (it stops at a safe point)."""
    shown: tuple[str, int] | None = None
    terminal = sys.stderr.isatty()
    try:
        while True:
            try:
                step = next(job)
            except StopIteration as finished:
                return finished.value
            now = (str(getattr(step, "stage", "")), int(getattr(step, "percent", 0)))
            if terminal and now != shown:
                print(f"\r{now[0]}: {now[1]} %", end="", file=sys.stderr, flush=True)
                shown = now
    except BaseException:
        job.close()
        raise
    finally:
        if shown is not None:
            print(file=sys.stderr)
