"""The outcome metrics as an Excel workbook for trustees and commissioners.

Sheets: Summary (headline figures beside the latest England figures and targets), Monthly trend (table,
line chart of recovery rates, bar chart of waits), Ending reasons, By counsellor (when asked for) and
Definitions.  No identifiable data: no patient appears, not even by ServiceRequestId.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from iapt_desktop.domain.metrics.headlines import (
    COUNSELLOR_COLUMNS,
    COUNT,
    DAYS,
    HEADLINES,
    MEAN,
    RATE,
    TREND_COLUMNS,
    Headline,
)
from iapt_desktop.domain.metrics.measures import measures
from iapt_desktop.domain.metrics.national_figures import latest_year, national_figure, target
from iapt_desktop.domain.metrics.service_metrics import ServiceMetrics
from iapt_desktop.interchange.formula_guard import neutralise

NUMBER_FORMATS = {RATE: "0.0%", DAYS: "0.0", MEAN: "0.0", COUNT: "#,##0"}
TITLE_FONT_SIZE = 14


def write_metrics_workbook(metrics: ServiceMetrics, path: Path, *, by_counsellor: bool = False) -> Path:
    """Write the report to ``path`` (replaced only once complete)."""
    from openpyxl import Workbook

    book = Workbook()
    _summary_sheet(book.active, metrics)
    _trend_sheet(book.create_sheet("Monthly trend"), metrics)
    _ending_sheet(book.create_sheet("Ending reasons"), metrics)
    if by_counsellor:
        _counsellor_sheet(book.create_sheet("By counsellor"), metrics)
    _definitions_sheet(book.create_sheet("Definitions"))
    path = Path(path)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".part", dir=path.parent or None)
    os.close(handle)
    try:
        book.save(temp_name)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return path


def _bold(sheet: Any, row: int, columns: int) -> None:
    from openpyxl.styles import Font

    for column in range(1, columns + 1):
        sheet.cell(row=row, column=column).font = Font(bold=True)


def _title(sheet: Any, text: str) -> None:
    from openpyxl.styles import Font

    sheet["A1"] = text
    sheet["A1"].font = Font(bold=True, size=TITLE_FONT_SIZE)


def _put(sheet: Any, row: int, column: int, value: Any, kind: str | None = None) -> None:
    cell = sheet.cell(row=row, column=column, value=neutralise(value) if isinstance(value, str) else value)
    if kind is not None and isinstance(value, int | float):
        cell.number_format = NUMBER_FORMATS[kind]


def _widths(sheet: Any, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _summary_sheet(sheet: Any, metrics: ServiceMetrics) -> None:
    sheet.title = "Summary"
    _title(sheet, "NHS Talking Therapies outcome metrics")
    sheet["A2"] = f"Period: {metrics.start.isoformat()} to {metrics.end.isoformat()}"
    sheet["A3"] = f"Made {dt.date.today().isoformat()}. Referrals ending in the period; definitions on the last sheet."
    year = latest_year()
    header = ["Measure", "This service", f"England {year}", "Target", "What it counts", "Counts behind it"]
    for column, text in enumerate(header, start=1):
        sheet.cell(row=5, column=column, value=text)
    _bold(sheet, 5, len(header))
    row = 6
    for headline in HEADLINES:
        _put(sheet, row, 1, headline.label)
        _put(sheet, row, 2, metrics.figures[headline.key], headline.kind)
        if (figure := national_figure(headline.key, year)) is not None:
            _put(sheet, row, 3, figure.value, headline.kind)
        if (goal := target(headline.key)) is not None:
            _put(sheet, row, 4, goal.value, headline.kind)
            if goal.unconfirmed:
                _put(sheet, row, 5, f"{headline.explanation} (target unconfirmed)")
        if sheet.cell(row=row, column=5).value is None:
            _put(sheet, row, 5, headline.explanation)
        _put(sheet, row, 6, headline.basis_text(metrics.figures) or None)
        row += 1
    f = metrics.figures
    row += 1
    _put(
        sheet,
        row,
        1,
        f"Recovery: {f['recovered']} recovered of {f['recovery_denominator']} "
        f"(finished {f['finished_treatment']} minus {f['not_at_caseness']} not at caseness at the start).",
    )
    sheet.freeze_panes = "A6"
    _widths(sheet, [32, 14, 16, 12, 80, 18])


def _trend_sheet(sheet: Any, metrics: ServiceMetrics) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference

    _title(sheet, "Monthly trend")
    header = ["Month", *(c.label for c in TREND_COLUMNS)]
    for column, text in enumerate(header, start=1):
        sheet.cell(row=3, column=column, value=text)
    _bold(sheet, 3, len(header))
    for row, month in enumerate(metrics.monthly, start=4):
        _put(sheet, row, 1, month.month)
        for column, headline in enumerate(TREND_COLUMNS, start=2):
            _put(sheet, row, column, month.figures[headline.key], headline.kind)
    last_row = 3 + len(metrics.monthly)
    _widths(sheet, [10] + [14] * len(TREND_COLUMNS))
    if not metrics.monthly:
        return
    months = Reference(sheet, min_col=1, min_row=4, max_row=last_row)

    def column_of(key: str) -> int:
        return 2 + [c.key for c in TREND_COLUMNS].index(key)

    line = LineChart()
    line.title = "Recovery by month"
    line.y_axis.title = "Rate"
    line.y_axis.number_format = "0%"
    line.y_axis.scaling.min = 0
    line.y_axis.scaling.max = 1
    line.x_axis.title = "Month"
    for key in ("recovery_rate", "reliable_recovery_rate", "reliable_improvement_rate"):
        column = column_of(key)
        line.add_data(Reference(sheet, min_col=column, min_row=3, max_row=last_row), titles_from_data=True)
    line.set_categories(months)
    line.height, line.width = 8, 18
    sheet.add_chart(line, f"A{last_row + 3}")

    bars = BarChart()
    bars.type = "col"
    bars.title = "Finished treatment: waited 6 and 18 weeks or less"
    bars.y_axis.title = "Share of those finishing"
    bars.y_axis.number_format = "0%"
    bars.y_axis.scaling.min = 0
    bars.y_axis.scaling.max = 1
    bars.x_axis.title = "Month"
    for key in ("waited_6_weeks_rate", "waited_18_weeks_rate"):
        column = column_of(key)
        bars.add_data(Reference(sheet, min_col=column, min_row=3, max_row=last_row), titles_from_data=True)
    bars.set_categories(months)
    bars.height, bars.width = 8, 18
    sheet.add_chart(bars, f"A{last_row + 21}")


def _ending_sheet(sheet: Any, metrics: ServiceMetrics) -> None:
    _title(sheet, "Why referrals ended (referrals ended in the period)")
    for column, text in enumerate(["Code", "Reason", "Referrals"], start=1):
        sheet.cell(row=3, column=column, value=text)
    _bold(sheet, 3, 3)
    for row, reason in enumerate(metrics.ending_reasons, start=4):
        _put(sheet, row, 1, reason.code or "none")
        _put(sheet, row, 2, reason.label + (" (label unconfirmed)" if reason.unconfirmed else ""))
        _put(sheet, row, 3, reason.count, COUNT)
    _widths(sheet, [8, 80, 12])


def _counsellor_sheet(sheet: Any, metrics: ServiceMetrics) -> None:
    _title(sheet, "By counsellor (for supervision)")
    columns: list[Headline] = list(COUNSELLOR_COLUMNS)
    for column, text in enumerate(["Counsellor", *(c.label for c in columns)], start=1):
        sheet.cell(row=3, column=column, value=text)
    _bold(sheet, 3, len(columns) + 1)
    for row, counsellor in enumerate(metrics.by_counsellor, start=4):
        _put(sheet, row, 1, counsellor.name)
        for column, headline in enumerate(columns, start=2):
            _put(sheet, row, column, counsellor.figures[headline.key], headline.kind)
    _widths(sheet, [28] + [14] * len(columns))


def _definitions_sheet(sheet: Any) -> None:
    _title(sheet, "Definitions and thresholds")
    sheet["A2"] = (
        "The unit is the referral. Finished a course of treatment = ended in the period with at least two "
        "attended (code 5 or 6) treatment appointments (types 02, 03, 05; follow-ups excluded)."
    )
    header = ["Measure", "SNOMED CT", "Caseness", "Reliable change", "Confirmed", "Source"]
    for column, text in enumerate(header, start=1):
        sheet.cell(row=4, column=column, value=text)
    _bold(sheet, 4, len(header))
    row = 5
    for item in measures().values():
        _put(sheet, row, 1, item.name)
        _put(sheet, row, 2, item.snomed_code)
        _put(sheet, row, 3, item.caseness_text())
        _put(sheet, row, 4, str(item.reliable_change) if item.reliable_change is not None else "not found")
        _put(sheet, row, 5, "unconfirmed" if item.unconfirmed else "yes")
        _put(sheet, row, 6, item.source)
        row += 1
    row += 1
    _put(sheet, row, 1, "National figures: NHS England, NHS Talking Therapies annual report CSVs (England level).")
    _widths(sheet, [44, 20, 12, 16, 12, 60])
