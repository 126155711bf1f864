"""Changing one's own password, and recovering with the recovery key."""

from __future__ import annotations

from pathlib import Path

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
from iapt_desktop.storage.session import PasswordRejected, Session, UnlockError, change_password, recover_with_key
from iapt_desktop.ui.security.password_fields import POLICY_HINT, message_label, new_password_problem, password_box


class _PasswordForm(QDialog):
    def __init__(self, title: str, intro: str, action: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        label = QLabel(intro, self)
        label.setWordWrap(True)
        hint = QLabel(POLICY_HINT, self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #475569;")
        self.form = QFormLayout()
        self.new_password = password_box(self)
        self.confirmation = password_box(self, "the same again")
        self.message = message_label(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = QPushButton(action, self)
        self.ok_button.setDefault(True)
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(self.form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)


class ChangePasswordDialog(_PasswordForm):
    """The signed-in user's own password (required after an administrator set or reset it)."""

    def __init__(self, session: Session, *, required: bool = False, parent: QWidget | None = None) -> None:
        intro = ("An administrator set your password. Choose your own now; nobody else will know it."
                 if required else "Change your password.")
        super().__init__("Choose your password", intro, "Change password", parent)
        self.session = session
        self.old_password = password_box(self)
        self.form.addRow("&Current password", self.old_password)
        self.form.addRow("&New password", self.new_password)
        self.form.addRow("Con&firm", self.confirmation)
        QWidget.setTabOrder(self.old_password, self.new_password)  # made first, the new one led the order
        QWidget.setTabOrder(self.new_password, self.confirmation)
        self.old_password.setFocus()  # the cursor starts where the typing starts
        self.ok_button.clicked.connect(self.change)

    def change(self) -> None:
        user = self.session.user
        problem = new_password_problem(self.new_password.text(), self.confirmation.text(), user.username,
                                       user.display_name)
        if problem:
            self.message.setText(problem)
            return
        try:
            change_password(self.session, self.old_password.text(), self.new_password.text())
        except (UnlockError, PasswordRejected, keyfile.KeyFileError) as error:
            self.message.setText(str(error))
            return
        self.accept()


class RecoverWithKeyDialog(_PasswordForm):
    """Forgotten password: the recovery key and a new password for an administrator."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__("Recover with the recovery key",
                         "Type the recovery key you wrote down when the database was set up (groups of four "
                         "characters), and a new password for the administrator.", "Recover", parent)
        self.path = Path(path)
        self.session: Session | None = None
        self.recovery_key = QLineEdit(self)
        self.recovery_key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.username = QLineEdit(self)
        self.username.setPlaceholderText("the first administrator if left empty")
        self.form.addRow("&Recovery key", self.recovery_key)
        self.form.addRow("&Administrator", self.username)
        self.form.addRow("&New password", self.new_password)
        self.form.addRow("Con&firm", self.confirmation)
        self.ok_button.clicked.connect(self.recover)

    def recover(self) -> None:
        problem = new_password_problem(self.new_password.text(), self.confirmation.text(), self.username.text())
        if problem:
            self.message.setText(problem)
            return
        try:
            self.session = recover_with_key(self.path, self.recovery_key.text(), self.new_password.text(),
                                            username=self.username.text().strip() or None)
        except (UnlockError, PasswordRejected, DatabaseInUse, keyfile.KeyFileError) as error:
            self.message.setText(str(error))
            return
        self.accept()
