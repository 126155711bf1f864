"""``iapt-desktop validate``: run NHS England's IAPT rules over a month's file (or every stored row).

Exit status: 0 when nothing would reject the file, 1 when something would,
2 when the command could not run (the message says what to fix).

The role rules are the validation panel's (jobs.findings_export): every role may check; a counsellor sees
the findings without the values at fault; writing a file (``--out``) needs "export data" and is recorded
in the audit trail; ``--pseudonymise`` replaces record keys and identifying values.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from iapt_desktop.cli.database_access import CommandError, add_database_arguments, report_error
from iapt_desktop.cli.output_paths import check_output_file, output_format, writing_to
from iapt_desktop.cli.pseudonym_options import add_pseudonym_arguments, pseudonym_key

FORMATS = ("text", "json", "xlsx")
DEFAULT_FORMAT = "text"
EXIT_CANNOT_RUN = 2


def _period(text: str) -> Any:
    from iapt_desktop.domain.reporting_period import ReportingPeriod

    try:
        return ReportingPeriod.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check a month's submission (or the whole database) against the national IAPT rules",
        description="Run NHS England's IAPT validation rules (rule ids and severities as in the SDCS data "
        "quality report) over the rows the month's file would carry, or over every stored row with --all. "
        "Exit status 1 when anything would reject the whole file.",
    )
    add_database_arguments(parser)
    scope = parser.add_mutually_exclusive_group(required=True)
    scope.add_argument("--period", type=_period, metavar="YYYY-MM", help="the reporting period (month)")
    scope.add_argument("--all", action="store_true", help="check every stored row instead of one month's file")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="text, json or xlsx (default: from the --out file's extension, else text)")
    parser.add_argument("--out", type=Path, metavar="FILE",
                        help="write to FILE instead of the terminal (needs an administrator)")
    add_pseudonym_arguments(parser, "record keys, NHS numbers, postcodes, dates of birth and local ids")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from iapt_desktop.domain.access import SYSTEM_USER, AccessDenied, Action

    try:
        chosen = output_format(args.format, args.out, FORMATS, DEFAULT_FORMAT)
        if chosen == "xlsx" and args.out is None:
            raise CommandError("An Excel report needs a file: add --out FILE.xlsx.")
        if args.out is not None:
            check_output_file(args.out)
        key = pseudonym_key(args)
        from iapt_desktop.cli.signed_in_database import open_signed_in
        from iapt_desktop.jobs.findings_export import require_findings_export
        from iapt_desktop.jobs.validate_period import run_to_report, validate_database, validate_period

        db, user, close = open_signed_in(args)
        try:
            if args.out is not None:
                require_findings_export(user)  # before the work, not after it
            actor = user or SYSTEM_USER  # None: a database without users (the app itself)
            steps = (validate_database(db, actor=actor) if args.all
                     else validate_period(db, args.period, actor=actor))
            report = run_to_report(steps)
            assert report is not None  # not cancellable here
            if not actor.can(Action.VIEW_ALL_CASELOADS):
                print(f"iapt-desktop: {actor.display_name}'s own caseload only: the rows of the referrals "
                      "they hold and of those patients.", file=sys.stderr)
            _write(db, report, args, chosen, user, key)
        finally:
            close()
    except AccessDenied as error:
        report_error(CommandError(f"{error} (Without --out the findings you may see are printed.)"))
        return EXIT_CANNOT_RUN
    except CommandError as error:
        report_error(error)
        return EXIT_CANNOT_RUN
    return 1 if report.rejects_file else 0


def _write(db: Any, report: Any, args: argparse.Namespace, chosen: str, user: Any, key: bytes | None) -> None:
    from iapt_desktop.jobs.findings_export import findings_text, write_findings_file

    if args.out is None:
        sys.stdout.write(findings_text(report, chosen, actor=user, pseudonymise_key=key))
        return
    with writing_to(args.out):
        written = write_findings_file(report, args.out, chosen, actor=user, pseudonymise_key=key)
    if user is not None:
        from iapt_desktop.storage import audit_log

        audit_log.record_export(db, user, "validation findings", report.scope, written.name,
                                pseudonymised=key is not None, rows=len(report.findings))
    print(f"Wrote {written}" + (" (pseudonymised)" if key else ""), file=sys.stderr)
