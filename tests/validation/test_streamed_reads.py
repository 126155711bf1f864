"""The store whole-database validation reads: batches in key order, rows again by position."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from iapt_desktop.domain.demo_rows import DemoOptions
from iapt_desktop.jobs.demo_service import run_demo
from iapt_desktop.storage.all_rows import stored_tables
from iapt_desktop.storage.database import open_database
from iapt_desktop.storage.table_rows import iter_rows
from iapt_desktop.storage.validation_reads import StoredValidationTables


def test_batches_and_rows_at_follow_the_export_order(tmp_path: Path) -> None:
    db = open_database(tmp_path / "reads.db")
    try:
        run_demo(db, DemoOptions(as_of=dt.date(2025, 6, 15), patients=30, months=6, seed=5))
        store = StoredValidationTables(db)
        for name in stored_tables():
            expected = list(iter_rows(db, name))
            columns = store.columns(name)
            streamed = [dict(zip(columns, values, strict=True)) for batch in store.batches(name) for values in batch]
            assert streamed == expected, name
            assert store.rows_read[name] == len(expected)
            wanted = sorted({0, len(expected) // 2, len(expected) - 1} - {-1}) if expected else []
            assert list(store.rows_at(name, reversed(wanted))) == [(index, expected[index]) for index in wanted]
        assert list(store.rows_at("IDS201CareContact", [])) == []
        small = StoredValidationTables(db, batch=7)
        assert [len(batch) for batch in small.batches("IDS001MPI")][:2] == [7, 7]
    finally:
        db.close()
