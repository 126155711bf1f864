"""How long the outcome metrics take on a large synthetic service (not part of the test run).

    .venv/bin/python -m benchmarks.metrics_benchmark [--patients 100000] [--db FILE]

Builds the demo service once (about two minutes for 100,000 patients; the file is kept and reused), then
times reading the rows, working out the referral outcomes and adding up a year of figures, and prints the
peak memory.  Measured on the 2-core development machine (shared, loaded): 83,000 relevant referrals,
480,000 appointments and 820,000 scores in about 4 s reading + 7 s outcomes + 3 s tally, 1.2 GB peak.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import tempfile
import time
from pathlib import Path

from iapt_desktop.domain.demo_rows import DemoOptions
from iapt_desktop.domain.metrics.referral_outcome import iter_referral_outcomes
from iapt_desktop.domain.metrics.service_metrics import service_metrics
from iapt_desktop.jobs.demo_service import run_demo
from iapt_desktop.storage.database import open_database
from iapt_desktop.storage.metrics_rows import read_metrics_rows

AS_OF = dt.date(2026, 10, 15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "bench-metrics.db")
    args = parser.parse_args()
    if not args.db.exists():
        started = time.perf_counter()
        db = open_database(args.db)
        run_demo(db, DemoOptions(as_of=AS_OF, patients=args.patients, months=18, seed=3))
        db.close()
        print(f"built the demo service in {time.perf_counter() - started:.1f} s")
    db = open_database(args.db, migrate=False)
    start, end = dt.date(AS_OF.year - 1, AS_OF.month, 1), dt.date(AS_OF.year, AS_OF.month, 1) - dt.timedelta(days=1)
    t0 = time.perf_counter()
    rows = read_metrics_rows(db, start, end)
    t1 = time.perf_counter()
    outcomes = list(iter_referral_outcomes(rows))
    t2 = time.perf_counter()
    metrics = service_metrics(outcomes, start, end, rows.counsellor_names)
    t3 = time.perf_counter()
    scores = len(rows.referral_scores) + len(rows.activity_scores)
    print(f"{len(rows.referrals):,} referrals, {len(rows.contacts):,} appointments, {scores:,} scores")
    print(f"read {t1 - t0:.2f} s, outcomes {t2 - t1:.2f} s, tally {t3 - t2:.2f} s, total {t3 - t0:.2f} s")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"finished {metrics.figures['finished_treatment']:,}, recovery {metrics.figures['recovery_rate']:.3f}")


if __name__ == "__main__":
    main()
