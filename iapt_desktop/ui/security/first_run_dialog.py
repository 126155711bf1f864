"""First run: create the encrypted database and its named administrator, then show the recovery key once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iapt_desktop.storage.instance_lock import DatabaseInUse
from iapt_desktop.storage.session import PasswordRejected, Session, UnlockError, create_database
from iapt_desktop.storage.users import UserManagementError
from iapt_desktop.ui.security.password_fields import POLICY_HINT, message_label, new_password_problem, password_box


class RecoveryKeyDialog(QDialog):
    """The recovery key, shown once; Continue only after "I have written it down"."""

    def __init__(self, recovery_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your recovery key")
        intro = QLabel(
            "If every administrator forgets their password, this key is the only way back into the data. "
            "Write it down now and keep it somewhere safe and separate from this computer (for example, "
            "in the practice safe). It will not be shown again.", self)
        intro.setWordWrap(True)
        self.key_label = QLabel(recovery_key, self)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setWeight(QFont.Weight.Bold)
        self.key_label.setFont(font)
        self.key_label.setObjectName("recoveryKey")
        self.written_down = QCheckBox("I have written it down", self)
        self.buttons = QDialogButtonBox(self)
        self.continue_button = QPushButton("Continue", self)
        self.continue_button.setEnabled(False)
        self.buttons.addButton(self.continue_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.key_label)
        layout.addWidget(self.written_down)
        layout.addWidget(self.buttons)
        self.written_down.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self.accept)

    def reject(self) -> None:
        """Escape does not skip the key: only the confirmation closes this dialog."""
        if self.written_down.isChecked():
            self.accept()


class FirstRunDialog(QDialog):
    """Set up a new database: the administrator's user name, name and password."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.session: Session | None = None
        self.recovery_key_dialog: RecoveryKeyDialog | None = None
        self.setWindowTitle("Set up IAPT Desktop")
        intro = QLabel(
            f"<b>Welcome.</b> A new encrypted database will be made at {self.path.name}. "
            "You will be its first administrator: you add the other users afterwards.", self)
        intro.setWordWrap(True)
        self.username = QLineEdit(self)
        self.username.setPlaceholderText("for example asmith")
        self.display_name = QLineEdit(self)
        self.display_name.setPlaceholderText("as colleagues know you")
        self.password = password_box(self)
        self.confirmation = password_box(self, "the same again")
        hint = QLabel(POLICY_HINT, self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #475569;")
        form = QFormLayout()
        form.addRow("&User name", self.username)
        form.addRow("Your &name", self.display_name)
        form.addRow("&Password", self.password)
        form.addRow("&Confirm", self.confirmation)
        self.message = message_label(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button = QPushButton("Create the database", self)
        self.create_button.setDefault(True)
        self.buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.create_button.clicked.connect(self.create)
        self.buttons.rejected.connect(self.reject)
        self.username.setFocus()

    def create(self) -> None:
        username = self.username.text().strip()
        display_name = self.display_name.text().strip()
        if not username or not display_name:
            self.message.setText("Fill in your user name and your name.")
            return
        problem = new_password_problem(self.password.text(), self.confirmation.text(), username, display_name)
        if problem:
            self.message.setText(problem)
            return
        try:
            session, recovery_key = create_database(self.path, username, display_name, self.password.text())
        except (PasswordRejected, UserManagementError, UnlockError, DatabaseInUse, OSError) as error:
            self.message.setText(str(error))
            return
        self.password.clear()
        self.confirmation.clear()
        self.session = session
        self.recovery_key_dialog = RecoveryKeyDialog(recovery_key, self)
        self.recovery_key_dialog.exec()
        self.recovery_key_dialog = None
        self.accept()
