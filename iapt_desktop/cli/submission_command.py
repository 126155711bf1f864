"""``submission`` and ``submissions``: write the monthly submission package, list those written.

    iapt-desktop submission --db PATH --period YYYY-MM --out DIR [--window primary|refresh] [--force] [--idb]
    iapt-desktop submissions --db PATH [--period YYYY-MM]

``submission`` refuses (exit 1) a month that has not ended, and validates the
month first and refuses (exit 1, with the validation summary) when a rule would
reject the whole file; --force writes the package anyway, for checking only
(marked forced in the manifest and the log).

``submissions`` lists the log: each package's window (the one it was made in)
and, for a second package for a month, "re-submission of #N" with the rows it
added, changed and removed since package N.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from iapt_desktop.cli.database_access import (
    CommandError,
    add_database_arguments,
    open_existing,
    open_existing_session,
    report_error,
)
from iapt_desktop.cli.output_paths import check_output_folder, write_failure

FILE_REJECTS_SHOWN = 20
NOT_ENDED_FORCE = ("Run it again after that day, or add --force to write a package now for checking only "
                   "(it is logged as forced; do not upload it).")
REJECT_FORCE = "Or add --force to write the package anyway, for checking only (do not upload it)."
IDB_NOTE = (
    "Note: the IDB (.accdb) writer has not been tested against Microsoft Access; it was tested with SQLite "
    "standing in for Access. Open the IDB in Access and check it before you upload it."
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "submission",
        help="write the monthly submission package for a reporting period (validated first)",
        description="Write the month's tables (CSV files and a workbook), the validation report and a "
                    "manifest with checksums into a package folder in DIR. Validates first and refuses when "
                    "a finding would reject the whole file, unless --force. " + IDB_NOTE,
    )
    add_database_arguments(parser)
    parser.add_argument("--period", required=True, metavar="YYYY-MM", help="the reporting period (a month)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write the package in")
    parser.add_argument("--window", choices=("primary", "refresh"),
                        help="default: primary for last month, refresh for the month before")
    parser.add_argument("--force", action="store_true",
                        help="write the package even when validation says the file would be rejected or the "
                             "month has not ended (for checking only; logged as forced)")
    parser.add_argument("--idb", action="store_true",
                        help="also fill a copy of the blank IDB template (Windows with the Microsoft Access "
                             "driver; template path from the setting idb_template_path)")
    parser.add_argument("--idb-template", type=Path, metavar="FILE",
                        help="with --idb: the blank IDB template to copy (instead of the setting)")
    parser.add_argument("--created-by", default="", metavar="NAME", help="who makes the submission (for the log)")
    parser.set_defaults(run=run)

    log_parser = subparsers.add_parser(
        "submissions",
        help="list the submission packages written, newest first",
        description="List the submission log: period, window (the one a package was made in), when, by whom, "
                    "where, rows and findings; a second package for a period is shown as a re-submission of the "
                    "one before it, with the rows it added, changed and removed.",
    )
    add_database_arguments(log_parser)
    log_parser.add_argument("--period", metavar="YYYY-MM", help="only this reporting period")
    log_parser.add_argument("--json", action="store_true", help="print the log as JSON")
    log_parser.add_argument("--verify", type=Path, metavar="PACKAGE",
                            help="check a package folder: every file as its manifest and the log recorded it")
    log_parser.set_defaults(run=run_list)


def run(args: argparse.Namespace) -> int:
    from iapt_desktop.domain.access import AccessDenied
    from iapt_desktop.domain.reporting_period import ReportingPeriod
    from iapt_desktop.jobs.submission_checks import PeriodNotEnded, period_not_ended
    from iapt_desktop.jobs.write_submission import SubmissionResult, write_submission

    try:
        try:
            period = ReportingPeriod.parse(args.period)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if args.idb_template and not args.idb:
            raise CommandError("--idb-template only works with --idb.")
        not_ended = period_not_ended(period, dt.date.today())
        if not_ended and not args.force:
            raise CommandError(f"{not_ended} Nothing was written. {NOT_ENDED_FORCE}")
        check_output_folder(args.out)
        db, actor, close = _open(args)
        result: SubmissionResult | None = None
        try:
            for item in write_submission(db, period, args.window, args.out, force=args.force, actor=actor,
                                         created_by=args.created_by, idb=args.idb, idb_template=args.idb_template):
                if isinstance(item, SubmissionResult):
                    result = item
        except AccessDenied as error:
            raise CommandError(str(error)) from error
        except PeriodNotEnded as error:  # checked above; the job checks again (midnight passed meanwhile)
            raise CommandError(f"{error} Nothing was written. {NOT_ENDED_FORCE}") from error
        except OSError as error:
            raise write_failure(args.out, error) from None
        finally:
            close()
    except CommandError as error:
        return report_error(error)
    assert result is not None
    return _report(result, args.idb)


def _open(args: argparse.Namespace) -> tuple[Any, Any, Callable[[], None]]:
    """(database, signed-in user or None, close): an encrypted database is unlocked as --user."""
    from iapt_desktop.storage import keyfile

    if args.db.exists() and keyfile.keyfile_path(args.db).exists():
        session = open_existing_session(args)
        return session.db, session.user, session.close
    db = open_existing(args)
    return db, None, db.close


def _report(result: Any, idb_requested: bool) -> int:
    for warning in result.warnings:
        print(f"Warning: {warning}", file=sys.stderr)
    print(result.validation.summary_text())
    if not result.written:
        print(f"Not written: {result.refusal} {REJECT_FORCE}", file=sys.stderr)
        file_rejects = [f for f in result.validation.findings if f.severity == "reject_file"]
        for finding in file_rejects[:FILE_REJECTS_SHOWN]:
            where = f"{finding.table} {finding.key}".strip() or "the file"
            print(f"  {finding.rule} {where} {finding.field}: {finding.message}", file=sys.stderr)
        if len(file_rejects) > FILE_REJECTS_SHOWN:
            print(f"  ... and {len(file_rejects) - FILE_REJECTS_SHOWN} more", file=sys.stderr)
        return 1
    if result.forced:
        why = [*(["the file would be rejected"] if result.validation.rejects_file else []),
               *(["the month has not ended"] if _not_ended(result.period) else [])]
        print(f"Written with --force although {' and '.join(why)}: for checking only, do not upload it.",
              file=sys.stderr)
    print(f"Wrote the {result.window} submission for {result.period} to {result.package}")
    print(f"Rows: {sum(result.counts.values()):,} in {sum(1 for n in result.counts.values() if n)} tables; "
          f"logged as submission {result.log_id}.")
    if result.previous is None:
        print("First submission logged for this period.")
    else:
        print(f"Changes since submission {result.previous.id} ({result.previous.window}, "
              f"{result.previous.created_at:%Y-%m-%d %H:%M}):")
        changed = {name: c for name, c in (result.changes or {}).items() if c.any}
        for name, change in changed.items():
            print(f"  {name}: {change.added:,} added, {change.changed:,} changed, {change.removed:,} removed")
        if not changed:
            print("  none")
    if idb_requested:
        if result.idb_path is not None:
            print(f"IDB: {result.idb_path}")
            print(IDB_NOTE)
        else:
            print(f"The IDB was not written: {result.idb_problem}", file=sys.stderr)
            return 1
    return 0


def _not_ended(period: str) -> bool:
    from iapt_desktop.domain.reporting_period import ReportingPeriod
    from iapt_desktop.jobs.submission_checks import period_not_ended

    return period_not_ended(ReportingPeriod.parse(period), dt.date.today()) is not None


def run_list(args: argparse.Namespace) -> int:
    from iapt_desktop.domain.reporting_period import ReportingPeriod
    from iapt_desktop.storage.submission_log import resubmissions, submissions

    try:
        period = None
        if args.period:
            try:
                period = str(ReportingPeriod.parse(args.period))
            except ValueError as error:
                raise CommandError(str(error)) from error
        db = open_existing(args)
        try:
            records = submissions(db, period)
            earlier = {} if args.verify else resubmissions(db, records)
        finally:
            db.close()
        if args.verify:
            return _verify(args.verify, records)
    except CommandError as error:
        return report_error(error)
    if args.json:
        print(json.dumps([_record_json(r, earlier.get(r.id)) for r in records], indent=1))
        return 0
    if not records:
        print("No submissions logged" + (f" for {period}." if period else "."))
        return 0
    print("id  period   window   created              by                rows     rejects  folder")
    for record in records:
        by_severity = record.validation_summary.get("by_severity")
        summary = by_severity if isinstance(by_severity, dict) else {}
        rejects = sum(int(n) for severity, n in summary.items() if severity != "warning")
        print(f"{record.id:<3} {record.period}  {record.window:<8} {record.created_at:%Y-%m-%d %H:%M:%S}  "
              f"{record.created_by[:16]:<16}  {sum(record.counts.values()):<8,} {rejects:<8,} "
              f"{record.out_dir}" + ("  (forced)" if record.forced else ""))
        again = earlier.get(record.id)
        if again is not None:
            total = again.total
            print(f"    re-submission of #{again.of.id} ({again.of.window}, {again.of.created_at:%Y-%m-%d %H:%M}) "
                  f"made in the {record.window} window: {total.added:,} added, {total.changed:,} changed, "
                  f"{total.removed:,} removed")
    return 0


def _verify(package: Path, records: list[Any]) -> int:
    from iapt_desktop.interchange.submission_package import MANIFEST_NAME, read_manifest, verify_package

    if not (package / MANIFEST_NAME).is_file():
        raise CommandError(f"{package} is not a submission package (it has no {MANIFEST_NAME}).")
    problems = verify_package(package)
    files = read_manifest(package)["files"]
    logged = [r for r in records if Path(r.out_dir).name == package.name and r.file_hashes == files]
    if not logged:
        problems.append("the submission log has no package with these files (written by another database, "
                        "or the manifest was changed)")
    if problems:
        print(f"{package.name}: NOT intact", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"{package.name}: intact ({len(files)} files as written; logged as submission {logged[0].id}).")
    return 0


def _record_json(record: Any, again: Any) -> dict[str, Any]:
    resubmission = None if again is None else {
        "of": again.of.id, "added": again.total.added, "changed": again.total.changed,
        "removed": again.total.removed,
        "tables": {name: {"added": c.added, "changed": c.changed, "removed": c.removed}
                   for name, c in again.changes.items() if c.any}}
    return {"id": record.id, "period": record.period, "window": record.window, "resubmission": resubmission,
            "created_at": record.created_at.isoformat(sep=" "), "created_by": record.created_by,
            "out_dir": record.out_dir, "counts": record.counts, "file_hashes": record.file_hashes,
            "validation_summary": record.validation_summary, "forced": record.forced}
