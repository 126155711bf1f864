"""``iapt-desktop backup``: make, list, check or restore encrypted backups (administrators)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from iapt_desktop.cli.database_access import CommandError, add_database_arguments, report_error


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "backup", help="make an encrypted backup now, or --list, --verify or --restore backups",
        description="Backups go to the 'backups' folder beside the database, each with a copy of the key file; "
                    "the newest 14 are kept. Needs an administrator's password.")
    add_database_arguments(parser)
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--list", action="store_true", help="list the backups, newest first")
    action.add_argument("--verify", action="store_true", help="open every backup and check every page")
    action.add_argument("--restore", type=Path, metavar="BACKUP",
                        help="replace the database by BACKUP (the current file is backed up first)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except CommandError as error:
        return report_error(error)


def _run(args: argparse.Namespace) -> int:
    from iapt_desktop.cli.database_access import open_existing_session
    from iapt_desktop.cli.job_steps import run_to_end
    from iapt_desktop.domain.access import AccessDenied, Action, require
    from iapt_desktop.jobs.backup_jobs import backup_job
    from iapt_desktop.storage import backups

    session = open_existing_session(args)
    try:
        try:
            require(session.user, Action.BACKUP)
        except AccessDenied as error:
            raise CommandError(str(error)) from None
        path, key, username = session.path, session.location.key, session.user.username
        location, user = session.location, session.user
        if args.list:
            for backup in backups.list_backups(path):
                print(f"{backup}\t{backup.stat().st_size:,} bytes")
            return 0
        if args.verify:
            return _verify_all(path, key)
        if args.restore is None:
            try:
                made = run_to_end(backup_job(location, user))  # the job makes and records the backup
            except backups.BackupError as error:
                raise CommandError(str(error)) from None
            print(f"Backup written to {made}")
            return 0
    finally:
        session.close()
    return _restore(args, path, key, username)


def _verify_all(path: Path, key: bytes | None) -> int:
    from iapt_desktop.cli.job_steps import run_to_end
    from iapt_desktop.jobs.backup_jobs import verify_job
    from iapt_desktop.storage import backups

    outcome = run_to_end(verify_job(path, key))
    if not outcome.total:
        print("There are no backups yet.", file=sys.stderr)
        return 1
    folder = backups.backups_dir(path)
    for name, problems in outcome.checked:
        if problems:
            print(f"DAMAGED\t{folder / name}\t{'; '.join(problems[:3])}")
        else:
            print(f"ok\t{folder / name}")
    bad = len(outcome.damaged)
    print(f"{outcome.total - bad} of {outcome.total} backups are sound.", file=sys.stderr)
    return 1 if bad else 0


def _restore(args: argparse.Namespace, path: Path, key: bytes | None, username: str) -> int:
    from iapt_desktop.cli.database_access import open_existing_session
    from iapt_desktop.domain import audit_actions
    from iapt_desktop.storage import audit_log, backups
    from iapt_desktop.storage.instance_lock import DatabaseInUse

    try:
        safety = backups.restore_backup(path, key, args.restore)
    except (backups.BackupError, DatabaseInUse, OSError) as error:
        raise CommandError(f"Nothing was restored. {error}") from None
    with open_existing_session(args) as session:
        audit_log.append(session.db, username, audit_actions.RESTORE, "", args.restore.name,
                         {"previous_file_kept_as": safety.name})
    print(f"Restored {args.restore.name}. The file it replaced was kept as {safety}.")
    return 0
