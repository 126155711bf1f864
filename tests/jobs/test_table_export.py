"""export_tables: the whole data set out and back again, byte for byte, in CSV and xlsx."""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
import pytest
from sqlite_utils import Database

from iapt_desktop.domain.dataset import ColumnType, tables
from iapt_desktop.jobs.table_export import export_tables, export_tables_steps
from iapt_desktop.jobs.table_import import import_tables
from iapt_desktop.storage.database import open_database
from tests.interchange.table_data import fill_every_table


def csv_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture
def full_db(db: Database) -> Database:
    fill_every_table(db)
    return db


def test_synthetic_data_covers_every_table_and_column_type(full_db: Database) -> None:
    for name in tables():
        assert full_db.execute(f"SELECT count(*) FROM [{name}]").fetchone()[0] > 0, name
    kinds = {c.type for t in tables().values() for c in t.columns}
    assert kinds == set(ColumnType)


def test_csv_round_trip_into_a_new_database_is_byte_identical(full_db: Database, tmp_path: Path) -> None:
    first = export_tables(full_db, tmp_path / "first")
    assert [p.name for p in first] == [f"{name}.csv" for name in tables()]
    copy = open_database(tmp_path / "copy.db")
    try:
        result = import_tables(copy, tmp_path / "first")
        assert result.imported, result.problems[:5]
        export_tables(copy, tmp_path / "second")
    finally:
        copy.close()
    assert csv_bytes(tmp_path / "second") == csv_bytes(tmp_path / "first")


def test_xlsx_round_trip_gives_the_same_tables(full_db: Database, tmp_path: Path) -> None:
    export_tables(full_db, tmp_path / "direct")
    [workbook] = export_tables(full_db, tmp_path / "tables.xlsx")
    copy = open_database(tmp_path / "copy.db")
    try:
        assert import_tables(copy, workbook).imported
        export_tables(copy, tmp_path / "via_xlsx")
    finally:
        copy.close()
    assert csv_bytes(tmp_path / "via_xlsx") == csv_bytes(tmp_path / "direct")


def test_csv_layout(full_db: Database, tmp_path: Path) -> None:
    export_tables(full_db, tmp_path / "out")
    referral = (tmp_path / "out" / "IDS101Referral.csv").read_bytes()
    assert referral.startswith(b"ServiceRequestId,LocalPatientId,OrgIDComm,ReferralRequestReceivedDate,")
    assert b"\r\n" in referral and b"app_row_id" not in referral
    header = (tmp_path / "out" / "IDS000Header.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == list(tables()["IDS000Header"].column_names)
    contacts = (tmp_path / "out" / "IDS201CareContact.csv").read_text(encoding="utf-8")
    assert ",2011-02-02," in contacts and ",01:07:13," in contacts


def test_empty_tables_are_written_header_only(db: Database, tmp_path: Path) -> None:
    written = export_tables(db, tmp_path / "out")
    assert len(written) == 21
    for path in written:
        assert path.read_bytes().count(b"\r\n") == 1


def test_xlsx_cells_are_text_so_codes_and_snomed_ids_survive(full_db: Database, tmp_path: Path) -> None:
    [path] = export_tables(full_db, tmp_path / "t.xlsx")
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert workbook.sheetnames == list(tables())
    values = [cell for row in workbook["IDS001MPI"].iter_rows(min_row=2, values_only=True) for cell in row]
    assert "01" in values and "123456789012345678" in values
    durations = [row[8] for row in workbook["IDS201CareContact"].iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(v, int) or v is None for v in durations)
    dates = [row[2] for row in workbook["IDS201CareContact"].iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(v, str) for v in dates if v is not None)
    workbook.close()


def test_app_tables_and_columns_are_never_exported(full_db: Database, tmp_path: Path) -> None:
    full_db.execute("INSERT INTO app_patient (LocalPatientId, given_name, family_name, phone) "
                    "VALUES ('IDS00-000', 'Marigold', 'Quenby', '07700 900123')")
    export_tables(full_db, tmp_path / "out")
    [workbook] = export_tables(full_db, tmp_path / "t.xlsx")
    for path in [*sorted((tmp_path / "out").iterdir())]:
        text = path.read_text(encoding="utf-8")
        assert "Marigold" not in text and "Quenby" not in text and "app_" not in text
    book = openpyxl.load_workbook(workbook, read_only=True)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert "Marigold" not in row and "app_row_id" not in row
    book.close()


def test_a_failed_export_leaves_the_old_files_and_no_partial_ones(full_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_tables(full_db, out)
    before = csv_bytes(out)
    full_db.execute("INSERT INTO IDS902CarePersQual (CarePersLocalId, QualAttainLevelIAPT) VALUES ('NEW', '01')")
    steps = export_tables_steps(full_db, out)
    next(steps)
    steps.close()  # cancelled half-way
    assert csv_bytes(out) == before
    [workbook] = export_tables(full_db, tmp_path / "t.xlsx")
    old_workbook = workbook.read_bytes()
    steps = export_tables_steps(full_db, workbook)
    next(steps)
    steps.close()
    assert workbook.read_bytes() == old_workbook
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "t.xlsx", "test.db", "test.db-shm", "test.db-wal"]


def test_xlsx_export_puts_nothing_in_the_system_temp_folder(full_db: Database, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    shared_temp = tmp_path / "shared-temp"
    shared_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(shared_temp))
    seen: list[str] = []
    steps = export_tables_steps(full_db, tmp_path / "out" / "t.xlsx")
    for _ in steps:
        seen.extend(p.name for p in shared_temp.iterdir())
    assert seen == []
    assert (tmp_path / "out" / "t.xlsx").exists()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["t.xlsx"]


def test_export_is_audited(full_db: Database, tmp_path: Path) -> None:
    export_tables(full_db, tmp_path / "out")
    action, changes = full_db.execute("SELECT action, changes FROM app_audit_log ORDER BY id DESC").fetchone()
    assert action == "export" and '"IDS001MPI": 12' in changes and '"pseudonymised": false' in changes


EXCEL_SHEET_ROWS = 1_048_576


def fill_rows(db: Database, count: int) -> None:
    """``count`` qualification rows (IDS902), written straight into the table."""
    db.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
               "INSERT INTO IDS902CarePersQual (CarePersLocalId, QualAttainLevelIAPT) SELECT 'S' || i, '10' FROM n",
               [count])
    db.conn.commit()


def _unpacked_bytes(path: Path) -> int:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return sum(member.file_size for member in archive.infolist())


def test_the_workbook_size_estimate_is_a_little_above_the_real_size(demo_db: Database, tmp_path: Path) -> None:
    from iapt_desktop.interchange.hostile_files import estimated_workbook_bytes
    from iapt_desktop.jobs.table_export import _sizes

    written = export_tables(demo_db, tmp_path / "all.xlsx")
    actual = _unpacked_bytes(written[0])
    estimate = estimated_workbook_bytes(_sizes(demo_db))
    assert actual <= estimate <= actual * 1.15, (actual, estimate)


def test_a_workbook_too_large_to_read_back_is_refused_before_writing(demo_db: Database, tmp_path: Path) -> None:
    from iapt_desktop.interchange.hostile_files import FileLimits, WorkbookTooLarge, estimated_workbook_bytes
    from iapt_desktop.jobs.table_export import _sizes

    estimate = estimated_workbook_bytes(_sizes(demo_db))
    out = tmp_path / "out"
    out.mkdir()
    target = out / "all.xlsx"
    with pytest.raises(WorkbookTooLarge) as refused:
        list(export_tables_steps(demo_db, target, limits=FileLimits(xlsx_uncompressed_bytes=estimate - 1)))
    message = str(refused.value)
    assert "would unpack to about" in message and "import-tables" in message and "CSV files" in message
    assert list(out.iterdir()) == []
    list(export_tables_steps(demo_db, target, limits=FileLimits(xlsx_uncompressed_bytes=estimate)))  # fits
    assert target.is_file()


def test_a_table_longer_than_an_excel_sheet_is_refused_as_a_workbook_only(db: Database, tmp_path: Path) -> None:
    from iapt_desktop.interchange.hostile_files import WorkbookTooLarge, workbook_problem
    from iapt_desktop.jobs.table_export import _sizes

    fill_rows(db, EXCEL_SHEET_ROWS - 1)  # fits below the header row

    assert "rows" not in (workbook_problem(_sizes(db)) or "")
    db.execute("INSERT INTO IDS902CarePersQual (CarePersLocalId, QualAttainLevelIAPT) VALUES ('LAST', '10')")
    db.conn.commit()
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(WorkbookTooLarge) as refused:
        list(export_tables_steps(db, out / "all.xlsx"))
    assert f"IDS902CarePersQual has {EXCEL_SHEET_ROWS:,} rows" in str(refused.value)
    assert f"at most {EXCEL_SHEET_ROWS - 1:,}" in str(refused.value)
    assert list(out.iterdir()) == []
