"""How every CLI command finds and opens its database.

Commands call :func:`add_database_arguments` on their parser and then
:func:`open_existing` or :func:`open_new` with the parsed arguments, so that
the password handling lives here alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlite_utils import Database

from iapt_desktop.storage.database import DatabaseOpenError, open_database

PASSWORD_ENVIRONMENT_VARIABLE = "IAPT_DESKTOP_PASSWORD"  # noqa: S105 (a variable name, not a password)


class CommandError(Exception):
    """A problem the user can fix; the message says what and how."""


def add_database_arguments(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument("--db", type=Path, required=required, metavar="PATH", help="the database file")
    parser.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help=f"read the database password from FILE (or set {PASSWORD_ENVIRONMENT_VARIABLE})",
    )


def open_existing(args: argparse.Namespace) -> Database:
    path: Path = args.db
    if not path.exists():
        raise CommandError(f"There is no database at {path}. Check the path, or create one with 'demo'.")
    try:
        return open_database(path)
    except DatabaseOpenError as error:
        raise CommandError(str(error)) from error


def open_new(args: argparse.Namespace) -> Database:
    try:
        return open_database(args.db)
    except DatabaseOpenError as error:
        raise CommandError(str(error)) from error


def report_error(error: Exception) -> int:
    print(f"iapt-desktop: {error}", file=sys.stderr)
    return 1
