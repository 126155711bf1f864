"""Validation as a job: read the rows, run the rules, hand back a report.

``validate_period`` checks exactly the rows a month's file would carry (the
rows of :func:`iapt_desktop.storage.month_content.month_rows`, header built
from Settings); ``validate_database`` checks every stored row (see
:class:`ValidationContext` for how period rules are treated there).  Both are
generators for a worker thread: they yield :class:`Progress` items and then,
last, the :class:`ValidationReport`.  When ``cancelled()`` turns true they
stop early without a report.  They open their own connection when given a
:class:`DatabaseLocation` (and close it); given a Database they use it as is.

Both act for a user (``actor``) and check "run validation".  A user who may not
view every caseload (a counsellor) gets the report of their own caseload only
(storage.record_visibility: the referrals they hold, their patients, patients
they registered who have no referral yet); its scope is named as for everyone
(the period, or 'whole database').  Other roles get every row.  The app's own work passes ``SYSTEM_USER``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.access import Action, User, require
from iapt_desktop.domain.reporting_period import ReportingPeriod
from iapt_desktop.storage.all_rows import stored_tables
from iapt_desktop.storage.database import DatabaseLocation
from iapt_desktop.storage.month_content import month_rows
from iapt_desktop.storage.record_visibility import caseload_of, caseload_rows, sees_every_caseload, stored_caseload_rows
from iapt_desktop.storage.settings_store import get_setting
from iapt_desktop.storage.validation_reads import StoredValidationTables
from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.engine import ValidationResult, run_validation
from iapt_desktop.validation.progress import Progress
from iapt_desktop.validation.report import ValidationReport
from iapt_desktop.validation.streamed import run_streamed_validation

__all__ = [
    "Progress", "ValidationReport", "organisation_codes", "run_to_report", "validate_database", "validate_period",
]

WHOLE_DATABASE = "whole database"


def organisation_codes(db: Database) -> tuple[str, str]:
    """(provider code, submitter code) from Settings, as the header carries them."""
    provider = get_setting(db, "provider_ods").strip().upper()
    submitter = get_setting(db, "submitter_ods").strip().upper() or provider
    return provider, submitter


def _validate(
    rows: Mapping[str, Sequence[Any]], context: ValidationContext, scope: str, cancelled: Callable[[], bool]
) -> Iterator[Progress | ValidationReport]:
    for item in run_validation(rows, context):
        if cancelled():
            return
        if isinstance(item, ValidationResult):
            yield ValidationReport.from_result(scope, rows, item)
        else:
            yield Progress(item.done + 1, item.total + 1, item.message)


def _with_database(location_or_db: DatabaseLocation | Database) -> tuple[Database, bool]:
    if isinstance(location_or_db, DatabaseLocation):
        return location_or_db.open(), True
    return location_or_db, False


def validate_period(
    location_or_db: DatabaseLocation | Database,
    period: ReportingPeriod | str,
    *,
    actor: User,
    cancelled: Callable[[], bool] = lambda: False,
    now: dt.datetime | None = None,
) -> Iterator[Progress | ValidationReport]:
    """Validate the rows the file for ``period`` would carry; Progress items, then the report.

    A counsellor's report covers the rows of their own caseload only (see the module's docstring)."""
    require(actor, Action.VALIDATE)
    if isinstance(period, str):
        period = ReportingPeriod.parse(period)
    moment = (now or dt.datetime.now()).replace(microsecond=0)
    db, owned = _with_database(location_or_db)
    try:
        yield Progress(0, 1, f"Reading the rows for {period.label}")
        rows: Mapping[str, Sequence[Any]] = month_rows(db, period, created_at=moment)
        if not sees_every_caseload(actor):
            rows = caseload_rows(rows, caseload_of(db, actor))
        provider, submitter = organisation_codes(db)
    finally:
        if owned:
            db.close()
    if cancelled():
        return
    context = ValidationContext.for_month(period, provider, submitter, moment)
    yield from _validate(rows, context, str(period), cancelled)


def validate_database(
    location_or_db: DatabaseLocation | Database,
    *,
    actor: User,
    cancelled: Callable[[], bool] = lambda: False,
    now: dt.datetime | None = None,
) -> Iterator[Progress | ValidationReport]:
    """Validate every stored row; Progress items, then the report (scope 'whole database').

    A counsellor's report covers the rows of their own caseload only (see the module's docstring)."""
    require(actor, Action.VALIDATE)
    moment = (now or dt.datetime.now()).replace(microsecond=0)
    if not sees_every_caseload(actor):
        yield from _validate_caseload(location_or_db, actor, moment, cancelled)
        return
    db, owned = _with_database(location_or_db)
    try:
        yield Progress(0, 1, "Reading all stored rows")
        provider, submitter = organisation_codes(db)
        context = ValidationContext.for_database(provider, submitter, moment)
        names = stored_tables()
        store = StoredValidationTables(db)
        for item in run_streamed_validation(store, names, context):
            if cancelled():
                return
            if isinstance(item, ValidationResult):
                counts = {name: store.rows_read.get(name, 0) for name in names}
                yield ValidationReport.from_counts(WHOLE_DATABASE, counts, item)
            else:
                yield Progress(item.done + 1, item.total + 1, item.message)
    finally:
        if owned:
            db.close()


def _validate_caseload(
    location_or_db: DatabaseLocation | Database, actor: User, moment: dt.datetime, cancelled: Callable[[], bool]
) -> Iterator[Progress | ValidationReport]:
    """Every stored row of the actor's caseload (a small part of the database), checked in memory."""
    db, owned = _with_database(location_or_db)
    try:
        yield Progress(0, 1, "Reading the rows of your caseload")
        provider, submitter = organisation_codes(db)
        rows = stored_caseload_rows(db, caseload_of(db, actor))
    finally:
        if owned:
            db.close()
    if cancelled():
        return
    context = ValidationContext.for_database(provider, submitter, moment)
    yield from _validate(rows, context, WHOLE_DATABASE, cancelled)


def run_to_report(steps: Iterator[Progress | ValidationReport]) -> ValidationReport | None:
    """Drain a validation job (no progress wanted): the report, or None when it was cancelled."""
    report = None
    for item in steps:
        if isinstance(item, ValidationReport):
            report = item
    return report
