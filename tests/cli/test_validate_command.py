"""``iapt-desktop validate`` end to end on real database files."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from sqlite_utils import Database

from iapt_desktop.cli import main
from iapt_desktop.cli.database_access import DEMO_PASSWORD, PASSWORD_ENVIRONMENT_VARIABLE
from iapt_desktop.validation.findings import JSON_KEYS
from tests.validation.month_rows import nhs_number, valid_month
from tests.validation.stored_month import store_month


@pytest.fixture
def month() -> dict:
    return valid_month()


def stored(db: Database, db_path: Path, month: dict) -> Path:
    store_month(db, month)
    db.close()
    return db_path


def test_a_clean_month_exits_0_and_says_so(db: Database, db_path: Path, month, capsys) -> None:
    path = stored(db, db_path, month)
    assert main(["validate", "--db", str(path), "--period", "2025-04"]) == 0
    out = capsys.readouterr().out
    assert "No problems found." in out
    assert "Findings by severity:" in out


def test_json_lists_findings_with_exactly_the_agreed_keys(db: Database, db_path: Path, month, capsys) -> None:
    month["IDS201CareContact"][0]["AttendOrDNACode"] = "9"
    path = stored(db, db_path, month)
    assert main(["validate", "--db", str(path), "--period", "2025-04", "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)
    assert all(tuple(item) == JSON_KEYS for item in findings)
    assert {(item["rule"], item["severity"], item["key"]) for item in findings} == {
        ("IDS20128", "reject_record", "C1"), ("IDS20224", "reject_group", "A1"),
        ("IDS60708", "reject_group", "CareActId=A1, CodedAssToolType=445455005")}


def test_a_file_reject_exits_1_and_the_text_says_what_to_do(db: Database, db_path: Path, month, capsys) -> None:
    good = nhs_number(1)
    month["IDS001MPI"][0]["NHSNumber"] = good[:9] + str((int(good[9]) + 1) % 10)
    path = stored(db, db_path, month)
    assert main(["validate", "--db", str(path), "--period", "2025-04"]) == 1
    out = capsys.readouterr().out
    assert "REJECT THE WHOLE FILE" in out
    assert "IDSREJ006 (1): Failed NHS Number Check" in out
    assert "What to do: Correct the NHS number" in out


def test_xlsx_report_has_text_cells_and_no_formulas_from_data(db: Database, db_path: Path, month, tmp_path) -> None:
    month["IDS202CareActivity"][0]["CodeFind"] = "=SUM(A1)"  # too long for ICD-10: IDS20228 reports it
    path = stored(db, db_path, month)
    out = tmp_path / "findings.xlsx"
    assert main(["validate", "--db", str(path), "--period", "2025-04", "--format", "xlsx", "--out", str(out)]) == 0
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["Summary", "Findings", "Carried along"]
    rows = list(workbook["Findings"].iter_rows(values_only=True))
    assert rows[0][:4] == ("Rule", "Severity", "Table", "Key")
    finding = next(row for row in rows if row[0] == "IDS20228")
    assert finding[5] == "'=SUM(A1)"
    cells = [cell for row in workbook["Findings"].iter_rows() for cell in row]
    assert all(cell.data_type == "s" for cell in cells if cell.value is not None)


def test_all_checks_every_stored_row(db: Database, db_path: Path, month, capsys) -> None:
    month["IDS201CareContact"][0]["CareContDate"] = "2099-01-01"
    path = stored(db, db_path, month)
    assert main(["validate", "--db", str(path), "--all", "--format", "json"]) == 0
    rules = {item["rule"] for item in json.loads(capsys.readouterr().out)}
    assert "IDS20108" in rules


def test_mistakes_in_the_command_say_what_to_fix(db: Database, db_path: Path, month, capsys) -> None:
    path = stored(db, db_path, month)
    assert main(["validate", "--db", str(path), "--period", "2025-04", "--format", "xlsx"]) == 2
    assert "--out" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        main(["validate", "--db", str(path), "--period", "April"])
    assert stopped.value.code == 2
    assert "YYYY-MM" in capsys.readouterr().err
    assert main(["validate", "--db", str(path.with_name("missing.db")), "--all"]) == 2


def test_a_demo_database_validates_with_its_password(tmp_path: Path, monkeypatch, capsys) -> None:
    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path), "--patients", "20", "--months", "3", "--as-of", "2025-06-15"]) == 0
    monkeypatch.setenv(PASSWORD_ENVIRONMENT_VARIABLE, DEMO_PASSWORD)
    capsys.readouterr()
    assert main(["validate", "--db", str(path), "--period", "2025-05", "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)
    assert all(item["severity"] == "warning" for item in findings)
