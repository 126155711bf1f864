"""Whole-row reads and writes of the data set tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from iapt_desktop.storage.database import IntegrityError
from iapt_desktop.storage.table_rows import (
    count_rows,
    insert_row,
    insert_rows,
    iter_rows,
    read_snapshot,
    required_columns,
    row_exists,
)


def test_rows_come_in_key_order(db: Database) -> None:
    insert_rows(db, "IDS001MPI", [{"LocalPatientId": key} for key in ("P3", "P1", "P2")])
    assert [row["LocalPatientId"] for row in iter_rows(db, "IDS001MPI", batch=2)] == ["P1", "P2", "P3"]
    insert_rows(db, "IDS002GP", [{"LocalPatientId": "P2", "GMPCodeReg": c} for c in ("B", "A", "C")])
    assert [row["GMPCodeReg"] for row in iter_rows(db, "IDS002GP")] == ["B", "A", "C"]  # insertion order
    assert count_rows(db, "IDS002GP") == 3


def test_insert_rows_is_all_or_nothing(db: Database) -> None:
    with pytest.raises(IntegrityError):
        insert_rows(db, "IDS001MPI", [{"LocalPatientId": "P1"}, {"LocalPatientId": "P1"}])
    assert count_rows(db, "IDS001MPI") == 0


def test_required_columns_and_row_exists(db: Database) -> None:
    assert required_columns(db, "IDS108WaitingTimePauses") == ("PauseID", "ServiceRequestId")
    insert_row(db, "IDS001MPI", {"LocalPatientId": "P1"})
    assert row_exists(db, "IDS001MPI", ["LocalPatientId"], ["P1"])
    assert not row_exists(db, "IDS001MPI", ["LocalPatientId"], ["P2"])


def test_only_data_set_tables_are_counted(db: Database) -> None:
    with pytest.raises(KeyError):
        count_rows(db, "app_patient")


def test_read_snapshot_sees_one_moment(db: Database, db_path: Path) -> None:
    from iapt_desktop.storage.database import open_database

    insert_row(db, "IDS001MPI", {"LocalPatientId": "P1"})
    other = open_database(db_path)
    try:
        with read_snapshot(db):
            assert count_rows(db, "IDS001MPI") == 1
            insert_row(other, "IDS001MPI", {"LocalPatientId": "P2"})  # another connection writes meanwhile
            assert count_rows(db, "IDS001MPI") == 1
        assert count_rows(db, "IDS001MPI") == 2
    finally:
        other.close()
