"""The audit trail: one row per create, change, delete, import, export, login ...

Each row carries the hash of the row before it (a hash chain), so an edit made
behind the app's back breaks the chain and :func:`verify_chain` finds it.
Rows are only ever appended, inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

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
