"""The backup, check, restore and audit export jobs: progress to 100 %, stopping at safe points, nothing partial.

Real encrypted databases; the jobs are driven here the way ui.workers and the CLI drive them.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from iapt_desktop.jobs.audit_trail_export import audit_export_job
from iapt_desktop.jobs.backup_jobs import JobStep, backup_job, restore_job, verify_job
from iapt_desktop.storage import backups
from iapt_desktop.storage.backups import BackupError, OperationCancelled
from iapt_desktop.storage.record_writes import save_row
from iapt_desktop.storage.session import Session
from iapt_desktop.storage.table_rows import count_rows


def drive(job: Generator[JobStep, None, Any]) -> tuple[list[JobStep], Any]:
    steps: list[JobStep] = []
    while True:
        try:
            steps.append(next(job))
        except StopIteration as finished:
            return steps, finished.value


TEST_NHS_NUMBERS = ("9990000018", "9990000026", "9990000034", "9990000042", "9990000050", "9990000069",
                    "9990000077", "9990000085", "9990000093")


def add_patient(session: Session, local_id: str, nhs_number: str) -> None:
    save_row(session.db, session.user, "IDS001MPI", {"LocalPatientId": local_id, "NHSNumber": nhs_number})


def actions(session: Session) -> list[str]:
    return [row[0] for row in session.db.execute("SELECT action FROM app_audit_log ORDER BY id")]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) if folder.is_dir() else []


@pytest.fixture
def small_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backups, "PAGES_PER_STEP", 1)  # many steps even for a small database


def test_a_backup_job_reports_pages_to_100_percent_and_records_the_backup(admin_session: Session,
                                                                          small_steps: None) -> None:
    add_patient(admin_session, "P1", "9990000018")
    steps, made = drive(backup_job(admin_session.location, admin_session.user))
    assert len(steps) > 10 and steps[-1].percent == 100
    assert [s.done for s in steps] == sorted(s.done for s in steps)
    assert made in backups.list_backups(admin_session.path)
    assert backups.verify_backup(made, admin_session.location.key) == []
    assert actions(admin_session)[-1] == "backup"


@pytest.mark.parametrize("how", ["cancel event", "closed by the worker"])
def test_a_stopped_backup_leaves_no_file_and_no_audit_entry(admin_session: Session, small_steps: None,
                                                            how: str) -> None:
    before = actions(admin_session)
    cancel = threading.Event()
    job = backup_job(admin_session.location, admin_session.user, cancel)
    next(job)
    next(job)
    if how == "closed by the worker":
        job.close()
    else:
        cancel.set()
        with pytest.raises(OperationCancelled):
            drive(job)
    assert backups.list_backups(admin_session.path) == []
    assert leftovers(backups.backups_dir(admin_session.path)) == []
    assert actions(admin_session) == before


def test_a_backup_into_an_unwritable_folder_says_what_to_do_and_changes_nothing(admin_session: Session) -> None:
    add_patient(admin_session, "P1", "9990000018")
    backups.backups_dir(admin_session.path).write_text("not a folder")  # the folder cannot be made or written
    before = actions(admin_session)
    with pytest.raises(BackupError, match=r"could not be written to .*Check the disk has room"):
        drive(backup_job(admin_session.location, admin_session.user))
    assert actions(admin_session) == before and count_rows(admin_session.db, "IDS001MPI") == 1


def test_checking_reports_each_backup_and_a_stop_says_what_was_checked(admin_session: Session) -> None:
    key = admin_session.location.key
    first = backups.create_backup(admin_session.db, admin_session.path, key, actor=admin_session.user)
    second = backups.create_backup(admin_session.db, admin_session.path, key, actor=admin_session.user)
    data = bytearray(first.read_bytes())
    data[len(data) // 2] ^= 0xFF
    first.write_bytes(bytes(data))
    steps, outcome = drive(verify_job(admin_session.path, key))
    assert steps[-1].percent == 100 and [s.done for s in steps] == [0, 1, 2]
    assert outcome.damaged == [first.name] and not outcome.stopped
    assert outcome.summary().startswith(f"1 of 2 backups are damaged: {first.name}")
    cancel = threading.Event()
    job = verify_job(admin_session.path, key, cancel)
    next(job)
    next(job)  # the newest (second) is checked
    cancel.set()
    _steps, partial = drive(job)
    assert partial.stopped and partial.checked == [(second.name, [])]
    assert partial.summary() == "Checking stopped after 1 of 2 backups; of those checked, all sound."


def test_a_check_is_interrupted_inside_a_backup(admin_session: Session) -> None:
    made = backups.create_backup(admin_session.db, admin_session.path, admin_session.location.key,
                                 actor=admin_session.user)
    with pytest.raises(OperationCancelled):
        backups.verify_backup(made, admin_session.location.key, lambda: True)


def test_a_restore_job_reports_its_stages_and_cannot_be_stopped_once_copying(admin_session: Session,
                                                                             small_steps: None) -> None:
    add_patient(admin_session, "P1", "9990000018")
    made = backups.create_backup(admin_session.db, admin_session.path, admin_session.location.key,
                                 actor=admin_session.user)
    add_patient(admin_session, "P2", "9990000026")
    cancel = threading.Event()
    job = restore_job(admin_session.location, made, admin_session.user, cancel)
    steps: list[JobStep] = []
    while not steps or steps[-1].may_stop:
        steps.append(next(job))
    assert steps[0].stage == backups.RESTORE_CHECKING
    assert backups.RESTORE_KEEPING in [s.stage for s in steps]
    assert steps[-1].stage == backups.RESTORE_COPYING
    cancel.set()  # too late: the copy, migrations and audit entry finish
    rest, safety = drive(job)
    assert all(not s.may_stop for s in rest) and rest[-1].percent == 100
    assert count_rows(admin_session.db, "IDS001MPI") == 1  # the UI's own connection sees the restore
    assert "before-restore" in safety.name and safety.exists()
    assert actions(admin_session)[-1] == "restore"
    assert leftovers(made.parent) == []


def test_a_restore_stopped_before_copying_changes_nothing_and_keeps_no_safety_backup(admin_session: Session,
                                                                                     small_steps: None) -> None:
    add_patient(admin_session, "P1", "9990000018")
    made = backups.create_backup(admin_session.db, admin_session.path, admin_session.location.key,
                                 actor=admin_session.user)
    add_patient(admin_session, "P2", "9990000026")
    before = actions(admin_session)
    cancel = threading.Event()
    job = restore_job(admin_session.location, made, admin_session.user, cancel)
    while next(job).stage != backups.RESTORE_KEEPING:
        pass
    cancel.set()
    with pytest.raises(OperationCancelled):
        drive(job)
    assert count_rows(admin_session.db, "IDS001MPI") == 2 and actions(admin_session) == before
    assert backups.list_backups(admin_session.path) == [made]
    assert leftovers(made.parent) == []


def test_the_audit_export_job_reports_entries_and_records_the_export(admin_session: Session, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import iapt_desktop.jobs.audit_trail_export as export

    monkeypatch.setattr(export, "REPORT_EVERY", 2)
    for n in range(9):
        add_patient(admin_session, f"P{n}", TEST_NHS_NUMBERS[n])
    total = len(actions(admin_session))
    steps, count = drive(audit_export_job(admin_session.location, admin_session.user, tmp_path / "trail.csv"))
    assert count == total and steps[0].done == 0 and steps[-1].percent == 100 and len(steps) >= 5
    assert len((tmp_path / "trail.csv").read_text(encoding="utf-8-sig").splitlines()) == total + 1
    assert actions(admin_session)[-1] == "export audit trail"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_stopped_or_failed_audit_export_leaves_no_file(admin_session: Session, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    import iapt_desktop.jobs.audit_trail_export as export

    monkeypatch.setattr(export, "REPORT_EVERY", 1)
    for n in range(4):
        add_patient(admin_session, f"P{n}", TEST_NHS_NUMBERS[n])
    before = actions(admin_session)
    out = tmp_path / "out"
    out.mkdir()
    cancel = threading.Event()
    job = audit_export_job(admin_session.location, admin_session.user, out / f"trail{suffix}", cancel)
    next(job)
    next(job)
    cancel.set()
    with pytest.raises(OperationCancelled):
        drive(job)
    assert list(out.iterdir()) == [] and actions(admin_session) == before
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(OSError):
        drive(audit_export_job(admin_session.location, admin_session.user, blocked / f"trail{suffix}"))
    assert blocked.read_text() == "a file where the folder should be" and actions(admin_session) == before
