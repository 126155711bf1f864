"""``iapt-desktop demo``: create a database holding a realistic synthetic provider.

The data is fictional throughout (NHS numbers from the 999 test range,
made-up names, postcodes and organisation codes) and deterministic for a seed
and date.  With ``--with-faults`` it also plants a documented list of faults
for the validation checks to find, and prints where they are.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING

from iapt_desktop.cli.database_access import CommandError, add_database_arguments, report_error

if TYPE_CHECKING:
    from iapt_desktop.storage.session import Session

PROGRESS_STEPS = 10  # progress lines printed at most


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from iapt_desktop.domain.demo_rows import DEFAULT_MONTHS, DEFAULT_PATIENTS, DEFAULT_SEED

    parser = subparsers.add_parser(
        "demo",
        help="create a database with a synthetic demo provider",
        description="Create a new database filled with a synthetic (fictional) provider: patients, referrals, "
        "appointments, outcome scores and staff, covering whole months up to the end of last month. "
        "Refuses a database that already holds records.",
    )
    add_database_arguments(parser)
    parser.add_argument("--patients", type=int, default=DEFAULT_PATIENTS, metavar="N",
                        help=f"number of patients (default {DEFAULT_PATIENTS})")
    parser.add_argument("--months", type=int, default=DEFAULT_MONTHS, metavar="M",
                        help=f"months of activity, ending last month (default {DEFAULT_MONTHS})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S",
                        help=f"random seed: the same seed and day give the same data (default {DEFAULT_SEED})")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                        help="the day to treat as today (default: today)")
    parser.add_argument("--with-faults", action="store_true",
                        help="plant a documented list of validation faults and print where they are")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except CommandError as error:
        return report_error(error)


def _run(args: argparse.Namespace) -> int:
    from iapt_desktop.cli.database_access import open_existing, open_new_session, read_password
    from iapt_desktop.domain.demo_rows import DemoOptions
    from iapt_desktop.domain.passwords import DEMO_PASSWORD
    from iapt_desktop.jobs.demo_service import DemoRefused, generate_demo, holds_records

    options = DemoOptions(as_of=args.as_of or dt.date.today(), patients=args.patients, months=args.months,
                          seed=args.seed, with_faults=args.with_faults)
    problems = options.problems()
    if problems:
        raise CommandError(" ".join(problems))
    exists = args.db.exists() and args.db.stat().st_size > 0
    session = None
    if exists:
        db = open_existing(args)
    else:
        session, _recovery_key = open_new_session(args)
        db = session.db
    try:
        if holds_records(db):
            raise CommandError(f"{args.db} already holds records; the demo never overwrites data. "
                               "Choose a new file name.")
        window = options.window
        print(f"Generating {options.patients:,} patients, {window.start:%B %Y} to {window.end:%B %Y}, "
              f"seed {options.seed} ...", file=sys.stderr)
        result = None
        next_report = options.patients / PROGRESS_STEPS
        for progress in generate_demo(db, options):
            if progress.result is not None:
                result = progress.result
            elif progress.done >= next_report:
                print(f"  {progress.message}", file=sys.stderr)
                while next_report <= progress.done:
                    next_report += options.patients / PROGRESS_STEPS
        accounts = _counsellor_accounts(session, read_password(args) or DEMO_PASSWORD) if session else []
    except DemoRefused as error:
        raise CommandError(str(error)) from error
    finally:
        if session is not None:
            session.close()
        else:
            db.close()
    assert result is not None
    print(f"Demo database written to {args.db}: {result.patients:,} patients, "
          f"{result.rows_by_table.get('IDS101Referral', 0):,} referrals, "
          f"{result.rows_by_table.get('IDS201CareContact', 0):,} appointments.")
    if accounts:
        print(f"Sign-in accounts: admin (administrator) and counsellors {', '.join(accounts)}, "
              "all with the same password as the database.")
    if result.planted:
        print(f"Planted faults ({len(result.planted)}):")
        for fault in result.planted:
            print(f"  {fault.rule_id:<10} {fault.table:<31} {fault.key_column}={fault.key:<10} {fault.description}")
    return 0


def _counsellor_accounts(session: Session, password: str) -> list[str]:
    """A sign-in account for every counsellor on the demo staff list, so each caseload can be tried."""
    from iapt_desktop.domain.access import Role
    from iapt_desktop.storage.users import add_user

    names = []
    for staff_id, display_name in session.db.execute(
        "SELECT CarePersLocalId, display_name FROM app_care_personnel WHERE active = 1 ORDER BY CarePersLocalId"
    ).fetchall():
        username = ".".join(display_name.lower().split())
        add_user(session, username, display_name, Role.COUNSELLOR, password, staff_id, must_change_password=False)
        names.append(username)
    return names
