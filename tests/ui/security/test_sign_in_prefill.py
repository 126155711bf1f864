"""Signing in again on the same computer: the last user name is filled in and the cursor waits in the password."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from iapt_desktop.domain.access import Role
from iapt_desktop.storage.keyfile import KdfParameters
from iapt_desktop.storage.record_writes import save_row
from iapt_desktop.storage.session import Session, create_database
from iapt_desktop.storage.users import add_user
from iapt_desktop.ui.security.login_dialog import LAST_USERNAME_KEY, LoginDialog, sign_in

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen only

CHEAP_KDF = KdfParameters(time_cost=1, memory_cost_kib=8192, parallelism=1)
PASSWORD = "sign in again passphrase 7"
CASEY_PASSWORD = PASSWORD + " casey"


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "service.db"
    session, _recovery = create_database(path, "admin", "Ada Admin", PASSWORD, kdf=CHEAP_KDF)
    save_row(session.db, session.user, "app_care_personnel", {"CarePersLocalId": "C1", "display_name": "Casey"})
    add_user(session, "casey", "Casey Counsellor", Role.COUNSELLOR, CASEY_PASSWORD, "C1", must_change_password=False)
    session.close()
    return path


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "app.ini"), QSettings.Format.IniFormat)


def focused(dialog: LoginDialog) -> str:
    widget = dialog.focusWidget()
    return widget.objectName() if widget is not None else ""


def sign_in_with(qtbot, path: Path, settings: QSettings, act: Callable[[LoginDialog], None]) -> Session | None:
    """Run the real sign_in (a modal dialog): ``act`` looks at the dialog as it opens and answers it."""
    seen: list[LoginDialog] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LoginDialog)
        qtbot.waitExposed(dialog)
        seen.append(dialog)
        act(dialog)

    QTimer.singleShot(0, answer)
    session = sign_in(path, None, None, settings)
    assert seen, "the sign-in dialog was not shown"
    return session


def test_first_sign_in_starts_empty_then_the_user_name_is_remembered_and_only_the_password_is_asked(
        qtbot, database: Path, settings: QSettings) -> None:
    looked: dict[str, str] = {}

    def first(dialog: LoginDialog) -> None:
        looked.update(name=dialog.username.text(), focus=focused(dialog))
        dialog.username.setText("casey")
        dialog.password.setText(CASEY_PASSWORD)
        dialog.sign_in_button.click()

    session = sign_in_with(qtbot, database, settings, first)
    assert session is not None and session.user.username == "casey"
    session.close()
    assert looked == {"name": "", "focus": "username"}
    assert settings.value(LAST_USERNAME_KEY) == "casey"

    def again(dialog: LoginDialog) -> None:
        looked.update(name=dialog.username.text(), focus=focused(dialog))
        dialog.password.setText(CASEY_PASSWORD)
        dialog.sign_in_button.click()

    session = sign_in_with(qtbot, database, settings, again)
    assert session is not None and session.user.username == "casey"
    session.close()
    assert looked == {"name": "casey", "focus": "password"}
    assert sorted(settings.allKeys()) == [LAST_USERNAME_KEY]  # the user name only: nothing about patients


def test_a_remembered_name_that_is_not_a_user_of_this_database_is_not_offered(
        qtbot, database: Path, settings: QSettings) -> None:
    settings.setValue(LAST_USERNAME_KEY, "someone.elsewhere")
    looked: dict[str, str] = {}

    def cancel(dialog: LoginDialog) -> None:
        looked["name"] = dialog.username.text()
        dialog.reject()

    assert sign_in_with(qtbot, database, settings, cancel) is None
    assert looked["name"] == ""
    assert settings.value(LAST_USERNAME_KEY) == "someone.elsewhere"  # cancelling changes nothing
