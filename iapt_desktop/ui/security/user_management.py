"""Users, for administrators: add, reset a password, change a role, deactivate.

``open_user_management(window, session)`` opens the dialog (the Administration menu calls it).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iapt_desktop.domain.access import AccessDenied, Action, Role
from iapt_desktop.storage import keyfile
from iapt_desktop.storage.session import PasswordRejected
from iapt_desktop.storage.users import (
    UserManagementError,
    UserRecord,
    add_user,
    change_role,
    deactivate_user,
    list_users,
    reset_password,
)
from iapt_desktop.ui.security.password_fields import POLICY_HINT, message_label, new_password_problem, password_box

_Index = QModelIndex | QPersistentModelIndex
_PROBLEMS = (AccessDenied, UserManagementError, PasswordRejected, keyfile.KeyFileError, OSError)


class UserColumn(IntEnum):
    USERNAME = 0
    NAME = 1
    ROLE = 2
    CASELOAD = 3
    STATUS = 4


_HEADINGS = {UserColumn.USERNAME: "User name", UserColumn.NAME: "Name", UserColumn.ROLE: "Role",
             UserColumn.CASELOAD: "Staff id (caseload)", UserColumn.STATUS: "Status"}


class UserTableModel(QAbstractTableModel):
    UsernameRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.users: list[UserRecord] = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.users = list_users(self.session.db)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.users)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(UserColumn)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.users):
            return None
        user = self.users[index.row()]
        if role == self.UsernameRole:
            return user.username
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            UserColumn.USERNAME: user.username, UserColumn.NAME: user.display_name, UserColumn.ROLE: user.role.label,
            UserColumn.CASELOAD: user.care_personnel_id or "",
            UserColumn.STATUS: "active" if user.active else "deactivated",
        }[UserColumn(index.column())]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(UserColumn):
            return _HEADINGS[UserColumn(section)]
        return None


class UserFormDialog(QDialog):
    """Add a user, or set a user's password; a counsellor needs their staff id."""

    def __init__(self, title: str, parent: QWidget | None = None, *, new_user: bool = True,
                 username: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.username = QLineEdit(username, self)
        self.username.setReadOnly(not new_user)
        self.display_name = QLineEdit(self)
        self.role = QComboBox(self)
        for role in Role:
            self.role.addItem(role.label, role)
        self.caseload = QLineEdit(self)
        self.caseload.setPlaceholderText("CarePersLocalId of their staff entry (counsellors)")
        self.password = password_box(self)
        self.confirmation = password_box(self, "the same again")
        form = QFormLayout()
        form.addRow("&User name", self.username)
        if new_user:
            form.addRow("&Name", self.display_name)
            form.addRow("&Role", self.role)
            form.addRow("&Staff id", self.caseload)
        form.addRow("&Password", self.password)
        form.addRow("&Confirm", self.confirmation)
        hint = QLabel(POLICY_HINT + " They choose their own when they first sign in.", self)
        hint.setWordWrap(True)
        self.message = message_label(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)

    def _check(self) -> None:
        problem = new_password_problem(self.password.text(), self.confirmation.text(), self.username.text(),
                                       self.display_name.text())
        if problem:
            self.message.setText(problem)
            return
        self.accept()


class UserManagementDialog(QDialog):
    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Users")
        self.resize(760, 420)
        self.model = UserTableModel(session, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_button = QPushButton("&Add user…", self)
        self.reset_button = QPushButton("&Reset password…", self)
        self.role_box = QComboBox(self)
        for role in Role:
            self.role_box.addItem(role.label, role)
        self.role_button = QPushButton("Change r&ole", self)
        self.deactivate_button = QPushButton("&Deactivate", self)
        self.message = message_label(self)
        row = QHBoxLayout()
        for widget in (self.add_button, self.reset_button, self.role_box, self.role_button, self.deactivate_button):
            row.addWidget(widget)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(close)
        close.rejected.connect(self.reject)
        self.add_button.clicked.connect(self.add)
        self.reset_button.clicked.connect(self.reset)
        self.role_button.clicked.connect(self.change_role)
        self.deactivate_button.clicked.connect(self.deactivate)
        allowed = session.user.can(Action.MANAGE_USERS)
        for button in (self.add_button, self.reset_button, self.role_button, self.deactivate_button):
            button.setEnabled(allowed)

    def selected_username(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.data(rows[0], UserTableModel.UsernameRole) if rows else None

    def _run(self, work: Any, done: str) -> bool:
        try:
            work()
        except _PROBLEMS as error:
            self.message.setText(str(error))
            return False
        chosen = self.selected_username()
        self.model.reload()
        for row, user in enumerate(self.model.users):
            if user.username == chosen:
                self.table.selectRow(row)
        self.message.setText(done)
        return True

    def add(self, _checked: bool = False, form: UserFormDialog | None = None) -> bool:
        form = form or UserFormDialog("Add a user", self)
        if form.result() != QDialog.DialogCode.Accepted and form.exec() != QDialog.DialogCode.Accepted:
            return False
        username = form.username.text().strip()
        return self._run(lambda: add_user(self.session, username, form.display_name.text(),
                                          form.role.currentData(), form.password.text(),
                                          form.caseload.text().strip() or None),
                         f"{username} was added. Give them their first password in person.")

    def reset(self, _checked: bool = False, form: UserFormDialog | None = None) -> bool:
        username = self.selected_username()
        if username is None:
            self.message.setText("Choose a user first.")
            return False
        form = form or UserFormDialog(f"New password for {username}", self, new_user=False, username=username)
        if form.result() != QDialog.DialogCode.Accepted and form.exec() != QDialog.DialogCode.Accepted:
            return False
        return self._run(lambda: reset_password(self.session, username, form.password.text()),
                         f"{username} has a new password; they choose their own when they next sign in.")

    def change_role(self) -> bool:
        username = self.selected_username()
        if username is None:
            self.message.setText("Choose a user first.")
            return False
        role = self.role_box.currentData()
        return self._run(lambda: change_role(self.session, username, role), f"{username} is now {role.label}.")

    def deactivate(self) -> bool:
        username = self.selected_username()
        if username is None:
            self.message.setText("Choose a user first.")
            return False
        return self._run(lambda: deactivate_user(self.session, username),
                         f"{username} can no longer sign in. Reset their password to let them back.")


def open_user_management(window: QWidget, session: Any) -> UserManagementDialog:
    dialog = UserManagementDialog(session, window)
    dialog.setModal(True)
    dialog.show()
    return dialog
