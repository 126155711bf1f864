"""How every CLI command finds and opens its database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlite_utils import Database

from iapt_desktop.storage.database import DatabaseOpenError, open_database


class CommandError(Exception):
    """A problem the user can fix; the message says what and how."""


def add_database_argument(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument("--db", type=Path, required=required, metavar="PATH", help="the database file")


def open_existing(path: Path) -> Database:
    if not path.exists():
        raise CommandError(f"There is no database at {path}. Check the path, or create one with 'demo'.")
    try:
        return open_database(path)
    except DatabaseOpenError as error:
        raise CommandError(str(error)) from error


def open_new(path: Path) -> Database:
    try:
        return open_database(path)
    except DatabaseOpenError as error:
        raise CommandError(str(error)) from error


def report_error(error: Exception) -> int:
    print(f"iapt-desktop: {error}", file=sys.stderr)
    return 1
