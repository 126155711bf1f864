"""Signing in: user name and password, or the first-run set-up when there is no database yet.

``sign_in(path, username, parent)`` is what the app calls; it returns the
Session, or None when the user cancels.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iapt_desktop.storage import keyfile
from iapt_desktop.storage.instance_lock import DatabaseInUse
from iapt_desktop.storage.session import Session, UnlockError, unlock
from iapt_desktop.ui.security.password_fields import message_label, password_box

LAST_USERNAME_KEY = "sign_in/last_username"  # a staff user name (QSettings): never patient data


class LoginDialog(QDialog):
    """User name and password for an existing database.

    Signals:
        signed_in(object): the new Session, just before the dialog closes.
    """

    signed_in = Signal(object)

    def __init__(self, path: Path, username: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.session: Session | None = None
        self.setWindowTitle("Sign in to IAPT Desktop")
        self.username = QLineEdit(username or "", self)
        self.username.setObjectName("username")
        self.password = password_box(self)
        self.password.setObjectName("password")
        self.message = message_label(self)
        heading = QLabel(f"<b>Sign in</b> to {self.path.name}", self)
        form = QFormLayout()
        form.addRow("&User name", self.username)
        form.addRow("&Password", self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.sign_in_button = QPushButton("Sign in", self)
        self.sign_in_button.setDefault(True)
        self.buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.forgot_button = QPushButton("Forgot the password…", self)
        self.buttons.addButton(self.forgot_button, QDialogButtonBox.ButtonRole.HelpRole)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.sign_in_button.clicked.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        self.forgot_button.clicked.connect(self.recover)
        (self.password if username else self.username).setFocus()

    def try_sign_in(self) -> None:
        name = self.username.text().strip()
        if not name:
            self.message.setText("Type your user name.")
            self.username.setFocus()
            return
        try:
            session = unlock(self.path, name, self.password.text(), backup_in_background=True)
        except (UnlockError, DatabaseInUse, keyfile.KeyFileError) as error:
            self.message.setText(str(error))
            self.password.clear()
            self.password.setFocus()
            return
        self._finish(session)

    def recover(self) -> None:
        from iapt_desktop.ui.security.password_dialogs import RecoverWithKeyDialog

        dialog = RecoverWithKeyDialog(self.path, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.session is not None:
            self._finish(dialog.session)

    def _finish(self, session: Session) -> None:
        self.password.clear()
        if session.must_change_password:
            from iapt_desktop.ui.security.password_dialogs import ChangePasswordDialog

            change = ChangePasswordDialog(session, required=True, parent=self)
            if change.exec() != QDialog.DialogCode.Accepted:
                session.close()
                self.message.setText("Choose your own password to go on.")
                return
        self.session = session
        self.signed_in.emit(session)
        self.accept()


def last_username(settings: QSettings, path: Path) -> str | None:
    """The user name that last signed in on this computer, when it is a user of the database at ``path``."""
    name = settings.value(LAST_USERNAME_KEY)
    if not isinstance(name, str) or not name:
        return None
    try:
        return name if name in keyfile.read_keyfile(path).users else None
    except keyfile.KeyFileError:
        return None


def remember_username(settings: QSettings, name: str) -> None:
    settings.setValue(LAST_USERNAME_KEY, name)
    settings.sync()


def sign_in(path: Path, username: str | None = None, parent: QWidget | None = None,
            settings: QSettings | None = None) -> Session | None:
    """The Session for ``path`` after signing in (or setting up a new database); None when cancelled.

    The user name is prefilled with the one that signed in last (a staff user name, kept in the app's
    settings: not patient data), so only the password is to type."""
    path = Path(path)
    settings = settings if settings is not None else QSettings()
    if not path.exists():
        from iapt_desktop.ui.security.first_run_dialog import FirstRunDialog

        first = FirstRunDialog(path, parent)
        session = first.session if first.exec() == QDialog.DialogCode.Accepted else None
    else:
        dialog = LoginDialog(path, username or last_username(settings, path), parent)
        session = dialog.session if dialog.exec() == QDialog.DialogCode.Accepted else None
    if session is not None:
        remember_username(settings, session.user.username)
    return session
