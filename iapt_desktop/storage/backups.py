"""Encrypted backups: made with SQLite's online backup API, kept in rotation, checked, restored.

Backups live in a ``backups`` folder next to the database
(``<folder of the db>/backups/<db name>-YYYYMMDD-HHMMSS.db``), each with a copy
of the key file of that moment (``….db.keys``).  A backup is encrypted with the
database's own data key (the backup API copies pages into a destination keyed
the same way), so the same passwords, or the recovery key, open it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import sqlcipher3
from sqlite_utils import Database

from iapt_desktop.domain import audit_actions
from iapt_desktop.domain.access import SYSTEM_USER, Action, User, require
from iapt_desktop.storage import audit_log, instance_lock, keyfile
from iapt_desktop.storage.migrations import apply_migrations

KEEP = 14  # backups kept; the oldest beyond this are removed
AUTOMATIC_INTERVAL = dt.timedelta(hours=12)
_STAMP = "%Y%m%d-%H%M%S-%f"  # fixed width: names sort in time order
PAGES_PER_STEP = 256  # pages copied between progress reports (1 MB with 4 KiB pages)
CHECK_EVERY = 20000  # SQLite VM steps between cancel checks while a backup is checked

PageProgress = Callable[[int, int], None]  # (pages done, pages in all); raising OperationCancelled stops
CancelCheck = Callable[[], bool]


class BackupError(Exception):
    """A backup could not be made, checked or restored; the message says why."""


class OperationCancelled(Exception):
    """The person stopped a backup, check, restore or export; nothing partial was kept."""


def backups_dir(database_path: Path | str) -> Path:
    return Path(database_path).resolve().parent / "backups"


def list_backups(database_path: Path | str) -> list[Path]:
    """This database's backups, newest first."""
    folder = backups_dir(database_path)
    if not folder.is_dir():
        return []
    prefix = Path(database_path).stem + "-"
    found = [p for p in folder.glob(f"{prefix}*.db") if p.is_file()]
    return sorted(found, key=lambda p: p.name[len(prefix):], reverse=True)


def _keyed(path: Path, key: bytes | None, *, read_only: bool = False) -> sqlcipher3.Connection:
    target = f"file:{path.as_posix()}?mode=ro" if read_only else str(path)
    conn = sqlcipher3.connect(target, uri=read_only)
    conn.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def create_backup(db: Database, database_path: Path | str, key: bytes | None, *, actor: User,
                  label: str = "", progress: PageProgress | None = None) -> Path:
    """Copy the open database into a new backup file; returns its path. Old backups beyond KEEP go.

    The pages go to a hidden ``.….partial`` file renamed into place at the end, so a failed or stopped
    backup (``progress`` raising OperationCancelled between steps) leaves no backup file.
    Raises AccessDenied unless ``actor`` may make backups (the automatic and safety backups are made as
    ``SYSTEM_USER``: they protect the service whoever is signed in)."""
    require(actor, Action.BACKUP)
    database_path = Path(database_path)
    folder = backups_dir(database_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        keyfile.make_private(folder)
    except OSError as error:
        raise BackupError(_not_written(folder, error)) from error
    stamp = dt.datetime.now().strftime(_STAMP)
    suffix = f"-{label}" if label else ""
    target = folder / f"{database_path.stem}-{stamp}{suffix}.db"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{database_path.stem}-{stamp}-{counter}{suffix}.db"
    temporary = folder / f".{target.name}.partial"
    temporary.unlink(missing_ok=True)
    try:
        destination = _keyed(temporary, key)
        try:
            _copy_all_pages(db.conn, destination, progress)
            destination.execute("PRAGMA journal_mode = DELETE").fetchone()
        finally:
            destination.close()
        keyfile.make_private(temporary)
        _fsync(temporary)
        os.replace(temporary, target)
    except (OSError, sqlcipher3.DatabaseError) as error:
        temporary.unlink(missing_ok=True)
        raise BackupError(_not_written(folder, error)) from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    keys = keyfile.keyfile_path(database_path)
    if keys.exists():
        keyfile.write_atomically(keyfile.keyfile_path(target), keys.read_bytes())
    _rotate(database_path)
    return target


def _not_written(folder: Path, error: Exception) -> str:
    reason = getattr(error, "strerror", None) or str(error)
    return (f"The backup could not be written to {folder}: {reason}. Check the disk has room and that the "
            "folder can be written to; the database itself is unchanged.")


def _copy_all_pages(source: sqlcipher3.Connection, destination: sqlcipher3.Connection,
                    progress: PageProgress | None) -> None:
    """SQLite's backup API, PAGES_PER_STEP pages at a time, reporting after each step."""
    if progress is None:
        source.backup(destination)
        return

    def step(_status: int, remaining: int, total: int) -> None:
        progress(total - remaining, total)

    source.backup(destination, pages=PAGES_PER_STEP, progress=step)
    total = int(source.execute("PRAGMA page_count").fetchone()[0])
    progress(total, total)


def _rotate(database_path: Path) -> None:
    for old in list_backups(database_path)[KEEP:]:
        old.unlink(missing_ok=True)
        keyfile.keyfile_path(old).unlink(missing_ok=True)


def backup_if_due(db: Database, database_path: Path | str, key: bytes | None,
                  *, interval: dt.timedelta = AUTOMATIC_INTERVAL) -> Path | None:
    """The automatic backup: made when the newest one is older than ``interval`` (or there is none)."""
    if not backup_due(database_path, interval=interval):
        return None
    return create_backup(db, database_path, key, actor=SYSTEM_USER)


def backup_due(database_path: Path | str, *, interval: dt.timedelta = AUTOMATIC_INTERVAL) -> bool:
    """Whether the automatic backup is due: no backup yet, or the newest is older than ``interval``.

    Cheap (lists the backups folder): the desktop asks at sign-in and makes the backup in the background."""
    try:
        newest = next(iter(list_backups(database_path)), None)
        if newest is None:
            return True
        age = dt.datetime.now() - dt.datetime.fromtimestamp(newest.stat().st_mtime)
    except OSError:
        return True  # the folder cannot be read: trying the backup says what is wrong
    return age >= interval


def verify_backup(backup_path: Path | str, key: bytes | None, cancelled: CancelCheck | None = None) -> list[str]:
    """Problems found opening the backup and checking every page; empty when it is sound.

    ``cancelled`` is asked every CHECK_EVERY SQLite steps; when it says yes the check is interrupted and
    OperationCancelled raised."""
    backup_path = Path(backup_path)
    try:
        conn = _keyed(backup_path, key, read_only=True)
    except sqlcipher3.DatabaseError as error:
        return [f"cannot be opened: {error}"]
    if cancelled is not None:
        conn.set_progress_handler(lambda: 1 if cancelled() else 0, CHECK_EVERY)
    try:
        problems = _problems(conn, key)
    finally:
        conn.close()
    if cancelled is not None and cancelled():  # an interrupted check says nothing about the backup
        raise OperationCancelled
    return problems


def _problems(conn: sqlcipher3.Connection, key: bytes | None) -> list[str]:
    problems: list[str] = []
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        return ["cannot be read with this database's key: it is damaged or belongs to another database"]
    if key is not None:
        problems += [row[0] for row in conn.execute("PRAGMA cipher_integrity_check")]
    try:
        problems += [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
    except sqlcipher3.DatabaseError as error:
        problems.append(f"integrity check failed: {error}")
    return problems


def restore_backup(database_path: Path | str, key: bytes | None, backup_path: Path | str) -> Path:
    """Put a backup in place of the database; returns the safety backup of the replaced file.

    Nothing may have the database open in this process (close the session first);
    another process holding it makes this fail with DatabaseInUse.  The backup is
    checked first; the current file is backed up before it is replaced; the
    replacement is a rename, so a crash leaves one or the other, never a mixture.
    """
    database_path = Path(database_path)
    backup_path = Path(backup_path)
    problems = verify_backup(backup_path, key)
    if problems:
        raise BackupError(f"{backup_path.name} is not sound, so it was not restored: {'; '.join(problems[:3])}")
    with instance_lock.acquire(database_path):
        # Copy the chosen backup aside before the safety backup is made: making it
        # rotates old backups away, and the chosen one may be the oldest.
        temporary = database_path.with_name(f".{database_path.name}.restoring")
        shutil.copyfile(backup_path, temporary)
        _fsync(temporary)
        safety = _safety_copy(database_path, key)
        for leftover in (Path(f"{database_path}-wal"), Path(f"{database_path}-shm")):
            leftover.unlink(missing_ok=True)
        os.replace(temporary, database_path)
    return safety


def _safety_copy(database_path: Path, key: bytes | None) -> Path:
    """Back up the current file before it is replaced; a copy of the raw file if it cannot be opened."""
    if not database_path.exists():
        return database_path
    conn = _keyed(database_path, key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return create_backup(Database(conn), database_path, key, actor=SYSTEM_USER, label="before-restore")
    except sqlcipher3.DatabaseError:
        folder = backups_dir(database_path)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{database_path.stem}-{dt.datetime.now().strftime(_STAMP)}-damaged.db"
        shutil.copyfile(database_path, target)
        return target
    finally:
        conn.close()


RESTORE_CHECKING = "Checking the backup"
RESTORE_KEEPING = "Keeping what is here now as a backup"
RESTORE_COPYING = "Restoring"  # from here on the restore cannot be stopped
StageProgress = Callable[[str, int, int], None]  # (stage, done, total)


def restore_into_open_database(db: Database, database_path: Path | str, key: bytes | None, backup_path: Path | str,
                               actor: User, *, progress: StageProgress | None = None,
                               cancelled: CancelCheck | None = None) -> Path:
    """Replace the contents of the open database ``db`` by a backup, through ``db``'s connection.

    For the app, which keeps the file open (and locked) while restoring.  In order: the backup (copied
    aside first, as making the safety backup may rotate the chosen one away) is checked page by page, so a
    damaged one changes nothing; the current contents are kept as a ``before-restore`` backup; SQLite's
    backup API copies every page in one transaction (a failure leaves the database as it was); migrations
    bring an older backup up to date; the restore goes in the audit trail.  Returns the ``before-restore``
    backup.  Raises BackupError (nothing changed) or AccessDenied.

    ``progress`` hears each stage (RESTORE_CHECKING, RESTORE_KEEPING, RESTORE_COPYING) with pages done
    and in all; ``cancelled`` is honoured until RESTORE_COPYING starts (OperationCancelled, nothing
    changed, no before-restore backup left), never after it.
    """
    require(actor, Action.BACKUP)
    database_path = Path(database_path)
    backup_path = Path(backup_path)
    stop = cancelled or (lambda: False)

    def report(stage: str, done: int, total: int, *, may_stop: bool = True) -> None:
        if may_stop and stop():
            raise OperationCancelled
        if progress is not None:
            progress(stage, done, total)

    working = backup_path.with_name(f".{backup_path.name}.restoring")
    try:
        report(RESTORE_CHECKING, 0, 1)
        shutil.copyfile(backup_path, working)
        problems = verify_backup(working, key, stop)
        if problems:
            raise BackupError(f"{backup_path.name} is not sound, so it was not restored: {'; '.join(problems[:3])}")
        report(RESTORE_CHECKING, 1, 1)
        safety = create_backup(db, database_path, key, actor=actor, label="before-restore",
                               progress=lambda done, total: report(RESTORE_KEEPING, done, total))
        try:
            report(RESTORE_COPYING, 0, 1)
        except OperationCancelled:  # stopped just as the safety backup was made: it is not needed
            safety.unlink(missing_ok=True)
            keyfile.keyfile_path(safety).unlink(missing_ok=True)
            raise
        _copy_pages(working, key, db, backup_path.name, safety.name,
                    lambda done, total: report(RESTORE_COPYING, done, total, may_stop=False))
    finally:
        working.unlink(missing_ok=True)
    apply_migrations(db)
    audit_log.append(db, actor.username, audit_actions.RESTORE, "", backup_path.name,
                     {"previous_contents_kept_as": safety.name})
    return safety


def _copy_pages(source_path: Path, key: bytes | None, db: Database, name: str, safety: str,
                progress: PageProgress) -> None:
    source: sqlcipher3.Connection | None = None
    try:
        source = _keyed(source_path, key, read_only=True)
        # Stepwise, yet one transaction on the open database: SQLite commits it only when the last page is
        # copied and rolls it back if the copy fails part way.
        _copy_all_pages(source, db.conn, progress)
    except sqlcipher3.DatabaseError as error:
        raise BackupError(f"{name} could not be restored ({error}); the database is as it was. "
                          f"What was there is also kept as {safety}.") from error
    finally:
        if source is not None:
            source.close()
