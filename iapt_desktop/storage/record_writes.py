"""Every change to a record goes through here: permission check, one transaction, audit entry.

``save_row`` inserts or updates one row of a data set table or an app table;
``delete_row`` removes one (the database cascades to its children) and returns
a snapshot from which ``restore_rows`` can undo the delete.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.access import Action, User, require
from iapt_desktop.domain.dataset import ROW_ID, tables
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.record_access import require_record_access
from iapt_desktop.storage.write_errors import explained_write_errors

# Key column of each app table that records are saved through.
APP_TABLE_KEYS: dict[str, str] = {
    "app_patient": "LocalPatientId",
    "app_referral": "ServiceRequestId",
    "app_care_personnel": "CarePersLocalId",
    "app_questionnaire_answer": ROW_ID,
    "app_user": "username",
}

Key = str | int

# App rows that belong to a data set row and go (and come back) with it.
_APP_ROWS_FOLLOWING = (
    ("app_patient", "IDS001MPI", "LocalPatientId"),
    ("app_referral", "IDS101Referral", "ServiceRequestId"),
    ("app_incomplete_answer", "IDS202CareActivity", "CareActId"),
)


def key_column(table: str) -> str:
    if table in APP_TABLE_KEYS:
        return APP_TABLE_KEYS[table]
    try:
        return tables()[table].storage_key
    except KeyError:
        raise KeyError(f"{table!r} is not a table records are saved to") from None


def _columns(db: Database, table: str) -> set[str]:
    return {c.name for c in db.table(table).columns}


def get_row(db: Database, table: str, key: Key) -> dict[str, Any] | None:
    cursor = db.execute(f"SELECT * FROM [{table}] WHERE [{key_column(table)}] = ?", [key])
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def save_row(db: Database, actor: User, table: str, values: Mapping[str, Any], *, key: Key | None = None) -> Key:
    """Insert (``key`` None) or update the row with ``key``; returns the row's key.

    Unknown columns are refused. The change and its audit entry commit together
    or not at all.
    """
    column = key_column(table)
    unknown = set(values) - _columns(db, table)
    if unknown:
        raise KeyError(f"{table} has no column(s) {', '.join(sorted(unknown))}")
    with explained_write_errors(), db.atomic():
        if key is None:
            require(actor, Action.CREATE_RECORD)
            require_record_access(db, actor, table, None, values)
            names = list(values)
            db.execute(
                f"INSERT INTO [{table}] ({', '.join(f'[{n}]' for n in names)}) "
                f"VALUES ({', '.join('?' for _ in names)})",
                [values[n] for n in names],
            )
            new_key: Key = values[column] if column in values else int(
                db.execute("SELECT last_insert_rowid()").fetchone()[0]
            )
            audit_log.append(db, actor.username, "create", table, str(new_key),
                             audit_log.field_changes(None, values))
            return new_key
        require(actor, Action.EDIT_RECORD)
        require_record_access(db, actor, table, key, values)
        old = get_row(db, table, key)
        if old is None:
            raise LookupError(f"{table} has no row {key!r}; it may have been deleted meanwhile.")
        changes = audit_log.field_changes({k: old.get(k) for k in values}, values)
        if changes:
            assignments = ", ".join(f"[{n}] = ?" for n in values)
            db.execute(f"UPDATE [{table}] SET {assignments} WHERE [{column}] = ?", [*values.values(), key])
            audit_log.append(db, actor.username, "change", table, str(key), changes)
        return values.get(column, key)


def _snapshot(db: Database, table: str, key: Key) -> dict[str, list[dict[str, Any]]]:
    """The row and every row below it in the data set hierarchy, parents first."""
    snapshot: dict[str, list[dict[str, Any]]] = {}
    row = get_row(db, table, key)
    if row is None:
        return snapshot
    snapshot[table] = [row]
    pending = [(table, row)]
    while pending:
        parent_table, parent_row = pending.pop(0)
        for child in tables().values():
            if child.parent != parent_table or child.parent_column is None:
                continue
            cursor = db.execute(
                f"SELECT * FROM [{child.name}] WHERE [{child.parent_column}] = ?",
                [parent_row[child.parent_column]],
            )
            names = [d[0] for d in cursor.description]
            for child_row in cursor.fetchall():
                record = dict(zip(names, child_row, strict=True))
                snapshot.setdefault(child.name, []).append(record)
                pending.append((child.name, record))
    for app_table, owner, column in _APP_ROWS_FOLLOWING:
        for owner_row in snapshot.get(owner, []):
            cursor = db.execute(f"SELECT * FROM [{app_table}] WHERE [{column}] = ?", [owner_row[column]])
            names = [d[0] for d in cursor.description]
            snapshot.setdefault(app_table, []).extend(
                dict(zip(names, found, strict=True)) for found in cursor.fetchall()
            )
    for score_table in ("IDS606CodedScoreAssessmentRefer", "IDS607CodedScoreAssessmentAct"):
        for score_row in snapshot.get(score_table, []):
            cursor = db.execute(
                "SELECT * FROM app_questionnaire_answer WHERE score_table = ? AND score_row_id = ?",
                [score_table, score_row[ROW_ID]],
            )
            names = [d[0] for d in cursor.description]
            snapshot.setdefault("app_questionnaire_answer", []).extend(
                dict(zip(names, answer, strict=True)) for answer in cursor.fetchall()
            )
    return snapshot


def delete_row(db: Database, actor: User, table: str, key: Key) -> dict[str, list[dict[str, Any]]]:
    """Delete a row (and, by cascade, its children); returns what was deleted, for undo."""
    require(actor, Action.DELETE_RECORD)
    require_record_access(db, actor, table, key)
    with explained_write_errors(), db.atomic():
        snapshot = _snapshot(db, table, key)
        if not snapshot:
            raise LookupError(f"{table} has no row {key!r}; it may have been deleted already.")
        db.execute(f"DELETE FROM [{table}] WHERE [{key_column(table)}] = ?", [key])
        audit_log.append(db, actor.username, "delete", table, str(key),
                         {"deleted_rows": {name: len(rows) for name, rows in snapshot.items()}})
    return snapshot


def restore_rows(db: Database, actor: User, snapshot: Mapping[str, list[Mapping[str, Any]]]) -> None:
    """Undo a delete: put back every row of a snapshot from :func:`delete_row`."""
    require(actor, Action.CREATE_RECORD)
    top = next(iter(snapshot), None)
    if top is not None:
        require_record_access(db, actor, top, None, snapshot[top][0])
    order = [name for name in tables() if name in snapshot] + [
        name for name in ("app_patient", "app_referral", "app_questionnaire_answer", "app_incomplete_answer")
        if snapshot.get(name)
    ]
    with explained_write_errors(), db.atomic():
        for name in order:
            for row in snapshot[name]:
                writable = {k: v for k, v in row.items() if k != "search_name"}
                names = list(writable)
                db.execute(
                    f"INSERT INTO [{name}] ({', '.join(f'[{n}]' for n in names)}) "
                    f"VALUES ({', '.join('?' for _ in names)})",
                    [writable[n] for n in names],
                )
        first = next(iter(snapshot))
        audit_log.append(db, actor.username, "undo delete", first,
                         str(snapshot[first][0].get(key_column(first), "")),
                         {"restored_rows": {n: len(r) for n, r in snapshot.items()}})
