"""Opening the database: one SQLite (SQLCipher) file, WAL, synchronous=FULL, foreign keys on.

Every connection the app makes goes through :func:`open_database`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import sqlcipher3

# sqlite-utils catches errors from pysqlite3/sqlite3 only; point the name at
# SQLCipher's driver before sqlite-utils is imported so that its error
# handling sees SQLCipher's exceptions.
sys.modules.setdefault("pysqlite3", sqlcipher3)
sys.modules.setdefault("pysqlite3.dbapi2", sqlcipher3.dbapi2)

from sqlite_utils import Database  # noqa: E402  (must follow the alias above)

DatabaseError = sqlcipher3.DatabaseError
IntegrityError = sqlcipher3.IntegrityError
OperationalError = sqlcipher3.OperationalError


class DatabaseOpenError(Exception):
    """The file could not be opened: wrong password, not a database, or unreadable."""


def connect(path: Path | str, key: bytes | None = None) -> sqlcipher3.Connection:
    """A raw connection with the app's pragmas applied.

    ``key`` is the 32-byte data key of an encrypted database (None: plain file).
    """
    conn = sqlcipher3.connect(str(path), check_same_thread=False, timeout=10)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if key is not None:
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        # Keys are checked lazily: the first read tells a wrong key.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
    except sqlcipher3.DatabaseError as error:
        conn.close()
        raise DatabaseOpenError(_explain_open_error(error, key)) from error
    return conn


def _explain_open_error(error: Exception, key: bytes | None) -> str:
    text = str(error)
    if "not a database" in text or "encrypted" in text:
        if key is None:
            return "The file is encrypted or is not an IAPT Desktop database."
        return "The password is wrong, or the file is not an IAPT Desktop database."
    return f"The database could not be opened: {text}"


def open_database(path: Path | str, key: bytes | None = None, *, migrate: bool = True) -> Database:
    """Open (creating if needed) a database and bring its schema up to date."""
    db = Database(connect(path, key))
    if migrate:
        # Imported here: migrations import the schema modules, which only the
        # opening of a database needs.
        from iapt_desktop.storage.migrations import apply_migrations

        apply_migrations(db)
    return db


@dataclass(frozen=True)
class DatabaseLocation:
    """Where the open database is and how to open it again.

    Background jobs open their own connection with ``location.open()``; the UI
    keeps one connection of its own.  The key never appears in a repr.
    """

    path: Path
    key: bytes | None = field(default=None, repr=False)

    def open(self) -> Database:
        return open_database(self.path, self.key, migrate=False)
