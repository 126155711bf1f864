"""``iapt-desktop metrics``: recovery, reliable improvement and waits for a period, as NHS England counts them."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from iapt_desktop.cli.database_access import CommandError, add_database_arguments, open_existing, report_error

FORMATS = ("json", "text", "xlsx")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2025-04-01.") from error


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "metrics",
        help="outcome metrics (recovery, reliable improvement, waits) for a period",
        description="Compute the national NHS Talking Therapies outcome metrics for referrals in a period. "
        "Output holds no identifiable data: referrals appear only by ServiceRequestId.",
    )
    add_database_arguments(parser)
    parser.add_argument("--from", dest="start", type=_date, required=True, metavar="YYYY-MM-DD", help="first day")
    parser.add_argument("--to", dest="end", type=_date, required=True, metavar="YYYY-MM-DD", help="last day")
    parser.add_argument("--format", choices=FORMATS, default="json", help="json (default), text or xlsx")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of the terminal")
    parser.add_argument("--by-counsellor", action="store_true", help="add the per-counsellor breakdown")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        if args.end < args.start:
            raise CommandError(f"--to ({args.end}) is before --from ({args.start}): swap the dates.")
        if args.format == "xlsx" and args.out is None:
            raise CommandError("An Excel report needs a file: add --out FILE.xlsx.")
        from iapt_desktop.jobs.compute_metrics import compute_metrics

        db = open_existing(args)
        try:
            metrics = compute_metrics(db, args.start, args.end)
        finally:
            db.close()
        _write(metrics, args)
    except (CommandError, OSError) as error:
        return report_error(error)
    return 0


def _write(metrics: Any, args: argparse.Namespace) -> None:
    if args.format == "xlsx":
        from iapt_desktop.interchange.metrics_workbook import write_metrics_workbook

        write_metrics_workbook(metrics, args.out, by_counsellor=args.by_counsellor)
        print(f"Wrote {args.out}", file=sys.stderr)
        return
    if args.format == "json":
        text = json.dumps(metrics.as_dict(by_counsellor=args.by_counsellor), indent=2, ensure_ascii=False) + "\n"
    else:
        from iapt_desktop.domain.metrics.text_report import text_report

        text = text_report(metrics, by_counsellor=args.by_counsellor)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
        print(f"Wrote {args.out}", file=sys.stderr)
