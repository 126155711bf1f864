"""The validation job on real database files: month rows, whole database, progress, cancel."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from sqlite_utils import Database

from iapt_desktop.domain.access import SYSTEM_USER
from iapt_desktop.jobs.validate_period import (
    Progress,
    ValidationReport,
    run_to_report,
    validate_database,
    validate_period,
)
from iapt_desktop.storage.all_rows import all_rows
from iapt_desktop.storage.database import DatabaseLocation
from tests.validation.month_rows import valid_month
from tests.validation.stored_month import store_month

NOW = dt.datetime(2025, 5, 3, 9, 0)


def test_a_clean_month_has_no_findings_and_every_row_survives(db: Database) -> None:
    store_month(db, valid_month())
    items = list(validate_period(db, "2025-04", now=NOW, actor=SYSTEM_USER))
    assert all(isinstance(item, Progress) for item in items[:-1])
    report = items[-1]
    assert isinstance(report, ValidationReport)
    assert report.findings == ()
    assert report.scope == "2025-04"
    assert not report.rejects_file
    assert report.surviving_rows["IDS201CareContact"][0]["CareContactId"] == "C1"
    assert report.rows_checked["IDS000Header"] == 1
    assert report.counts_by_severity == {"reject_file": 0, "reject_group": 0, "reject_record": 0, "warning": 0}


def test_progress_counts_up_to_its_total(db: Database) -> None:
    store_month(db, valid_month())
    steps = validate_period(db, "2025-04", now=NOW, actor=SYSTEM_USER)
    progress = [item for item in steps if isinstance(item, Progress)]
    assert progress[-1].done == progress[-1].total
    assert all(a.done <= b.done for a, b in itertools.pairwise(progress))


def test_a_month_with_faults_reports_them_by_rule(db: Database) -> None:
    month = valid_month()
    month["IDS201CareContact"][0]["AttendOrDNACode"] = "9"
    store_month(db, month)
    report = run_to_report(validate_period(db, "2025-04", now=NOW, actor=SYSTEM_USER))
    assert report is not None
    assert report.counts_by_rule == {"IDS20128": 1, "IDS20224": 1, "IDS60708": 1}
    assert report.surviving_rows["IDS201CareContact"] == []
    assert report.carried[("IDS201CareContact", "C1")][0].table == "IDS202CareActivity"
    assert "code list" in report.explanation("IDS20128")


def test_provider_code_comes_from_settings(db: Database) -> None:
    store_month(db, valid_month())
    db.execute("UPDATE IDS001MPI SET OrgIDLocalPatientId = 'RX9'")
    report = run_to_report(validate_period(db, "2025-04", now=NOW, actor=SYSTEM_USER))
    assert report is not None
    assert [(f.rule, f.value) for f in report.findings] == [("IDS00153", "RX9")]


def test_cancelling_stops_without_a_report(db: Database) -> None:
    store_month(db, valid_month())
    seen: list[object] = []

    def cancelled() -> bool:
        return len(seen) >= 3

    for item in validate_period(db, "2025-04", cancelled=cancelled, now=NOW, actor=SYSTEM_USER):
        seen.append(item)
    assert not any(isinstance(item, ValidationReport) for item in seen)


def test_a_location_opens_and_closes_its_own_connection(db: Database, db_path: Path) -> None:
    store_month(db, valid_month())
    report = run_to_report(validate_period(DatabaseLocation(db_path), "2025-04", now=NOW, actor=SYSTEM_USER))
    assert report is not None and report.findings == ()


def test_whole_database_validation_reads_every_stored_row(db: Database) -> None:
    month = valid_month()
    month["IDS201CareContact"].append(dict(month["IDS201CareContact"][0], CareContactId="C9",
                                           CareContDate="2026-01-05"))  # a date in the future
    store_month(db, month)
    stored = all_rows(db)
    assert "IDS000Header" not in stored
    assert {row["CareContactId"] for row in stored["IDS201CareContact"]} == {"C1", "C9"}
    report = run_to_report(validate_database(db, actor=SYSTEM_USER, now=NOW))
    assert report is not None and report.scope == "whole database"
    future = [f for f in report.findings if f.rule == "IDS20108"]
    assert [(f.key, f.value) for f in future] == [("C9", "2026-01-05")]
    assert [(d.table, d.key, d.rule) for d in report.dropped] == [("IDS201CareContact", "C9", "IDS20108")]
    assert not report.rejects_file
