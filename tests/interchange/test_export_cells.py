"""The fast export of cells gives exactly what the general path gives: CSV fields, and the workbook's XML."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from iapt_desktop.domain.dataset import ColumnType, table
from iapt_desktop.interchange.csv_tables import write_tables_csv
from iapt_desktop.interchange.export_cells import cell_value, csv_fields, export_columns, sheet_row_xml
from iapt_desktop.interchange.formula_guard import escape_ooxml, neutralise
from iapt_desktop.interchange.table_columns import exported_columns, exported_tables, format_row, format_value, header
from iapt_desktop.interchange.xlsx_tables import write_tables_xlsx

AWKWARD_TEXTS = [
    "plain", "a&b<c>d\"e'f", " leading", "trailing ", "   ", "\t", "#N/A", "#DIV/0!", "#REF", "=1+1", "+44",
    "-5", "@sum", "'quoted", "''", "line\nbreak", "carriage\r\nreturn", "bell\x07", "_x0041_ looks escaped",
    "ü € 😀 中文", "\uff1dfull-width", "x" * 40_000, "0012", "\u00a0nbsp ", "",
]
AWKWARD_VALUES: list[Any] = [
    *AWKWARD_TEXTS, None, 0, 7, -3, 10**15 - 1, 10**15, -(10**15) + 1, -(10**15), 10**18, True, False,
    dt.date(2025, 4, 8), dt.datetime(2025, 4, 8, 9, 30, 5), dt.time(14, 0), 2.5, 45.0,
]


def old_cell_value(kind: ColumnType, text: str, raw: Any) -> Any:
    """How the workbook's cells were worked out before export_cells (xlsx_tables._cell_value)."""
    if text == "":
        return None
    if kind is ColumnType.INTEGER and isinstance(raw, int) and abs(raw) < 10**15:
        return int(raw)
    return escape_ooxml(neutralise(text))


def awkward_rows(table_name: str) -> list[dict[str, Any]]:
    """Every awkward value in every exported column of the table, spread over rows."""
    names = [c.name for c in exported_columns(table(table_name))]
    rows = []
    for offset in range(len(AWKWARD_VALUES)):
        rows.append({name: AWKWARD_VALUES[(offset + i) % len(AWKWARD_VALUES)] for i, name in enumerate(names)})
    rows.append(dict.fromkeys(names))  # a row with no values at all
    return rows


def test_cells_and_fields_are_those_of_the_general_formatting() -> None:
    for exported in exported_tables():
        columns = export_columns(exported)
        for row in awkward_rows(exported.name):
            assert csv_fields(columns, row) == [neutralise(text) for text in format_row(exported, row)]
            for column in exported_columns(exported):
                raw = row[column.name]
                assert cell_value(column, raw) == old_cell_value(column.type, format_value(column, raw), raw)


def openpyxl_workbook(path: Path, rows_by_table: dict[str, list[dict[str, Any]]]) -> None:
    """The same workbook written cell by cell through openpyxl's write-only append (the general path)."""
    workbook = openpyxl.Workbook(write_only=True)
    for exported in exported_tables():
        columns = exported_columns(exported)
        rows = rows_by_table.get(exported.name, [])
        sheet = workbook.create_sheet(title=exported.name)
        dimension = f"A1:{openpyxl.utils.get_column_letter(len(columns))}{len(rows) + 1}"
        sheet.calculate_dimension = lambda dimension=dimension: dimension
        sheet.append(list(header(exported)))
        for row in rows:
            sheet.append([cell_value(column, row.get(column.name)) for column in columns])
    workbook.save(path)


def sheet_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def test_the_workbook_is_byte_for_byte_what_openpyxl_writes_for_the_same_cells(tmp_path: Path) -> None:
    rows_by_table = {name: awkward_rows(name) for name in ("IDS000Header", "IDS201CareContact", "IDS001MPI",
                                                           "IDS607CodedScoreAssessmentAct")}
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    write_tables_xlsx(ours, rows_by_table)
    openpyxl_workbook(theirs, rows_by_table)
    mine, reference = sheet_parts(ours), sheet_parts(theirs)
    assert sorted(mine) == sorted(reference)
    for name in reference:
        assert mine[name] == reference[name], name
    assert b"#N/A" in mine["xl/worksheets/sheet1.xml"] and b'xml:space="preserve"' in mine["xl/worksheets/sheet1.xml"]


def test_the_workbook_reads_back_as_the_same_cells(tmp_path: Path) -> None:
    rows = awkward_rows("IDS201CareContact")
    path = write_tables_xlsx(tmp_path / "t.xlsx", {"IDS201CareContact": rows})
    columns = exported_columns(table("IDS201CareContact"))
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        read = list(workbook["IDS201CareContact"].iter_rows(values_only=True))
    finally:
        workbook.close()
    assert read[0] == header(table("IDS201CareContact"))
    for row, cells in zip(rows, read[1:], strict=True):
        expected = tuple(cell_value(column, row[column.name]) for column in columns)
        # openpyxl reads the seven error texts back as text and drops what is past 32,767 characters.
        assert cells == tuple(v[:32767] if isinstance(v, str) else v for v in expected)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=30), st.integers(min_value=-(10**17), max_value=10**17)),
                min_size=21, max_size=21))
def test_any_row_is_written_as_openpyxl_writes_it(values: list[Any]) -> None:
    columns = export_columns(table("IDS201CareContact"))
    rows = {"IDS201CareContact": [{spec.name: value for spec, value in zip(columns, values, strict=False)}]}
    with tempfile.TemporaryDirectory() as folder:
        ours, theirs = Path(folder) / "ours.xlsx", Path(folder) / "theirs.xlsx"
        write_tables_xlsx(ours, rows)
        openpyxl_workbook(theirs, rows)
        assert sheet_parts(ours) == sheet_parts(theirs)


def test_a_row_is_numbered_and_skips_empty_cells() -> None:
    columns = export_columns(table("IDS201CareContact"))
    row = {"ServiceRequestId": "R&1", "CareContactId": "", "ClinContDurOfCareCont": 50}
    assert sheet_row_xml(columns, row, 9) == ('<row r="9"><c r="B9" t="inlineStr"><is><t>R&amp;1</t></is></c>'
                                              '<c r="I9" t="n"><v>50</v></c></row>')


def test_csv_files_are_those_of_the_general_formatting(tmp_path: Path) -> None:
    rows = {"IDS201CareContact": awkward_rows("IDS201CareContact")}
    paths = write_tables_csv(tmp_path, rows)
    expected = io.StringIO(newline="")
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(header(table("IDS201CareContact")))
    for row in rows["IDS201CareContact"]:
        writer.writerow([neutralise(text) for text in format_row(table("IDS201CareContact"), row)])
    assert paths["IDS201CareContact"].read_bytes() == expected.getvalue().encode("utf-8")
