"""Hostile and broken files are refused quickly with a message, before any parser is trusted with them."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from iapt_desktop.interchange.hostile_files import (
    LIMITS,
    FileLimits,
    SourceRefused,
    check_xlsx_file,
    ensure_safe_xml,
)
from iapt_desktop.interchange.table_files import read_tables, write_tables_xlsx
from iapt_desktop.interchange.table_parsing import header_problems, parse_rows

HEADER = "LocalPatientId,OrgIDLocalPatientId,NHSNumber\r\n"


def read_everything(source: Path, limits: FileLimits = LIMITS) -> list[object]:
    """Read every row of every table, as an import does."""
    out: list[object] = []
    for table in read_tables(source, limits):
        if not header_problems(table):
            out.extend(parse_rows(table, limits))
    return out


def minimal_xlsx(path: Path, members: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_the_app_refuses_to_read_workbooks_unless_xml_goes_through_defusedxml(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    ensure_safe_xml()  # installed as required
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(SourceRefused, match="defusedxml"):
        ensure_safe_xml()


def test_zip_bomb_is_refused_before_openpyxl_opens_it(tmp_path: Path) -> None:
    bomb = minimal_xlsx(tmp_path / "bomb.xlsx", {
        "[Content_Types].xml": "<Types/>",
        "xl/workbook.xml": "<workbook/>",
        "xl/worksheets/sheet1.xml": b"0" * (20 * 1024 * 1024),  # 20 MB of one byte: ~1000:1
    })
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(SourceRefused, match="zip bomb"):
        read_tables(bomb)


def test_workbook_unpacking_beyond_the_total_limit_is_refused(tmp_path: Path) -> None:
    limits = FileLimits(xlsx_uncompressed_bytes=1024 * 1024)
    path = minimal_xlsx(tmp_path / "big.xlsx", {
        "[Content_Types].xml": "<Types/>",
        "xl/workbook.xml": "<workbook/>",
        "xl/worksheets/sheet1.xml": os.urandom(2 * 1024 * 1024),  # incompressible: ratio ~1
    })
    with pytest.raises(SourceRefused, match="unpacks to more than 1 MB"):
        check_xlsx_file(path, limits)


def test_billion_laughs_sheet_is_refused(tmp_path: Path) -> None:
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
                  for i in range(1, 10))
        + ']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"
    )
    good = write_tables_xlsx(tmp_path / "good.xlsx", {})
    hostile = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = laughs.encode()
            target.writestr(item.filename, data)
    with pytest.raises(SourceRefused, match="document type declaration"):
        read_everything(hostile)


def test_even_past_our_own_check_defusedxml_refuses_entities(tmp_path: Path) -> None:
    """Belt and braces: openpyxl itself (through defusedxml) refuses the DTD too."""
    import defusedxml
    import openpyxl

    good = write_tables_xlsx(tmp_path / "good.xlsx", {})
    hostile = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b"<workbook", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><workbook', 1)
            target.writestr(item.filename, data)
    with pytest.raises(ValueError, match="invalid XML") as raised:
        openpyxl.load_workbook(hostile, read_only=True)
    assert isinstance(raised.value.__cause__, defusedxml.DefusedXmlException)


@pytest.mark.parametrize("name", ["../evil.xml", "/etc/passwd", "xl\\..\\evil.xml", "C:/evil.xml"])
def test_members_with_odd_paths_are_refused(tmp_path: Path, name: str) -> None:
    path = minimal_xlsx(tmp_path / "odd.xlsx", {"[Content_Types].xml": "<Types/>",
                                                "xl/workbook.xml": "<workbook/>", name: "x"})
    with pytest.raises(SourceRefused, match="unsafe name"):
        read_tables(path)


def test_too_many_members_are_refused(tmp_path: Path) -> None:
    members: dict[str, bytes | str] = {f"xl/m{i}.bin": b"" for i in range(LIMITS.xlsx_members + 1)}
    members["[Content_Types].xml"] = "<Types/>"
    with pytest.raises(SourceRefused, match="holds 1,002 files"):
        read_tables(minimal_xlsx(tmp_path / "many.xlsx", members))


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceRefused, match="not an Excel workbook"):
        read_tables(minimal_xlsx(tmp_path / "notes.xlsx", {"notes.txt": "hello"}))


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04garbage"])
def test_files_named_xlsx_that_are_not_workbooks_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(content)
    with pytest.raises(SourceRefused, match=r"not an Excel workbook|damaged"):
        read_tables(path)


def test_csv_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "IDS001MPI.csv"
    with open(path, "wb") as handle:
        handle.write(HEADER.encode())
        handle.truncate(2 * 1024 * 1024 * 1024)  # sparse: 2 GB that take no disk space
    with pytest.raises(SourceRefused, match=r"2,048 MB; a CSV file may be at most 500 MB"):
        read_tables(path)


@pytest.mark.parametrize(
    "content",
    [os.urandom(4096) + b"\x00", b"\x7fELF\x02\x01\x01" + bytes(range(32)) * 20,
     b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"x" * 100],
)
def test_binary_garbage_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "IDS001MPI.csv"
    path.write_bytes(content)
    with pytest.raises(SourceRefused, match=r"binary data|not a text file|old-style"):
        read_everything(path)


def test_binary_garbage_after_a_good_start_is_refused_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "IDS001MPI.csv"
    path.write_bytes(HEADER.encode() + b"P1,AB1,9990000018\r\n" * 5000 + b"P2,\x00\x00\x00\r\n")
    with pytest.raises(SourceRefused, match="line 5002 holds binary data"):
        read_everything(path)


def test_encoding_errors_are_reported_with_their_row(tmp_path: Path) -> None:
    path = tmp_path / "IDS001MPI.csv"
    path.write_bytes(HEADER.encode() + b"P1,AB1,9990000018\r\nP2,\xe9t\xe9,9990000018\r\n")
    rows = read_everything(path)
    problems = [p for row in rows for p in row.problems]
    assert len(problems) == 1
    assert problems[0].row == 3
    assert "line 3 is not UTF-8 text (byte 0xE9" in problems[0].reason


def test_a_runaway_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "IDS001MPI.csv"
    path.write_bytes(HEADER.encode() + b"P1," + b"x," * 600_000 + b"\r\n")
    with pytest.raises(SourceRefused, match="line 2 is longer than 1,024 KB"):
        read_everything(path)


def test_an_unclosed_quote_is_refused_not_read_to_the_end(tmp_path: Path) -> None:
    path = tmp_path / "IDS001MPI.csv"
    path.write_bytes(HEADER.encode() + b'P1,"AB1\r\n' + b"more text on and on\r\n" * 20_000)
    with pytest.raises(SourceRefused, match=r"line \d+: field larger than field limit"):
        read_everything(path)


def test_an_over_long_field_is_a_row_problem(tmp_path: Path) -> None:
    path = tmp_path / "IDS001MPI.csv"
    path.write_bytes(HEADER.encode() + b"P1," + b"A" * 40_000 + b",x\r\n")
    problems = [p for row in read_everything(path) for p in row.problems]
    assert [(p.row, p.column) for p in problems] == [(2, "OrgIDLocalPatientId")]
    assert "longer than 32,767 characters" in problems[0].reason


def test_too_many_values_on_a_row_is_a_row_problem(tmp_path: Path) -> None:
    path = tmp_path / "IDS001MPI.csv"
    path.write_bytes(HEADER.encode() + b"P1,AB1,9990000018,surprise,,\r\n")
    problems = [p for row in read_everything(path) for p in row.problems]
    assert [(p.row, p.value) for p in problems] == [(2, "surprise")]
    assert "6 values but the header names 3 columns" in problems[0].reason


def test_a_header_wider_than_any_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "IDS001MPI.csv"
    path.write_bytes(b",".join(b"c%d" % i for i in range(500)) + b"\r\n")
    with pytest.raises(SourceRefused, match="500 columns"):
        read_tables(path)


def test_rows_beyond_the_table_limit_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "IDS001MPI.csv"
    path.write_bytes(HEADER.encode() + b"P1,AB1,x\r\n" * 11)
    with pytest.raises(SourceRefused, match="more than 10 rows"):
        read_everything(path, FileLimits(rows_per_table=10))


def test_unusual_compression_is_refused(tmp_path: Path) -> None:
    path = minimal_xlsx(tmp_path / "bz.xlsx", {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"},
                        compression=zipfile.ZIP_BZIP2)
    with pytest.raises(SourceRefused, match="compression method"):
        read_tables(path)


def test_a_package_folder_points_to_its_tables_folder(tmp_path: Path) -> None:
    (tmp_path / "package" / "tables").mkdir(parents=True)
    (tmp_path / "package" / "tables" / "IDS001MPI.csv").write_text("LocalPatientId\r\n", encoding="utf-8")
    with pytest.raises(SourceRefused, match=r"its folder tables does\. Choose that folder"):
        read_tables(tmp_path / "package")


def test_utf16_text_gets_its_own_message(tmp_path: Path) -> None:
    path = tmp_path / "IDS001MPI.csv"
    path.write_bytes("LocalPatientId\tPostcode\r\nP1\tLS1 4AP\r\n".encode("utf-16"))
    with pytest.raises(SourceRefused, match="is UTF-16 text"):
        read_tables(path)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (b'<c r="A2" t="n"><v>not a number</v></c>', "damaged after row 1"),
        (b'<c r="A2" t="inlineStr"><is><t>unclosed', "damaged"),
    ],
)
def test_damaged_sheet_xml_is_refused_with_a_message(tmp_path: Path, damage: bytes, message: str) -> None:
    good = write_tables_xlsx(tmp_path / "good.xlsx", {"IDS001MPI": [{"LocalPatientId": "P1"}]})
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet2.xml":
                start = data.index(b'<c r="A2"')
                end = data.index(b"</row>", start)
                data = data[:start] + damage + (data[end:] if b"unclosed" not in damage else b"")
            target.writestr(item.filename, data)
    with pytest.raises(SourceRefused, match=message):
        read_everything(broken)
