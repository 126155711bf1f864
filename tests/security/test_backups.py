"""Backups are encrypted, rotated, checked page by page and restored safely; tampering is always detected."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
import sqlcipher3

from iapt_desktop.cli import main as cli_main
from iapt_desktop.domain.access import AccessDenied, Role, User
from iapt_desktop.storage import backups
from iapt_desktop.storage.database import connect
from iapt_desktop.storage.record_writes import get_row, save_row
from iapt_desktop.storage.session import Session, unlock
from tests.security.canaries import CANARY_FAMILY_NAME, add_canary_patient, canaries_in
from tests.security.conftest import ADMIN_PASSWORD


def test_a_backup_is_encrypted_with_the_same_key_and_holds_the_data(admin_session: Session,
                                                                    secure_path: Path) -> None:
    add_canary_patient(admin_session.db, admin_session.user)
    made = backups.create_backup(admin_session.db, secure_path, admin_session.location.key, actor=admin_session.user)
    assert made.parent == secure_path.parent / "backups"
    assert made.with_name(made.name + ".keys").read_bytes() == secure_path.with_name("service.db.keys").read_bytes()
    assert canaries_in(made) == []
    assert made.read_bytes()[:16] != b"SQLite format 3\x00"
    assert backups.verify_backup(made, admin_session.location.key) == []
    conn = connect(made, admin_session.location.key)
    assert conn.execute("SELECT family_name FROM app_patient").fetchall() == [(CANARY_FAMILY_NAME,)]
    conn.close()
    assert backups.verify_backup(made, bytes(32)) != []


def test_old_backups_are_rotated_away(admin_session: Session, secure_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backups, "KEEP", 3)
    made = [backups.create_backup(admin_session.db, secure_path, admin_session.location.key,
                                  actor=admin_session.user) for _ in range(5)]
    assert backups.list_backups(secure_path) == made[:1:-1]
    assert not made[0].exists() and not made[0].with_name(made[0].name + ".keys").exists()


def test_an_automatic_backup_is_made_at_sign_in_only_when_the_last_is_old(created: tuple[Session, str],
                                                                           secure_path: Path) -> None:
    created[0].close()
    unlock(secure_path, "admin", ADMIN_PASSWORD).close()
    assert len(backups.list_backups(secure_path)) == 1
    unlock(secure_path, "admin", ADMIN_PASSWORD).close()
    assert len(backups.list_backups(secure_path)) == 1


def test_restore_puts_the_backup_in_place_and_keeps_the_replaced_file(admin_session: Session,
                                                                       secure_path: Path) -> None:
    save_row(admin_session.db, admin_session.user, "IDS001MPI", {"LocalPatientId": "BEFORE"})
    made = backups.create_backup(admin_session.db, secure_path, admin_session.location.key, actor=admin_session.user)
    save_row(admin_session.db, admin_session.user, "IDS001MPI", {"LocalPatientId": "AFTER"})
    key = admin_session.location.key
    admin_session.close()
    safety = backups.restore_backup(secure_path, key, made)
    assert "before-restore" in safety.name
    with unlock(secure_path, "admin", ADMIN_PASSWORD) as session:
        assert get_row(session.db, "IDS001MPI", "BEFORE") and not get_row(session.db, "IDS001MPI", "AFTER")
    conn = connect(safety, key)
    assert conn.execute("SELECT count(*) FROM IDS001MPI WHERE LocalPatientId = 'AFTER'").fetchone() == (1,)
    conn.close()


def test_restoring_the_oldest_kept_backup_survives_the_rotation_its_safety_backup_causes(
        admin_session: Session, secure_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backups, "KEEP", 2)
    save_row(admin_session.db, admin_session.user, "IDS001MPI", {"LocalPatientId": "OLDEST"})
    oldest = backups.create_backup(admin_session.db, secure_path, admin_session.location.key, actor=admin_session.user)
    save_row(admin_session.db, admin_session.user, "IDS001MPI", {"LocalPatientId": "NEWER"})
    backups.create_backup(admin_session.db, secure_path, admin_session.location.key, actor=admin_session.user)
    key = admin_session.location.key
    admin_session.close()
    backups.restore_backup(secure_path, key, oldest)  # its safety backup rotates `oldest` away
    with unlock(secure_path, "admin", ADMIN_PASSWORD) as session:
        assert get_row(session.db, "IDS001MPI", "OLDEST") and not get_row(session.db, "IDS001MPI", "NEWER")


def test_a_damaged_backup_is_never_restored(admin_session: Session, secure_path: Path) -> None:
    made = backups.create_backup(admin_session.db, secure_path, admin_session.location.key, actor=admin_session.user)
    data = bytearray(made.read_bytes())
    data[5000] ^= 0x01
    made.write_bytes(bytes(data))
    key = admin_session.location.key
    admin_session.close()
    before = secure_path.read_bytes()
    with pytest.raises(backups.BackupError, match="not sound"):
        backups.restore_backup(secure_path, key, made)
    assert secure_path.read_bytes() == before


def test_the_backup_command_makes_verifies_and_restores(created: tuple[Session, str], secure_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    created[0].close()
    monkeypatch.setenv("IAPT_DESKTOP_PASSWORD", ADMIN_PASSWORD)
    assert cli_main(["backup", "--db", str(secure_path)]) == 0
    assert cli_main(["backup", "--db", str(secure_path), "--verify"]) == 0
    made = backups.list_backups(secure_path)[0]
    assert cli_main(["backup", "--db", str(secure_path), "--restore", str(made)]) == 0
    assert "kept as" in capsys.readouterr().out
    bad = made.with_name("broken.db")
    shutil.copyfile(made, bad)
    data = bytearray(bad.read_bytes())
    data[-100] ^= 0x40
    bad.write_bytes(bytes(data))
    assert cli_main(["backup", "--db", str(secure_path), "--restore", str(bad)]) == 1
    assert "Nothing was restored" in capsys.readouterr().err


def _read_everything(path: Path, key: bytes) -> list[tuple[object, ...]]:
    """Every row of every table, and SQLCipher's page check; raises on any error."""
    conn = sqlcipher3.connect(str(path))
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        rows: list[tuple[object, ...]] = []
        for name in names:
            rows.extend(conn.execute(f"SELECT * FROM [{name}]").fetchall())
        problems = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        if problems:
            raise sqlcipher3.DatabaseError(f"cipher_integrity_check: {problems[0][0]}")
        return rows
    finally:
        conn.close()


def test_200_random_single_byte_changes_are_all_detected_and_none_reads_back_altered_data(
        admin_session: Session, secure_path: Path, tmp_path: Path) -> None:
    add_canary_patient(admin_session.db, admin_session.user)
    for n in range(40):
        save_row(admin_session.db, admin_session.user, "IDS001MPI", {"LocalPatientId": f"P{n:03}",
                                                                     "Postcode": "ZZ99 3CZ"})
    key = admin_session.location.key
    assert key is not None
    original = backups.create_backup(admin_session.db, secure_path, key, actor=admin_session.user)
    expected = _read_everything(original, key)
    data = original.read_bytes()
    rng = random.Random(20250401)
    copy = tmp_path / "flipped.db"
    undetected = []
    for _ in range(200):
        position = rng.randrange(len(data))
        changed = bytearray(data)
        changed[position] ^= rng.randrange(1, 256)
        copy.write_bytes(bytes(changed))
        try:
            rows = _read_everything(copy, key)
        except sqlcipher3.DatabaseError:
            continue
        undetected.append((position, rows == expected))
    assert undetected == []


@pytest.mark.parametrize("role", [Role.COUNSELLOR, Role.READ_ONLY])
def test_making_a_backup_is_refused_in_the_core_without_the_backup_permission(
        admin_session: Session, secure_path: Path, role: Role) -> None:
    someone = User("someone", "Some One", role, "C1" if role is Role.COUNSELLOR else None)
    with pytest.raises(AccessDenied, match="Some One"):
        backups.create_backup(admin_session.db, secure_path, admin_session.location.key, actor=someone)
    assert backups.list_backups(secure_path) == []
    assert backups.create_backup(admin_session.db, secure_path, admin_session.location.key,
                                 actor=admin_session.user).exists()
