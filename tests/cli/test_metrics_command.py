"""``iapt-desktop metrics`` end to end on a real database file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from sqlite_utils import Database

from iapt_desktop.cli import metrics_command
from tests.domain.metrics.referral_rows import small_service
from tests.metrics_database import insert_metrics_rows

REQUIRED_COUNTS = (
    "referrals_received",
    "referrals_ended",
    "entered_treatment",
    "finished_treatment",
    "at_caseness",
    "recovered",
    "reliably_improved",
    "reliably_deteriorated",
    "reliably_recovered",
    "appointments",
    "appointments_dna",
)
REQUIRED_RATES = (
    "recovery_rate",
    "reliable_improvement_rate",
    "reliable_deterioration_rate",
    "reliable_recovery_rate",
    "waited_6_weeks_rate",
    "waited_18_weeks_rate",
    "paired_scores_rate",
)
PER_REFERRAL_KEYS = {
    "key",
    "finished",
    "caseness",
    "recovered",
    "reliably_improved",
    "reliably_deteriorated",
    "reliably_recovered",
    "wait_days",
}


def run_metrics(*arguments: str) -> int:
    parser = argparse.ArgumentParser()
    metrics_command.register(parser.add_subparsers())
    args = parser.parse_args(["metrics", *arguments])
    return args.run(args)


@pytest.fixture
def service_db(db: Database, db_path: Path) -> Path:
    insert_metrics_rows(db, small_service())
    return db_path


def test_json_has_the_keys_with_integer_counts_and_fraction_rates(service_db: Path, capsys) -> None:
    assert run_metrics("--db", str(service_db), "--from", "2025-04-01", "--to", "2025-06-30") == 0
    result = json.loads(capsys.readouterr().out)
    for key in REQUIRED_COUNTS:
        assert type(result[key]) is int, key
    for key in REQUIRED_RATES:
        assert result[key] is None or (isinstance(result[key], float) and 0 <= result[key] <= 1), key
    assert isinstance(result["mean_wait_first_treatment_days"], float)
    assert result["recovery_rate"] == 0.5 and result["finished_treatment"] == 3
    assert all(set(r) >= PER_REFERRAL_KEYS for r in result["per_referral"])
    assert [m["month"] for m in result["monthly"]] == ["2025-04", "2025-05", "2025-06"]
    assert {r["code"] for r in result["ending_reasons"]} == {"46", "47", None}
    assert "by_counsellor" not in result


def test_rates_are_null_when_the_denominator_is_zero(service_db: Path, capsys) -> None:
    assert run_metrics("--db", str(service_db), "--from", "2030-01-01", "--to", "2030-01-31") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["finished_treatment"] == 0 and result["recovery_rate"] is None


def test_no_identifiable_data_in_any_format(service_db: Path, tmp_path: Path, capsys) -> None:
    db = Database(str(service_db))
    db.execute("UPDATE IDS001MPI SET NHSNumber = '9990000018', Postcode = 'ZZ99 3VZ'")
    db.conn.commit()
    db.close()
    out = tmp_path / "m.json"
    assert run_metrics("--db", str(service_db), "--from", "2025-04-01", "--to", "2025-06-30", "--out", str(out)) == 0
    assert run_metrics("--db", str(service_db), "--from", "2025-04-01", "--to", "2025-06-30", "--format", "text") == 0
    text = out.read_text(encoding="utf-8") + capsys.readouterr().out
    for identifier in ("9990000018", "ZZ99", "P-R1", "LocalPatientId"):
        assert identifier not in text


def test_by_counsellor_and_text(service_db: Path, capsys) -> None:
    args = ("--db", str(service_db), "--from", "2025-04-01", "--to", "2025-06-30", "--by-counsellor")
    assert run_metrics(*args) == 0
    result = json.loads(capsys.readouterr().out)
    assert {c["name"] for c in result["by_counsellor"]} == {"Alex", "Sam", "Not assigned"}
    assert run_metrics(*args, "--format", "text") == 0
    text = capsys.readouterr().out
    assert "Recovery" in text and "50.0% (1 of 2)" in text
    assert "England 2024-25: 50.5%" in text and "By counsellor" in text


def test_xlsx_needs_an_out_file_and_writes_one(service_db: Path, tmp_path: Path, capsys) -> None:
    args = ("--db", str(service_db), "--from", "2025-04-01", "--to", "2025-06-30", "--format", "xlsx")
    assert run_metrics(*args) == 1
    assert "--out" in capsys.readouterr().err
    out = tmp_path / "report.xlsx"
    assert run_metrics(*args, "--out", str(out)) == 0
    assert out.stat().st_size > 0


def test_dates_in_the_wrong_order_or_form_are_explained(service_db: Path, capsys) -> None:
    assert run_metrics("--db", str(service_db), "--from", "2025-06-30", "--to", "2025-04-01") == 1
    assert "swap" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run_metrics("--db", str(service_db), "--from", "1/4/2025", "--to", "2025-04-01")
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_a_missing_database_is_explained(tmp_path: Path, capsys) -> None:
    assert run_metrics("--db", str(tmp_path / "none.db"), "--from", "2025-04-01", "--to", "2025-04-30") == 1
    assert "There is no database" in capsys.readouterr().err


def test_metrics_of_the_demo_through_the_command_line(demo_db_file: Path, capsys) -> None:
    from iapt_desktop.cli import main

    assert main(["metrics", "--db", str(demo_db_file), "--from", "2025-10-01", "--to", "2026-09-30"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["finished_treatment"] > 0 and 0.35 <= result["recovery_rate"] <= 0.65
    assert sum(r["finished"] for r in result["per_referral"]) == result["finished_treatment"]
    assert sum(r["recovered"] for r in result["per_referral"]) == result["recovered"]
    assert sum(m["referrals_ended"] for m in result["monthly"]) == result["referrals_ended"]
    assert sum(r["count"] for r in result["ending_reasons"]) == result["referrals_ended"]
