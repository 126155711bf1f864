"""The key file: wrapping, unwrapping, tampering, atomic writes, nothing secret in clear."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iapt_desktop.storage import keyfile
from iapt_desktop.storage.keyfile import KdfParameters, KeyFile, UserKeyEntry, WrongSecret

CHEAP = KdfParameters(1, 8192, 1)


def _keys() -> tuple[bytes, KeyFile, str]:
    data_key = keyfile.new_data_key()
    recovery = keyfile.new_recovery_key()
    keys = KeyFile("db-1", keyfile.wrap_for_recovery(data_key, recovery, "db-1"))
    keys.users["asmith"] = UserKeyEntry("counsellor", keyfile.wrap_for_user(data_key, "pass phrase one", "asmith",
                                                                             "db-1", CHEAP))
    return data_key, keys, recovery


def test_a_users_password_and_the_recovery_key_unwrap_the_same_data_key(tmp_path: Path) -> None:
    data_key, keys, recovery = _keys()
    keyfile.write_keyfile(tmp_path / "x.db", keys)
    again = keyfile.read_keyfile(tmp_path / "x.db")
    assert keyfile.unwrap_for_user(again.users["asmith"].wrapped, "pass phrase one", "asmith", "db-1") == data_key
    assert keyfile.unwrap_for_recovery(again.recovery, recovery, "db-1") == data_key
    typed = recovery.lower().replace("-", " ")
    assert keyfile.unwrap_for_recovery(again.recovery, typed, "db-1") == data_key


def test_wrong_password_or_a_key_moved_to_another_user_or_file_fails() -> None:
    _data_key, keys, recovery = _keys()
    wrapped = keys.users["asmith"].wrapped
    with pytest.raises(WrongSecret):
        keyfile.unwrap_for_user(wrapped, "pass phrase two", "asmith", "db-1")
    with pytest.raises(WrongSecret):
        keyfile.unwrap_for_user(wrapped, "pass phrase one", "mallory", "db-1")
    with pytest.raises(WrongSecret):
        keyfile.unwrap_for_user(wrapped, "pass phrase one", "asmith", "db-2")
    with pytest.raises(WrongSecret):
        keyfile.unwrap_for_recovery(keys.recovery, keyfile.new_recovery_key(), "db-1")
    with pytest.raises(WrongSecret, match="32 letters"):
        keyfile.unwrap_for_recovery(keys.recovery, recovery[:-5], "db-1")


def test_the_recovery_key_is_eight_groups_of_four_unambiguous_characters() -> None:
    key = keyfile.new_recovery_key()
    groups = key.split("-")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    assert not set(key) & set("0189")


def test_the_file_holds_no_key_or_password_in_clear_and_documents_its_parameters(tmp_path: Path) -> None:
    data_key, keys, recovery = _keys()
    keyfile.write_keyfile(tmp_path / "x.db", keys)
    text = (tmp_path / "x.db.keys").read_text()
    document = json.loads(text)
    assert document["format"] == "iapt-desktop-keys" and document["version"] == 1
    assert document["users"]["asmith"]["wrapped"]["kdf"] == "argon2id"
    assert document["users"]["asmith"]["wrapped"]["memory_cost_kib"] == 8192
    for secret in (data_key.hex(), "pass phrase one", recovery):
        assert secret not in text
    assert list(tmp_path.iterdir()) == [tmp_path / "x.db.keys"]  # no temporary file left behind


def test_a_damaged_or_missing_key_file_gets_a_message_saying_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(keyfile.KeyFileError, match="missing"):
        keyfile.read_keyfile(tmp_path / "x.db")
    (tmp_path / "x.db.keys").write_text('{"format": "iapt-desktop-keys", "version": 1, "users": {')
    with pytest.raises(keyfile.KeyFileError, match="damaged"):
        keyfile.read_keyfile(tmp_path / "x.db")


def test_the_default_cost_follows_rfc_9106() -> None:
    assert KdfParameters(time_cost=3, memory_cost_kib=65536, parallelism=4) == keyfile.DEFAULT_KDF
