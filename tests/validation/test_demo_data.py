"""The demo provider validates without rejects, and every fault it plants is found under its rule id."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iapt_desktop.domain.access import SYSTEM_USER
from iapt_desktop.domain.demo_faults import PLANTED_FAULTS
from iapt_desktop.domain.demo_rows import DemoOptions
from iapt_desktop.domain.reporting_period import ReportingPeriod
from iapt_desktop.jobs.demo_service import run_demo
from iapt_desktop.jobs.validate_period import ValidationReport, run_to_report, validate_database, validate_period
from iapt_desktop.storage.database import open_database
from iapt_desktop.validation.findings import WARNING

AS_OF = dt.date(2025, 6, 15)
NOW = dt.datetime(2025, 6, 15, 12, 0)


def rejects(report: ValidationReport) -> list[tuple[str, str, str]]:
    return [(f.rule, f.table, f.key) for f in report.findings if f.severity != WARNING]


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=100_000), patients=st.integers(min_value=10, max_value=30),
       months=st.integers(min_value=2, max_value=5))
def test_demo_data_validates_without_rejects(seed: int, patients: int, months: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "demo.db")
        try:
            run_demo(db, DemoOptions(as_of=AS_OF, patients=patients, months=months, seed=seed))
            whole = run_to_report(validate_database(db, actor=SYSTEM_USER, now=NOW))
            assert whole is not None and rejects(whole) == []
            period = ReportingPeriod.containing(AS_OF).previous()
            for _ in range(months):
                report = run_to_report(validate_period(db, period, now=NOW, actor=SYSTEM_USER))
                assert report is not None and rejects(report) == [], str(period)
                period = period.previous()
        finally:
            db.close()


def test_every_planted_fault_is_found_under_its_rule(tmp_path: Path) -> None:
    db = open_database(tmp_path / "faults.db")
    try:
        result = run_demo(db, DemoOptions(as_of=AS_OF, patients=40, months=6, seed=11, with_faults=True))
        report = run_to_report(validate_database(db, actor=SYSTEM_USER, now=NOW))
    finally:
        db.close()
    assert report is not None
    assert {fault.rule_id for fault in result.planted} == {fault.rule_id for fault in PLANTED_FAULTS}
    for fault in result.planted:
        found = [f for f in report.findings if f.rule == fault.rule_id and f.table == fault.table]
        if fault.key_column == "app_row_id":
            matching = [f for f in found if str(f.row_id) == fault.key]
        elif fault.key_column == "LocalPatientId" and fault.table != "IDS001MPI":
            matching = [f for f in found if f.key.startswith(f"LocalPatientId={fault.key},")]
        else:
            matching = [f for f in found if f.key == fault.key]
        assert matching, f"{fault.rule_id} ({fault.description}) not found at {fault.key}"
        assert matching[0].severity == fault.severity.lower()
        assert matching[0].field == fault.column
    assert report.rejects_file
