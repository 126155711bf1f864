"""``iapt-desktop audit``: show, export or check the audit trail (administrators)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from iapt_desktop.cli.database_access import CommandError, add_database_arguments, report_error
from iapt_desktop.cli.output_paths import check_output_file, output_format, write_failure

OUT_FORMATS = ("csv", "xlsx")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "audit", help="show, export (--out) or check (--verify) the audit trail",
        description="Lists the audit trail, writes it to a .csv or .xlsx file, or checks its hash chain. "
                    "Needs an administrator's password.")
    add_database_arguments(parser)
    parser.add_argument("--out", type=Path, metavar="FILE", help="write the trail to FILE (.csv or .xlsx)")
    parser.add_argument("--verify", action="store_true",
                        help="check the hash chain; exit 1 naming the first altered entry")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except CommandError as error:
        return report_error(error)


def _run(args: argparse.Namespace) -> int:
    if args.out is not None:  # before the password is asked for and the trail read
        if output_format(None, args.out, OUT_FORMATS, "") == "":
            raise CommandError(f"Save the audit trail as .csv or .xlsx, not {args.out.suffix or 'without one'}: "
                               f"e.g. --out {args.out.with_suffix('.csv').name}.")
        check_output_file(args.out)
    from iapt_desktop.cli.database_access import open_existing_session
    from iapt_desktop.domain.access import AccessDenied, Action, require
    from iapt_desktop.storage import audit_log
    from iapt_desktop.storage.startup_checks import audit_chain_warning

    with open_existing_session(args) as session:
        try:
            require(session.user, Action.VIEW_AUDIT)
        except AccessDenied as error:
            raise CommandError(str(error)) from None
        status = 0
        if args.verify:
            warning = audit_chain_warning(session.db)
            if warning:
                print(warning, file=sys.stderr)
                status = 1
            else:
                count = session.db.execute("SELECT count(*) FROM app_audit_log").fetchone()[0]
                print(f"The audit trail is whole: {count:,} entries, each following the one before.")
        if args.out is not None:
            from iapt_desktop.cli.job_steps import run_to_end
            from iapt_desktop.jobs.audit_trail_export import audit_export_job

            try:  # the job writes the file on its own connection and records the export
                count = run_to_end(audit_export_job(session.location, session.user, args.out))
            except ValueError as error:
                raise CommandError(str(error)) from None
            except OSError as error:
                raise write_failure(args.out, error) from None
            print(f"{count:,} audit entries written to {args.out}.")
        elif not args.verify:
            for entry in audit_log.read_entries(session.db, session.user):
                changes = ", ".join(sorted(entry.changes)) if entry.changes else ""
                print(f"{entry.id}\t{entry.at}\t{entry.username}\t{entry.action}\t{entry.table_name}\t"
                      f"{entry.record_key}\t{changes}")
        return status
