"""Write the monthly submission package for a reporting period, as a job.

``write_submission`` is a generator: it yields :class:`Progress` while it
works and, last, one :class:`SubmissionResult`.  The command line
(``iapt-desktop submission``) and the administrator's wizard both call it, so
they write the same files; pass ``created_at`` to fix the creation time.

Steps: collect the month's rows (storage.month_content), validate them
(jobs.validate_period), refuse when a rule would reject the whole file (unless
``force``), write the package (interchange.submission_package) and, when
asked, the IDB (interchange.idb_writer), then log the submission with the
fingerprints of its rows and report what changed since the last submission
for the period.  ``cancelled()`` is checked between steps; a cancelled or
failed run leaves no package behind and logs nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from iapt_desktop import APP_NAME, __version__
from iapt_desktop.domain.access import Action, User, require
from iapt_desktop.domain.dataset import DATASET_VERSION
from iapt_desktop.domain.reporting_period import ReportingPeriod, Window
from iapt_desktop.interchange.idb_types import IdbValueError
from iapt_desktop.interchange.idb_writer import (
    ACCESS_TESTING_NOTE,
    IdbDialect,
    IdbTemplateError,
    IdbUnavailable,
    access_driver_problem,
    write_idb,
)
from iapt_desktop.interchange.submission_package import (
    MANIFEST_FORMAT,
    MANIFEST_FORMAT_VERSION,
    PackageWriter,
    package_name,
)
from iapt_desktop.jobs.submission_checks import (
    PeriodNotEnded,
    ValidationOutcome,
    choose_window,
    period_not_ended,
    validate_month,
)
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.database import DatabaseLocation
from iapt_desktop.storage.month_content import HEADER_TABLE, month_content, month_row_counts, month_rows
from iapt_desktop.storage.settings_store import get_setting
from iapt_desktop.storage.submission_log import (
    SubmissionRecord,
    TableChanges,
    changes_since,
    latest_submission,
    record_submission,
    row_fingerprints,
)
from iapt_desktop.validation.progress import Progress

COMMAND_LINE_USER = "command line"
NO_TEMPLATE_MESSAGE = ("No blank IDB template is set. Download IAPTMasterIDB_2.1 from TRUD and set its path in "
                       "Settings (Blank IDB template).")


class SubmissionCancelled(Exception):
    """The run was cancelled; nothing was written or logged."""


@dataclass(frozen=True)
class SubmissionResult:
    """What a run did.  ``written`` False: refused (see ``refusal``), nothing on disk or in the log."""

    period: str
    window: str
    written: bool
    refusal: str  # why nothing was written ('' when written)
    validation: ValidationOutcome
    counts: dict[str, int]
    package: Path | None = None  # the package folder
    manifest: dict[str, Any] = field(default_factory=dict)
    log_id: int | None = None
    previous: SubmissionRecord | None = None  # the last submission logged for the period, if any
    changes: dict[str, TableChanges] | None = None  # since ``previous``; None for a first submission
    idb_path: Path | None = None
    idb_problem: str = ""  # why the IDB was not written, when it was asked for
    warnings: tuple[str, ...] = ()
    forced: bool = False

    @property
    def is_resubmission(self) -> bool:
        """True when a package was already logged for this period (this one says what changed)."""
        return self.previous is not None


def write_submission(
    db_or_location: Database | DatabaseLocation,
    period: ReportingPeriod | str,
    window: Window | str | None,
    out_dir: Path,
    *,
    force: bool = False,
    created_by: str = "",
    cancelled: Callable[[], bool] = lambda: False,
    created_at: dt.datetime | None = None,
    actor: User | None = None,
    idb: bool = False,
    idb_template: Path | None = None,
    idb_dialect: IdbDialect | None = None,
    today: dt.date | None = None,
) -> Iterator[Progress | SubmissionResult]:
    """Yield Progress, then one SubmissionResult.  Raises SubmissionCancelled when ``cancelled()``.

    Raises PeriodNotEnded when ``period`` has not ended on ``today`` (unless
    ``force``: then the package is written, marked forced, with a warning).
    ``window`` None: the window open now (``today``) decides (primary for last
    month, refresh for the month before); a period outside it is written as
    primary with a warning.  ``idb``: also fill a copy of the blank IDB
    (``idb_template``, default the idb_template_path setting); when that is not
    possible here, the result says why and the rest of the package is written.
    """
    if actor is not None:
        require(actor, Action.SUBMIT)
        created_by = created_by or actor.username
    created_by = created_by or COMMAND_LINE_USER
    if isinstance(period, str):
        period = ReportingPeriod.parse(period)
    created_at = (created_at or dt.datetime.now()).replace(microsecond=0, tzinfo=None)
    today = today or dt.date.today()
    not_ended = period_not_ended(period, today)
    if not_ended and not force:
        raise PeriodNotEnded(not_ended)
    chosen, warnings = choose_window(period, window, today)
    if not_ended:
        warnings = (*warnings, f"{not_ended} Written with force, for checking only: do not upload it.")
    with ExitStack() as stack:
        if isinstance(db_or_location, DatabaseLocation):
            db = db_or_location.open()
            stack.callback(db.close)
        else:
            db = db_or_location
        yield Progress(0, 0, f"Collecting the rows for {period.label}")
        content = month_content(db, period, created_at=created_at)
        rows, left_out = content.rows, content.left_out
        counts = month_row_counts(rows)
        if not rows[HEADER_TABLE][0]["OrgIDProv"]:
            warnings = (*warnings, "No provider organisation code is set, so the header has no OrgIDProv. Set it "
                                   "in Settings (Provider organisation code, your ODS code) and run this again.")
        if left_out:
            listed = ", ".join(f"{n:,} in {name}" for name, n in left_out.items())
            warnings = (*warnings, f"Rows dated in {period.label} are not in the file because their referral is "
                                   f"not ({listed}): a contact or score before the referral was received, or "
                                   "activity of a referral discharged before the month. Check those referrals.")
        _check(cancelled)
        validation = yield from validate_month(db, period, rows, cancelled)
        if validation is None:  # validation stopped on cancel
            raise SubmissionCancelled("The submission was cancelled; nothing was written.")
        if validation.rejects_file and not force:
            yield SubmissionResult(
                str(period), chosen.value, written=False,
                refusal=f"{validation.file_rejects} finding(s) would reject the whole file. Correct them and try "
                        "again.",
                validation=validation, counts=counts, warnings=warnings,
            )
            return
        yield from _write_package(
            stack, db, period, chosen, Path(out_dir), rows, counts, validation,
            _Options(force, created_by, created_at, idb, idb_template, idb_dialect, warnings, bool(not_ended)),
            cancelled,
        )


@dataclass(frozen=True)
class _Options:
    force: bool
    created_by: str
    created_at: dt.datetime
    idb: bool
    idb_template: Path | None
    idb_dialect: IdbDialect | None
    warnings: tuple[str, ...]
    not_ended: bool = False  # forced before the period ended


def _check(cancelled: Callable[[], bool]) -> None:
    if cancelled():
        raise SubmissionCancelled("The submission was cancelled; nothing was written.")


def _write_package(
    stack: ExitStack,
    db: Database,
    period: ReportingPeriod,
    window: Window,
    out_dir: Path,
    rows: Mapping[str, list[dict[str, object]]],
    counts: dict[str, int],
    validation: ValidationOutcome,
    options: _Options,
    cancelled: Callable[[], bool],
) -> Iterator[Progress | SubmissionResult]:
    header = rows[HEADER_TABLE][0]
    provider = str(header["OrgIDProv"] or get_setting(db, "provider_ods"))
    writer = stack.enter_context(PackageWriter(out_dir, package_name(provider, str(period), window.value)))
    total_rows = sum(counts.values())
    for step in writer.write_tables(rows):
        yield Progress(step.tables_done, step.tables_total, f"Writing {step.message}")
        _check(cancelled)
    writer.write_report(validation.report_files())
    idb_path, idb_problem = None, ""
    if options.idb:
        idb_path, idb_problem = yield from _write_idb(db, writer, rows, options, cancelled)
    _check(cancelled)
    yield Progress(total_rows, total_rows, "Comparing with the last submission for the period")
    fingerprints = row_fingerprints(rows)
    previous = latest_submission(db, str(period))
    changes = changes_since(db, previous.id, fingerprints) if previous else None
    manifest = {
        "format": MANIFEST_FORMAT,
        "format_version": MANIFEST_FORMAT_VERSION,
        "package": writer.name,
        "dataset_version": DATASET_VERSION,
        "period": str(period),
        "reporting_period_start": period.start.isoformat(),
        "reporting_period_end": period.end.isoformat(),
        "window": window.value,
        "provider": header["OrgIDProv"],
        "submitter": header["OrgIDSubmit"],
        "created_at": header["DateTimeDatSetCreate"],
        "created_by": options.created_by,
        "application": f"{APP_NAME} {__version__}",
        "counts": counts,
        "files": writer.file_hashes(),
        "validation": validation.summary(),
        "forced": bool(options.force and (validation.rejects_file or options.not_ended)),
        "idb": {"requested": options.idb, "written": idb_path is not None, "problem": idb_problem,
                "tested_against_microsoft_access": False, "note": ACCESS_TESTING_NOTE},
        "previous_submission": _previous_summary(previous),
        "changes_since_previous": _changes_json(changes),
        "warnings": list(options.warnings),
    }
    writer.write_manifest(manifest)
    _check(cancelled)
    package = writer.finish()
    record = SubmissionRecord(
        period=str(period), window=window.value, created_at=options.created_at, created_by=options.created_by,
        out_dir=str(package), counts=counts, file_hashes=manifest["files"], validation_summary=manifest["validation"],
        forced=manifest["forced"],
    )
    with db.atomic():
        log_id = record_submission(db, record, fingerprints)
        audit_log.append(db, options.created_by, "submission", "app_submission_log", str(log_id),
                         changes={"period": str(period), "window": window.value, "package": package.name,
                                  "rows": {name: n for name, n in counts.items() if n},
                                  "forced": manifest["forced"],
                                  "files": sorted(manifest["files"])})  # file names only
    yield SubmissionResult(
        str(period), window.value, written=True, refusal="", validation=validation, counts=counts,
        package=package, manifest=manifest, log_id=log_id, previous=previous, changes=changes,
        idb_path=(package / idb_path.name) if idb_path else None, idb_problem=idb_problem,
        warnings=options.warnings, forced=manifest["forced"],
    )


def _write_idb(
    db: Database,
    writer: PackageWriter,
    rows: Mapping[str, list[dict[str, object]]],
    options: _Options,
    cancelled: Callable[[], bool],
) -> Generator[Progress, None, tuple[Path | None, str]]:
    template_text = str(options.idb_template or get_setting(db, "idb_template_path")).strip()
    if not template_text:
        return None, NO_TEMPLATE_MESSAGE
    try:
        for step in write_idb(rows, Path(template_text), writer.idb_path, dialect=options.idb_dialect):
            yield Progress(step.done, step.total, f"IDB: {step.table}, {step.done:,} of {step.total:,} rows")
            _check(cancelled)
    except (IdbUnavailable, IdbTemplateError, IdbValueError) as problem:
        return None, str(problem)
    return writer.idb_path, ""


def preview_changes(
    db: Database, period: ReportingPeriod | str
) -> tuple[SubmissionRecord | None, dict[str, TableChanges] | None]:
    """Before writing: the last submission logged for ``period`` and what a package now would change.

    (None, None) when nothing was logged for the period yet.
    """
    if isinstance(period, str):
        period = ReportingPeriod.parse(period)
    previous = latest_submission(db, str(period))
    if previous is None:
        return None, None
    return previous, changes_since(db, previous.id, row_fingerprints(month_rows(db, period)))


def idb_problem_here(db: Database, template: Path | None = None) -> str | None:
    """Why an IDB cannot be written on this computer now (no template set or found, no driver), or None.

    For the wizard to explain a greyed-out IDB option before it runs anything.
    """
    template_text = str(template or get_setting(db, "idb_template_path")).strip()
    if not template_text:
        return NO_TEMPLATE_MESSAGE
    if not Path(template_text).is_file():
        return f"The blank IDB template {template_text} was not found. Check the path in Settings."
    return access_driver_problem()


def _previous_summary(previous: SubmissionRecord | None) -> dict[str, Any] | None:
    if previous is None:
        return None
    return {"id": previous.id, "window": previous.window, "created_at": previous.created_at.isoformat(sep=" "),
            "package": Path(previous.out_dir).name}


def _changes_json(changes: dict[str, TableChanges] | None) -> dict[str, dict[str, int]] | None:
    if changes is None:
        return None
    return {name: {"added": c.added, "changed": c.changed, "removed": c.removed}
            for name, c in changes.items() if c.any}
