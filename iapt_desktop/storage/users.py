"""Users: their rows in ``app_user`` (who, role, caseload) and their wrapped keys in the key file.

Adding a user or resetting a password wraps the data key once more: nothing is
re-encrypted.  Deactivating a user removes their wrapped key, so their old
password no longer opens the file.  Only administrators manage users.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlite_utils import Database

from iapt_desktop.domain import audit_actions
from iapt_desktop.domain.access import Action, Role, User, require
from iapt_desktop.storage import audit_log, keyfile
from iapt_desktop.storage.record_writes import save_row

if TYPE_CHECKING:
    from iapt_desktop.storage.session import Session

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")


class UserManagementError(ValueError):
    """The change to users cannot be made; the message says why."""


@dataclass(frozen=True)
class UserRecord:
    username: str
    display_name: str
    role: Role
    care_personnel_id: str | None
    active: bool
    created_at: str

    def as_user(self) -> User:
        return User(self.username, self.display_name, self.role, self.care_personnel_id)


def check_username(username: str) -> None:
    if not _USERNAME.fullmatch(username):
        raise UserManagementError(
            "A user name is 2 to 32 lower-case letters, digits, dots, dashes or underscores, "
            "starting with a letter or digit (for example 'asmith').")


def _record(row: tuple) -> UserRecord:  # type: ignore[type-arg]
    return UserRecord(row[0], row[1], Role(row[2]), row[3], bool(row[4]), row[5])


_SELECT = "SELECT username, display_name, role, CarePersLocalId, active, created_at FROM app_user"


def list_users(db: Database) -> list[UserRecord]:
    return [_record(row) for row in db.execute(f"{_SELECT} ORDER BY username")]


def get_user_record(db: Database, username: str) -> UserRecord | None:
    row = db.execute(f"{_SELECT} WHERE username = ?", [username]).fetchone()
    return _record(row) if row else None


def get_user(db: Database, username: str) -> User | None:
    """The active user with this name, or None."""
    record = get_user_record(db, username)
    return record.as_user() if record and record.active else None


def first_administrator(db: Database) -> str | None:
    row = db.execute("SELECT username FROM app_user WHERE role = 'administrator' AND active = 1 "
                     "ORDER BY created_at, username LIMIT 1").fetchone()
    return row[0] if row else None


def insert_user_row(db: Database, user: User, *, actor: User) -> None:
    save_row(db, actor, "app_user", {
        "username": user.username, "display_name": user.display_name, "role": user.role.value,
        "CarePersLocalId": user.care_personnel_id, "active": 1,
        "created_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
    })


def _active_administrators(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM app_user WHERE role = 'administrator' AND active = 1")
               .fetchone()[0])


def add_user(session: Session, username: str, display_name: str, role: Role, password: str,
             care_personnel_id: str | None = None, *, must_change_password: bool = True) -> User:
    """A new user with a first password (which they are asked to change when they first sign in)."""
    from iapt_desktop.storage.session import check_new_password

    require(session.user, Action.MANAGE_USERS)
    check_username(username)
    if not display_name.strip():
        raise UserManagementError("Give the user's name as colleagues know it.")
    if get_user_record(session.db, username) is not None:
        raise UserManagementError(f"There is already a user called {username}.")
    if role is Role.COUNSELLOR and not care_personnel_id:
        raise UserManagementError("A counsellor needs their staff entry (care professional id) for their caseload.")
    check_new_password(password, username, display_name)
    user = User(username, display_name.strip(), role, care_personnel_id)
    keys = keyfile.read_keyfile(session.path)
    data_key = _data_key(session)
    keys.users[username] = keyfile.UserKeyEntry(
        role.value, keyfile.wrap_for_user(data_key, password, username, keys.database_id),
        must_change_password=must_change_password)
    with session.db.atomic():
        insert_user_row(session.db, user, actor=session.user)
        audit_log.append(session.db, session.user.username, audit_actions.ADD_USER, "app_user", username,
                         {"role": role.value})
        keyfile.write_keyfile(session.path, keys)
    return user


def _data_key(session: Session) -> bytes:
    if session.location.key is None:
        raise UserManagementError("This database is not encrypted, so it has no per-user passwords.")
    return session.location.key


def reset_password(admin_session: Session, username: str, new_password: str,
                   *, must_change_password: bool = True) -> None:
    """An administrator sets a new password (and re-activates a deactivated user); clears failed attempts."""
    from iapt_desktop.storage.session import check_new_password

    require(admin_session.user, Action.MANAGE_USERS)
    record = get_user_record(admin_session.db, username)
    if record is None:
        raise UserManagementError(f"There is no user called {username}.")
    check_new_password(new_password, username, record.display_name)
    keys = keyfile.read_keyfile(admin_session.path)
    keys.users[username] = keyfile.UserKeyEntry(
        record.role.value,
        keyfile.wrap_for_user(_data_key(admin_session), new_password, username, keys.database_id),
        must_change_password=must_change_password and username != admin_session.user.username)
    with admin_session.db.atomic():
        if not record.active:
            save_row(admin_session.db, admin_session.user, "app_user", {"active": 1}, key=username)
        audit_log.append(admin_session.db, admin_session.user.username, audit_actions.RESET_PASSWORD,
                         "app_user", username)
        keyfile.write_keyfile(admin_session.path, keys)


def change_role(session: Session, username: str, role: Role, care_personnel_id: str | None = None) -> None:
    require(session.user, Action.MANAGE_USERS)
    record = get_user_record(session.db, username)
    if record is None:
        raise UserManagementError(f"There is no user called {username}.")
    if record.role is Role.ADMINISTRATOR and role is not Role.ADMINISTRATOR and record.active \
            and _active_administrators(session.db) == 1:
        raise UserManagementError("This is the only administrator; make someone else an administrator first.")
    caseload = care_personnel_id if care_personnel_id is not None else record.care_personnel_id
    if role is Role.COUNSELLOR and not caseload:
        raise UserManagementError("A counsellor needs their staff entry (care professional id) for their caseload.")
    keys = keyfile.read_keyfile(session.path)
    with session.db.atomic():
        save_row(session.db, session.user, "app_user", {"role": role.value, "CarePersLocalId": caseload},
                 key=username)
        audit_log.append(session.db, session.user.username, audit_actions.CHANGE_ROLE, "app_user", username,
                         {"role": [record.role.value, role.value]})
        if username in keys.users:
            keys.users[username].role = role.value
            keyfile.write_keyfile(session.path, keys)


def deactivate_user(session: Session, username: str) -> None:
    """The user can no longer sign in: their row stays (for the audit trail), their wrapped key goes."""
    require(session.user, Action.MANAGE_USERS)
    record = get_user_record(session.db, username)
    if record is None:
        raise UserManagementError(f"There is no user called {username}.")
    if username == session.user.username:
        raise UserManagementError("You cannot deactivate yourself; ask another administrator.")
    if record.role is Role.ADMINISTRATOR and record.active and _active_administrators(session.db) == 1:
        raise UserManagementError("This is the only administrator.")
    keys = keyfile.read_keyfile(session.path)
    keys.users.pop(username, None)
    with session.db.atomic():
        save_row(session.db, session.user, "app_user", {"active": 0}, key=username)
        audit_log.append(session.db, session.user.username, audit_actions.DEACTIVATE_USER, "app_user", username)
        keyfile.write_keyfile(session.path, keys)
