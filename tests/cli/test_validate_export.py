"""``validate`` writes files only for those who may export, checks where it writes, and pseudonymises on request."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from sqlite_utils import Database

from iapt_desktop.cli import main
from iapt_desktop.domain.access import SYSTEM_USER, Role, User
from iapt_desktop.storage.users import insert_user_row
from tests.validation.month_rows import nhs_number, valid_month
from tests.validation.stored_month import store_month

ORIGINAL_IDS = {"P1", "R1", "C1", "A1"}


@pytest.fixture
def month_db(db: Database, db_path: Path) -> tuple[Path, str]:
    month = valid_month()
    good = nhs_number(1)
    bad = good[:9] + str((int(good[9]) + 1) % 10)
    month["IDS001MPI"][0]["NHSNumber"] = bad
    month["IDS201CareContact"][0]["AttendOrDNACode"] = "9"
    store_month(db, month)
    insert_user_row(db, User("sam", "Sam", Role.COUNSELLOR, None), actor=SYSTEM_USER)
    insert_user_row(db, User("ada", "Ada", Role.ADMINISTRATOR, None), actor=SYSTEM_USER)
    db.close()
    return db_path, bad


def _ids_in(key: str) -> set[str]:
    return {part.partition("=")[2] or part for part in re.split(r", ", key)}


def test_pseudonymised_json_has_no_nhs_number_or_record_ids(month_db, tmp_path: Path) -> None:
    path, bad_number = month_db
    out = tmp_path / "findings.json"
    assert main(["validate", "--db", str(path), "--period", "2025-04", "--pseudonymise", "--out", str(out)]) == 1
    text = out.read_text(encoding="utf-8")
    assert bad_number not in text and "LS1 4AP" not in text
    findings = json.loads(text)
    assert {f["rule"] for f in findings} >= {"IDSREJ006", "IDS20128"}
    for finding in findings:
        assert not _ids_in(finding["key"] or "") & ORIGINAL_IDS, finding
    nhs = next(f for f in findings if f["rule"] == "IDSREJ006")
    assert nhs["value"].startswith("N") and len(nhs["value"]) == 10 and nhs["key"].startswith("P")
    plain = tmp_path / "plain.json"
    assert main(["validate", "--db", str(path), "--period", "2025-04", "--out", str(plain)]) == 1
    assert bad_number in plain.read_text(encoding="utf-8")  # without --pseudonymise: as stored


def test_pseudonymised_workbook_has_no_nhs_number_or_record_ids(month_db, tmp_path: Path) -> None:
    path, bad_number = month_db
    out = tmp_path / "findings.xlsx"
    assert main(["validate", "--db", str(path), "--period", "2025-04", "--pseudonymise", "--out", str(out)]) == 1
    cells = [str(c) for sheet in openpyxl.load_workbook(out) for row in sheet.iter_rows(values_only=True)
             for c in row if c is not None]
    assert not any(bad_number in c for c in cells)
    findings = list(openpyxl.load_workbook(out)["Findings"].iter_rows(min_row=2, values_only=True))
    assert findings and all(not _ids_in(row[3] or "") & ORIGINAL_IDS for row in findings)


def test_a_counsellor_may_check_but_not_write_the_findings(month_db, tmp_path: Path, capsys) -> None:
    path, bad_number = month_db
    out = tmp_path / "f.xlsx"
    assert main(["validate", "--db", str(path), "--period", "2025-04", "--user", "sam", "--out", str(out)]) == 2
    assert "may not export data" in capsys.readouterr().err and not out.exists()
    assert main(["validate", "--db", str(path), "--period", "2025-04", "--user", "sam", "--format", "json"]) in (0, 1)
    printed = capsys.readouterr().out
    assert bad_number not in printed and all(f["value"] is None for f in json.loads(printed))


def test_an_administrators_export_is_in_the_audit_trail(month_db, tmp_path: Path) -> None:
    path, _ = month_db
    out = tmp_path / "f.xlsx"
    assert main(["validate", "--db", str(path), "--period", "2025-04", "--user", "ada", "--out", str(out)]) == 1
    db = Database(str(path))
    entry = db.execute("SELECT username, action, changes FROM app_audit_log ORDER BY id DESC LIMIT 1").fetchone()
    db.close()
    assert entry[0] == "ada" and entry[1] == "export" and json.loads(entry[2])["file"] == "f.xlsx"


def test_where_it_writes_is_checked_first(month_db, tmp_path: Path, capsys) -> None:
    path, _ = month_db
    missing = tmp_path / "no" / "such"
    assert main(["validate", "--db", str(path), "--period", "2025-04", "--format", "xlsx",
                 "--out", str(missing / "v.xlsx")]) == 2
    err = capsys.readouterr().err
    assert f"The folder {missing} does not exist" in err and "mkdir" in err
    assert "Errno" not in err and not missing.exists()
    assert main(["validate", "--db", str(path), "--period", "2025-04", "--format", "json",
                 "--out", str(tmp_path / "v.xlsx")]) == 2
    assert "does not fit --format json" in capsys.readouterr().err and not (tmp_path / "v.xlsx").exists()
    assert main(["validate", "--db", str(path), "--period", "2025-04", "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
