"""``iapt-desktop submission`` and ``submissions`` on real database files."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from iapt_desktop.cli import main
from iapt_desktop.cli.database_access import DEMO_PASSWORD
from iapt_desktop.domain.reporting_period import ReportingPeriod
from iapt_desktop.storage.database import open_database
from iapt_desktop.storage.settings_store import set_setting
from tests.interchange.idb_stand_in import make_template
from tests.month_data import add_contact, add_patient, add_referral, add_staff, set_provider


@pytest.fixture
def service_db(db_path: Path) -> Path:
    db = open_database(db_path)
    set_provider(db)
    add_staff(db)
    add_patient(db, "P1", 1)
    add_referral(db, "R1", "P1", "2025-03-10")
    add_contact(db, "C1", "R1", "2025-04-02")
    db.close()
    return db_path


def test_writes_the_package_and_logs_it(service_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["submission", "--db", str(service_db), "--period", "2025-04", "--out", str(out),
                 "--window", "primary", "--created-by", "ada"]) == 0
    printed = capsys.readouterr()
    assert "Wrote the primary submission for 2025-04" in printed.out
    assert "First submission logged for this period." in printed.out
    assert "neither window open now" in printed.err  # 2025-04 is long past
    package = out / "IAPT_v2.1_AB1_202504_P"
    assert (package / "manifest.json").is_file() and (package / "tables" / "IDS201CareContact.csv").is_file()
    assert main(["submission", "--db", str(service_db), "--period", "2025-04", "--out", str(out),
                 "--window", "refresh"]) == 0
    assert "Changes since submission 1 (primary" in capsys.readouterr().out
    assert main(["submissions", "--db", str(service_db)]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert len(listing) == 4 and listing[1].startswith("2   2025-04  refresh") and "ada" in listing[3]
    assert listing[2].strip().startswith("re-submission of #1 (primary, ")
    assert listing[2].endswith("made in the refresh window: 0 added, 0 changed, 0 removed")
    assert "re-submission" not in listing[3]
    assert main(["submissions", "--db", str(service_db), "--json", "--period", "2025-04"]) == 0
    logged = json.loads(capsys.readouterr().out)
    assert [entry["window"] for entry in logged] == ["refresh", "primary"]
    assert logged[0]["resubmission"] == {"of": 1, "added": 0, "changed": 0, "removed": 0, "tables": {}}
    assert logged[1]["resubmission"] is None
    assert logged[1]["created_by"] == "ada" and logged[1]["counts"]["IDS201CareContact"] == 1


def test_refuses_a_file_reject_without_force(service_db: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(service_db)
    db.execute("UPDATE IDS001MPI SET Postcode = 'LS14AP' WHERE LocalPatientId = 'P1'")  # no space: IDSREJ007
    db.close()
    out = tmp_path / "out"
    assert main(["submission", "--db", str(service_db), "--period", "2025-04", "--out", str(out)]) == 1
    printed = capsys.readouterr()
    assert "Not written:" in printed.err and "File rejected: 1" in printed.out
    assert "add --force to write the package anyway" in printed.err and "with force" not in printed.err
    assert "IDSREJ007 IDS001MPI P1 Postcode:" in printed.err and "LS14AP" not in printed.err
    assert not out.exists() or not any(out.iterdir())
    assert main(["submission", "--db", str(service_db), "--period", "2025-04", "--out", str(out), "--force"]) == 0
    assert "Written with --force although the file would be rejected: for checking only" in capsys.readouterr().err


def test_bad_arguments_say_what_to_fix(service_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["submission", "--db", str(service_db), "--period", "April", "--out", str(tmp_path)]) == 1
    assert "write the month as YYYY-MM" in capsys.readouterr().err
    assert main(["submission", "--db", str(tmp_path / "none.db"), "--period", "2025-04", "--out", str(tmp_path)]) == 1
    assert "There is no database" in capsys.readouterr().err
    assert main(["submissions", "--db", str(service_db)]) == 0
    assert "No submissions logged." in capsys.readouterr().out


@pytest.mark.skipif(sys.platform == "win32", reason="checks the message off Windows")
def test_idb_off_windows_says_why_and_keeps_the_package(service_db: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["submission", "--db", str(service_db), "--period", "2025-04", "--out", str(out), "--idb"]) == 1
    assert "No blank IDB template is set" in capsys.readouterr().err
    db = open_database(service_db)
    set_setting(db, "idb_template_path", str(make_template(tmp_path / "blank.accdb")))
    db.close()
    assert main(["submission", "--db", str(service_db), "--period", "2025-04", "--out", str(out), "--idb"]) == 1
    assert "not running Windows" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["IAPT_v2.1_AB1_202504_P", "IAPT_v2.1_AB1_202504_P_2"]


def test_every_month_of_a_demo_database_is_written_without_rejects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("IAPT_DESKTOP_PASSWORD", DEMO_PASSWORD)
    db_path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db_path), "--patients", "40", "--months", "3", "--as-of", "2025-07-09"]) == 0
    capsys.readouterr()
    for period in ("2025-04", "2025-05", "2025-06"):
        assert main(["submission", "--db", str(db_path), "--period", period, "--out", str(tmp_path / "out")]) == 0
        printed = capsys.readouterr().out
        assert "File rejected: 0\n  Group rejected: 0\n  Record rejected: 0" in printed, printed
    assert main(["submissions", "--db", str(db_path), "--json"]) == 0
    logged = json.loads(capsys.readouterr().out)
    assert [entry["period"] for entry in logged] == ["2025-06", "2025-05", "2025-04"]
    assert {entry["created_by"] for entry in logged} == {"admin"}


def test_verify_a_package_against_its_manifest_and_the_log(service_db: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["submission", "--db", str(service_db), "--period", "2025-04", "--out", str(out)]) == 0
    package = out / "IAPT_v2.1_AB1_202504_P"
    capsys.readouterr()
    assert main(["submissions", "--db", str(service_db), "--verify", str(package)]) == 0
    assert "intact" in capsys.readouterr().out
    (package / "tables" / "IDS101Referral.csv").write_text("changed", encoding="utf-8")
    assert main(["submissions", "--db", str(service_db), "--verify", str(package)]) == 1
    assert "tables/IDS101Referral.csv has changed" in capsys.readouterr().err
    assert main(["submissions", "--db", str(service_db), "--verify", str(tmp_path)]) == 1
    assert "is not a submission package" in capsys.readouterr().err


def test_a_package_imports_back_with_import_tables_and_gives_the_same_tables(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from iapt_desktop.storage.session import unlock

    monkeypatch.setenv("IAPT_DESKTOP_PASSWORD", DEMO_PASSWORD)
    source, copy = tmp_path / "demo.db", tmp_path / "new.db"
    assert main(["demo", "--db", str(source), "--patients", "30", "--months", "2", "--as-of", "2025-07-09"]) == 0
    assert main(["submission", "--db", str(source), "--period", "2025-06", "--out", str(tmp_path / "a")]) == 0
    first = tmp_path / "a" / next(p.name for p in (tmp_path / "a").iterdir())
    assert main(["import-tables", str(first / "tables"), "--db", str(copy)]) == 0
    with unlock(source, "admin", DEMO_PASSWORD) as session:
        provider = [session.db.execute("SELECT value FROM app_setting WHERE key = ?", [k]).fetchone()[0]
                    for k in ("provider_ods", "submitter_ods")]
    with unlock(copy, "admin", DEMO_PASSWORD) as session:
        set_setting(session.db, "provider_ods", provider[0])
        set_setting(session.db, "submitter_ods", provider[1])
    assert main(["submission", "--db", str(copy), "--period", "2025-06", "--out", str(tmp_path / "b")]) == 0
    capsys.readouterr()
    again = tmp_path / "b" / first.name
    for path in sorted((first / "tables").glob("*.csv")):
        if path.name != "IDS000Header.csv":  # its creation time differs
            assert (again / "tables" / path.name).read_bytes() == path.read_bytes(), path.name
    header = [line.split(",")[:-1] for line in (first / "tables" / "IDS000Header.csv").read_text().splitlines()]
    header_again = [line.split(",")[:-1] for line in (again / "tables" / "IDS000Header.csv").read_text().splitlines()]
    assert header == header_again


def test_a_resubmission_says_which_package_it_repeats_and_what_changed(service_db: Path, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    for window in ("primary", "primary", "refresh"):
        assert main(["submission", "--db", str(service_db), "--period", "2025-04", "--out", str(out),
                     "--window", window]) == 0
        db = open_database(service_db)
        add_contact(db, f"C-{window}-{len(list(out.iterdir()))}", "R1", "2025-04-20")  # one more each time
        db.close()
    assert main(["submission", "--db", str(service_db), "--period", "2025-03", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["submissions", "--db", str(service_db), "--period", "2025-04"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    assert lines[0].startswith("3   2025-04  refresh")
    assert lines[1].strip().startswith("re-submission of #2 (primary,") and lines[1].endswith(
        "made in the refresh window: 3 added, 0 changed, 0 removed")  # a contact, its activity and score
    assert lines[2].startswith("2   2025-04  primary")
    assert lines[3].strip().startswith("re-submission of #1 (primary,") and "3 added" in lines[3]
    assert lines[4].startswith("1   2025-04  primary") and len(lines) == 5
    assert main(["submissions", "--db", str(service_db), "--json"]) == 0
    logged = {entry["id"]: entry["resubmission"] for entry in json.loads(capsys.readouterr().out)}
    assert logged[4] is None and logged[1] is None  # the first for 2025-03 and for 2025-04
    assert logged[3]["of"] == 2 and logged[3]["tables"]["IDS201CareContact"] == {"added": 1, "changed": 0,
                                                                                 "removed": 0}


@pytest.mark.parametrize("period", ["current", "2030-01"])
def test_a_month_that_has_not_ended_is_refused_unless_forced(period: str, service_db: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    running = ReportingPeriod.containing(dt.date.today()) if period == "current" else ReportingPeriod.parse(period)
    out = tmp_path / "out"
    assert main(["submission", "--db", str(service_db), "--period", str(running), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"The reporting period {running} ({running.label}) has not ended: it ends on " \
           f"{running.end:%d %B %Y}" in err
    assert "--force" in err and "Nothing was written" in err
    assert not out.exists()
    assert main(["submissions", "--db", str(service_db)]) == 0
    assert "No submissions logged." in capsys.readouterr().out
    assert main(["submission", "--db", str(service_db), "--period", str(running), "--out", str(out),
                 "--force"]) == 0
    printed = capsys.readouterr()
    assert "has not ended" in printed.err and "the month has not ended: for checking only" in printed.err
    assert main(["submissions", "--db", str(service_db), "--json"]) == 0
    (logged,) = json.loads(capsys.readouterr().out)
    assert logged["period"] == str(running) and logged["forced"] is True
    manifest = json.loads(next(out.glob("*/manifest.json")).read_text(encoding="utf-8"))
    assert manifest["forced"] is True and any("has not ended" in w for w in manifest["warnings"])
