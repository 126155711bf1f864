"""Shared fixtures: real databases in tmp_path, Qt offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from iapt_desktop.storage.database import open_database


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """An empty database with the full schema, as a real file."""
    database = open_database(db_path)
    yield database
    database.close()
