"""The stored schema speaks the data set's language exactly."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlite_utils import Database

from iapt_desktop.domain.dataset import APP_COLUMN_PREFIX, tables
from iapt_desktop.paths import resource
from iapt_desktop.storage.database import IntegrityError, open_database
from iapt_desktop.storage.migrations import MIGRATIONS, schema_version


def reference_columns() -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    with open(resource("dataset", "columns.csv"), newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            result.setdefault(row["table"], []).append(row["column"])
    return result


def test_resource_copy_has_the_21_tables_and_140_columns() -> None:
    columns = reference_columns()
    assert len(columns) == 21
    assert sum(len(c) for c in columns.values()) == 140
    assert next(iter(columns)) == "IDS000Header"
    assert list(columns)[-1] == "IDS902CarePersQual"


def test_schema_tables_and_columns_match_the_reference_exactly(db: Database) -> None:
    expected = reference_columns()
    stored = {name for name in db.table_names() if name.startswith("IDS")}
    assert stored == set(expected)
    for name, columns in expected.items():
        data_set_columns = [
            c.name for c in db.table(name).columns if not c.name.startswith(APP_COLUMN_PREFIX)
        ]
        assert data_set_columns == columns, name


def test_every_other_table_is_app_only(db: Database) -> None:
    others = {n for n in db.table_names() if not n.startswith("IDS")}
    assert others, "app tables exist"
    assert all(n.startswith(("app_", "_sqlite_migrations")) for n in others)


def test_domain_tables_agree_with_the_schema(db: Database) -> None:
    for name, table in tables().items():
        stored = db.table(name)
        if table.has_own_key:
            assert stored.pks == list(table.primary_key)
        if table.parent:
            links = {(fk.column, fk.other_table) for fk in stored.foreign_keys}
            assert (table.parent_column, table.parent) in links


def test_pragmas_wal_full_sync_and_foreign_keys(db: Database) -> None:
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_schema_version_counts_migrations_and_reopening_is_idempotent(db_path: Path, db: Database) -> None:
    version = schema_version(db)
    assert version == len(MIGRATIONS.applied(db)) >= 2
    db.close()
    again = open_database(db_path)
    assert schema_version(again) == version
    again.close()


def test_child_without_parent_is_refused(db: Database) -> None:
    with pytest.raises(IntegrityError):
        db.execute("INSERT INTO IDS101Referral (ServiceRequestId, LocalPatientId) VALUES ('R1', 'NOPE')")


def test_a_date_that_is_not_a_date_is_refused(db: Database) -> None:
    db.execute("INSERT INTO IDS001MPI (LocalPatientId, PersonBirthDate) VALUES ('P1', '1980-01-31')")
    with pytest.raises(IntegrityError):
        db.execute("INSERT INTO IDS001MPI (LocalPatientId, PersonBirthDate) VALUES ('P2', '1980-02-30')")
    with pytest.raises(IntegrityError):
        db.execute("INSERT INTO IDS001MPI (LocalPatientId, PersonBirthDate) VALUES ('P3', '31/01/1980')")


def test_deleting_a_patient_takes_their_rows_along(db: Database) -> None:
    with db.atomic():
        db.execute("INSERT INTO IDS001MPI (LocalPatientId) VALUES ('P1')")
        db.execute("INSERT INTO IDS101Referral (ServiceRequestId, LocalPatientId) VALUES ('R1', 'P1')")
        db.execute("INSERT INTO IDS201CareContact (CareContactId, ServiceRequestId) VALUES ('C1', 'R1')")
        db.execute("INSERT INTO app_patient (LocalPatientId, family_name) VALUES ('P1', 'Canary')")
    db.execute("DELETE FROM IDS001MPI WHERE LocalPatientId = 'P1'")
    for name in ("IDS101Referral", "IDS201CareContact", "app_patient"):
        assert db.table(name).count == 0
