"""The main window paints its caseload without loading what only later choices need."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from sqlite_utils import Database

from iapt_desktop.ui.main_menus import ADMIN_DIALOGS, FILE_DIALOGS
from tests.ui.recording.conftest import ADMIN, make_window

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


def test_every_menu_entry_opens_a_callable_that_exists() -> None:
    for entry in (*ADMIN_DIALOGS, *FILE_DIALOGS):
        module_name, _, name = entry.target.partition(":")
        assert callable(getattr(importlib.import_module(module_name), name)), entry.target


def test_building_the_menus_imports_no_screen() -> None:
    script = (
        "import sys\n"
        "from iapt_desktop.ui.main_menus import ADMIN_DIALOGS, FILE_DIALOGS, _opener\n"
        "assert all(_opener(e.target) is not None for e in (*ADMIN_DIALOGS, *FILE_DIALOGS))\n"
        "screens = {e.target.partition(':')[0] for e in (*ADMIN_DIALOGS, *FILE_DIALOGS)}\n"
        "print(sorted(m for m in sys.modules if m in screens or m.startswith('iapt_desktop.jobs')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[3], check=True)
    assert done.stdout.strip() == "[]"


def test_the_record_view_is_built_when_the_first_patient_is_opened(qtbot, recording_db: Database,
                                                                    db_path: Path, settings: QSettings) -> None:
    recording_db.execute("INSERT INTO IDS001MPI (LocalPatientId) VALUES ('P1')")
    window = make_window(qtbot, recording_db, db_path, ADMIN, settings)
    assert window._record is None
    window.actions_by_name["save"].trigger()  # nothing open: nothing to save, nothing built
    window.actions_by_name["refresh"].trigger()
    assert window._record is None
    assert window.show_patient("P1")
    assert window._record is not None and window.stack.currentWidget() is window.record
    assert window.record.local_patient_id == "P1"
