"""The child process of one measurement: ``python -m benchmarks.child CASE ARG...``.

Runs the named case once and prints one JSON line (the last line of stdout):
``{"seconds": float, "peak_rss_mb": float, "extra": {name: number}}``.
Only the case's modules are imported before it starts, so start-up cases
measure a cold interpreter as a user's launch would.
"""

from __future__ import annotations

import importlib
import json
import sys

# case name -> module in benchmarks that defines a function of that name
CASE_MODULES = {
    "startup_floor": "benchmarks.cases_gui",
    "startup_app": "benchmarks.cases_gui",
    "search": "benchmarks.cases_gui",
    "unlock": "benchmarks.cases_data",
    "key_derivation": "benchmarks.cases_data",
    "validation": "benchmarks.cases_data",
    "scan_validation_tables": "benchmarks.cases_data",
    "month_validation": "benchmarks.cases_data",
    "read_month_rows": "benchmarks.cases_data",
    "submission": "benchmarks.cases_data",
    "write_same_cells": "benchmarks.cases_data",
    "metrics": "benchmarks.cases_data",
    "scan_metrics_tables": "benchmarks.cases_data",
    "demo_generation": "benchmarks.cases_data",
}


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (Linux and macOS)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def process_cpu_seconds() -> float:
    """CPU time of this whole process so far (start-up cases: from interpreter start to the first paint)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str]) -> int:
    case, args = argv[0], argv[1:]
    module = importlib.import_module(CASE_MODULES[case])
    seconds, extra = getattr(module, case)(*args)
    if "cpu_seconds" not in extra:
        from benchmarks.measure import measured_cpu_seconds

        cpu = measured_cpu_seconds()
        extra["cpu_seconds"] = cpu if cpu is not None else process_cpu_seconds()
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_rss_mb(), "extra": extra}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
