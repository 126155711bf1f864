"""Signing in to the desktop app: who, with which password, to which database.

Interactive runs use the security screens' LoginDialog when installed (else a
plain user name and password prompt).  Unattended runs (``--screenshot``) read
the password from ``--password-file``, ``IAPT_DESKTOP_PASSWORD`` or, for
databases made by ``demo`` without one, the documented demo password.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget
from sqlite_utils import Database

from iapt_desktop.domain.access import SYSTEM_USER, User
from iapt_desktop.domain.passwords import DEMO_PASSWORD
from iapt_desktop.storage import keyfile
from iapt_desktop.storage.database import DatabaseLocation, open_database
from iapt_desktop.storage.instance_lock import DatabaseInUse
from iapt_desktop.storage.session import Session, UnlockError, unlock
from iapt_desktop.storage.users import first_administrator, get_user

PASSWORD_ENVIRONMENT_VARIABLE = "IAPT_DESKTOP_PASSWORD"  # noqa: S105 (a variable name)
DEFAULT_ADMIN_USERNAME = "admin"


class SignInError(Exception):
    """Signing in failed; the message says why and what to do."""


@dataclass
class PlainSession:
    """A database without encryption (made before encryption, or by tests): no key file, no lock."""

    db: Database
    location: DatabaseLocation
    user: User
    must_change_password: bool = False

    def close(self) -> None:
        self.db.close()


def password_from(password_file: Path | None) -> str | None:
    if password_file is not None:
        try:
            lines = password_file.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise SignInError(f"The password file {password_file} cannot be read: {error.strerror}.") from None
        return lines[0] if lines else ""
    return os.environ.get(PASSWORD_ENVIRONMENT_VARIABLE) or None


def default_username(path: Path) -> str:
    keys = keyfile.read_keyfile(path)
    administrators = sorted(name for name, entry in keys.users.items() if entry.role == "administrator")
    if not administrators:
        raise SignInError(f"{path.name} has no administrator; pass --user NAME.")
    return DEFAULT_ADMIN_USERNAME if DEFAULT_ADMIN_USERNAME in administrators else administrators[0]


def open_plain(path: Path, username: str | None) -> PlainSession:
    db = open_database(path)
    name = username or first_administrator(db)
    user = get_user(db, name) if name else None
    return PlainSession(db, DatabaseLocation(path), user or SYSTEM_USER)


def sign_in_unattended(path: Path, username: str | None, password_file: Path | None) -> Session | PlainSession:
    if not path.exists():
        raise SignInError(f"There is no database at {path}. Make one with: iapt-desktop demo --db {path}")
    if not keyfile.keyfile_path(path).exists():
        return open_plain(path, username)
    password = password_from(password_file) or DEMO_PASSWORD
    try:
        return unlock(path, username or default_username(path), password)
    except (UnlockError, DatabaseInUse, keyfile.KeyFileError) as error:
        raise SignInError(str(error)) from None


def sign_in_interactive(
    path: Path, username: str | None, parent: QWidget | None = None
) -> Session | PlainSession | None:
    """None when the user cancels."""
    if path.exists() and not keyfile.keyfile_path(path).exists():
        return open_plain(path, username)
    try:
        login = importlib.import_module("iapt_desktop.ui.security.login_dialog")
        return login.sign_in(path, username, parent)  # type: ignore[no-any-return]
    except (ImportError, AttributeError):
        pass
    if not path.exists():
        raise SignInError(f"There is no database at {path}. Make one with: iapt-desktop demo --db {path}")
    name = username or default_username(path)
    while True:
        password, ok = QInputDialog.getText(parent, "Sign in to IAPT Desktop", f"Password for {name}:",
                                            QLineEdit.EchoMode.Password)
        if not ok:
            return None
        try:
            return unlock(path, name, password, backup_in_background=True)
        except UnlockError as error:
            QMessageBox.warning(parent, "Not signed in", str(error))
        except (DatabaseInUse, keyfile.KeyFileError) as error:
            raise SignInError(str(error)) from None
