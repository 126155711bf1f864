"""``metrics`` applies the dashboard's role rules, checks where it writes, and pseudonymises on request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlite_utils import Database

from iapt_desktop.domain.access import SYSTEM_USER, Role, User
from iapt_desktop.storage.users import insert_user_row
from tests.cli.test_metrics_command import run_metrics
from tests.domain.metrics.referral_rows import small_service
from tests.metrics_database import insert_metrics_rows

PERIOD = ("--from", "2025-04-01", "--to", "2025-06-30")


@pytest.fixture
def service_db(db: Database, db_path: Path) -> Path:
    insert_metrics_rows(db, small_service())
    insert_user_row(db, User("sam", "Sam", Role.COUNSELLOR, "C2"), actor=SYSTEM_USER)
    insert_user_row(db, User("rita", "Rita", Role.READ_ONLY, None), actor=SYSTEM_USER)
    insert_user_row(db, User("ada", "Ada", Role.ADMINISTRATOR, None), actor=SYSTEM_USER)
    return db_path


def test_a_counsellor_cannot_write_every_counsellors_figures_to_a_file(service_db: Path, tmp_path: Path,
                                                                       capsys) -> None:
    out = tmp_path / "m.xlsx"
    assert run_metrics("--db", str(service_db), *PERIOD, "--user", "sam", "--by-counsellor", "--format", "xlsx",
                       "--out", str(out)) == 1
    assert "may not export data" in capsys.readouterr().err
    assert not out.exists()
    assert run_metrics("--db", str(service_db), *PERIOD, "--user", "rita", "--out", str(tmp_path / "m.json")) == 1
    assert not (tmp_path / "m.json").exists()


def test_a_counsellor_sees_only_their_own_row_and_referrals_in_the_terminal(service_db: Path, capsys) -> None:
    assert run_metrics("--db", str(service_db), *PERIOD, "--user", "sam", "--by-counsellor") == 0
    result = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in result["by_counsellor"]] == ["Sam"]
    assert {r["key"] for r in result["per_referral"]} == {"R3", "R4", "R5"}
    assert result["finished_treatment"] == 3  # the service's totals are everyone's


def test_an_administrator_writes_the_breakdown(service_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.xlsx"
    assert run_metrics("--db", str(service_db), *PERIOD, "--user", "ada", "--by-counsellor", "--out", str(out)) == 0
    from openpyxl import load_workbook

    assert "By counsellor" in load_workbook(out).sheetnames  # the format came from the extension


def test_an_unknown_user_is_named(service_db: Path, capsys) -> None:
    assert run_metrics("--db", str(service_db), *PERIOD, "--user", "nobody") == 1
    assert "no active user 'nobody'" in capsys.readouterr().err


def test_a_missing_folder_is_named_not_the_temporary_file(service_db: Path, tmp_path: Path, capsys) -> None:
    missing = tmp_path / "no" / "such"
    assert run_metrics("--db", str(service_db), *PERIOD, "--format", "xlsx", "--out", str(missing / "m.xlsx")) == 1
    err = capsys.readouterr().err
    assert f"The folder {missing} does not exist" in err and "mkdir" in err
    assert ".part" not in err and "Errno" not in err
    assert not missing.exists()


def test_a_format_that_does_not_fit_the_extension_is_refused(service_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "m.xlsx"
    assert run_metrics("--db", str(service_db), *PERIOD, "--format", "json", "--out", str(out)) == 1
    assert "does not fit --format json" in capsys.readouterr().err and not out.exists()
    assert run_metrics("--db", str(service_db), *PERIOD, "--format", "xlsx", "--out", str(tmp_path / "m.json")) == 1
    assert run_metrics("--db", str(service_db), *PERIOD, "--out", str(tmp_path / "m.txt")) == 0
    assert not (tmp_path / "m.txt").read_text(encoding="utf-8").startswith("{")  # text, as the name says


def test_pseudonymised_json_has_no_referral_ids_or_staff_names(service_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.json"
    key_file = tmp_path / "pseudonyms.key"
    args = ("--db", str(service_db), *PERIOD, "--by-counsellor", "--pseudonymise", "--pseudonym-key-file",
            str(key_file), "--out", str(out))
    assert run_metrics(*args) == 0
    text = out.read_text(encoding="utf-8")
    for identifying in ('"R1"', '"R3"', '"C1"', '"C2"', "Alex", "Sam", "P-R1"):
        assert identifying not in text
    first = json.loads(text)["per_referral"]
    assert run_metrics(*args) == 0  # the kept key gives the same pseudonyms
    assert json.loads(out.read_text(encoding="utf-8"))["per_referral"] == first
