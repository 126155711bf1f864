"""The metrics of a period as plain text for the terminal (no identifiable data)."""

from __future__ import annotations

from iapt_desktop.domain.metrics.headlines import COUNSELLOR_COLUMNS, HEADLINES, TREND_COLUMNS
from iapt_desktop.domain.metrics.service_metrics import ServiceMetrics


def _numeric(cell: str) -> bool:
    return cell == "–" or cell.replace(",", "").replace(".", "").replace("%", "").replace(" days", "").isdigit()


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Columns padded to their widest cell: numbers to the right, words to the left."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    right = [bool(rows) and all(_numeric(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.rjust(w) if right[i] else cell.ljust(w) for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in [header, *rows]
    ]
    return [lines[0], "-" * max(len(line) for line in lines), *lines[1:]]


def text_report(metrics: ServiceMetrics, *, by_counsellor: bool = False) -> str:
    figures = metrics.figures
    lines = [f"Outcome metrics, {metrics.start.isoformat()} to {metrics.end.isoformat()}", ""]
    width = max(len(h.label) for h in HEADLINES)
    for headline in HEADLINES:
        national = headline.national_text()
        suffix = f"   ({national})" if national else ""
        basis = headline.basis_text(figures)
        value = headline.format(figures[headline.key]) + (f" ({basis})" if basis else "")
        lines.append(f"{headline.label.ljust(width)}  {value.rjust(24)}{suffix}")
    lines += [
        "",
        f"Recovery: {figures['recovered']} recovered of {figures['recovery_denominator']} "
        f"(finished {figures['finished_treatment']} − not at caseness {figures['not_at_caseness']}).",
        "",
        "Monthly trend",
    ]
    lines += _table(
        ["Month", *(c.label for c in TREND_COLUMNS)],
        [[m.month, *(c.format(m.figures[c.key]) for c in TREND_COLUMNS)] for m in metrics.monthly],
    )
    lines += ["", "Ending reasons (referrals ended in the period)"]
    if metrics.ending_reasons:
        lines += _table(
            ["Code", "Reason", "Referrals"], [[r.code or "–", r.label, str(r.count)] for r in metrics.ending_reasons]
        )
    else:
        lines.append("No referral ended in the period.")
    if by_counsellor:
        lines += ["", "By counsellor"]
        lines += _table(
            ["Counsellor", *(c.label for c in COUNSELLOR_COLUMNS)],
            [[c.name, *(h.format(c.figures[h.key]) for h in COUNSELLOR_COLUMNS)] for c in metrics.by_counsellor],
        )
    lines += [
        "",
        "Definitions: docs/metrics.md. Figures marked (unconfirmed) rest on values not confirmed by NHS England.",
    ]
    return "\n".join(lines) + "\n"
