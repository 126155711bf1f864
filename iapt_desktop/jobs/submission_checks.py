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
from iapt_desktop.storage.month_content import HEADER_TABLE
from iapt_desktop.storage.settings_store import get_setting
from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.engine import ValidationResult, run_validation
from iapt_desktop.validation.findings import REJECT_FILE, SEVERITIES, SEVERITY_LABELS, Finding
from iapt_desktop.validation.progress import Progress

_MOST_FREQUENT_SHOWN = 10


def choose_window(
    period: ReportingPeriod, window: Window | str | None, today: dt.date
) -> tuple[Window, tuple[str, ...]]:
    """The window to write for, and warnings when it is not the one open on ``today``.

    Default: primary for last month, refresh for the month before (the window
    open around the 1st takes those two, dataset.md s.2); any other period is
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
    """The validation of a month's rows, summarised for the package, the log and people."""

    period: str
    findings: tuple[Finding, ...]
    dropped_rows: int
    rows: int

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(finding.severity for finding in self.findings)
        return {severity: found.get(severity, 0) for severity in SEVERITIES}

    @property
    def file_rejects(self) -> int:
        return self.counts[REJECT_FILE]

    @property
    def rejects_file(self) -> bool:
        return self.file_rejects > 0

    def summary(self) -> dict[str, object]:
        """For the manifest and the submission log: counts only, no values."""
        rules = Counter((f.rule, f.severity) for f in self.findings)
        return {
            "findings": len(self.findings),
            "by_severity": self.counts,
            "rows": self.rows,
            "rows_rejected": self.dropped_rows,
            "file_rejected": self.rejects_file,
            "by_rule": {f"{rule} ({severity})": n for (rule, severity), n in sorted(rules.items())},
        }

    def summary_text(self) -> str:
        """A few lines for people: counts per severity and the most frequent rules (no values)."""
        lines = [f"Validation of {self.period}: {self.rows:,} rows, {len(self.findings):,} findings."]
        lines += [f"  {SEVERITY_LABELS[s]}: {n:,}" for s, n in self.counts.items()]
        lines.append(f"  Rows NHS England would not load: {self.dropped_rows:,}")
        frequent = Counter((f.rule, f.severity, f.message) for f in self.findings).most_common(_MOST_FREQUENT_SHOWN)
        if frequent:
            lines.append("  Most frequent:")
            lines += [f"    {rule} ({SEVERITY_LABELS[sev]}) x{n:,}: {message}" for (rule, sev, message), n in frequent]
        return "\n".join(lines)

    def report_files(self) -> ReportFiles:
        ordered = sorted(self.findings, key=_finding_order)
        lines = [self.summary_text(), "", "All findings (rule, severity, table, key, field: message):"]
        lines += [f"{f.rule}\t{SEVERITY_LABELS[f.severity]}\t{f.table}\t{f.key}\t{f.field}: {f.message}"
                  for f in ordered]
        return ReportFiles(self.summary(), [f.as_json() for f in ordered], "\n".join(lines))


def _finding_order(finding: Finding) -> tuple[int, str, str, str, str]:
    return (SEVERITIES.index(finding.severity), finding.table, finding.key, finding.rule, finding.field)


def validate_month(
    db: Database,
    period: ReportingPeriod,
    rows: Mapping[str, Sequence[Mapping[str, object]]],
    cancelled: Callable[[], bool],
) -> Generator[Progress, None, ValidationOutcome]:
    """Run the national rules over the month's rows, yielding progress; returns the outcome."""
    header = rows[HEADER_TABLE][0]
    created = dt.datetime.fromisoformat(str(header["DateTimeDatSetCreate"]))
    context = ValidationContext.for_month(
        period, get_setting(db, "provider_ods"), get_setting(db, "submitter_ods"), now=created
    )
    result: ValidationResult | None = None
    for item in run_validation(rows, context):  # type: ignore[arg-type]
        if isinstance(item, ValidationResult):
            result = item
        else:
            yield Progress(item.done, item.total, f"Validating: {item.message}")
            if cancelled():
                break
    if result is None:
        return ValidationOutcome(str(period), (), 0, 0)  # cancelled; the caller checks cancelled()
    return ValidationOutcome(
        str(period), result.findings, len(result.dropped), sum(len(table_rows) for table_rows in rows.values())
    )
