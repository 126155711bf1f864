"""The demo service writes a clean provider into a new database: national rules, faults, refusal, progress."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlite_utils import Database

from iapt_desktop.domain.dataset import tables
from iapt_desktop.domain.demo_faults import PLANTED_FAULTS, PlantedFaultRecord
from iapt_desktop.domain.demo_rows import APP_TABLE_COLUMNS, DemoOptions
from iapt_desktop.domain.reporting_period import ReportingPeriod
from iapt_desktop.jobs.demo_service import DemoRefused, generate_demo, run_demo
from iapt_desktop.storage.database import open_database
from iapt_desktop.storage.month_content import month_rows
from iapt_desktop.storage.settings_store import get_setting
from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.engine import validate
from iapt_desktop.validation.findings import REJECT_GROUP, WARNING, Finding
from tests.conftest import DEMO_AS_OF

AS_OF = dt.date.fromisoformat(DEMO_AS_OF)
NOW = dt.datetime.combine(AS_OF, dt.time(12, 0))
# Warnings a realistic provider has: a few patients without an NHS number or a postcode.
EXPECTED_WARNINGS = {"IDS00111", "IDS00123"}


def stored_rows(db: Database) -> dict[str, list[dict]]:
    return {name: [dict(r) for r in db.query(f"SELECT * FROM [{name}]")] for name in tables()
            if name != "IDS000Header"}


def whole_database_findings(db: Database) -> list[Finding]:
    context = ValidationContext.for_database("XDM01", "XDM01", NOW)
    return list(validate(stored_rows(db), context).findings)


def months(start: dt.date, end: dt.date) -> list[ReportingPeriod]:
    period = ReportingPeriod.parse(f"{start:%Y-%m}")
    found = []
    while period.start <= end:
        found.append(period)
        period = period.next()
    return found


def new_database(tmp_path: Path, name: str, options: DemoOptions) -> Database:
    database = open_database(tmp_path / name)
    run_demo(database, options)
    return database


def test_the_demo_passes_the_national_rules_as_a_whole_and_month_by_month(demo_db: Database) -> None:
    findings = whole_database_findings(demo_db)
    assert {f.rule for f in findings} <= EXPECTED_WARNINGS
    assert all(f.severity == WARNING for f in findings)
    window = DemoOptions(as_of=AS_OF, months=12).window
    carried = 0
    for period in months(window.start, window.end):
        rows = month_rows(demo_db, period, created_at=NOW)
        carried += len(rows["IDS201CareContact"])
        result = validate(rows, ValidationContext.for_month(period, "XDM01", "XDM01", NOW))
        problems = [(f.rule, f.table, f.key) for f in result.findings if f.rule not in EXPECTED_WARNINGS]
        assert problems == [], str(period)
    assert carried == demo_db.table("IDS201CareContact").count  # every contact goes out in its month


def test_settings_name_the_fictional_organisations(demo_db: Database) -> None:
    assert get_setting(demo_db, "provider_ods") == "XDM01"
    assert get_setting(demo_db, "submitter_ods") == "XDM01"
    assert get_setting(demo_db, "default_commissioner") == "XDC01"


def test_each_planted_fault_is_found_under_its_rule_and_nothing_else_goes_wrong(tmp_path: Path) -> None:
    options = DemoOptions(as_of=AS_OF, patients=60, months=12, seed=7, with_faults=True)
    db = open_database(tmp_path / "faults.db")
    planted = run_demo(db, options).planted
    assert len(planted) == len(PLANTED_FAULTS)
    findings = whole_database_findings(db)
    for fault in planted:
        assert any(_finds(f, fault) for f in findings), fault
    root_rules = {f.rule for f in findings if f.severity not in {REJECT_GROUP, WARNING}}
    assert root_rules == {f.rule_id for f in PLANTED_FAULTS if f.severity != "WARNING"}
    warnings = {f.rule for f in findings if f.severity == WARNING}
    assert warnings - EXPECTED_WARNINGS == {"IDS60707"}
    db.close()


def _finds(finding: Finding, fault: PlantedFaultRecord) -> bool:
    if finding.rule != fault.rule_id or finding.table != fault.table:
        return False
    if fault.key_column == "app_row_id":
        return finding.row_id == int(fault.key)
    return finding.key == fault.key or f"{fault.key_column}={fault.key}" in finding.key


def test_a_database_with_records_is_refused_and_left_alone(demo_db: Database) -> None:
    before = demo_db.table("IDS001MPI").count
    with pytest.raises(DemoRefused, match="already holds records"):
        next(generate_demo(demo_db, DemoOptions(as_of=AS_OF, patients=10)))
    assert demo_db.table("IDS001MPI").count == before


def test_progress_is_reported_per_batch_and_ends_with_the_counts(db: Database) -> None:
    steps = list(generate_demo(db, DemoOptions(as_of=AS_OF, patients=30, months=6, seed=2), batch_patients=10))
    assert [s.done for s in steps] == [0, 10, 20, 30]
    assert all(s.result is None for s in steps[:-1])
    result = steps[-1].result
    assert result is not None and result.patients == 30
    for name, count in result.rows_by_table.items():
        assert db.table(name).count == count
    assert db.execute("SELECT action FROM app_audit_log").fetchall() == [("demo_generated",)]


def test_same_seed_same_database_other_seed_other_database(tmp_path: Path) -> None:
    options = DemoOptions(as_of=AS_OF, patients=25, months=6, seed=4)
    first = new_database(tmp_path, "a.db", options)
    second = new_database(tmp_path, "b.db", options)
    other = new_database(tmp_path, "c.db", DemoOptions(as_of=AS_OF, patients=25, months=6, seed=5))
    names = [*tables(), *APP_TABLE_COLUMNS]

    def contents(db: Database) -> dict[str, list[tuple]]:
        return {name: db.execute(f"SELECT * FROM [{name}] ORDER BY 1").fetchall() for name in names}

    assert contents(first) == contents(second)
    assert contents(first) != contents(other)
    for database in (first, second, other):
        database.close()


def test_every_referral_is_held_by_a_counsellor(demo_db: Database) -> None:
    unassigned = demo_db.execute(
        "SELECT count(*) FROM IDS101Referral r LEFT JOIN app_referral a USING (ServiceRequestId) "
        "LEFT JOIN app_care_personnel p USING (CarePersLocalId) WHERE p.CarePersLocalId IS NULL").fetchone()[0]
    assert unassigned == 0
