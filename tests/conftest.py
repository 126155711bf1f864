"""Shared fixtures: real databases in tmp_path, Qt offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from iapt_desktop.storage.database import open_database


@pytest.fixture(autouse=True)
def _cli_password(monkeypatch: pytest.MonkeyPatch) -> None:
    """CLI commands read the database password from the environment: the documented demo password."""
    from iapt_desktop.cli.database_access import DEMO_PASSWORD, PASSWORD_ENVIRONMENT_VARIABLE

    monkeypatch.setenv(PASSWORD_ENVIRONMENT_VARIABLE, DEMO_PASSWORD)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """An empty database with the full schema, as a real file."""
    database = open_database(db_path)
    yield database
    database.close()


DEMO_AS_OF = "2026-10-15"  # the "today" of the shared demo database


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo database (60 patients, 12 months, seed 7), built once per test session."""
    import datetime as dt

    from iapt_desktop.domain.demo_rows import DemoOptions
    from iapt_desktop.jobs.demo_service import run_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_database(path)
    run_demo(database, DemoOptions(as_of=dt.date.fromisoformat(DEMO_AS_OF), patients=60, months=12, seed=7))
    database.close()
    return path


@pytest.fixture
def demo_db(demo_db_file: Path, tmp_path: Path) -> Iterator[Database]:
    """A private copy of the shared demo database, open."""
    import shutil

    copy = tmp_path / "demo.db"
    shutil.copyfile(demo_db_file, copy)
    database = open_database(copy)
    yield database
    database.close()
