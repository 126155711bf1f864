"""``iapt-desktop validate``: run NHS England's IAPT rules over a month's file (or every stored row).

Exit status: 0 when nothing would reject the file, 1 when something would,
2 when the command could not run (the message says what to fix).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from iapt_desktop.cli.database_access import CommandError, add_database_arguments, open_existing, report_error

FORMATS = ("text", "json", "xlsx")
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
    parser.add_argument("--format", choices=FORMATS, default="text", help="text (default), json or xlsx")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of the terminal")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        if args.format == "xlsx" and args.out is None:
            raise CommandError("An Excel report needs a file: add --out FILE.xlsx.")
        from iapt_desktop.jobs.validate_period import run_to_report, validate_database, validate_period

        db = open_existing(args)
        try:
            steps = validate_database(db) if args.all else validate_period(db, args.period)
            report = run_to_report(steps)
        finally:
            db.close()
        assert report is not None  # not cancellable here
        _write(report, args)
    except (CommandError, OSError) as error:
        report_error(error)
        return EXIT_CANNOT_RUN
    return 1 if report.rejects_file else 0


def _write(report: Any, args: argparse.Namespace) -> None:
    if args.format == "xlsx":
        from iapt_desktop.interchange.findings_workbook import write_findings_workbook

        write_findings_workbook(report, args.out)
        print(f"Wrote {args.out}", file=sys.stderr)
        return
    if args.format == "json":
        text = json.dumps([finding.as_json() for finding in report.findings], indent=2, ensure_ascii=False) + "\n"
    else:
        from iapt_desktop.validation.report_text import render_text

        text = render_text(report)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
        print(f"Wrote {args.out}", file=sys.stderr)
