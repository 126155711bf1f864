"""``python -m benchmarks``: measure IAPT Desktop at both ends and write docs/performance.md.

    python -m benchmarks                 # ~1,000, ~5,000 and ~100,000 referrals, 5 / 5 / 3 repeats
    python -m benchmarks --quick         # the small database only, 3 repeats
    python -m benchmarks --repeat 7      # every measurement 7 times
    python -m benchmarks --smoke --output /tmp/report.md   # a tiny database once: does every case run?

The first run builds the demo databases (the large one takes several minutes)
and keeps them in benchmarks/.cache/.  Not part of the test run; the smoke mode
is (tests/benchmarks/test_smoke.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import pickle
import sys
from pathlib import Path

from benchmarks import machine
from benchmarks.demo_cache import CACHE, MONTHS, ROOT, DemoSpec, cached_demo
from benchmarks.report import Run, render
from benchmarks.suite import measurements, run_demo_generation, run_pair

SMALL_PATIENTS = 950  # about 1,000 referrals over five years
LARGE_PATIENTS = 94_500  # about 100,000 referrals over five years
MEDIUM_PATIENTS = 4_750  # about 5,000 referrals over five years (the month's validation aim)
BUSY_PATIENTS, BUSY_MONTHS = 100_000, 18  # most referrals fall in the year the metrics cover
SMOKE_PATIENTS = 25
DEMO_GENERATION_PATIENTS = 2_000
DEFAULT_OUTPUT = ROOT / "docs" / "performance.md"
LAST_RUN = "last-run.pickle"  # the results of the last full or quick run, for --render-only


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="the small database only, 3 repeats")
    mode.add_argument("--render-only", action="store_true",
                      help="write the report again from the last run's results (after editing the notes)")
    mode.add_argument("--smoke", action="store_true",
                      help=f"a tiny database ({SMOKE_PATIENTS} patients), each case once: checks the suite runs")
    parser.add_argument("--repeat", type=int, default=None, metavar="N", help="runs per measurement")
    parser.add_argument("--only", action="append", default=None, metavar="KEY",
                        help="measure only these (startup, unlock, search, validation, month_validation, submission, "
                             "metrics, demo); "
                             "repeatable")
    parser.add_argument("--small-patients", type=int, default=SMALL_PATIENTS, metavar="N")
    parser.add_argument("--large-patients", type=int, default=LARGE_PATIENTS, metavar="N")
    parser.add_argument("--cache", type=Path, default=CACHE, metavar="DIR",
                        help="where the demo databases are kept (default benchmarks/.cache)")
    parser.add_argument("--output", type=Path, default=None, metavar="FILE.md",
                        help=f"where the report goes (default {DEFAULT_OUTPUT.relative_to(ROOT)}; "
                             "--smoke and --only print it unless this is given)")
    args = parser.parse_args(argv)
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    last_run = args.cache / LAST_RUN
    if args.render_only:
        if not last_run.exists():
            print(f"No results to render: {last_run} is missing. Run python -m benchmarks first.", file=sys.stderr)
            return 1
        with last_run.open("rb") as handle:
            return _write(render(pickle.load(handle)), args.output or DEFAULT_OUTPUT)  # noqa: S301 (our own file)
    started = dt.datetime.now(dt.UTC)
    wanted = set(args.only) if args.only else None
    load_before = machine.load_average()
    if args.smoke:
        sizes = {"small": SMOKE_PATIENTS}
        repeats = {"small": args.repeat or 1}
        demo_patients, mode = SMOKE_PATIENTS, "smoke (tiny database, not a measurement)"
    elif args.quick:
        sizes = {"small": args.small_patients}
        repeats = {"small": args.repeat or 3}
        demo_patients, mode = DEMO_GENERATION_PATIENTS, "quick (small database only)"
    else:
        sizes = {"small": args.small_patients, "medium": MEDIUM_PATIENTS, "large": args.large_patients,
                 "busy": BUSY_PATIENTS}
        repeats = {"small": args.repeat or 5, "medium": args.repeat or 5, "large": args.repeat or 3,
                   "busy": args.repeat or 3}
        demo_patients, mode = DEMO_GENERATION_PATIENTS, "full"
    databases = {size: cached_demo(DemoSpec(patients, months=BUSY_MONTHS if size == "busy" else MONTHS),
                                   cache=args.cache)
                 for size, patients in sizes.items()
                 if wanted is None or any(m.key in wanted for m in measurements(size))}
    outcomes = []
    for size, database in databases.items():
        print(f"{size}: {database.referrals:,} referrals in {database.path}")
        for measurement in measurements(size):
            if wanted is None or measurement.key in wanted:
                outcomes.append(run_pair(measurement, size, str(database.path), repeats[size]))
    demo = None
    if wanted is None or "demo" in wanted:
        demo = run_demo_generation(demo_patients, repeats["small"] if not args.smoke else 1)
    skipped = [] if "large" in databases else [
        "The large database (~100,000 referrals): run `python -m benchmarks` without --quick/--smoke."]
    run = Run(started=started, finished=dt.datetime.now(dt.UTC), machine=machine.describe(), repeats=repeats,
              databases=databases, outcomes=outcomes, demo=demo, demo_patients=demo_patients,
              load_before=load_before, load_after=machine.load_average(), mode=mode,
              command=" ".join(["python -m benchmarks", *(sys.argv[1:] if argv is None else argv)]), skipped=skipped)
    partial = args.smoke or wanted is not None
    if not partial:
        with last_run.open("wb") as handle:
            pickle.dump(run, handle)
    text = render(run)
    # a partial run (--only, --smoke) never replaces docs/performance.md unless --output says so
    output = args.output or (None if partial else DEFAULT_OUTPUT)
    if output is None:
        print(text)
        return 0
    return _write(text, output)


def _write(text: str, output: Path) -> int:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"report written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
