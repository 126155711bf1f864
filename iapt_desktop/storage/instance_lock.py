"""One copy of the app per database: an OS file lock on ``<db>.lock`` while it is open.

The lock is the operating system's (``fcntl.flock`` on Linux and macOS,
``msvcrt.locking`` on Windows), so it goes away when the process ends, even
after a crash or a power cut: a stale lock file never blocks.  The file also
says who holds it (computer, account, process, since when), for the message
shown to whoever comes second.  No patient data is written to it.

Within one process the lock is shared: the app's background jobs open their
own connections to the file the app already holds.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO


class DatabaseInUse(Exception):
    """Another copy of the app (or a command) has the database open."""


def lock_path(database_path: Path | str) -> Path:
    path = Path(database_path)
    return path.with_name(path.name + ".lock")


@dataclass
class _Held:
    handle: BinaryIO  # the open lock file
    count: int


_held: dict[Path, _Held] = {}
_guard = threading.Lock()


class InstanceLock:
    """A hold on the database's lock; ``release()`` (or ``with``) gives it back."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._released = False

    def release(self) -> None:
        with _guard:
            if self._released:
                return
            self._released = True
            held = _held[self.path]
            held.count -= 1
            if held.count == 0:
                del _held[self.path]
                _unlock(held.handle)

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def acquire(database_path: Path | str) -> InstanceLock:
    """Take the lock or raise :class:`DatabaseInUse` naming who has it."""
    path = lock_path(database_path).resolve()
    with _guard:
        if path in _held:
            _held[path].count += 1
            return InstanceLock(path)
        try:
            handle = open(path, "a+b")  # noqa: SIM115 (kept open while the lock is held)
        except FileNotFoundError:
            raise FileNotFoundError(
                2, f"The folder {path.parent} does not exist. Create it first, or choose a database file in a "
                   "folder that exists", str(path.parent)) from None
        try:
            _lock(handle)
        except OSError:
            holder = _describe_holder(path)
            handle.close()
            raise DatabaseInUse(
                f"The database is already open{holder}. Close it there first; only one copy of IAPT Desktop "
                "may change a database at a time."
            ) from None
        _write_holder(handle)
        _held[path] = _Held(handle, 1)
        return InstanceLock(path)


def discard(database_path: Path | str) -> None:
    """Remove the lock file of a database that is gone (a new database whose creation was undone).

    Nothing happens while anyone (this process or another) holds the lock: the file is removed only
    after taking the lock, so a copy that opened the database meanwhile keeps its lock.
    """
    path = lock_path(database_path).resolve()
    with _guard:
        if path in _held:
            return
        try:
            handle = open(path, "r+b")  # noqa: SIM115 (closed by _unlock or below)
        except OSError:
            return
        try:
            _lock(handle)
        except OSError:
            handle.close()
            return
        if os.name == "nt":  # pragma: no cover - Windows cannot remove a file while it is open
            _unlock(handle)
            path.unlink(missing_ok=True)
        else:
            path.unlink(missing_ok=True)
            _unlock(handle)


def _write_holder(handle: BinaryIO) -> None:
    details = {
        "computer": socket.gethostname(),
        "account": _account(),
        "process": os.getpid(),
        "since": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
    }
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps(details).encode("utf-8"))
    handle.flush()


def _account() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _describe_holder(path: Path) -> str:
    try:
        details = json.loads(path.read_bytes() or b"{}")
    except (OSError, ValueError):
        return ""
    if not details:
        return ""
    return (f" by {details.get('account', '?')} on {details.get('computer', '?')} "
            f"(process {details.get('process', '?')}) since {details.get('since', '?')}")


if os.name == "nt":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _lock(handle: BinaryIO) -> None:
        # Lock a byte far past the holder text so reading the file stays possible.
        handle.seek(1 << 20)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]

    def _unlock(handle: BinaryIO) -> None:
        handle.seek(1 << 20)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        handle.close()

else:
    import fcntl

    def _lock(handle: BinaryIO) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: BinaryIO) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()
