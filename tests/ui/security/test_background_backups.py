"""Back up now, Check every backup, Restore and the audit trail export run on a worker thread with a progress
bar and Cancel; the dialogs stay responsive; stopping keeps nothing half done; failures say what to do.

Each job is held at a chosen step (TaskProgress.wrap_job) until the dialog's own event loop has handled that
step's progress and acted (Cancel, closing...): only a job off the UI thread can be held so.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt

from iapt_desktop.jobs.backup_jobs import JobStep
from iapt_desktop.storage import backups
from iapt_desktop.storage.keyfile import KdfParameters
from iapt_desktop.storage.record_writes import save_row
from iapt_desktop.storage.session import Session, create_database
from iapt_desktop.storage.table_rows import count_rows
from iapt_desktop.ui.main_window import MainWindow
from iapt_desktop.ui.security.audit_log_dialog import AuditLogDialog
from iapt_desktop.ui.security.backup_restore import RestoringBackupsDialog
from iapt_desktop.ui.security.backups_dialog import BackupsDialog
from iapt_desktop.ui.security.task_progress import CANNOT_STOP, TaskProgress

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen only

CHEAP_KDF = KdfParameters(time_cost=1, memory_cost_kib=8192, parallelism=1)
WAIT_MS = 30000


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    monkeypatch.setattr(backups, "PAGES_PER_STEP", 1)  # many steps even for a small database
    opened, _recovery = create_database(tmp_path / "service.db", "admin", "Ada Admin", "background jobs pass 7",
                                        kdf=CHEAP_KDF)
    save_row(opened.db, opened.user, "IDS001MPI", {"LocalPatientId": "P1", "NHSNumber": "9990000018"})
    yield opened
    opened.close()


class Hold:
    """Wraps a job: after yielding the first step ``hold`` accepts, the job waits until ``release()``.

    ``on_held`` runs on the UI thread when that step's progress arrives there, then releases the job."""

    def __init__(self, task: TaskProgress, hold: Callable[[JobStep], bool], on_held: Callable[[], None]) -> None:
        self.hold = hold
        self.on_held = on_held
        self.released = threading.Event()
        self.job_threads: list[int] = []
        self.percents: list[int] = []
        self.held_seen = False
        task.wrap_job = self.wrap

    def wrap(self, job: Iterable[Any]) -> Iterator[Any]:
        self.job_threads.append(threading.get_ident())
        iterator = iter(job)
        held = False
        while True:
            try:
                step = next(iterator)
            except StopIteration as finished:
                return finished.value
            yield step
            if not held and self.hold(step):
                held = True
                assert self.released.wait(WAIT_MS / 1000), "the UI never handled the held step"

    def watch(self, runner: Any) -> None:
        runner.progressed.connect(self._progressed)

    def _progressed(self, step: JobStep) -> None:
        self.percents.append(step.percent)
        if not self.held_seen and self.hold(step):
            self.held_seen = True
            self.on_held()
            self.released.set()


def dialog_for(qtbot, session: Session) -> BackupsDialog:
    dialog = BackupsDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_back_up_now_runs_off_the_ui_thread_with_progress_to_100(qtbot, session: Session) -> None:
    dialog = dialog_for(qtbot, session)
    seen: dict[str, Any] = {}

    def while_held() -> None:  # the dialog's event loop runs while the job is held on its thread
        seen.update(visible=dialog.task.isVisible(), listed=dialog.list.count(),
                    buttons=dialog.backup_button.isEnabled() or dialog.verify_button.isEnabled())

    hold = Hold(dialog.task, lambda step: step.done >= 1, while_held)
    with qtbot.waitSignal(dialog.task.finished, timeout=WAIT_MS):
        runner = dialog.back_up_now()
        assert runner is not None and dialog.task.running and dialog.back_up_now() is None  # one at a time
        hold.watch(runner)
    assert seen == {"visible": True, "listed": 0, "buttons": False}
    assert hold.job_threads and hold.job_threads[0] != threading.get_ident()
    assert hold.percents[-1] == 100 and len(hold.percents) > 3
    assert dialog.list.count() == 1 and dialog.status.text().startswith("Backup written: ")
    assert dialog.backup_button.isEnabled() and not dialog.task.isVisible()
    assert session.db.execute("SELECT action FROM app_audit_log ORDER BY id DESC LIMIT 1").fetchone() == ("backup",)


def test_cancelling_a_backup_leaves_no_file(qtbot, session: Session) -> None:
    dialog = dialog_for(qtbot, session)
    hold = Hold(dialog.task, lambda step: step.done >= 1, lambda: dialog.task.cancel_button.click())
    with qtbot.waitSignal(dialog.task.finished, timeout=WAIT_MS):
        hold.watch(dialog.back_up_now())
    assert dialog.status.text().startswith("Backup stopped: no backup was made")
    folder = backups.backups_dir(session.path)
    assert backups.list_backups(session.path) == [] and [p.name for p in folder.iterdir()] == []


def test_a_backup_folder_that_cannot_be_written_gives_a_clear_message(qtbot, session: Session) -> None:
    backups.backups_dir(session.path).write_text("a file where the backups folder should be")
    dialog = dialog_for(qtbot, session)
    with qtbot.waitSignal(dialog.task.finished, timeout=WAIT_MS):
        dialog.back_up_now()
    assert dialog.status.text().startswith("No backup was made: The backup could not be written to")
    assert "Check the disk has room" in dialog.status.text()
    assert count_rows(session.db, "IDS001MPI") == 1 and dialog.backup_button.isEnabled()


def test_checking_backups_reports_progress_and_a_stop_says_what_was_checked(qtbot, session: Session) -> None:
    for _ in range(3):
        backups.create_backup(session.db, session.path, session.location.key, actor=session.user)
    dialog = dialog_for(qtbot, session)
    hold = Hold(dialog.task, lambda step: False, lambda: None)
    with qtbot.waitSignal(dialog.task.finished, timeout=WAIT_MS):
        hold.watch(dialog.verify_all())
    assert hold.percents[-1] == 100 and dialog.status.text() == "All 3 backups are sound."
    hold = Hold(dialog.task, lambda step: step.done == 1, lambda: dialog.task.cancel_button.click())
    with qtbot.waitSignal(dialog.task.finished, timeout=WAIT_MS):
        hold.watch(dialog.verify_all())
    assert dialog.status.text() == "Checking stopped after 1 of 3 backups; of those checked, all sound."


def test_restore_cannot_be_cancelled_once_copying_and_says_why(qtbot, session: Session, tmp_path: Path) -> None:
    made = backups.create_backup(session.db, session.path, session.location.key, actor=session.user)
    save_row(session.db, session.user, "IDS001MPI", {"LocalPatientId": "P2", "NHSNumber": "9990000026"})
    window = MainWindow(session, QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    dialog = RestoringBackupsDialog(session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    seen: dict[str, Any] = {}

    def while_copying() -> None:
        dialog.task.cancel_button.click()  # disabled: nothing happens
        dialog.reject()  # closing waits for the restore
        seen.update(modal=dialog.windowModality() == Qt.WindowModality.WindowModal and dialog.isVisible(),
                    cancel=dialog.task.cancel_button.isEnabled(), why=dialog.task.status.text(),
                    tip=dialog.task.cancel_button.toolTip(), visible=dialog.isVisible(), status=dialog.status.text())

    hold = Hold(dialog.task, lambda step: not step.may_stop, while_copying)
    with qtbot.waitSignal(dialog.restored, timeout=WAIT_MS), qtbot.waitSignal(dialog.task.finished, timeout=WAIT_MS):
        hold.watch(dialog.restore(made))
    assert seen["modal"]  # nothing can be typed into the main window while its contents are replaced
    assert seen["cancel"] is False and CANNOT_STOP in seen["why"] and seen["tip"] == CANNOT_STOP
    assert seen["visible"] and seen["status"].startswith("Wait until the restore has finished")
    assert hold.percents[-1] == 100 and hold.job_threads[0] != threading.get_ident()
    assert count_rows(session.db, "IDS001MPI") == 1 and dialog.status.text().startswith(f"Restored {made.name}.")


def test_a_restore_cancelled_before_copying_changes_nothing(qtbot, session: Session) -> None:
    made = backups.create_backup(session.db, session.path, session.location.key, actor=session.user)
    save_row(session.db, session.user, "IDS001MPI", {"LocalPatientId": "P2", "NHSNumber": "9990000026"})
    dialog = RestoringBackupsDialog(session)
    qtbot.addWidget(dialog)
    hold = Hold(dialog.task, lambda step: step.stage == backups.RESTORE_KEEPING,
                lambda: dialog.task.cancel_button.click())
    with qtbot.assertNotEmitted(dialog.restored), qtbot.waitSignal(dialog.task.finished, timeout=WAIT_MS):
        hold.watch(dialog.restore(made))
    assert dialog.status.text().startswith("Nothing was restored: stopped before")
    assert count_rows(session.db, "IDS001MPI") == 2 and backups.list_backups(session.path) == [made]


def test_the_audit_export_runs_in_the_background_and_a_stop_or_failure_writes_nothing(
        qtbot, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import iapt_desktop.jobs.audit_trail_export as export

    monkeypatch.setattr(export, "REPORT_EVERY", 1)
    dialog = AuditLogDialog(session)
    qtbot.addWidget(dialog)
    total = dialog.model.total
    out = tmp_path / "out"
    out.mkdir()
    hold = Hold(dialog.task, lambda step: step.done == 1, lambda: dialog.task.cancel_button.click())
    with qtbot.waitSignal(dialog.task.finished, timeout=WAIT_MS):
        hold.watch(dialog.export_to(out / "trail.xlsx"))
    assert dialog.status.text() == "Export stopped: trail.xlsx was not written." and list(out.iterdir()) == []
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    with qtbot.waitSignal(dialog.task.finished, timeout=WAIT_MS):
        dialog.export_to(blocked / "trail.csv")
    assert dialog.status.text().startswith(f"Not exported: trail.csv could not be written in {blocked}")
    assert "Nothing was written" in dialog.status.text()
    hold = Hold(dialog.task, lambda step: False, lambda: None)
    with qtbot.waitSignal(dialog.task.finished, timeout=WAIT_MS):
        runner = dialog.export_to(out / "trail.csv")
        assert runner is not None and not dialog.export_button.isEnabled()
        hold.watch(runner)
    assert hold.percents[-1] == 100 and hold.job_threads[0] != threading.get_ident()
    assert dialog.status.text() == f"{total:,} entries written to trail.csv."
    assert [p.name for p in out.iterdir()] == ["trail.csv"] and dialog.export_button.isEnabled()
