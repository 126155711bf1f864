"""Measured cases without Qt: unlock, validation, submission, metrics, demo generation, and their baselines.

Each case runs in a fresh child process (benchmarks.child), signs in to the
demo database outside the timed part unless signing in is what it measures,
and returns (seconds, extra figures).  A case never leaves a change behind in
the cached database: work that writes (the submission log) runs inside a
transaction that is rolled back.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.demo_cache import AS_OF, DEMO_PASSWORD, DemoSpec, build_demo, count_rows
from benchmarks.measure import start_clock, stop_clock

# The month the submission case writes and the year the metrics case covers: the last whole month and
# the twelve months before the demo's "today".
SUBMISSION_PERIOD = "2026-10"
SUBMISSION_TODAY = dt.date(2026, 11, 5)  # inside the primary window for October
METRICS_START, METRICS_END = dt.date(2025, 11, 1), dt.date(2026, 10, 31)
METRICS_TABLES = ("IDS101Referral", "app_referral", "IDS201CareContact", "IDS202CareActivity",
                  "IDS606CodedScoreAssessmentRefer", "IDS607CodedScoreAssessmentAct", "IDS603PresentingComplaints",
                  "IDS108WaitingTimePauses", "IDS205InternetTherLog")


def _session(database: str) -> Any:
    from iapt_desktop.storage.session import unlock

    return unlock(Path(database), "admin", DEMO_PASSWORD)


def _scan(db: Any, names: tuple[str, ...] | list[str]) -> int:
    """SELECT * of each table, fetching every row; returns the rows fetched."""
    fetched = 0
    for name in names:
        fetched += len(db.execute(f"SELECT * FROM [{name}]").fetchall())
    return fetched


def unlock(database: str) -> tuple[float, dict[str, float]]:
    """Sign in (key derivation, open, first read, login audit) then the first caseload page (all patients)."""
    from iapt_desktop.storage.caseload_queries import CaseloadFilter, count_caseload, page_caseload

    started = start_clock()
    session = _session(database)
    signed_in = time.perf_counter()
    everyone = CaseloadFilter(mine_only=False)
    total = count_caseload(session.db, session.user, everyone)
    page = page_caseload(session.db, session.user, everyone)
    seconds = stop_clock(started)
    session.close()
    if not page:
        raise RuntimeError("the first caseload page is empty")
    return seconds, {
        "sign_in_seconds": signed_in - started,
        "first_page_seconds": seconds - (signed_in - started),
        "patients": float(total),
    }


def key_derivation(database: str) -> tuple[float, dict[str, float]]:
    """The deliberate cost of a sign-in: Argon2id on the password and unwrapping the data key (no database)."""
    from iapt_desktop.storage import keyfile

    keys = keyfile.read_keyfile(Path(database))
    started = start_clock()
    keyfile.unwrap_for_user(keys.users["admin"].wrapped, DEMO_PASSWORD, "admin", keys.database_id)
    return stop_clock(started), {}


def validation(database: str) -> tuple[float, dict[str, float]]:
    """Full validation: every stored row against every rule (``validate_database``)."""
    from iapt_desktop.domain.access import SYSTEM_USER
    from iapt_desktop.jobs.validate_period import run_to_report, validate_database

    session = _session(database)
    started = start_clock()
    report = run_to_report(validate_database(session.db, actor=SYSTEM_USER))
    seconds = stop_clock(started)
    session.close()
    if report is None:
        raise RuntimeError("validation gave no report")
    return seconds, {"findings": float(len(report.findings))}


def scan_validation_tables(database: str) -> tuple[float, dict[str, float]]:
    """Baseline: SELECT * of the tables full validation reads, fetching every row."""
    from iapt_desktop.storage.all_rows import stored_tables

    session = _session(database)
    started = start_clock()
    fetched = _scan(session.db, stored_tables())
    seconds = stop_clock(started)
    session.close()
    return seconds, {"rows": float(fetched)}


def month_validation(database: str) -> tuple[float, dict[str, float]]:
    """The month's validation an administrator runs before submitting (``validate_period``, October 2026)."""
    from iapt_desktop.domain.access import SYSTEM_USER
    from iapt_desktop.jobs.validate_period import run_to_report, validate_period

    session = _session(database)
    started = start_clock()
    report = run_to_report(validate_period(session.db, SUBMISSION_PERIOD, actor=SYSTEM_USER))
    seconds = stop_clock(started)
    session.close()
    if report is None:
        raise RuntimeError("validation gave no report")
    return seconds, {"findings": float(len(report.findings))}


def read_month_rows(database: str) -> tuple[float, dict[str, float]]:
    """Baseline: reading the month's rows alone (``month_rows``), without the rules."""
    from iapt_desktop.storage.month_content import month_rows

    session = _session(database)
    started = start_clock()
    rows = month_rows(session.db, SUBMISSION_PERIOD)
    seconds = stop_clock(started)
    session.close()
    return seconds, {"rows": float(sum(len(r) for r in rows.values()))}


def submission(database: str) -> tuple[float, dict[str, float]]:
    """One month's package (collect, validate, CSV + workbook, manifest, log), rolled back afterwards."""
    import openpyxl  # noqa: F401 (imported before the clock, as the baseline imports it: both time the writing)

    from iapt_desktop.jobs.write_submission import SubmissionResult, write_submission

    session = _session(database)
    db = session.db
    out = Path(tempfile.mkdtemp(prefix="bench-submission-"))
    marks: dict[str, float] = {}
    try:
        db.execute("BEGIN")
        started = start_clock()
        result = None
        for item in write_submission(db, SUBMISSION_PERIOD, None, out, force=True, created_by="benchmark",
                                     created_at=dt.datetime(2026, 11, 5, 9, 0), today=SUBMISSION_TODAY):
            if isinstance(item, SubmissionResult):
                result = item
            else:
                marks.setdefault(_submission_phase(item.message), time.perf_counter() - started)
        seconds = stop_clock(started)
        if not db.conn.in_transaction:
            raise RuntimeError("the submission committed: the benchmark cannot roll it back")
    finally:
        if db.conn.in_transaction:
            db.conn.rollback()
        session.close()
        shutil.rmtree(out, ignore_errors=True)
    if result is None or not result.written:
        raise RuntimeError(f"no package was written: {result.refusal if result else 'no result'}")
    ends = [marks.get(phase, seconds) for phase in SUBMISSION_PHASES[1:]] + [seconds]
    phases = {f"{phase}_seconds": end - marks.get(phase, end) for phase, end in zip(SUBMISSION_PHASES, ends,
                                                                                    strict=True)}
    return seconds, {"rows": float(sum(result.counts.values())), **phases}


# The steps of write_submission, told apart by its progress messages; each lasts until the next starts.
SUBMISSION_PHASES = ("collect", "validate", "csv", "workbook", "log")


def _submission_phase(message: str) -> str:
    if message.startswith("Validating"):
        return "validate"
    if message.startswith("Writing"):
        return "workbook" if message.split(":")[0].endswith("sheet") else "csv"
    if message.startswith("Collecting"):
        return "collect"
    return "log"


def write_same_cells(database: str) -> tuple[float, dict[str, float]]:
    """Baseline: the month's rows (read untimed) written with openpyxl write-only plus one plain CSV per table."""
    from openpyxl import Workbook

    from iapt_desktop.storage.month_content import month_rows

    session = _session(database)
    rows = month_rows(session.db, SUBMISSION_PERIOD, created_at=dt.datetime(2026, 11, 5, 9, 0))
    session.close()
    out = Path(tempfile.mkdtemp(prefix="bench-cells-"))
    try:
        started = start_clock()
        for name, table_rows in rows.items():
            with open(out / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                columns = list(table_rows[0]) if table_rows else []
                writer.writerow(columns)
                writer.writerows([row[c] for c in columns] for row in table_rows)
        workbook = Workbook(write_only=True)
        for name, table_rows in rows.items():
            sheet = workbook.create_sheet(name[:31])
            columns = list(table_rows[0]) if table_rows else []
            sheet.append(columns)
            for row in table_rows:
                sheet.append([row[c] for c in columns])
        workbook.save(out / "tables.xlsx")
        seconds = stop_clock(started)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return seconds, {"rows": float(sum(len(r) for r in rows.values()))}


def metrics(database: str) -> tuple[float, dict[str, float]]:
    """The outcome metrics for a year (``compute_metrics``)."""
    from iapt_desktop.jobs.compute_metrics import compute_metrics

    session = _session(database)
    started = start_clock()
    result = compute_metrics(session.db, METRICS_START, METRICS_END)
    seconds = stop_clock(started)
    session.close()
    return seconds, {"finished_treatment": float(result.figures["finished_treatment"])}


def scan_metrics_tables(database: str) -> tuple[float, dict[str, float]]:
    """Baseline: SELECT * of every table the metrics read, fetching every row (all years, not only the one)."""
    session = _session(database)
    started = start_clock()
    fetched = _scan(session.db, METRICS_TABLES)
    seconds = stop_clock(started)
    session.close()
    return seconds, {"rows": float(fetched)}


def demo_generation(patients: str) -> tuple[float, dict[str, float]]:
    """``iapt-desktop demo`` for ``patients`` into a new encrypted database; rows written per second."""
    import resource

    folder = Path(tempfile.mkdtemp(prefix="bench-demo-"))
    try:
        seconds = build_demo(DemoSpec(int(patients), as_of=AS_OF), folder)
        rows, _referrals = count_rows(folder / "demo.db")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, {"rows": float(rows), "rows_per_second": rows / seconds, "generator_peak_rss_mb": child_peak,
                     "cpu_seconds": usage.ru_utime + usage.ru_stime}
