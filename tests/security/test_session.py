"""Signing in: create, unlock, wrong passwords (counted across restarts), recovery, users' own passwords."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from iapt_desktop.domain.access import Role
from iapt_desktop.storage import audit_log, keyfile
from iapt_desktop.storage.database import DatabaseOpenError, open_database
from iapt_desktop.storage.instance_lock import DatabaseInUse
from iapt_desktop.storage.session import (
    PasswordRejected,
    Session,
    TooManyAttempts,
    UnlockError,
    WrongPassword,
    change_password,
    create_database,
    recover_with_key,
    unlock,
)
from iapt_desktop.storage.users import UserManagementError, add_user, deactivate_user, list_users, reset_password
from tests.security.conftest import ADMIN_PASSWORD, CHEAP_KDF

COUNSELLOR_PASSWORD = "listening is half the work"


def _actions(session: Session) -> list[str]:
    return [e.action for e in audit_log.entries(session.db)]


def test_a_new_database_is_encrypted_and_has_its_named_administrator_and_no_other_account(
        admin_session: Session, secure_path: Path) -> None:
    assert admin_session.user.username == "admin" and admin_session.user.role is Role.ADMINISTRATOR
    assert [u.username for u in list_users(admin_session.db)] == ["admin"]
    assert secure_path.read_bytes()[:16] != b"SQLite format 3\x00"
    with pytest.raises(DatabaseOpenError):
        open_database(secure_path)
    assert _actions(admin_session)[-2:] == ["set up", "login"]


def test_set_up_refuses_a_weak_password_or_an_existing_file(tmp_path: Path) -> None:
    with pytest.raises(PasswordRejected, match="12"):
        create_database(tmp_path / "a.db", "admin", "Ada", "short", kdf=CHEAP_KDF)
    assert list(tmp_path.iterdir()) == [tmp_path / "a.db.lock"] or list(tmp_path.iterdir()) == []
    (tmp_path / "b.db").write_bytes(b"x")
    with pytest.raises(UnlockError, match="already exists"):
        create_database(tmp_path / "b.db", "admin", "Ada", ADMIN_PASSWORD, kdf=CHEAP_KDF)


def test_unlock_with_the_right_password_records_the_login(created: tuple[Session, str], secure_path: Path) -> None:
    created[0].close()
    with unlock(secure_path, "admin", ADMIN_PASSWORD) as session:
        assert session.user.display_name == "Ada Admin"
        assert session.location.key is not None and len(session.location.key) == 32
        assert _actions(session)[-1] in ("login", "backup")
        assert "login" in _actions(session)[-2:]
    with unlock(secure_path, "admin", ADMIN_PASSWORD) as session:
        assert _actions(session).count("logout") == 2  # set-up's session and the one above


def test_a_wrong_password_says_so_without_telling_which_part_was_wrong(
        created: tuple[Session, str], secure_path: Path) -> None:
    created[0].close()
    with pytest.raises(WrongPassword, match="user name or password is wrong"):
        unlock(secure_path, "admin", "not the password at all")
    with pytest.raises(WrongPassword, match="user name or password is wrong"):
        unlock(secure_path, "nobody", ADMIN_PASSWORD)
    with unlock(secure_path, "admin", ADMIN_PASSWORD) as session:
        failed = [e for e in audit_log.entries(session.db) if e.action == "failed login"]
        assert {e.record_key: e.changes["attempts"] for e in failed} == {"admin": 1, "(unknown user name)": 1}
    assert keyfile.read_keyfile(secure_path).users["admin"].failed_attempts == 0


def test_after_ten_failures_even_the_right_password_waits_and_a_restart_does_not_reset_it(
        created: tuple[Session, str], secure_path: Path) -> None:
    created[0].close()
    for _ in range(10):
        with pytest.raises(WrongPassword):
            unlock(secure_path, "admin", "a wrong guess of a password")
    # A fresh process reads the count from the key file.
    script = (f"from iapt_desktop.storage.session import unlock\n"
              f"unlock({str(secure_path)!r}, 'admin', {ADMIN_PASSWORD!r})\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False,
                            cwd=Path(__file__).parents[2])
    assert result.returncode != 0 and "TooManyAttempts" in result.stderr
    with pytest.raises(TooManyAttempts, match="Try again in 1 minute") as raised:
        unlock(secure_path, "admin", ADMIN_PASSWORD)
    assert 0 < raised.value.seconds_left <= 30
    assert keyfile.read_keyfile(secure_path).users["admin"].failed_attempts == 10


def test_an_administrator_adds_a_user_who_signs_in_with_their_own_password(admin_session: Session,
                                                                            secure_path: Path) -> None:
    admin_session.db.execute("INSERT INTO app_care_personnel (CarePersLocalId, display_name) VALUES ('C1', 'Cy')")
    add_user(admin_session, "cy", "Cy Counsellor", Role.COUNSELLOR, COUNSELLOR_PASSWORD, "C1")
    admin_session.close()
    with unlock(secure_path, "cy", COUNSELLOR_PASSWORD) as session:
        assert session.user.role is Role.COUNSELLOR and session.user.care_personnel_id == "C1"
        assert session.must_change_password
        change_password(session, COUNSELLOR_PASSWORD, "my own words for my own door")
        assert not session.must_change_password
    with pytest.raises(WrongPassword):
        unlock(secure_path, "cy", COUNSELLOR_PASSWORD)
    with unlock(secure_path, "cy", "my own words for my own door") as session:
        assert "change password" in _actions(session)


def test_reset_password_and_deactivate_need_no_re_encryption(admin_session: Session, secure_path: Path) -> None:
    admin_session.db.execute("INSERT INTO app_care_personnel (CarePersLocalId, display_name) VALUES ('C1', 'Cy')")
    add_user(admin_session, "cy", "Cy Counsellor", Role.COUNSELLOR, COUNSELLOR_PASSWORD, "C1")
    before = secure_path.read_bytes()[:4096]
    reset_password(admin_session, "cy", "a fresh start for cy today")
    assert secure_path.read_bytes()[:4096] == before  # the data key is unchanged
    deactivate_user(admin_session, "cy")
    assert "cy" not in keyfile.read_keyfile(secure_path).users
    with pytest.raises(UserManagementError, match="yourself"):
        deactivate_user(admin_session, "admin")
    admin_session.close()
    with pytest.raises(WrongPassword):
        unlock(secure_path, "cy", "a fresh start for cy today")


def test_the_recovery_key_sets_a_new_administrator_password(created: tuple[Session, str], secure_path: Path) -> None:
    session, recovery_key = created
    session.close()
    with pytest.raises(WrongPassword, match="recovery key is wrong"):
        recover_with_key(secure_path, keyfile.new_recovery_key(), "a brand new admin phrase")
    with recover_with_key(secure_path, recovery_key, "a brand new admin phrase") as recovered:
        assert recovered.user.username == "admin"
        assert "recover with key" in _actions(recovered)
    with pytest.raises(WrongPassword):
        unlock(secure_path, "admin", ADMIN_PASSWORD)
    unlock(secure_path, "admin", "a brand new admin phrase").close()


_HOLD = """
import sys, time
from iapt_desktop.storage.session import unlock
session = unlock(sys.argv[1], "admin", sys.argv[2])
print("OPEN", flush=True)
time.sleep(60)
"""


def _holder(path: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", _HOLD, str(path), ADMIN_PASSWORD], stdout=subprocess.PIPE,
                               text=True, cwd=Path(__file__).parents[2])
    assert process.stdout is not None and process.stdout.readline().strip() == "OPEN"
    return process


def test_a_second_copy_is_refused_naming_who_has_it_and_a_killed_holder_leaves_no_stale_lock(
        created: tuple[Session, str], secure_path: Path) -> None:
    created[0].close()
    holder = _holder(secure_path)
    try:
        with pytest.raises(DatabaseInUse, match=f"already open by .* \\(process {holder.pid}\\) since"):
            unlock(secure_path, "admin", ADMIN_PASSWORD)
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    assert json.loads((secure_path.with_name("service.db.lock")).read_text())["process"] == holder.pid
    unlock(secure_path, "admin", ADMIN_PASSWORD).close()  # the dead holder's lock is gone


def _fail_fsync(_descriptor: int) -> None:
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("failure", ["disk full writing the key file", "unusable key derivation settings"])
def test_a_failed_set_up_leaves_no_lock_file_nor_anything_else_behind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    path = tmp_path / "new.db"
    kdf = CHEAP_KDF
    if failure.startswith("disk full"):
        monkeypatch.setattr(os, "fsync", _fail_fsync)
    else:
        kdf = keyfile.KdfParameters(time_cost=1, memory_cost_kib=8, parallelism=0)
    with pytest.raises(Exception) as raised:
        create_database(path, "admin", "Ada Admin", ADMIN_PASSWORD, kdf=kdf)
    assert not isinstance(raised.value, (UnlockError, PasswordRejected))  # it failed after taking the lock
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    session, _recovery = create_database(path, "admin", "Ada Admin", ADMIN_PASSWORD, kdf=CHEAP_KDF)
    session.close()
    assert path.exists()


def test_discarding_after_a_failed_set_up_keeps_the_lock_of_a_copy_that_holds_it(tmp_path: Path) -> None:
    from iapt_desktop.storage import instance_lock

    path = tmp_path / "new.db"
    with instance_lock.acquire(path):  # this process already holds it (e.g. another window)
        with pytest.raises(Exception):  # noqa: B017
            create_database(path, "admin", "Ada Admin", ADMIN_PASSWORD,
                            kdf=keyfile.KdfParameters(time_cost=1, memory_cost_kib=8, parallelism=0))
        assert instance_lock.lock_path(path).exists()
