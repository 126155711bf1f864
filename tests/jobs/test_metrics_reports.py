"""Who may take what from the outcome metrics: the rules the dashboard and the CLI share."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlite_utils import Database

from iapt_desktop.domain.access import AccessDenied, Role, User
from iapt_desktop.domain.metrics.service_metrics import ServiceMetrics
from iapt_desktop.interchange.pseudonymise import new_key
from iapt_desktop.jobs.compute_metrics import compute_metrics
from iapt_desktop.jobs.metrics_reports import export_metrics_workbook_steps, metrics_text, metrics_visible_to
from tests.domain.metrics.referral_rows import small_service
from tests.metrics_database import insert_metrics_rows

START, END = dt.date(2025, 4, 1), dt.date(2025, 6, 30)
SAM = User("sam", "Sam", Role.COUNSELLOR, "C2")
READER = User("rita", "Rita", Role.READ_ONLY, None)
ADMIN = User("admin", "Ada", Role.ADMINISTRATOR, None)


@pytest.fixture
def metrics(db: Database) -> ServiceMetrics:
    insert_metrics_rows(db, small_service())
    return compute_metrics(db, START, END)


def _run(steps):
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def test_a_counsellor_sees_the_service_totals_but_only_their_own_row_and_referrals(metrics: ServiceMetrics) -> None:
    shown = metrics_visible_to(metrics, SAM)
    assert shown.figures == metrics.figures
    assert [c.counsellor for c in shown.by_counsellor] == ["C2"]
    assert {r.key for r in shown.referrals} == {r.key for r in metrics.referrals if r.counsellor == "C2"} != set()
    assert metrics_visible_to(metrics, READER) is metrics
    no_staff_record = User("kim", "Kim", Role.COUNSELLOR, None)
    assert metrics_visible_to(metrics, no_staff_record).by_counsellor == ()


@pytest.mark.parametrize("user", [SAM, READER])
def test_only_a_user_who_may_export_writes_the_workbook(metrics: ServiceMetrics, tmp_path: Path, user: User) -> None:
    target = tmp_path / "m.xlsx"
    with pytest.raises(AccessDenied, match="may not export data"):
        _run(export_metrics_workbook_steps(metrics, target, actor=user, by_counsellor=True))
    assert not target.exists()
    assert _run(export_metrics_workbook_steps(metrics, target, actor=ADMIN, by_counsellor=True)) == target


def test_text_for_the_terminal_needs_no_export_permission_but_a_file_does(metrics: ServiceMetrics) -> None:
    printed = json.loads(metrics_text(metrics, "json", actor=SAM, by_counsellor=True))
    assert [c["name"] for c in printed["by_counsellor"]] == ["Sam"]
    assert {r["key"] for r in printed["per_referral"]} <= {"R3", "R4", "R5"}
    with pytest.raises(AccessDenied):
        metrics_text(metrics, "text", actor=SAM, to_file=True)


def test_pseudonymised_json_holds_no_referral_id_or_staff_name(metrics: ServiceMetrics) -> None:
    text = metrics_text(metrics, "json", actor=ADMIN, by_counsellor=True, to_file=True, pseudonymise_key=new_key())
    for identifying in ("R1", "R2", "R3", "R4", "C1", "C2", "Alex", "Sam"):
        assert f'"{identifying}"' not in text, identifying
    result = json.loads(text)
    assert all(r["key"].startswith("R") and len(r["key"]) == 16 for r in result["per_referral"])
    named = [c for c in result["by_counsellor"] if c["counsellor"]]
    assert named and all(c["name"] == c["counsellor"] for c in named)
    assert result["recovery_rate"] == 0.5  # the figures are unchanged
