"""The key file beside the database (``<db>.keys``): who may unlock it, readable before it is.

The database is encrypted with a random 256-bit data key that never changes.
The key file holds that data key wrapped (AES-256-GCM) once per user, by a key
derived from the user's password with Argon2id, and once by the recovery key.
It holds no patient data and no password; anyone may read it, and without a
password or the recovery key it is of no use.  See docs/security.md.

Layout (JSON, UTF-8)::

    {"format": "iapt-desktop-keys", "version": 1, "database_id": "<uuid4>",
     "users": {"<username>": {"role": "administrator", "wrapped": WRAPPED,
                              "failed_attempts": 0, "last_failed_at": null,
                              "must_change_password": false}},
     "recovery": WRAPPED,
     "unknown_user_failures": 0}

    WRAPPED = {"kdf": "argon2id", "time_cost": 3, "memory_cost_kib": 65536,
               "parallelism": 4, "salt": "<base64>", "nonce": "<base64>",
               "ciphertext": "<base64: data key + GCM tag>"}
              (the recovery key uses "kdf": "hkdf-sha256": it is random already)

The associated data of each wrapping names the database id and the user, so
a wrapped key cannot be moved between users or files unnoticed.  The file is
written whole to a temporary file, flushed to disk and renamed over the old
one, so it is never half-written.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

FORMAT = "iapt-desktop-keys"
VERSION = 1
DATA_KEY_BYTES = 32
_SALT_BYTES = 16
_NONCE_BYTES = 12
_RECOVERY_KEY_BYTES = 20  # 160 bits, 32 base-32 characters
_RECOVERY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


class KeyFileError(Exception):
    """The key file is missing, unreadable or not ours; the message says what to do."""


class WrongSecret(Exception):
    """The password or recovery key does not unwrap the data key."""


@dataclass(frozen=True)
class KdfParameters:
    """Argon2id cost: RFC 9106's second recommended setting (64 MiB, 3 passes, 4 lanes)."""

    time_cost: int = 3
    memory_cost_kib: int = 65536
    parallelism: int = 4


DEFAULT_KDF = KdfParameters()


@dataclass(frozen=True)
class WrappedKey:
    kdf: str  # "argon2id" or "hkdf-sha256"
    salt: bytes
    nonce: bytes
    ciphertext: bytes
    parameters: KdfParameters | None = None


@dataclass
class UserKeyEntry:
    role: str
    wrapped: WrappedKey
    failed_attempts: int = 0
    last_failed_at: str | None = None
    must_change_password: bool = False


@dataclass
class KeyFile:
    database_id: str
    recovery: WrappedKey
    users: dict[str, UserKeyEntry] = field(default_factory=dict)
    unknown_user_failures: int = 0


def keyfile_path(database_path: Path | str) -> Path:
    path = Path(database_path)
    return path.with_name(path.name + ".keys")


# -- secrets -----------------------------------------------------------------

def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)


def new_database_id() -> str:
    return str(uuid.uuid4())


def new_recovery_key() -> str:
    """A random recovery key shown to people as 8 groups of 4 characters (A-Z, 2-7)."""
    raw = secrets.token_bytes(_RECOVERY_KEY_BYTES)
    text = base64.b32encode(raw).decode("ascii")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def _recovery_bytes(recovery_key: str) -> bytes:
    """Accepts the key as typed: any case, with or without spaces and dashes; 0/1/8 read as O/I/B."""
    text = "".join(recovery_key.split()).replace("-", "").upper()
    text = text.translate(str.maketrans("018", "OIB"))
    if len(text) != 32 or any(c not in _RECOVERY_ALPHABET for c in text):
        raise WrongSecret("A recovery key has 32 letters and digits (2 to 7), in groups of four.")
    return base64.b32decode(text)


def _associated_data(database_id: str, holder: str) -> bytes:
    return f"{FORMAT}/{VERSION}/{database_id}/{holder}".encode()


def _password_key(password: str, salt: bytes, parameters: KdfParameters) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    from iapt_desktop.domain.passwords import normalise

    return hash_secret_raw(
        normalise(password).encode("utf-8"), salt,
        time_cost=parameters.time_cost, memory_cost=parameters.memory_cost_kib,
        parallelism=parameters.parallelism, hash_len=32, type=Type.ID,
    )


def _recovery_wrapping_key(recovery_key: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"iapt-desktop recovery").derive(
        _recovery_bytes(recovery_key)
    )


def _seal(wrapping_key: bytes, data_key: bytes, associated: bytes) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(_NONCE_BYTES)
    return nonce, AESGCM(wrapping_key).encrypt(nonce, data_key, associated)


def _open(wrapping_key: bytes, wrapped: WrappedKey, associated: bytes) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(wrapping_key).decrypt(wrapped.nonce, wrapped.ciphertext, associated)
    except InvalidTag:
        raise WrongSecret("wrong password") from None


def wrap_for_user(data_key: bytes, password: str, username: str, database_id: str,
                  parameters: KdfParameters = DEFAULT_KDF) -> WrappedKey:
    salt = secrets.token_bytes(_SALT_BYTES)
    nonce, ciphertext = _seal(_password_key(password, salt, parameters), data_key,
                              _associated_data(database_id, f"user:{username}"))
    return WrappedKey("argon2id", salt, nonce, ciphertext, parameters)


def unwrap_for_user(wrapped: WrappedKey, password: str, username: str, database_id: str) -> bytes:
    if wrapped.kdf != "argon2id" or wrapped.parameters is None:
        raise KeyFileError(f"The key file uses an unknown key derivation ({wrapped.kdf}).")
    return _open(_password_key(password, wrapped.salt, wrapped.parameters), wrapped,
                 _associated_data(database_id, f"user:{username}"))


def wrap_for_recovery(data_key: bytes, recovery_key: str, database_id: str) -> WrappedKey:
    salt = secrets.token_bytes(_SALT_BYTES)
    nonce, ciphertext = _seal(_recovery_wrapping_key(recovery_key, salt), data_key,
                              _associated_data(database_id, "recovery"))
    return WrappedKey("hkdf-sha256", salt, nonce, ciphertext)


def unwrap_for_recovery(wrapped: WrappedKey, recovery_key: str, database_id: str) -> bytes:
    return _open(_recovery_wrapping_key(recovery_key, wrapped.salt), wrapped,
                 _associated_data(database_id, "recovery"))


# -- the file ------------------------------------------------------------------

def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _wrapped_to_json(wrapped: WrappedKey) -> dict[str, Any]:
    out: dict[str, Any] = {"kdf": wrapped.kdf}
    if wrapped.parameters is not None:
        out |= {"time_cost": wrapped.parameters.time_cost, "memory_cost_kib": wrapped.parameters.memory_cost_kib,
                "parallelism": wrapped.parameters.parallelism}
    return out | {"salt": _b64(wrapped.salt), "nonce": _b64(wrapped.nonce), "ciphertext": _b64(wrapped.ciphertext)}


def _wrapped_from_json(data: dict[str, Any]) -> WrappedKey:
    parameters = None
    if data["kdf"] == "argon2id":
        parameters = KdfParameters(int(data["time_cost"]), int(data["memory_cost_kib"]), int(data["parallelism"]))
    return WrappedKey(str(data["kdf"]), base64.b64decode(data["salt"]), base64.b64decode(data["nonce"]),
                      base64.b64decode(data["ciphertext"]), parameters)


def to_json(keyfile: KeyFile) -> str:
    users = {
        name: {"role": entry.role, "wrapped": _wrapped_to_json(entry.wrapped),
               "failed_attempts": entry.failed_attempts, "last_failed_at": entry.last_failed_at,
               "must_change_password": entry.must_change_password}
        for name, entry in sorted(keyfile.users.items())
    }
    document = {"format": FORMAT, "version": VERSION, "database_id": keyfile.database_id, "users": users,
                "recovery": _wrapped_to_json(keyfile.recovery),
                "unknown_user_failures": keyfile.unknown_user_failures}
    return json.dumps(document, indent=2) + "\n"


def from_json(text: str) -> KeyFile:
    data = json.loads(text)
    if data.get("format") != FORMAT:
        raise KeyFileError("This is not an IAPT Desktop key file.")
    if data.get("version") != VERSION:
        raise KeyFileError(f"The key file is version {data.get('version')}; this app reads version {VERSION}. "
                           "Update the app.")
    users = {
        name: UserKeyEntry(str(entry["role"]), _wrapped_from_json(entry["wrapped"]),
                           int(entry.get("failed_attempts", 0)), entry.get("last_failed_at"),
                           bool(entry.get("must_change_password", False)))
        for name, entry in data["users"].items()
    }
    return KeyFile(str(data["database_id"]), _wrapped_from_json(data["recovery"]), users,
                   int(data.get("unknown_user_failures", 0)))


def read_keyfile(database_path: Path | str) -> KeyFile:
    path = keyfile_path(database_path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyFileError(
            f"The key file {path.name} is missing from beside the database. Without it the database cannot be "
            "unlocked: put it back (every backup folder holds a copy)."
        ) from None
    try:
        return from_json(text)
    except (ValueError, KeyError, TypeError) as error:
        raise KeyFileError(f"The key file {path.name} is damaged ({type(error).__name__}). Put back a copy "
                           "from the backup folder.") from None


def write_keyfile(database_path: Path | str, keyfile: KeyFile) -> None:
    """Replace the key file atomically: temporary file, flush to disk, rename."""
    write_atomically(keyfile_path(database_path), to_json(keyfile).encode("utf-8"))


def write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    _sync_directory(path.parent)


def make_private(path: Path) -> None:
    """Readable and writable by the owner only (POSIX; on Windows the per-user folder does this)."""
    if os.name == "posix" and path.exists():
        path.chmod(0o700 if path.is_dir() else 0o600)


def _sync_directory(directory: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def without_failures(entry: UserKeyEntry) -> UserKeyEntry:
    return replace(entry, failed_attempts=0, last_failed_at=None)
