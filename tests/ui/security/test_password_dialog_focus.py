"""Changing one's password: the cursor starts in the current password and Tab goes down the form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from iapt_desktop.storage.keyfile import KdfParameters
from iapt_desktop.storage.session import Session, create_database
from iapt_desktop.ui.security.password_dialogs import ChangePasswordDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen only

CHEAP_KDF = KdfParameters(time_cost=1, memory_cost_kib=8192, parallelism=1)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    opened, _recovery = create_database(tmp_path / "service.db", "admin", "Ada Admin", "focus order pass 11",
                                        kdf=CHEAP_KDF)
    yield opened
    opened.close()


def test_the_cursor_starts_in_the_current_password_and_tab_goes_down_the_form(qtbot, session: Session) -> None:
    dialog = ChangePasswordDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    assert dialog.focusWidget() is dialog.old_password
    visited = []
    for _ in range(2):
        QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        visited.append(dialog.focusWidget())
    assert visited == [dialog.new_password, dialog.confirmation]
