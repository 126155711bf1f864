"""Before a submission is written: which window it is for, and what validation says about its rows.

The rows validated are exactly the rows the package will carry (the engine in
iapt_desktop.validation runs over them), so the report and the files agree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from iapt_desktop.domain.reporting_period import ReportingPeriod, Window, proposed_windows
from iapt_desktop.interchange.submission_package import ReportFiles
from iapt_desktop.jobs.validate_period import organisation_codes
from iapt_desktop.storage.month_content import HEADER_TABLE
from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.engine import ValidationResult, run_validation
from iapt_desktop.validation.findings import REJECT_FILE, SEVERITY_LABELS, Finding
from iapt_desktop.validation.progress import Progress
from iapt_desktop.validation.report import ValidationReport
from iapt_desktop.validation.report_text import render_text, verdict

_MOST_FREQUENT_SHOWN = 10


class PeriodNotEnded(ValueError):
    """A submission was asked for a month that has not ended yet (and not forced); nothing was written."""


def period_not_ended(period: ReportingPeriod, today: dt.date) -> str | None:
    """Why ``period`` cannot be submitted on ``today`` (it has not ended yet), or None once it has.

    The file is the picture of the whole month at its end (IDS10139: no discharge after the period end;
    the window for a month opens after it), so a month still running would be sent incomplete.
    """
    if today > period.end:
        return None
    return (f"The reporting period {period} ({period.label}) has not ended: it ends on "
            f"{period.end:%d %B %Y}, and its submission can be made from {period.end + dt.timedelta(days=1):%d %B %Y}.")


def choose_window(
    period: ReportingPeriod, window: Window | str | None, today: dt.date
) -> tuple[Window, tuple[str, ...]]:
    """The window to write for, and warnings when it is not the one open on ``today``.

    Default: primary for last month, refresh for the month before (the window
    open around the 1st takes those two, NHS England's submission timetable); any other period is
    written as primary with a warning.
    """
    proposed = proposed_windows(today)
    if isinstance(window, str):
        window = Window(window.strip().lower())
    open_now = next((w for w, p in proposed.items() if p == period), None)
    warnings: list[str] = []
    if open_now is None:
        warnings.append(
            f"{period.label} is in neither window open now: the window around {today:%d %B %Y} takes "
            f"{proposed[Window.PRIMARY].label} as Primary and {proposed[Window.REFRESH].label} as Refresh. "
            "NHS England may not accept a file for this period now."
        )
    chosen = window or open_now or Window.PRIMARY
    if window is not None and open_now is not None and window is not open_now:
        warnings.append(f"{period.label} is the {open_now.value} period of the window open now, "
                        f"but the package is marked {window.value}.")
    return chosen, tuple(warnings)


@dataclass(frozen=True)
class ValidationOutcome:
    """The validation of a month's rows (a validation ValidationReport), summarised."""

    period: str
    report: ValidationReport

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.report.findings

    @property
    def counts(self) -> dict[str, int]:
        return self.report.counts_by_severity

    @property
    def file_rejects(self) -> int:
        return self.counts[REJECT_FILE]

    @property
    def rejects_file(self) -> bool:
        return self.report.rejects_file

    @property
    def rows(self) -> int:
        return sum(self.report.rows_checked.values())

    @property
    def dropped_rows(self) -> int:
        return len(self.report.dropped)

    def summary(self) -> dict[str, object]:
        """For the manifest and the submission log: counts only, no values."""
        rules = Counter((f.rule, f.severity) for f in self.findings)
        return {
            "verdict": verdict(self.report),
            "findings": len(self.findings),
            "by_severity": self.counts,
            "rows": self.rows,
            "rows_rejected": self.dropped_rows,
            "file_rejected": self.rejects_file,
            "by_rule": {f"{rule} ({severity})": n for (rule, severity), n in sorted(rules.items())},
        }

    def summary_text(self) -> str:
        """A few lines for people: verdict, counts per severity, the most frequent rules (no values)."""
        lines = [f"Validation of {self.period}: {self.rows:,} rows, {len(self.findings):,} findings. "
                 f"{verdict(self.report)}"]
        lines += [f"  {SEVERITY_LABELS[s]}: {n:,}" for s, n in self.counts.items()]
        lines.append(f"  Rows NHS England would not load: {self.dropped_rows:,}")
        frequent = Counter((f.rule, f.severity, f.message) for f in self.findings).most_common(_MOST_FREQUENT_SHOWN)
        if frequent:
            lines.append("  Most frequent:")
            lines += [f"    {rule} ({SEVERITY_LABELS[sev]}) x{n:,}: {message}" for (rule, sev, message), n in frequent]
        return "\n".join(lines)

    def report_files(self) -> ReportFiles:
        return ReportFiles(self.summary(), [f.as_json() for f in self.findings], render_text(self.report))


def validate_month(
    db: Database,
    period: ReportingPeriod,
    rows: Mapping[str, Sequence[Mapping[str, object]]],
    cancelled: Callable[[], bool],
) -> Generator[Progress, None, ValidationOutcome | None]:
    """Run the national rules over exactly these rows, yielding progress; None when cancelled."""
    header = rows[HEADER_TABLE][0]
    created = dt.datetime.fromisoformat(str(header["DateTimeDatSetCreate"]))
    provider, submitter = organisation_codes(db)
    context = ValidationContext.for_month(period, provider, submitter, now=created)
    for item in run_validation(rows, context):  # type: ignore[arg-type]
        if isinstance(item, ValidationResult):
            return ValidationOutcome(str(period), ValidationReport.from_result(str(period), rows, item))  # type: ignore[arg-type]
        yield Progress(item.done, item.total, f"Validating: {item.message}")
        if cancelled():
            return None
    return None
