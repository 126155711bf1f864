"""Who may take what from the outcome metrics, and the files made of them.

The dashboard and the ``metrics`` command both go through here, so one set of rules applies:

- the figures need "view service reports" (every role; checked when they are worked out);
- per-counsellor figures and the referral-level list: everyone's for a user who may view every caseload,
  otherwise only the user's own (their row of the breakdown, the referrals they hold);
- writing the figures to a file (the workbook, or any file the command writes) needs "export data";
- a file is pseudonymised on request (see interchange.pseudonymised_reports).

``actor=None`` is the app itself (tests, the screenshots): nothing is restricted.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Generator
from pathlib import Path

from iapt_desktop.domain.access import Action, User, require
from iapt_desktop.domain.metrics.service_metrics import ServiceMetrics
from iapt_desktop.interchange.metrics_workbook import write_metrics_workbook
from iapt_desktop.interchange.pseudonymise import Pseudonymiser
from iapt_desktop.interchange.pseudonymised_reports import pseudonymised_metrics
from iapt_desktop.jobs.compute_metrics import MetricsProgress

TEXT_FORMATS = ("json", "text")


def sees_every_caseload(user: User | None) -> bool:
    return user is None or user.can(Action.VIEW_ALL_CASELOADS)


def metrics_visible_to(metrics: ServiceMetrics, user: User | None) -> ServiceMetrics:
    """The figures as ``user`` may see them: the service's totals, and only their own counsellor row and
    referrals unless they may view every caseload."""
    if sees_every_caseload(user):
        return metrics
    assert user is not None
    own = user.care_personnel_id
    return dataclasses.replace(
        metrics,
        by_counsellor=tuple(c for c in metrics.by_counsellor if own and c.counsellor == own),
        referrals=tuple(r for r in metrics.referrals if own and r.counsellor == own),
    )


def require_metrics_export(user: User | None) -> None:
    """Raise AccessDenied unless ``user`` may save the figures to a file."""
    if user is not None:
        require(user, Action.EXPORT)


def _for_file(metrics: ServiceMetrics, actor: User | None, pseudonymise_key: bytes | None) -> ServiceMetrics:
    require_metrics_export(actor)
    shown = metrics_visible_to(metrics, actor)
    return pseudonymised_metrics(shown, Pseudonymiser(pseudonymise_key)) if pseudonymise_key else shown


def export_metrics_workbook_steps(
    metrics: ServiceMetrics,
    path: Path,
    *,
    actor: User | None,
    by_counsellor: bool = False,
    pseudonymise_key: bytes | None = None,
) -> Generator[MetricsProgress, None, Path]:
    """Write the Excel report (see interchange.metrics_workbook) as a job; returns the path written.

    Needs "export data"; the breakdown holds only what the actor may see (see metrics_visible_to)."""
    shown = _for_file(metrics, actor, pseudonymise_key)
    yield MetricsProgress("Writing the Excel workbook", 10)
    written = write_metrics_workbook(shown, path, by_counsellor=by_counsellor)
    yield MetricsProgress("Done", 100)
    return written


def metrics_text(
    metrics: ServiceMetrics,
    output_format: str,
    *,
    actor: User | None,
    by_counsellor: bool = False,
    to_file: bool = False,
    pseudonymise_key: bytes | None = None,
) -> str:
    """The figures as JSON or plain text for the terminal (or, with ``to_file``, for a file: "export data")."""
    if output_format not in TEXT_FORMATS:
        raise ValueError(f"unknown format {output_format!r}")
    if to_file:
        shown = _for_file(metrics, actor, pseudonymise_key)
    else:
        shown = metrics_visible_to(metrics, actor)
        if pseudonymise_key:
            shown = pseudonymised_metrics(shown, Pseudonymiser(pseudonymise_key))
    if output_format == "json":
        return json.dumps(shown.as_dict(by_counsellor=by_counsellor), indent=2, ensure_ascii=False) + "\n"
    from iapt_desktop.domain.metrics.text_report import text_report

    return text_report(shown, by_counsellor=by_counsellor)
