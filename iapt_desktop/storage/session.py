"""Signing in: unlock the database with a user's password, or set one up.

A :class:`Session` is the open database, how to open it again (for jobs) and
who is signed in.  It holds the single-instance lock until ``close()``.
Wrong passwords are counted in the key file, so restarting the app does not
reset them; after ten in a row each attempt waits longer (30 s doubling, at
most an hour).  See storage/keyfile.py for the key file and docs/security.md.
"""

from __future__ import annotations

import datetime as dt
import logging
import weakref
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlite_utils import Database

from iapt_desktop.domain import audit_actions
from iapt_desktop.domain.access import Role, User
from iapt_desktop.domain.passwords import delay_after_failures, password_problem
from iapt_desktop.storage import audit_log, instance_lock, keyfile
from iapt_desktop.storage.database import DatabaseLocation, DatabaseOpenError, open_database
from iapt_desktop.storage.users import first_administrator, get_user, insert_user_row

_log = logging.getLogger(__name__)


class UnlockError(Exception):
    """The database could not be unlocked; the message says why and what to do."""


class WrongPassword(UnlockError):
    """The user name or password (or recovery key) is wrong."""


class TooManyAttempts(UnlockError):
    def __init__(self, message: str, seconds_left: int) -> None:
        super().__init__(message)
        self.seconds_left = seconds_left


class PasswordRejected(ValueError):
    """A new password does not meet the policy (domain/passwords.py)."""


@dataclass
class Session:
    db: Database
    location: DatabaseLocation
    user: User
    must_change_password: bool = False
    _lock: instance_lock.InstanceLock | None = field(default=None, repr=False)
    # The automatic backup is due and left to the caller to make in the background (the desktop does,
    # after the main window is shown): see unlock(backup_in_background=True).
    automatic_backup_due: bool = False

    @property
    def path(self) -> Path:
        return self.location.path

    def close(self) -> None:
        """Record the sign-out, close the connection and give back the single-instance lock."""
        try:
            audit_log.append(self.db, self.user.username, audit_actions.LOGOUT)
        except Exception as error:  # closing must not fail: the connection may already be gone
            _log.warning("Sign-out not recorded (%s)", type(error).__name__)
        self.db.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def lock_until_connection_goes(self) -> Database:
        """Hand over the connection alone: the lock is given back when the connection object is freed.

        For callers (the CLI) that pass on just the Database.
        """
        if self._lock is not None:
            weakref.finalize(self.db, self._lock.release)
            self._lock = None
        return self.db

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def check_new_password(password: str, username: str = "", display_name: str = "") -> None:
    problem = password_problem(password, username=username, display_name=display_name)
    if problem:
        raise PasswordRejected(problem)


def _unwrap_checked(path: Path, username: str, password: str, now: dt.datetime) -> tuple[bytes, keyfile.KeyFile]:
    """The data key, after the throttle; counts a failure in the key file."""
    keys = keyfile.read_keyfile(path)
    entry = keys.users.get(username)
    if entry is None:
        keys.unknown_user_failures += 1
        _write_counters(path, keys)
        raise WrongPassword("The user name or password is wrong.")
    wait = delay_after_failures(entry.failed_attempts)
    if wait and entry.last_failed_at:
        last = dt.datetime.strptime(entry.last_failed_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        left = int((last + dt.timedelta(seconds=wait) - now).total_seconds())
        if left > 0:
            minutes = max(1, (left + 59) // 60)
            raise TooManyAttempts(
                f"Too many wrong passwords in a row. Try again in {minutes} minute{'s' if minutes > 1 else ''}, "
                "or ask an administrator to reset your password.", left)
    try:
        key = keyfile.unwrap_for_user(entry.wrapped, password, username, keys.database_id)
    except keyfile.WrongSecret:
        keys.users[username] = replace(entry, failed_attempts=entry.failed_attempts + 1, last_failed_at=_iso(now))
        _write_counters(path, keys)
        raise WrongPassword("The user name or password is wrong.") from None
    return key, keys


def _write_counters(path: Path, keys: keyfile.KeyFile) -> None:
    """Failed-attempt counts; a key file that cannot be written (read-only share) must not stop sign-in."""
    try:
        keyfile.write_keyfile(path, keys)
    except OSError as error:
        _log.warning("Failed sign-in attempts could not be counted in the key file (%s)", type(error).__name__)


def _open(path: Path, key: bytes) -> Database:
    try:
        return open_database(path, key)
    except DatabaseOpenError as error:
        raise UnlockError(
            "The key file opened but the database did not: the key file belongs to another database, or the "
            f"database file is damaged ({error}). Restore from a backup."
        ) from error


def _record_failures(db: Database, keys: keyfile.KeyFile, username: str) -> None:
    entry = keys.users[username]
    if entry.failed_attempts:
        audit_log.append(db, username, audit_actions.FAILED_LOGIN, "", username,
                         {"attempts": entry.failed_attempts, "last_at": entry.last_failed_at})
    if keys.unknown_user_failures:
        audit_log.append(db, username, audit_actions.FAILED_LOGIN, "", "(unknown user name)",
                         {"attempts": keys.unknown_user_failures})


def unlock(path: Path | str, username: str, password: str, *, backup_in_background: bool = False) -> Session:
    """Sign in: check the password, open the database, record the login.

    When the automatic backup is due it is made here, before returning (the CLI); with
    ``backup_in_background`` it is not, and ``automatic_backup_due`` tells the caller to make it (the desktop
    runs it as a job after its window is shown, so signing in does not wait for a copy of the database)."""
    path = Path(path)
    if not path.exists():
        raise UnlockError(f"There is no database at {path}.")
    lock = instance_lock.acquire(path)
    try:
        now = _now()
        key, keys = _unwrap_checked(path, username, password, now)
        db = _open(path, key)
        try:
            user = get_user(db, username)
            if user is None:
                raise UnlockError(f"{username} is no longer a user of this database. Ask an administrator.")
            with db.atomic():
                _record_failures(db, keys, username)
                audit_log.append(db, username, audit_actions.LOGIN)
            must_change = keys.users[username].must_change_password
            if keys.users[username].failed_attempts or keys.unknown_user_failures:
                keys.users[username] = keyfile.without_failures(keys.users[username])
                keys.unknown_user_failures = 0
                _write_counters(path, keys)
        except BaseException:
            db.close()
            raise
    except BaseException:
        lock.release()
        raise
    session = Session(db, DatabaseLocation(path, key), user, must_change, lock)
    if backup_in_background:
        from iapt_desktop.storage.backups import backup_due

        session.automatic_backup_due = backup_due(path)
    else:
        _automatic_backup(session)
    return session


def _automatic_backup(session: Session) -> None:
    """A backup at sign-in when the last one is old; a failure is logged, never fatal to signing in."""
    from iapt_desktop.storage.backups import BackupError, backup_if_due

    try:
        made = backup_if_due(session.db, session.path, session.location.key)
    except (BackupError, OSError) as error:
        _log.warning("Automatic backup failed: %s", type(error).__name__)
        return
    if made is not None:
        audit_log.append(session.db, session.user.username, audit_actions.BACKUP, "", made.name,
                         {"automatic": True})


def create_database(path: Path | str, admin_username: str, admin_display_name: str, password: str,
                    *, kdf: keyfile.KdfParameters = keyfile.DEFAULT_KDF) -> tuple[Session, str]:
    """A new encrypted database with its first administrator; returns the session and the recovery key.

    The recovery key is shown once and never stored in clear.
    """
    from iapt_desktop.storage.users import check_username

    path = Path(path)
    check_username(admin_username)
    check_new_password(password, admin_username, admin_display_name)
    if path.exists() or keyfile.keyfile_path(path).exists():
        raise UnlockError(f"{path} already exists; choose another file name.")
    lock = instance_lock.acquire(path)
    try:
        data_key = keyfile.new_data_key()
        database_id = keyfile.new_database_id()
        recovery_key = keyfile.new_recovery_key()
        keys = keyfile.KeyFile(database_id, keyfile.wrap_for_recovery(data_key, recovery_key, database_id))
        keys.users[admin_username] = keyfile.UserKeyEntry(
            Role.ADMINISTRATOR.value, keyfile.wrap_for_user(data_key, password, admin_username, database_id, kdf))
        keyfile.write_keyfile(path, keys)
        try:
            db = open_database(path, data_key)
            keyfile.make_private(path)
            user = User(admin_username, admin_display_name, Role.ADMINISTRATOR)
            with db.atomic():
                insert_user_row(db, user, actor=user)
                audit_log.append(db, admin_username, audit_actions.SET_UP)
                audit_log.append(db, admin_username, audit_actions.LOGIN)
        except BaseException:
            for leftover in (path, keyfile.keyfile_path(path), Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            raise
    except BaseException:
        lock.release()
        instance_lock.discard(path)  # the database was never made: leave no lock file (kept while anyone holds it)
        raise
    return Session(db, DatabaseLocation(path, data_key), user, False, lock), recovery_key


def confirm_password(session: Session, password: str) -> None:
    """Unlock after an inactivity lock: the signed-in user's password again (throttled, audited)."""
    try:
        _unwrap_checked(session.path, session.user.username, password, _now())
    except WrongPassword:
        audit_log.append(session.db, session.user.username, audit_actions.FAILED_LOGIN, "",
                         session.user.username, {"while": "locked"})
        raise
    keys = keyfile.read_keyfile(session.path)
    if keys.users[session.user.username].failed_attempts:
        keys.users[session.user.username] = keyfile.without_failures(keys.users[session.user.username])
        _write_counters(session.path, keys)
    audit_log.append(session.db, session.user.username, audit_actions.UNLOCK)


def record_lock(session: Session, reason: str = "inactivity") -> None:
    audit_log.append(session.db, session.user.username, audit_actions.LOCK, "", "", {"reason": reason})


def change_password(session: Session, old_password: str, new_password: str) -> None:
    """The signed-in user changes their own password (the old one is asked for again)."""
    user = session.user
    key, keys = _unwrap_checked(session.path, user.username, old_password, _now())
    check_new_password(new_password, user.username, user.display_name)
    if new_password == old_password:
        raise PasswordRejected("The new password is the same as the old one.")
    entry = keys.users[user.username]
    keys.users[user.username] = keyfile.UserKeyEntry(
        entry.role, keyfile.wrap_for_user(key, new_password, user.username, keys.database_id,
                                          entry.wrapped.parameters or keyfile.DEFAULT_KDF))
    with session.db.atomic():
        audit_log.append(session.db, user.username, audit_actions.CHANGE_PASSWORD, "app_user", user.username)
        keyfile.write_keyfile(session.path, keys)
    session.must_change_password = False


def recover_with_key(path: Path | str, recovery_key: str, new_admin_password: str,
                     *, username: str | None = None) -> Session:
    """Forgotten passwords: the recovery key sets a new password for an administrator and signs them in."""
    path = Path(path)
    lock = instance_lock.acquire(path)
    try:
        keys = keyfile.read_keyfile(path)
        try:
            key = keyfile.unwrap_for_recovery(keys.recovery, recovery_key, keys.database_id)
        except keyfile.WrongSecret as error:
            raise WrongPassword(f"The recovery key is wrong. {error}" if "groups" in str(error)
                                else "The recovery key is wrong.") from None
        db = _open(path, key)
        try:
            name = username or first_administrator(db)
            user = get_user(db, name) if name else None
            if user is None or user.role is not Role.ADMINISTRATOR:
                raise UnlockError(f"{name or 'No one'} is not an active administrator of this database.")
            check_new_password(new_admin_password, user.username, user.display_name)
            parameters = keys.users[name].wrapped.parameters if name in keys.users else None
            keys.users[user.username] = keyfile.UserKeyEntry(
                Role.ADMINISTRATOR.value,
                keyfile.wrap_for_user(key, new_admin_password, user.username, keys.database_id,
                                      parameters or keyfile.DEFAULT_KDF))
            with db.atomic():
                audit_log.append(db, user.username, audit_actions.RECOVER_WITH_KEY, "app_user", user.username)
                audit_log.append(db, user.username, audit_actions.LOGIN)
                keyfile.write_keyfile(path, keys)
        except BaseException:
            db.close()
            raise
    except BaseException:
        lock.release()
        raise
    return Session(db, DatabaseLocation(path, key), user, False, lock)
