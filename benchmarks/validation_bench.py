"""How fast validation runs on a synthetic provider (not a test; run by hand).

    .venv/bin/python -m benchmarks.validation_bench [PATIENTS]

Generates the demo provider in a temporary database, then times whole-database
validation, one month's validation job (reading included) and validate_record.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from iapt_desktop.domain.access import SYSTEM_USER
from iapt_desktop.domain.demo_rows import DemoOptions
from iapt_desktop.jobs.demo_service import run_demo
from iapt_desktop.jobs.validate_period import run_to_report, validate_period
from iapt_desktop.storage.all_rows import all_rows
from iapt_desktop.storage.database import open_database
from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.engine import default_rules, validate, validate_record

AS_OF = dt.date(2025, 6, 15)
RECORD_CALLS = 2000


def main(patients: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.db")
        run_demo(db, DemoOptions(as_of=AS_OF, patients=patients, months=12, seed=3))
        rows = all_rows(db)
        count = sum(len(table_rows) for table_rows in rows.values())
        now = dt.datetime(2025, 6, 15, 12)
        context = ValidationContext.for_database("RX1", "RX1", now)
        started = time.perf_counter()
        default_rules(True)
        print(f"compile rules: {1000 * (time.perf_counter() - started):.1f} ms")
        started = time.perf_counter()
        result = validate(rows, context)
        seconds = time.perf_counter() - started
        print(f"whole database: {count:,} rows in {seconds:.2f} s ({count / seconds:,.0f} rows/s), "
              f"{len(result.findings)} findings")
        started = time.perf_counter()
        report = run_to_report(validate_period(db, "2025-05", now=now, actor=SYSTEM_USER))
        assert report is not None
        print(f"month job 2025-05 (read + validate): {sum(report.rows_checked.values()):,} rows in "
              f"{time.perf_counter() - started:.2f} s")
        contact, referral = rows["IDS201CareContact"][0], rows["IDS101Referral"][0]
        started = time.perf_counter()
        for _ in range(RECORD_CALLS):
            validate_record("IDS201CareContact", contact, context, {"IDS101Referral": referral})
        print(f"validate_record: {1e6 * (time.perf_counter() - started) / RECORD_CALLS:.0f} µs per call")
        db.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
