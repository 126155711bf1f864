"""The audit trail: one row per create, change, delete, import, export, login ...

Each row carries the hash of the row before it (a hash chain), so an edit made
behind the app's back breaks the chain and :func:`verify_chain` finds it.
Rows are only ever appended, inside the caller's transaction.

Reading the trail for people (the audit screen, ``iapt-desktop audit``, an
export of it) goes through :func:`read_entries`, which needs "view and export
the audit trail" (administrators).  :func:`entries` is the unchecked reader for
the app's own checks and tests.  :func:`record_export` is the one entry every
file export writes: what, scope, who, file name and counts, never a value from
a record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain import audit_actions
from iapt_desktop.domain.access import Action, User, require

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    username: str
    action: str
    table_name: str
    record_key: str
    changes: dict[str, Any]
    previous_hash: str
    hash: str


def _entry_hash(previous_hash: str, at: str, username: str, action: str, table_name: str,
                record_key: str, changes_json: str) -> str:
    payload = json.dumps(
        [previous_hash, at, username, action, table_name, record_key, changes_json],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def field_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value differs."""
    old = old or {}
    new = new or {}
    return {
        name: [old.get(name), new.get(name)]
        for name in sorted(set(old) | set(new))
        if old.get(name) != new.get(name)
    }


def append(
    db: Database,
    username: str,
    action: str,
    table_name: str = "",
    record_key: str = "",
    changes: Mapping[str, Any] | None = None,
    *,
    at: dt.datetime | None = None,
) -> str:
    """Append one entry after the current last one; returns its hash."""
    when = (at or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    changes_json = json.dumps(changes or {}, ensure_ascii=False, sort_keys=True, default=str)
    row = db.execute("SELECT hash FROM app_audit_log ORDER BY id DESC LIMIT 1").fetchone()
    previous = row[0] if row else GENESIS_HASH
    digest = _entry_hash(previous, when, username, action, table_name, record_key, changes_json)
    db.execute(
        "INSERT INTO app_audit_log (at, username, action, table_name, record_key, changes, previous_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [when, username, action, table_name, record_key, changes_json, previous, digest],
    )
    return digest


def entries(db: Database, *, after_id: int = 0, limit: int | None = None) -> Iterator[AuditEntry]:
    sql = "SELECT id, at, username, action, table_name, record_key, changes, previous_hash, hash " \
          "FROM app_audit_log WHERE id > ? ORDER BY id"
    params: list[Any] = [after_id]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    for row in db.execute(sql, params):
        yield AuditEntry(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]), row[7], row[8])


def read_entries(db: Database, reader: User, *, after_id: int = 0, limit: int | None = None) -> Iterator[AuditEntry]:
    """The entries for ``reader`` to see or export; raises AccessDenied (before reading) unless they may."""
    require(reader, Action.VIEW_AUDIT)
    return entries(db, after_id=after_id, limit=limit)


def record_export(db: Database, actor: User | str, what: str, scope: str, file_name: str, *,
                  pseudonymised: bool = False, **counts: int) -> str:
    """The audit entry of a file written for people: what, which scope, who, which file, how many rows.

    Only names and counts: no value from any record (``file_name`` is the file's name, not its folder)."""
    username = actor if isinstance(actor, str) else actor.username
    changes: dict[str, Any] = {"what": what, "scope": scope, "file": file_name, "pseudonymised": pseudonymised}
    changes.update(counts)
    with db.atomic():
        return append(db, username, audit_actions.EXPORT, changes=changes)


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int
    reason: str


def verify_chain(db: Database) -> ChainProblem | None:
    """The first entry whose hash or link does not match, or None when the chain is whole."""
    previous = GENESIS_HASH
    for row in db.execute(
        "SELECT id, at, username, action, table_name, record_key, changes, previous_hash, hash "
        "FROM app_audit_log ORDER BY id"
    ):
        entry_id, at, username, action, table_name, record_key, changes_json, previous_hash, digest = row
        if previous_hash != previous:
            return ChainProblem(entry_id, "the entry does not follow the one before it (an entry was removed)")
        if _entry_hash(previous_hash, at, username, action, table_name, record_key, changes_json) != digest:
            return ChainProblem(entry_id, "the entry was changed after it was written")
        previous = digest
    return None
