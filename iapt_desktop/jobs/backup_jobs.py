"""Backups as jobs: make one, check them all, restore one into the open database (storage/backups.py).

Each is a generator yielding :class:`JobStep` (what it is doing, done of total) for ui.workers.run_job
and the ``backup`` command, and opens its own connection from a DatabaseLocation (SQLCipher: one
connection per thread, with the session's key).  Each takes a ``cancel`` event, honoured at safe points:

- making a backup: between page steps; the pages go to a hidden partial file renamed into place at the
  end, so a stopped backup leaves no backup file;
- checking: between backups and inside a check (SQLite is interrupted); the result says what was checked;
- restoring: until the pages start being copied into the open database (the step says ``may_stop=False``
  from then on, and the copy, migrations and audit entry always finish).
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

from iapt_desktop.domain import audit_actions
from iapt_desktop.domain.access import Action, User, require
from iapt_desktop.jobs.reported_work import Reporter, reported_steps
from iapt_desktop.storage import audit_log, backups
from iapt_desktop.storage.backups import OperationCancelled
from iapt_desktop.storage.database import DatabaseLocation

BACKING_UP = "Copying pages into the backup"
CHECKING = "Checking backups"


@dataclass(frozen=True)
class JobStep:
    stage: str
    done: int
    total: int
    may_stop: bool = True
    detail: str = ""

    @property
    def percent(self) -> int:
        return 100 if self.total <= 0 else min(100, self.done * 100 // self.total)


@dataclass
class VerifyOutcome:
    """The checks made: each backup's name with its problems (empty: sound); ``stopped`` when cancelled."""

    total: int
    checked: list[tuple[str, list[str]]] = field(default_factory=list)
    stopped: bool = False

    @property
    def damaged(self) -> list[str]:
        return [name for name, problems in self.checked if problems]

    def summary(self) -> str:
        if self.total == 0:
            return "There are no backups yet."
        damaged = self.damaged
        found = (f"{len(damaged)} damaged: {', '.join(damaged)}. Delete them and make a new backup."
                 if damaged else "all sound.")
        if self.stopped and not self.checked:
            return "Checking stopped before any backup was checked."
        if self.stopped:
            return f"Checking stopped after {len(self.checked)} of {self.total} backups; of those checked, {found}"
        if damaged:
            return f"{len(damaged)} of {self.total} backups are damaged: {', '.join(damaged)}. " \
                   "Delete them and make a new backup."
        return f"All {self.total} backups are sound."


def backup_job(location: DatabaseLocation, actor: User, cancel: threading.Event | None = None,
               ) -> Generator[JobStep, None, Path]:
    """Make a backup of the database at ``location`` and record it in the audit trail; returns its path."""
    require(actor, Action.BACKUP)

    def work(reporter: Reporter) -> Path:
        db = location.open()
        try:
            made = backups.create_backup(
                db, location.path, location.key, actor=actor,
                progress=lambda done, total: reporter.report(JobStep(BACKING_UP, done, total)))
            audit_log.append(db, actor.username, audit_actions.BACKUP, "", made.name)
            return made
        finally:
            db.close()

    return (yield from reported_steps(work, cancel))


def verify_job(database_path: Path | str, key: bytes | None, cancel: threading.Event | None = None,
               ) -> Generator[JobStep, None, VerifyOutcome]:
    """Check every backup of the database, page by page; a stop returns what was checked so far."""
    cancel = cancel or threading.Event()
    found = backups.list_backups(database_path)
    outcome = VerifyOutcome(len(found))
    yield JobStep(CHECKING, 0, len(found))
    for number, backup in enumerate(found, start=1):
        if cancel.is_set():
            outcome.stopped = True
            return outcome
        try:
            problems = backups.verify_backup(backup, key, cancel.is_set)
        except OperationCancelled:
            outcome.stopped = True
            return outcome
        outcome.checked.append((backup.name, problems))
        yield JobStep(CHECKING, number, len(found), detail=backup.name)
    return outcome


def restore_job(location: DatabaseLocation, backup_path: Path, actor: User, cancel: threading.Event | None = None,
                ) -> Generator[JobStep, None, Path]:
    """Restore ``backup_path`` into the open database at ``location``; returns the before-restore backup."""
    require(actor, Action.BACKUP)

    def work(reporter: Reporter) -> Path:
        db = location.open()
        try:
            def progress(stage: str, done: int, total: int) -> None:
                copying = stage == backups.RESTORE_COPYING
                reporter.report(JobStep(stage, done, total, may_stop=not copying), may_stop=not copying)

            return backups.restore_into_open_database(db, location.path, location.key, backup_path, actor,
                                                      progress=progress, cancelled=reporter.cancel.is_set)
        finally:
            db.close()

    return (yield from reported_steps(work, cancel))
