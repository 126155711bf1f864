"""Encrypted databases for the security tests (cheap key derivation for the first user to keep them quick)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from iapt_desktop.storage.keyfile import KdfParameters
from iapt_desktop.storage.session import Session, create_database

ADMIN_PASSWORD = "correct horse battery staple"
CHEAP_KDF = KdfParameters(time_cost=1, memory_cost_kib=8192, parallelism=1)


@pytest.fixture
def secure_path(tmp_path: Path) -> Path:
    return tmp_path / "service.db"


@pytest.fixture
def created(secure_path: Path) -> Iterator[tuple[Session, str]]:
    session, recovery_key = create_database(secure_path, "admin", "Ada Admin", ADMIN_PASSWORD, kdf=CHEAP_KDF)
    yield session, recovery_key
    session.close()


@pytest.fixture
def admin_session(created: tuple[Session, str]) -> Session:
    return created[0]
