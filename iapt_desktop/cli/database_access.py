"""How every CLI command finds, unlocks and opens its database.

Commands call :func:`add_database_arguments` on their parser and then
:func:`open_existing` or :func:`open_new` with the parsed arguments, so that
the password handling lives here alone.

The password comes from ``--password-file FILE`` (its first line) or the
environment variable ``IAPT_DESKTOP_PASSWORD``; the user from ``--user NAME``
(default: the first administrator).  ``demo`` without a password uses
:data:`DEMO_PASSWORD` and says so.  A command holds the database's
single-instance lock while it runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlite_utils import Database

from iapt_desktop.domain.passwords import DEMO_PASSWORD
from iapt_desktop.storage.database import DatabaseOpenError, open_database

if TYPE_CHECKING:
    from iapt_desktop.storage.session import Session

PASSWORD_ENVIRONMENT_VARIABLE = "IAPT_DESKTOP_PASSWORD"  # noqa: S105 (a variable name, not a password)
DEFAULT_ADMIN_USERNAME = "admin"
DEMO_COMMANDS = frozenset({"demo"})


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
    parser.add_argument("--user", metavar="NAME", default=None,
                        help="sign in as this user (default: the first administrator)")


def read_password(args: argparse.Namespace) -> str | None:
    """The password from --password-file or the environment, or None when neither is given."""
    password_file: Path | None = getattr(args, "password_file", None)
    if password_file is not None:
        try:
            text = password_file.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"The password file {password_file} cannot be read: {error.strerror}.") from None
        lines = text.splitlines()
        return lines[0] if lines else ""
    return os.environ.get(PASSWORD_ENVIRONMENT_VARIABLE)


def _is_demo(args: argparse.Namespace) -> bool:
    return getattr(args, "command", None) in DEMO_COMMANDS


def _password_for(args: argparse.Namespace) -> str:
    password = read_password(args)
    if password:
        return password
    if _is_demo(args):
        print(f"iapt-desktop: no password given; using the demo password '{DEMO_PASSWORD}' "
              "(synthetic data only: never put real patients in this database).", file=sys.stderr)
        return DEMO_PASSWORD
    raise CommandError(
        f"The database password is needed: put it in a file and pass --password-file FILE, or set the "
        f"environment variable {PASSWORD_ENVIRONMENT_VARIABLE}. (Databases made by 'demo' without a password use "
        f"the demo password '{DEMO_PASSWORD}'.)")


def _hold_lock_while_open(session: Session) -> Database:
    """The session's connection; the single-instance lock goes when the connection object does."""
    return session.lock_until_connection_goes()


def open_existing_session(args: argparse.Namespace) -> Session:
    """Unlock the existing database named by ``--db`` as ``--user`` (or the first administrator)."""
    from iapt_desktop.storage import keyfile
    from iapt_desktop.storage.instance_lock import DatabaseInUse
    from iapt_desktop.storage.session import UnlockError, WrongPassword, unlock

    path: Path = args.db
    if not path.exists():
        raise CommandError(f"There is no database at {path}. Check the path, or create one with 'demo'.")
    password = _password_for(args)
    username = getattr(args, "user", None) or _first_administrator_name(path)
    try:
        return unlock(path, username, password)
    except WrongPassword:
        raise CommandError(
            f"The password is wrong for user '{username}' of {path.name} (or there is no such user). Check "
            f"--password-file or {PASSWORD_ENVIRONMENT_VARIABLE}, and --user.") from None
    except (UnlockError, DatabaseInUse, keyfile.KeyFileError) as error:
        raise CommandError(str(error)) from None


def _first_administrator_name(path: Path) -> str:
    """The key file lists users and roles (not names of people): the first administrator there."""
    from iapt_desktop.storage import keyfile

    try:
        keys = keyfile.read_keyfile(path)
    except keyfile.KeyFileError as error:
        raise CommandError(str(error)) from None
    administrators = sorted(name for name, entry in keys.users.items() if entry.role == "administrator")
    if not administrators:
        raise CommandError(f"{path.name} has no administrator; pass --user NAME.")
    return DEFAULT_ADMIN_USERNAME if DEFAULT_ADMIN_USERNAME in administrators else administrators[0]


def open_existing(args: argparse.Namespace) -> Database:
    path: Path = args.db
    if not path.exists():
        raise CommandError(f"There is no database at {path}. Check the path, or create one with 'demo'.")
    from iapt_desktop.storage import keyfile

    if not keyfile.keyfile_path(path).exists():
        return _open_unencrypted(path)
    return _hold_lock_while_open(open_existing_session(args))


def _open_unencrypted(path: Path) -> Database:
    """A database made before encryption (or by tests): opened as it is, with a warning."""
    try:
        db = open_database(path)
    except DatabaseOpenError:
        from iapt_desktop.storage import keyfile

        raise CommandError(
            f"{path.name} is encrypted but its key file {keyfile.keyfile_path(path).name} is missing from beside "
            "it. Put the key file back (every backup folder holds a copy).") from None
    print(f"iapt-desktop: warning: {path.name} is not encrypted.", file=sys.stderr)
    return db


def open_new_session(args: argparse.Namespace) -> tuple[Session, str]:
    """Create an encrypted database at ``--db``; returns the session and the recovery key."""
    from iapt_desktop.storage import keyfile
    from iapt_desktop.storage.instance_lock import DatabaseInUse
    from iapt_desktop.storage.session import PasswordRejected, UnlockError, create_database
    from iapt_desktop.storage.users import UserManagementError

    path: Path = args.db
    if not path.exists():
        from iapt_desktop.cli.output_paths import check_output_file

        check_output_file(path, option="--db")  # a missing folder is named, before any password is asked
    if path.exists() and path.stat().st_size == 0 and not keyfile.keyfile_path(path).exists():
        path.unlink()  # an empty file (e.g. made by a file dialog) holds nothing
    orphan = keyfile.keyfile_path(path)
    if not path.exists() and orphan.exists():
        orphan.rename(orphan.with_name(f"{orphan.name}.orphaned-{dt.datetime.now():%Y%m%d-%H%M%S}"))
    password = _password_for(args)
    username = getattr(args, "user", None) or DEFAULT_ADMIN_USERNAME
    try:
        session, recovery_key = create_database(path, username, "Administrator", password)
    except PasswordRejected as error:
        raise CommandError(f"The password cannot be used: {error}") from None
    except (UnlockError, UserManagementError, DatabaseInUse) as error:
        raise CommandError(str(error)) from None
    if password != DEMO_PASSWORD:
        print(f"iapt-desktop: created {path.name}, encrypted, with administrator '{username}'.\n"
              f"Recovery key (write it down and keep it safe; it is shown only once): {recovery_key}",
              file=sys.stderr)
    return session, recovery_key


def open_new(args: argparse.Namespace) -> Database:
    session, _recovery_key = open_new_session(args)
    return _hold_lock_while_open(session)


def report_error(error: Exception) -> int:
    print(f"iapt-desktop: {error}", file=sys.stderr)
    return 1
