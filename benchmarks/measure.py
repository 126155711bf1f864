"""Run one measurement in a fresh child process and collect its time and peak memory.

Each case is a function in benchmarks.cases_data or benchmarks.cases_gui that
the child (benchmarks.child) runs; it prints one JSON line:
{"seconds": float, "peak_rss_mb": float, "extra": {...}} (extra holds "cpu_seconds").
Timings inside the child use start_clock/stop_clock around the measured work only,
except for start-up cases, which are timed from process launch: the parent
passes ``time.time()`` taken just before it launches the child as the first
argument, and the child reports the moment of its window's first paint.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Sample:
    seconds: float
    peak_rss_mb: float
    extra: dict[str, float] = field(default_factory=dict)


@dataclass
class Result:
    name: str
    samples: list[Sample]

    @property
    def median_seconds(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_rss_mb(self) -> float:
        return max(s.peak_rss_mb for s in self.samples)

    def median_extra(self, key: str) -> float:
        return statistics.median(s.extra[key] for s in self.samples)


def run_child(case: str, args: list[str], *, wall_clock: bool = False, launch_time: bool = False,
              timeout: float = 1800) -> Sample:
    """Run ``python -m benchmarks.child CASE ARGS...`` once (``launch_time``: the launch moment goes first)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if launch_time:
        args = [repr(time.time()), *args]
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.child", case, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(f"benchmark case {case} failed:\n{completed.stderr[-3000:]}")
    payload = json.loads(completed.stdout.strip().splitlines()[-1])
    return Sample(
        seconds=elapsed if wall_clock else payload["seconds"],
        peak_rss_mb=payload["peak_rss_mb"],
        extra=payload.get("extra", {}),
    )


_cpu = {"started": 0.0, "seconds": -1.0}


def start_clock() -> float:
    """Start timing in a case: returns the wall clock; the process's CPU time is noted too."""
    _cpu["started"] = time.process_time()
    return time.perf_counter()


def stop_clock(started: float) -> float:
    """Seconds since ``start_clock``; the CPU seconds of the same span go into the case's figures."""
    _cpu["seconds"] = time.process_time() - _cpu["started"]
    return time.perf_counter() - started


def measured_cpu_seconds() -> float | None:
    """CPU seconds between the last start_clock/stop_clock, None when the case did not use them."""
    return _cpu["seconds"] if _cpu["seconds"] >= 0 else None
