"""``iapt-desktop metrics``: recovery, reliable improvement and waits for a period, as NHS England counts them.

The role rules are the dashboard's (jobs.metrics_reports): every role may see the figures; a user who may not
view every caseload (a counsellor) gets only their own row of ``--by-counsellor`` and their own referrals in
the JSON; writing a file (``--out``, and so ``--format xlsx``) needs "export data" (an administrator).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from iapt_desktop.cli.database_access import CommandError, add_database_arguments, report_error
from iapt_desktop.cli.output_paths import check_output_file, output_format, writing_to
from iapt_desktop.cli.pseudonym_options import add_pseudonym_arguments, pseudonym_key

FORMATS = ("json", "text", "xlsx")
DEFAULT_FORMAT = "json"


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
        "Output holds no patient's details: referrals appear only by ServiceRequestId (pseudonymised with "
        "--pseudonymise). A counsellor sees only their own counsellor row and referrals; writing a file "
        "(--out) needs an administrator.",
    )
    add_database_arguments(parser)
    parser.add_argument("--from", dest="start", type=_date, required=True, metavar="YYYY-MM-DD", help="first day")
    parser.add_argument("--to", dest="end", type=_date, required=True, metavar="YYYY-MM-DD", help="last day")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="json, text or xlsx (default: from the --out file's extension, else json)")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of the terminal")
    parser.add_argument("--by-counsellor", action="store_true", help="add the per-counsellor breakdown")
    add_pseudonym_arguments(parser, "ServiceRequestIds, staff ids and counsellors' names")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from iapt_desktop.domain.access import AccessDenied

    try:
        if args.end < args.start:
            raise CommandError(f"--to ({args.end}) is before --from ({args.start}): swap the dates.")
        chosen = output_format(args.format, args.out, FORMATS, DEFAULT_FORMAT)
        if chosen == "xlsx" and args.out is None:
            raise CommandError("An Excel report needs a file: add --out FILE.xlsx.")
        if args.out is not None:
            check_output_file(args.out)
        key = pseudonym_key(args)
        from iapt_desktop.cli.signed_in_database import open_signed_in
        from iapt_desktop.jobs.compute_metrics import compute_metrics
        from iapt_desktop.jobs.metrics_reports import require_metrics_export

        db, user, close = open_signed_in(args)
        try:
            if args.out is not None:
                require_metrics_export(user)  # before the work, not after it
            metrics = compute_metrics(db, args.start, args.end, actor=user)
            _write(metrics, args, chosen, user, key, db)  # while open: a file written is audited
        finally:
            close()
    except AccessDenied as error:
        return report_error(CommandError(f"{error} (Without --out the figures you may see are printed.)"
                                         if args.out is not None else str(error)))
    except CommandError as error:
        return report_error(error)
    return 0


def _write(metrics: Any, args: argparse.Namespace, chosen: str, user: Any, key: bytes | None, db: Any) -> None:
    from iapt_desktop.jobs.export_audit import audited, metrics_scope
    from iapt_desktop.jobs.metrics_reports import export_metrics_workbook_steps, metrics_text, sees_every_caseload

    scope = metrics_scope(args.start, args.end, by_counsellor=args.by_counsellor,
                          own_only=not sees_every_caseload(user))
    if chosen == "xlsx":
        steps = audited(export_metrics_workbook_steps(metrics, args.out, actor=user, by_counsellor=args.by_counsellor,
                                                      pseudonymise_key=key),
                        db, user, "outcome metrics", scope, pseudonymised=key is not None)
        with writing_to(args.out):
            for _progress in steps:
                pass
        print(f"Wrote {args.out}" + (" (pseudonymised)" if key else ""), file=sys.stderr)
        return
    text = metrics_text(metrics, chosen, actor=user, by_counsellor=args.by_counsellor,
                        to_file=args.out is not None, pseudonymise_key=key)
    if args.out is None:
        sys.stdout.write(text)
        return
    from iapt_desktop.domain.access import SYSTEM_USER
    from iapt_desktop.interchange.private_files import write_private_text
    from iapt_desktop.storage import audit_log

    with writing_to(args.out):
        write_private_text(args.out, text)
    audit_log.record_export(db, user or SYSTEM_USER, "outcome metrics", scope, args.out.name,
                            pseudonymised=key is not None)
    print(f"Wrote {args.out}" + (" (pseudonymised)" if key else ""), file=sys.stderr)
