"""The single-instance lock: a missing folder is said in words; a gone database's lock file can be removed,
but never while someone holds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from iapt_desktop.storage import instance_lock


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as raised:
        instance_lock.acquire(tmp_path / "nonexist" / "z.db")
    assert f"The folder {tmp_path / 'nonexist'} does not exist" in str(raised.value.strerror)
    assert not (tmp_path / "nonexist").exists()


def test_discard_removes_a_released_lock_file_only(tmp_path: Path) -> None:
    database = tmp_path / "gone.db"
    lock = instance_lock.acquire(database)
    instance_lock.discard(database)  # held by this process: kept
    assert instance_lock.lock_path(database).exists()
    lock.release()
    instance_lock.discard(database)
    assert not instance_lock.lock_path(database).exists()
    instance_lock.discard(database)  # nothing there: nothing to do
    again = instance_lock.acquire(database)  # and the database can be locked again
    again.release()
