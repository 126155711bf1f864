"""The commands drive the same jobs as the app: progress on a terminal's stderr; Ctrl-C stops a backup cleanly."""

from __future__ import annotations

import io
import sys

import pytest

from iapt_desktop.cli.job_steps import run_to_end
from iapt_desktop.jobs.backup_jobs import backup_job
from iapt_desktop.storage import backups
from iapt_desktop.storage.session import Session


class Terminal(io.StringIO):
    def __init__(self, interrupt_at: int | None = None) -> None:
        super().__init__()
        self.interrupt_at = interrupt_at
        self.writes = 0

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.writes += 1
        if self.interrupt_at is not None and self.writes == self.interrupt_at:
            raise KeyboardInterrupt  # as Ctrl-C arrives while the job runs
        return super().write(text)


def test_progress_is_shown_on_a_terminal_up_to_100_percent(admin_session: Session,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backups, "PAGES_PER_STEP", 1)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    made = run_to_end(backup_job(admin_session.location, admin_session.user))
    assert made in backups.list_backups(admin_session.path)
    shown = terminal.getvalue()
    assert "Copying pages into the backup: 100 %" in shown and shown.endswith("\n")


def test_ctrl_c_stops_the_backup_and_leaves_no_file(admin_session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backups, "PAGES_PER_STEP", 1)
    monkeypatch.setattr(sys, "stderr", Terminal(interrupt_at=3))
    with pytest.raises(KeyboardInterrupt):
        run_to_end(backup_job(admin_session.location, admin_session.user))
    folder = backups.backups_dir(admin_session.path)
    assert backups.list_backups(admin_session.path) == [] and list(folder.iterdir()) == []
