"""Checks made each time a database is opened, with messages for the administrator."""

from __future__ import annotations

from sqlite_utils import Database

from iapt_desktop.domain import audit_actions
from iapt_desktop.storage import audit_log


def audit_chain_warning(db: Database) -> str | None:
    """A message naming the first altered audit entry, or None when the chain is whole."""
    problem = audit_log.verify_chain(db)
    if problem is None:
        return None
    row = db.execute("SELECT at, username, action FROM app_audit_log WHERE id = ?", [problem.entry_id]).fetchone()
    detail = f" (written {row[0]} by {row[1]}, action '{row[2]}')" if row else ""
    return (
        f"The audit trail has been altered outside IAPT Desktop: entry {problem.entry_id}{detail} fails its "
        f"check, because {problem.reason}. Entries from that one on cannot be trusted. Keep a copy of the "
        "database and its backups as they are, and find out who had access to the file; a backup from before "
        "that date can be restored."
    )


def verify_at_startup(db: Database, username: str) -> list[str]:
    """Warnings to show the signed-in administrator (empty when all is well); each is also audited."""
    warnings: list[str] = []
    chain = audit_chain_warning(db)
    if chain is not None:
        problem = audit_log.verify_chain(db)
        already = db.execute("SELECT 1 FROM app_audit_log WHERE action = ? AND record_key = ?",
                             [audit_actions.AUDIT_CHAIN_BROKEN, str(problem.entry_id if problem else "")]).fetchone()
        if not already and problem is not None:
            audit_log.append(db, username, audit_actions.AUDIT_CHAIN_BROKEN, "app_audit_log", str(problem.entry_id))
        warnings.append(chain)
    return warnings
