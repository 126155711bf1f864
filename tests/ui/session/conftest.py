"""A referral with one earlier (assessment) session, and an open session dialog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot
from sqlite_utils import Database

from iapt_desktop.domain.access import User
from iapt_desktop.storage.session_records import new_session, save_session
from iapt_desktop.ui.session.session_dialog import SessionDialog
from tests.session_data import COUNSELLOR, referral_with_staff

NOW = dt.datetime(2025, 4, 10, 14, 7)


@pytest.fixture
def referral(db: Database) -> str:
    """R1 with an attended assessment a week ago: counselling for depression, by video."""
    referral_with_staff(db)
    first = new_session(db, COUNSELLOR, "R1", NOW - dt.timedelta(days=7))
    first.contact["ConsMechanism"] = "11"
    first.activity["CodeProcAndProcStatus"] = "286711000000107"
    first.answers = {"PHQ9": {i: "2" for i in range(1, 10)} | {9: "0"}, "GAD7": {i: "2" for i in range(1, 8)}}
    save_session(db, COUNSELLOR, first, NOW - dt.timedelta(days=7))
    return "R1"


@pytest.fixture
def open_dialog(qtbot: QtBot, db: Database, referral: str) -> Callable[..., SessionDialog]:
    def opener(user: User = COUNSELLOR, care_contact_id: str | None = None) -> SessionDialog:
        dialog = SessionDialog(db, user, referral, care_contact_id, now=NOW)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        return dialog
    return opener
