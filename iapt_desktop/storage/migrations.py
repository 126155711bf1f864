"""Schema migrations, append-only: never edit one that has shipped; add a new one.

Each migration runs in one transaction with the record of it having been
applied (sqlite-utils' ``_sqlite_migrations`` table).  ``PRAGMA user_version``
mirrors the number of applied migrations as the schema version.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from iapt_desktop.storage.schema_app import APP_TABLES_SQL
from iapt_desktop.storage.schema_contact_dates import CONTACT_DATES_SQL
from iapt_desktop.storage.schema_dataset import DATASET_TABLES_SQL
from iapt_desktop.storage.schema_recording import RECORDING_SQL
from iapt_desktop.storage.schema_security import SECURITY_SQL
from iapt_desktop.storage.schema_session import SESSION_TABLES_SQL
from iapt_desktop.storage.schema_submission_log import SUBMISSION_LOG_SQL

MIGRATIONS = Migrations("iapt_desktop")


@MIGRATIONS(name="0001_dataset_tables")
def _dataset_tables(db: Database) -> None:
    _run_script(db, DATASET_TABLES_SQL)


@MIGRATIONS(name="0002_app_tables")
def _app_tables(db: Database) -> None:
    _run_script(db, APP_TABLES_SQL)


@MIGRATIONS(name="0003_security")
def _security(db: Database) -> None:
    _run_script(db, SECURITY_SQL)


@MIGRATIONS(name="0004_submission_log")
def _submission_log(db: Database) -> None:
    _run_script(db, SUBMISSION_LOG_SQL)


@MIGRATIONS(name="0009_session_risk")
def _session_risk(db: Database) -> None:
    _run_script(db, SESSION_TABLES_SQL)


@MIGRATIONS(name="0005_recording")
def _recording(db: Database) -> None:
    _run_script(db, RECORDING_SQL)


@MIGRATIONS(name="0010_contact_dates")
def _contact_dates(db: Database) -> None:
    _run_script(db, CONTACT_DATES_SQL)


def _run_script(db: Database, sql: str) -> None:
    """Run statements one by one (executescript would commit the migration's transaction)."""
    for statement in split_statements(sql):
        db.execute(statement)


def split_statements(sql: str) -> list[str]:
    """Split a script on ';' at the end of a line, keeping trigger bodies whole."""
    statements: list[str] = []
    current: list[str] = []
    depth = 0
    for line in sql.splitlines():
        stripped = line.strip()
        if not stripped and not current:
            continue
        current.append(line)
        upper = stripped.upper()
        if upper.startswith("CREATE TRIGGER"):
            depth += 1
        if depth and upper.startswith("END;"):
            depth -= 1
        if stripped.endswith(";") and depth == 0:
            statements.append("\n".join(current))
            current = []
    if "".join(current).strip():
        statements.append("\n".join(current))
    return statements


def apply_migrations(db: Database) -> None:
    MIGRATIONS.apply(db)
    applied = len(MIGRATIONS.applied(db))
    if db.execute("PRAGMA user_version").fetchone()[0] != applied:
        db.execute(f"PRAGMA user_version = {applied}")


def schema_version(db: Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])
