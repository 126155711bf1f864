"""Reading tables as people and spreadsheet programs leave them: typed cells, BOMs, stray sheets."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iapt_desktop.interchange.hostile_files import SourceRefused
from iapt_desktop.interchange.table_files import read_tables, write_tables, write_tables_csv
from iapt_desktop.interchange.table_parsing import ParsedRow, header_problems, known_table, parse_rows
from iapt_desktop.interchange.table_source import RowProblem


def read_all(source: Path) -> tuple[list[RowProblem], list[ParsedRow]]:
    problems: list[RowProblem] = []
    rows: list[ParsedRow] = []
    for table in read_tables(source):
        found = header_problems(table)
        problems.extend(found)
        if not found and known_table(table):
            rows.extend(parse_rows(table))
    return problems, rows


def test_a_workbook_typed_by_hand_is_read_with_its_cell_types(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Sheet1"  # Excel's empty default sheet: ignored
    sheet = workbook.create_sheet("IDS201CareContact")
    sheet.append(["ServiceRequestId", "CareContactId", "CareContDate", "CareContTime", "ClinContDurOfCareCont",
                  "AppType"])
    sheet.append(["R1", "C1", dt.datetime(2025, 4, 8), dt.time(9, 30), 50, 2])
    sheet.append([])
    sheet.append(["R1", "C2", "2025-04-09", "14:00", 45.0, "02"])
    path = tmp_path / "typed.xlsx"
    workbook.save(path)
    problems, rows = read_all(path)
    assert problems == []
    assert [r.number for r in rows] == [2, 4]
    assert rows[0].values == {"ServiceRequestId": "R1", "CareContactId": "C1", "CareContDate": "2025-04-08",
                              "CareContTime": "09:30:00", "ClinContDurOfCareCont": 50, "AppType": "2"}
    assert rows[1].values["CareContTime"] == "14:00:00" and rows[1].values["ClinContDurOfCareCont"] == 45


def test_an_extra_sheet_with_data_is_refused(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    workbook.active["A3"] = "remember to check"
    path = tmp_path / "notes.xlsx"
    workbook.save(path)
    problems, _ = read_all(path)
    assert [(p.table, p.row) for p in problems] == [("Notes", None)]


def test_csv_saved_by_excel_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "IDS001MPI.csv"
    path.write_bytes(b"\xef\xbb\xbfLocalPatientId,Postcode\r\nP1,LS1 4AP\r\n\r\n")
    problems, rows = read_all(path)
    assert problems == [] and [r.values for r in rows] == [{"LocalPatientId": "P1", "Postcode": "LS1 4AP"}]


def test_a_semicolon_separated_file_gets_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "IDS001MPI.csv"
    path.write_text("LocalPatientId;Postcode\r\nP1;LS1 4AP\r\n", encoding="utf-8")
    problems, _ = read_all(path)
    assert "save the file as 'CSV UTF-8 (comma delimited)'" in problems[0].reason


def test_a_wrongly_cased_file_name_gets_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "ids001mpi.csv"
    path.write_text("LocalPatientId\r\nP1\r\n", encoding="utf-8")
    problems, _ = read_all(path)
    assert "did you mean IDS001MPI?" in problems[0].reason


def test_files_that_are_not_regular_files_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "IDS001MPI.csv"
    os.mkfifo(fifo)
    with pytest.raises(SourceRefused, match="not a regular file"):
        read_tables(fifo)


def test_non_csv_files_in_a_folder_are_ignored(tmp_path: Path) -> None:
    write_tables_csv(tmp_path, {"IDS001MPI": [{"LocalPatientId": "P1"}]})
    (tmp_path / "README.txt").write_text("hello", encoding="utf-8")
    problems, rows = read_all(tmp_path)
    assert problems == [] and len(rows) == 1


def test_write_tables_picks_the_format_from_the_name(tmp_path: Path) -> None:
    [path] = write_tables(tmp_path / "t.XLSX", {})
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert path.suffix == ".XLSX" and workbook.sheetnames[0] == "IDS000Header"
    workbook.close()
    assert len(write_tables(tmp_path / "folder", {})) == 21
    with pytest.raises(ValueError, match="not tables of the interchange layout: app_patient"):
        write_tables(tmp_path / "folder", {"app_patient": []})


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))),
                min_size=1, max_size=6))
def test_any_text_survives_both_formats_exactly(texts: list[str]) -> None:
    rows = [{"LocalPatientId": f"P{i}", "Postcode": text} for i, text in enumerate(texts)]
    expected = [text or None for text in texts]  # an empty value is a null
    with tempfile.TemporaryDirectory() as folder:
        for target in (Path(folder) / "csv", Path(folder) / "t.xlsx"):
            write_tables(target, {"IDS001MPI": rows})
            problems, parsed = read_all(target)
            assert problems == [] and [r.problems for r in parsed] == [()] * len(texts)
            assert [r.values.get("Postcode") for r in parsed] == expected


def test_a_nul_character_is_refused_on_its_row(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "IDS001MPI"
    workbook.active.append(["LocalPatientId", "Postcode"])
    workbook.active.append(["P1", "LS1_x0000_4AP"])  # the workbook escape of NUL
    workbook.save(tmp_path / "nul.xlsx")
    _, rows = read_all(tmp_path / "nul.xlsx")
    assert [(p.row, p.column, p.reason) for p in rows[0].problems] == [
        (2, "Postcode", "contains a NUL character, which is never part of text")]
