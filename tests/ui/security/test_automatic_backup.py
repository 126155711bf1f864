"""The automatic backup at sign-in runs in the background after the main window is shown (ui/security/
automatic_backup.py): signing in makes no copy; the status bar shows its progress with Cancel; a stop keeps
nothing and leaves it due; a folder that cannot be written gives a clear, non-blocking message.

The job is held at a chosen step (TaskProgress.wrap_job) until the window's event loop has acted on it: only a
job off the UI thread can be held so.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QSettings, Signal

from iapt_desktop.storage import backups
from iapt_desktop.storage.keyfile import KdfParameters
from iapt_desktop.storage.record_writes import save_row
from iapt_desktop.storage.session import Session, create_database, unlock
from iapt_desktop.storage.table_rows import count_rows
from iapt_desktop.ui.main_window import MainWindow
from iapt_desktop.ui.security.automatic_backup import FAILED_TITLE, STOPPED, AutomaticBackup
from iapt_desktop.ui.security.login_dialog import LoginDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen only

CHEAP_KDF = KdfParameters(time_cost=1, memory_cost_kib=8192, parallelism=1)
PASSWORD = "automatic backups pass 7"
WAIT_MS = 30000


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(backups, "PAGES_PER_STEP", 1)  # many steps even for a small database
    path = tmp_path / "service.db"
    made, _recovery = create_database(path, "admin", "Ada Admin", PASSWORD, kdf=CHEAP_KDF)
    save_row(made.db, made.user, "IDS001MPI", {"LocalPatientId": "P1", "NHSNumber": "9990000018"})
    made.close()
    return path


@pytest.fixture
def session(database: Path) -> Iterator[Session]:
    opened = unlock(database, "admin", PASSWORD, backup_in_background=True)
    yield opened
    opened.close()


def window_for(qtbot, session: Session, tmp_path: Path) -> MainWindow:
    window = MainWindow(session, QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    return window


class Relay(QObject):
    held = Signal()


class Hold:
    """Wraps the job: after its first step with pages copied it waits until the UI thread has run ``on_held``
    (and, with ``until_cancelled``, until the job has been told to stop)."""

    def __init__(self, task: AutomaticBackup, on_held: Callable[[], None], until_cancelled: bool = False) -> None:
        self.task = task
        self.on_held = on_held
        self.until_cancelled = until_cancelled
        self.released = threading.Event()
        self.job_threads: list[int] = []
        self.percents: list[int] = []
        self.status_seen: list[str] = []
        self.relay = Relay()
        self.relay.held.connect(self._held)  # queued: emitted on the job's thread, run on the UI thread
        task.wrap_job = self.wrap

    def wrap(self, job: Iterable[Any]) -> Iterator[Any]:
        self.job_threads.append(threading.get_ident())
        cancel = self.task.cancel_event
        iterator = iter(job)
        held = False
        while True:
            try:
                step = next(iterator)
            except StopIteration as finished:
                return finished.value
            self.percents.append(step.percent)
            yield step
            if not held and step.done >= 1:
                held = True
                self.relay.held.emit()  # after the step's progress signal, so the UI has shown it
                assert self.released.wait(WAIT_MS / 1000), "the UI never handled the held step"
                if self.until_cancelled:
                    assert cancel.wait(WAIT_MS / 1000), "the job was never told to stop"

    def _held(self) -> None:
        self.status_seen.append(self.task.status.text())
        if self.until_cancelled:
            self.released.set()  # the job goes on only once told to stop: on_held may wait for it to end
        self.on_held()
        self.released.set()


def start_held(qtbot, window: MainWindow) -> None:
    """Show the window; the backup starts from its event loop; wait until it has ended."""
    with qtbot.waitSignal(window.automatic_backup.finished, timeout=WAIT_MS):
        window.show()


def test_signing_in_makes_no_backup_and_says_it_is_due(qtbot, database: Path) -> None:
    with unlock(database, "admin", PASSWORD, backup_in_background=True) as session:
        assert session.automatic_backup_due and backups.list_backups(database) == []
    dialog = LoginDialog(database, "admin")
    qtbot.addWidget(dialog)
    dialog.password.setText(PASSWORD)
    dialog.try_sign_in()
    assert dialog.session.automatic_backup_due and backups.list_backups(database) == []
    dialog.session.close()
    with unlock(database, "admin", PASSWORD) as session:  # the CLI: made at once, as before
        assert not session.automatic_backup_due and len(backups.list_backups(database)) == 1
    with unlock(database, "admin", PASSWORD, backup_in_background=True) as session:
        assert not session.automatic_backup_due  # a fresh backup: nothing due


def test_the_backup_runs_after_the_window_shows_off_the_ui_thread_with_progress_to_the_end(
        qtbot, session: Session, tmp_path: Path) -> None:
    window = window_for(qtbot, session, tmp_path)
    assert backups.list_backups(session.path) == [] and not window.automatic_backup.running
    seen: dict[str, Any] = {}
    hold = Hold(window.automatic_backup, lambda: seen.update(
        visible=window.automatic_backup.isVisible(), files=backups.list_backups(session.path)))
    start_held(qtbot, window)
    assert seen == {"visible": True, "files": []}
    assert hold.job_threads and hold.job_threads[0] != threading.get_ident()
    assert hold.status_seen[0].startswith("Copying pages into the backup")
    assert hold.percents[-1] == 100 and len(hold.percents) > 3
    made = backups.list_backups(session.path)
    assert len(made) == 1 and window.automatic_backup.outcome == "made"
    assert not session.automatic_backup_due and not backups.backup_due(session.path)
    assert not window.automatic_backup.isVisible()
    assert window.statusBar().currentMessage() == f"Automatic backup made: {made[0].name}"
    assert session.db.execute("SELECT action, username FROM app_audit_log ORDER BY id DESC LIMIT 1"
                              ).fetchone() == ("backup", "system")


def test_cancel_leaves_no_file_and_the_backup_still_due(qtbot, session: Session, tmp_path: Path) -> None:
    window = window_for(qtbot, session, tmp_path)
    hold = Hold(window.automatic_backup, window.automatic_backup.cancel_button.click, until_cancelled=True)
    start_held(qtbot, window)
    assert hold.status_seen[0].startswith("Copying pages into the backup")
    assert window.automatic_backup.outcome == "stopped"
    folder = backups.backups_dir(session.path)
    assert [p.name for p in folder.iterdir()] == []
    assert session.automatic_backup_due and backups.backup_due(session.path)
    assert window.statusBar().currentMessage() == STOPPED
    assert count_rows(session.db, "IDS001MPI") == 1


def test_closing_the_window_while_it_runs_stops_it_cleanly(qtbot, session: Session, tmp_path: Path) -> None:
    window = window_for(qtbot, session, tmp_path)
    left_after_close: list[list[str]] = []
    folder = backups.backups_dir(session.path)

    def close() -> None:  # the job is mid-copy, its partial file on disk: closing waits for it to stop
        left_after_close.append([p.name for p in folder.iterdir()])
        window.close()
        left_after_close.append([p.name for p in folder.iterdir()])

    hold = Hold(window.automatic_backup, close, until_cancelled=True)
    start_held(qtbot, window)
    assert hold.job_threads and not window.isVisible() and len(left_after_close) == 2
    # mid-copy: the partial file (and SQLite's journal beside it, listed in any order); after the close: nothing
    assert any(name.endswith(".partial") for name in left_after_close[0]) and left_after_close[1] == []
    assert not window.automatic_backup.running and window.automatic_backup.outcome == "stopped"
    assert [p.name for p in backups.backups_dir(session.path).iterdir()] == []
    assert backups.backup_due(session.path)


def test_a_backups_folder_that_cannot_be_written_gives_a_clear_message(qtbot, session: Session,
                                                                      tmp_path: Path) -> None:
    backups.backups_dir(session.path).write_text("a file where the backups folder should be")
    window = window_for(qtbot, session, tmp_path)
    with qtbot.waitSignal(window.automatic_backup.finished, timeout=WAIT_MS):
        window.show()
    task = window.automatic_backup
    assert task.outcome == "failed" and task.message is not None and task.message.isVisible()
    assert task.message.windowTitle() == FAILED_TITLE and not task.message.isModal()
    text = task.message.text()
    assert "The backup could not be written to" in text and "Check the disk has room" in text
    assert "tried again at the next sign-in" in text
    assert window.statusBar().currentMessage().startswith(FAILED_TITLE)
    task.message.close()
    save_row(session.db, session.user, "IDS001MPI", {"LocalPatientId": "P2", "NHSNumber": "9990000026"})
    window.caseload.refresh("P2")
    assert count_rows(session.db, "IDS001MPI") == 2 and session.automatic_backup_due
    window.hide()
    window.show()  # not tried again (nor the message shown again) until the next sign-in
    assert not task.running and task.outcome == "failed"


def test_a_window_whose_sign_in_found_no_backup_due_starts_none(qtbot, tmp_path: Path) -> None:
    made, _recovery = create_database(tmp_path / "new.db", "admin", "Ada Admin", PASSWORD, kdf=CHEAP_KDF)
    try:
        window = window_for(qtbot, made, tmp_path)
        window.show()
        qtbot.wait(0)  # the event loop turns once: a start would have been queued there
        assert window.automatic_backup.runner is None and backups.list_backups(made.path) == []
    finally:
        made.close()
