"""Shared pieces of the security dialogs: a password box, a message line, the policy hint."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from iapt_desktop.domain.passwords import MIN_LENGTH, password_problem

POLICY_HINT = (f"At least {MIN_LENGTH} characters. No rules about symbols: a few unrelated words are easy to "
               "remember and hard to guess. Common passwords are refused.")


def password_box(parent: QWidget, placeholder: str = "") -> QLineEdit:
    box = QLineEdit(parent)
    box.setEchoMode(QLineEdit.EchoMode.Password)
    box.setPlaceholderText(placeholder)
    box.setMaxLength(1024)
    return box


def message_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b91c1c;")
    label.setObjectName("message")
    return label


def new_password_problem(password: str, confirmation: str, username: str = "", display_name: str = "") -> str | None:
    problem = password_problem(password, username=username, display_name=display_name)
    if problem:
        return problem
    if password != confirmation:
        return "The two passwords are not the same."
    return None
