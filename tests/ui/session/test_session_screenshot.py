"""The session picture used by the docs and ``--screenshot --view session``."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot
from sqlite_utils import Database

from iapt_desktop.storage.session_queries import showcase_session
from iapt_desktop.ui.session.session_screenshot import SCREENSHOT_SIZE, session_screenshot
from tests.session_data import COUNSELLOR

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_the_first_referrals_last_session_is_pictured(qtbot: QtBot, db: Database, referral: str,
                                                      tmp_path: Path) -> None:
    assert showcase_session(db) == ("R1", "C00000001")
    path = session_screenshot(db, COUNSELLOR, tmp_path / "session.png")
    image = QImage(str(path))
    assert (image.width(), image.height()) == SCREENSHOT_SIZE


def test_an_empty_database_says_what_to_do(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    with pytest.raises(LookupError, match="no referral"):
        session_screenshot(db, COUNSELLOR, tmp_path / "session.png")
