"""The Excel report for trustees and commissioners, read back with openpyxl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from iapt_desktop.domain.metrics.referral_outcome import iter_referral_outcomes
from iapt_desktop.domain.metrics.service_metrics import service_metrics
from iapt_desktop.interchange.metrics_workbook import write_metrics_workbook
from tests.domain.metrics.referral_rows import small_service


def metrics():
    rows = small_service()
    return service_metrics(
        iter_referral_outcomes(rows), dt.date(2025, 4, 1), dt.date(2025, 6, 30), rows.counsellor_names
    )


def read(path: Path):
    from openpyxl import load_workbook

    return load_workbook(path)


def test_summary_sets_the_service_beside_england(tmp_path: Path) -> None:
    path = write_metrics_workbook(metrics(), tmp_path / "report.xlsx")
    book = read(path)
    assert book.sheetnames == ["Summary", "Monthly trend", "Ending reasons", "Definitions"]
    summary = book["Summary"]
    rows = {row[0]: row[1:4] for row in summary.iter_rows(min_row=6, values_only=True) if row[0]}
    service, england, goal = rows["Recovery"]
    assert service == 0.5 and england == 0.505 and goal == 0.5
    assert rows["Finished a course of treatment"][0] == 3
    assert summary.cell(row=5, column=3).value == "England 2024-25"
    assert summary["B10"].number_format == "0.0%"


def test_trend_sheet_has_a_line_chart_and_a_bar_chart(tmp_path: Path) -> None:
    path = write_metrics_workbook(metrics(), tmp_path / "report.xlsx")
    trend = read(path)["Monthly trend"]
    assert [trend.cell(row=r, column=1).value for r in (4, 5, 6)] == ["2025-04", "2025-05", "2025-06"]
    kinds = sorted(type(chart).__name__ for chart in trend._charts)
    assert kinds == ["BarChart", "LineChart"]


def test_no_referral_keys_and_counsellors_only_when_asked(tmp_path: Path) -> None:
    path = write_metrics_workbook(metrics(), tmp_path / "report.xlsx", by_counsellor=True)
    book = read(path)
    assert "By counsellor" in book.sheetnames
    names = [row[0] for row in book["By counsellor"].iter_rows(min_row=4, values_only=True)]
    assert names == ["Alex", "Sam", "Not assigned"]
    cells = [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert not any(value in {"R1", "R2", "R3", "P-R1"} for value in cells)


def test_a_counsellor_name_cannot_become_a_formula(tmp_path: Path) -> None:
    result = metrics()
    hostile = type(result.by_counsellor[0])("C9", '=HYPERLINK("x")', result.by_counsellor[0].figures)
    result = type(result)(**{**result.__dict__, "by_counsellor": (hostile,)})
    path = write_metrics_workbook(result, tmp_path / "report.xlsx", by_counsellor=True)
    assert read(path)["By counsellor"]["A4"].value == '\'=HYPERLINK("x")'
