"""The submission job end to end on real databases: packages, refusal, refresh diff, cancel, IDB."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from iapt_desktop.domain.dataset import tables
from iapt_desktop.domain.demo_rows import DemoOptions
from iapt_desktop.domain.reporting_period import ReportingPeriod, Window
from iapt_desktop.interchange.submission_package import read_manifest, sha256_of, verify_package
from iapt_desktop.jobs.demo_service import generate_demo
from iapt_desktop.jobs.submission_checks import choose_window
from iapt_desktop.jobs.write_submission import (
    SubmissionCancelled,
    SubmissionResult,
    idb_problem_here,
    preview_changes,
    write_submission,
)
from iapt_desktop.storage.database import DatabaseLocation, open_database
from iapt_desktop.storage.settings_store import set_setting
from iapt_desktop.storage.submission_log import TableChanges, submissions
from iapt_desktop.validation.findings import REJECT_FILE, WARNING
from tests.interchange.idb_stand_in import SqliteStandInDialect, make_template, read_table
from tests.month_data import add_contact, add_patient, add_referral, add_staff, set_provider
from tests.storage.test_month_content import assert_parents_present
from tests.submission_runs import CREATED, TODAY, expected_headers, read_package_csv, run_submission

DEMO_AS_OF = dt.date(2025, 7, 9)
DEMO_MONTHS = 6
ACTIVITY_DATES = {"IDS201CareContact": "CareContDate", "IDS606CodedScoreAssessmentRefer": "AssToolCompDate",
                  "IDS105OnwardReferral": "OnwardReferDate"}


@pytest.fixture
def demo_db(db: Database) -> Database:
    for _ in generate_demo(db, DemoOptions(as_of=DEMO_AS_OF, patients=60, months=DEMO_MONTHS, seed=7)):
        pass
    return db


def _small_service(db: Database) -> None:
    set_provider(db)
    add_staff(db)
    add_patient(db, "P1", 1)
    add_referral(db, "R1", "P1", "2025-03-10")
    add_contact(db, "C1", "R1", "2025-04-02")
    add_contact(db, "C2", "R1", "2025-04-16")


def test_every_demo_month_gives_a_clean_complete_package(demo_db: Database, tmp_path: Path) -> None:
    expected = expected_headers()
    period = ReportingPeriod.containing(DEMO_AS_OF)
    for _ in range(DEMO_MONTHS):
        period = period.previous()
        result = run_submission(demo_db, str(period), tmp_path / "out", created_at=dt.datetime(2025, 7, 9, 10),
                                today=DEMO_AS_OF)
        assert result.written, result.refusal
        rejects = [f for f in result.validation.findings if f.severity != WARNING]
        assert rejects == [], (str(period), rejects[:5])
        assert result.counts["IDS101Referral"] > 0 and result.counts["IDS201CareContact"] > 0
        assert result.package is not None
        assert verify_package(result.package) == []
        headers, rows = read_package_csv(result.package)
        assert headers == expected
        for name, column in ACTIVITY_DATES.items():
            dates = {row[column] for row in rows[name]}
            assert all(period.start.isoformat() <= day <= period.end.isoformat() for day in dates), (period, name)
        assert_parents_present({name: [{k: v or None for k, v in row.items()} for row in table_rows]
                                for name, table_rows in rows.items()})
        assert {name: len(table_rows) for name, table_rows in rows.items()} == result.counts
        (header,) = rows["IDS000Header"]
        assert header["ReportingPeriodStartDate"] == period.start.isoformat()
        assert header["DateTimeDatSetCreate"] == "2025-07-09 10:00:00"


def test_the_workbook_holds_the_same_tables_as_the_csv_files(demo_db: Database, tmp_path: Path) -> None:
    import openpyxl

    result = run_submission(demo_db, "2025-05", tmp_path, today=DEMO_AS_OF)
    assert result.package is not None
    _, rows = read_package_csv(result.package)
    workbook = openpyxl.load_workbook(result.package / f"{result.package.name}.xlsx", read_only=True)
    try:
        assert workbook.sheetnames == list(tables())
        for name in ("IDS001MPI", "IDS201CareContact", "IDS606CodedScoreAssessmentRefer"):
            values = list(workbook[name].iter_rows(values_only=True))
            assert list(values[0]) == list(tables()[name].column_names)
            assert len(values) - 1 == len(rows[name])
            cells = list(values[1]) + [None] * (len(values[0]) - len(values[1]))  # read-only mode trims the end
            first = {k: ("" if v is None else str(v)) for k, v in zip(values[0], cells, strict=True)}
            assert first == rows[name][0]
    finally:
        workbook.close()


def test_manifest_lists_every_file_with_its_sha256(db: Database, tmp_path: Path) -> None:
    _small_service(db)
    result = run_submission(db, "2025-04", tmp_path, created_by="ada")
    assert result.package is not None and result.package.name == "IAPT_v2.1_AB1_202504_P"
    manifest = read_manifest(result.package)
    files = sorted(p.relative_to(result.package).as_posix() for p in result.package.rglob("*") if p.is_file())
    assert sorted(manifest["files"]) == [f for f in files if f != "manifest.json"]
    assert all(sha256_of(result.package / name) == digest for name, digest in manifest["files"].items())
    assert len([f for f in files if f.startswith("tables/")]) == 21
    assert manifest["period"] == "2025-04" and manifest["window"] == "primary" and manifest["provider"] == "AB1"
    assert manifest["created_at"] == "2025-05-03 09:15:42" and manifest["created_by"] == "ada"
    assert manifest["counts"]["IDS201CareContact"] == 2
    assert manifest["validation"]["by_severity"][REJECT_FILE] == 0
    report = json.loads((result.package / "validation_report.json").read_text(encoding="utf-8"))
    assert report["summary"] == manifest["validation"]
    (result.package / "tables" / "IDS201CareContact.csv").write_text("tampered", encoding="utf-8")
    assert verify_package(result.package) == ["tables/IDS201CareContact.csv has changed since the package was written"]


def test_two_runs_on_the_same_data_give_the_same_manifest_apart_from_the_workbook(db_path: Path,
                                                                                   tmp_path: Path) -> None:
    db = open_database(db_path)
    _small_service(db)
    db.close()
    copy = tmp_path / "copy.db"
    shutil.copyfile(db_path, copy)
    manifests = []
    for path, out in ((db_path, tmp_path / "cli"), (copy, tmp_path / "gui")):
        location = DatabaseLocation(path)
        results = [r for r in write_submission(location, "2025-04", "primary", out, created_at=CREATED,
                                               created_by="ada", today=TODAY) if isinstance(r, SubmissionResult)]
        assert results[0].package is not None
        manifests.append(read_manifest(results[0].package))
    for manifest in manifests:
        workbook = [name for name in manifest["files"] if name.endswith(".xlsx")]
        assert len(workbook) == 1
        del manifest["files"][workbook[0]]  # the workbook records the time it was saved
    assert manifests[0] == manifests[1]


def test_a_file_reject_refuses_the_package_unless_forced(db: Database, tmp_path: Path) -> None:
    _small_service(db)
    db.execute("UPDATE IDS001MPI SET NHSNumber = '9990000019' WHERE LocalPatientId = 'P1'")  # bad check digit
    refused = run_submission(db, "2025-04", tmp_path / "out")
    assert not refused.written and "would reject the whole file" in refused.refusal
    assert refused.validation.rejects_file
    assert any(f.rule == "IDSREJ006" for f in refused.validation.findings)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert submissions(db) == []
    forced = run_submission(db, "2025-04", tmp_path / "out", force=True)
    assert forced.written and forced.forced and forced.package is not None
    assert read_manifest(forced.package)["forced"] is True
    assert submissions(db)[0].forced


def test_a_second_submission_for_the_period_reports_what_changed(db: Database, tmp_path: Path) -> None:
    _small_service(db)
    first = run_submission(db, "2025-04", tmp_path)
    assert first.previous is None and first.changes is None
    db.execute("UPDATE IDS201CareContact SET ClinContDurOfCareCont = 45 WHERE CareContactId = 'C1'")
    db.execute("DELETE FROM IDS201CareContact WHERE CareContactId = 'C2'")
    add_contact(db, "C3", "R1", "2025-04-30")
    second = run_submission(db, "2025-04", tmp_path, window="refresh", created_at=CREATED + dt.timedelta(days=30))
    assert second.previous is not None and second.previous.id == first.log_id
    assert second.changes is not None
    assert second.changes["IDS201CareContact"] == TableChanges(added=1, changed=1, removed=1)
    assert second.changes["IDS202CareActivity"] == TableChanges(added=1, changed=0, removed=1)
    assert not second.changes["IDS000Header"].any and not second.changes["IDS001MPI"].any
    assert second.package is not None and second.package.name == "IAPT_v2.1_AB1_202504_R"
    manifest = read_manifest(second.package)
    assert manifest["changes_since_previous"]["IDS201CareContact"] == {"added": 1, "changed": 1, "removed": 1}
    assert manifest["previous_submission"]["id"] == first.log_id
    assert [s.window for s in submissions(db, "2025-04")] == ["refresh", "primary"]
    assert preview_changes(db, "2025-03") == (None, None)
    previous, preview = preview_changes(db, "2025-04")
    assert previous is not None and previous.id == second.log_id
    assert preview is not None and not any(c.any for c in preview.values())
    db.execute("DELETE FROM IDS201CareContact WHERE CareContactId = 'C3'")
    assert preview_changes(db, "2025-04")[1]["IDS201CareContact"] == TableChanges(0, 0, 1)  # type: ignore[index]
    add_contact(db, "C3", "R1", "2025-04-30")
    third = run_submission(db, "2025-04", tmp_path, window="refresh")
    assert third.package is not None and third.package.name == "IAPT_v2.1_AB1_202504_R_2"
    assert third.changes is not None and not any(c.any for c in third.changes.values())


def test_cancelling_leaves_no_package_and_no_log_entry(db: Database, tmp_path: Path) -> None:
    _small_service(db)
    checks = itertools.count()  # cancel at the sixth check, while the tables are being written
    steps = write_submission(db, "2025-04", None, tmp_path / "out", created_at=CREATED, today=TODAY,
                             cancelled=lambda: next(checks) >= 25)
    with pytest.raises(SubmissionCancelled):
        list(steps)
    assert not any((tmp_path / "out").iterdir())
    assert submissions(db) == []


def test_the_idb_is_filled_from_the_template_when_asked(db: Database, tmp_path: Path) -> None:
    _small_service(db)
    template = make_template(tmp_path / "blank.accdb")
    set_setting(db, "idb_template_path", str(template))
    result = run_submission(db, "2025-04", tmp_path / "out", idb=True, idb_dialect=SqliteStandInDialect())
    assert result.idb_problem == "" and result.idb_path is not None and result.idb_path.parent == result.package
    assert len(read_table(result.idb_path, "IDS201CareContact")) == 2
    manifest = read_manifest(result.idb_path.parent)
    assert manifest["files"][result.idb_path.name] == sha256_of(result.idb_path)
    assert manifest["idb"]["written"] is True and manifest["idb"]["tested_against_microsoft_access"] is False


def test_without_a_template_the_package_is_written_and_says_why_there_is_no_idb(db: Database,
                                                                                 tmp_path: Path) -> None:
    _small_service(db)
    result = run_submission(db, "2025-04", tmp_path, idb=True, idb_dialect=SqliteStandInDialect())
    assert result.written and result.idb_path is None
    assert "No blank IDB template is set" in result.idb_problem
    assert result.package is not None and not list(result.package.glob("*.accdb"))


def test_the_window_follows_the_window_open_now() -> None:
    today = dt.date(2025, 5, 3)
    assert choose_window(ReportingPeriod(2025, 4), None, today) == (Window.PRIMARY, ())
    assert choose_window(ReportingPeriod(2025, 3), None, today) == (Window.REFRESH, ())
    window, warnings = choose_window(ReportingPeriod(2025, 1), None, today)
    assert window is Window.PRIMARY and "neither window open now" in warnings[0]
    window, warnings = choose_window(ReportingPeriod(2025, 4), "refresh", today)
    assert window is Window.REFRESH and "primary period of the window open now" in warnings[0]


def test_activity_that_cannot_be_sent_is_reported_as_a_warning(db: Database, tmp_path: Path) -> None:
    _small_service(db)
    add_patient(db, "P2", 2)
    add_referral(db, "R2", "P2", "2025-05-06")
    add_contact(db, "C-EARLY", "R2", "2025-04-28")  # before R2 was received
    result = run_submission(db, "2025-04", tmp_path)
    assert any("1 in IDS201CareContact" in warning for warning in result.warnings)
    assert result.package is not None
    assert any("not in the file" in warning for warning in read_manifest(result.package)["warnings"])


@pytest.mark.skipif(sys.platform == "win32", reason="checks the messages off Windows")
def test_the_wizard_can_ask_why_no_idb_can_be_written(db: Database, tmp_path: Path) -> None:
    assert "No blank IDB template is set" in (idb_problem_here(db) or "")
    set_setting(db, "idb_template_path", str(tmp_path / "missing.accdb"))
    assert "was not found" in (idb_problem_here(db) or "")
    set_setting(db, "idb_template_path", str(make_template(tmp_path / "blank.accdb")))
    assert "not running Windows" in (idb_problem_here(db) or "")


def test_without_a_provider_code_the_file_is_refused_and_the_warning_says_where_to_set_it(
        db: Database, tmp_path: Path) -> None:
    _small_service(db)
    set_setting(db, "provider_ods", "")
    set_setting(db, "submitter_ods", "")
    result = run_submission(db, "2025-04", tmp_path)
    assert not result.written and any(f.rule == "IDSREJ015" for f in result.validation.findings)
    assert any("Provider organisation code" in warning for warning in result.warnings)
