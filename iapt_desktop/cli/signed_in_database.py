"""The database and the user a command acts as, for commands whose output depends on the user's role.

An encrypted database is unlocked as ``--user`` (default: the first administrator) by
database_access.open_existing_session.  A database made before encryption (or by tests) is opened as it
is: ``--user NAME`` then names an account in it, and without ``--user`` the command acts as the app
itself (no restriction), as the other commands do for such a database.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from iapt_desktop.cli.database_access import CommandError, open_existing, open_existing_session

if TYPE_CHECKING:
    from sqlite_utils import Database

    from iapt_desktop.domain.access import User


def open_signed_in(args: argparse.Namespace) -> tuple[Database, User | None, Callable[[], None]]:
    """(database, user or None, close)."""
    from iapt_desktop.storage.keyfile import keyfile_path

    if not args.db.exists() or keyfile_path(args.db).exists():
        session = open_existing_session(args)
        return session.db, session.user, session.close
    from iapt_desktop.storage.users import get_user

    db = open_existing(args)  # it warns that the file is not encrypted
    if not args.user:
        return db, None, db.close
    user = get_user(db, args.user)
    if user is None:
        db.close()
        raise CommandError(f"There is no active user '{args.user}' in {args.db.name}. Check --user.")
    return db, user, db.close
