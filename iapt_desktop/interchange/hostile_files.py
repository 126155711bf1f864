"""Limits and checks that keep a hostile or broken file from hanging or crashing an import.

Every limit is declared here, once, as data.  The checks run before any
parser touches a file: an xlsx workbook is a zip archive, so its table of
contents is inspected with :mod:`zipfile` (sizes, compression ratios, member
count and names, no DTDs in its XML) before openpyxl opens it; a CSV file is
checked for size and for binary content.  XML is only ever parsed through
defusedxml (:func:`ensure_safe_xml`).
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MB = 1024 * 1024


@dataclass(frozen=True)
class FileLimits:
    csv_file_bytes: int = 500 * MB  # one CSV file
    xlsx_file_bytes: int = 100 * MB  # the workbook as stored on disk
    xlsx_uncompressed_bytes: int = 200 * MB  # all members of the workbook, unpacked
    xlsx_member_ratio: int = 100  # uncompressed : compressed, for members above ...
    xlsx_ratio_checked_from_bytes: int = 1 * MB  # ... this size (tiny members compress well legitimately)
    xlsx_members: int = 1000  # files inside the workbook
    field_chars: int = 32_767  # one value (Excel's own limit for a cell)
    line_bytes: int = 1 * MB  # one physical line of a CSV file
    columns: int = 200  # values on one row (the widest table has 21)
    rows_per_table: int = 2_000_000
    xlsx_sheet_rows: int = 1_048_576  # Excel's rows per sheet, the header row included
    problems_listed: int = 10_000  # problems kept for the report; the rest are counted


LIMITS = FileLimits()

SNIFF_BYTES = 64 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls and other Office binary files
REQUIRED_XLSX_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")


class SourceRefused(Exception):
    """The file as a whole cannot be read; the message says what is wrong and what to do."""


class WorkbookTooLarge(Exception):
    """An export as one workbook would make a file Excel or import-tables cannot open; use CSV files."""


# What the workbook writer adds around each value and row, in bytes of sheet XML (interchange.export_cells):
# a text cell is <c r="A12" t="inlineStr"><is><t>value</t></is></c> (a number cell is shorter), a row
# <row r="12">...</row>.  Counting every cell as a text cell errs on the large side.
_CELL_XML_BYTES = len('<c r="" t="inlineStr"><is><t></t></is></c>') + 1  # + 1: the column letter
_ROW_XML_BYTES = len('<row r=""></row>')
_WORKBOOK_FRAME_BYTES = 64 * 1024  # workbook, styles, content types, relations, sheet frames


def estimated_workbook_bytes(sizes: Mapping[str, tuple[int, int, int]]) -> int:
    """The unpacked size of a workbook of these tables: {table: (rows, non-empty values, characters)}."""
    total = _WORKBOOK_FRAME_BYTES
    for rows, cells, characters in sizes.values():
        digits = len(str(rows + 1))  # the row number, in every row and cell reference
        total += characters + cells * (_CELL_XML_BYTES + digits) + rows * (_ROW_XML_BYTES + digits)
    return total


def workbook_problem(sizes: Mapping[str, tuple[int, int, int]], limits: FileLimits = LIMITS) -> str | None:
    """Why these tables cannot go into one workbook (too many rows for a sheet, or too large to read back), or
    None.  ``sizes``: {table: (rows, non-empty values, characters)}, as :func:`estimated_workbook_bytes`."""
    most_rows = limits.xlsx_sheet_rows - 1  # below the header row
    too_long = {name: size[0] for name, size in sizes.items() if size[0] > most_rows}
    if too_long:
        listed = ", ".join(f"{name} has {rows:,} rows" for name, rows in too_long.items())
        return (f"The tables do not fit in a workbook: {listed}, and an Excel sheet holds at most {most_rows:,} "
                "below its header row. Export them as CSV files (a folder) instead: CSV has no row limit, "
                "and import-tables reads the folder back.")
    estimate = estimated_workbook_bytes(sizes)
    if estimate > limits.xlsx_uncompressed_bytes:
        return (f"The tables are too large for one workbook: it would unpack to about {_megabytes(estimate)}, "
                f"more than the {_megabytes(limits.xlsx_uncompressed_bytes)} that import-tables (and this app) "
                "reads from a workbook, and more than Excel opens comfortably. Export them as CSV files "
                f"(a folder) instead: each table is its own file, read back up to "
                f"{_megabytes(limits.csv_file_bytes)} a file.")
    return None


def _megabytes(size: int) -> str:
    return f"{size / MB:,.0f} MB"


def ensure_safe_xml() -> None:
    """Refuse to go on unless openpyxl parses XML through defusedxml.

    Without defusedxml, openpyxl would parse workbook XML with the standard
    library, which expands entities ("billion laughs").  The app calls this at
    start-up; every xlsx read calls it again.
    """
    try:
        import defusedxml  # noqa: F401
        import openpyxl
    except ImportError as error:
        raise SourceRefused(
            f"Reading Excel workbooks needs the '{error.name}' package, which is missing from this "
            "installation. Reinstall IAPT Desktop."
        ) from error
    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise SourceRefused(
            "openpyxl is not using defusedxml for XML, so Excel workbooks cannot be read safely. "
            "Reinstall IAPT Desktop."
        )


def check_file_size(path: Path, limit: int, what: str) -> int:
    size = path.stat().st_size
    if size > limit:
        raise SourceRefused(
            f"{path.name} is {_megabytes(size)}; {what} may be at most {_megabytes(limit)}. "
            "Split the data into smaller files."
        )
    return size


def check_csv_file(path: Path, limits: FileLimits = LIMITS) -> None:
    """Refuse a CSV file that is too large or is not text at all."""
    check_file_size(path, limits.csv_file_bytes, "a CSV file")
    with open(path, "rb") as handle:
        start = handle.read(SNIFF_BYTES)
    if start.startswith(ZIP_MAGIC):
        raise SourceRefused(f"{path.name} is a zip archive (perhaps an Excel workbook), not a CSV file. "
                            "Give an .xlsx workbook the .xlsx extension.")
    if start.startswith(OLE_MAGIC):
        raise SourceRefused(f"{path.name} is an old-style Office file, not a CSV file. "
                            "Save it as 'CSV UTF-8 (comma delimited)'.")
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceRefused(f"{path.name} is UTF-16 text ('Unicode Text'), not UTF-8. "
                            "Save it as 'CSV UTF-8 (comma delimited)'.")
    if looks_binary(start):
        raise SourceRefused(f"{path.name} is not a text file (it holds binary data). "
                            "Choose the CSV files exported in the data set layout.")


def looks_binary(sample: bytes) -> bool:
    """NUL bytes, or many control characters, mark a file that is not text."""
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13, 12))
    return controls / len(sample) > 0.05


def check_xlsx_file(path: Path, limits: FileLimits = LIMITS) -> None:
    """Refuse a workbook whose zip container or XML could exhaust memory or time, before openpyxl sees it."""
    check_file_size(path, limits.xlsx_file_bytes, "a workbook")
    with open(path, "rb") as handle:
        start = handle.read(len(OLE_MAGIC))
    if start.startswith(OLE_MAGIC):
        raise SourceRefused(f"{path.name} is an old-style .xls (or encrypted) workbook. "
                            "Open it in Excel and save it as 'Excel Workbook (.xlsx)' without a password.")
    if not start.startswith(ZIP_MAGIC) or not zipfile.is_zipfile(path):
        raise SourceRefused(f"{path.name} is not an Excel workbook (.xlsx). "
                            "Export the tables again or save the file as .xlsx.")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_members(path.name, members, limits)
            names = {member.filename for member in members}
            missing = [name for name in REQUIRED_XLSX_MEMBERS if name not in names]
            if missing:
                raise SourceRefused(f"{path.name} is a zip archive but not an Excel workbook "
                                    f"(it has no {missing[0]}).")
            for member in members:
                if member.filename.lower().endswith((".xml", ".rels")):
                    _check_xml_member(path.name, archive, member)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as error:
        raise SourceRefused(f"{path.name} is a damaged workbook ({type(error).__name__}). "
                            "Export the tables again.") from error


def _check_members(file_name: str, members: list[zipfile.ZipInfo], limits: FileLimits) -> None:
    if len(members) > limits.xlsx_members:
        raise SourceRefused(f"{file_name} holds {len(members):,} files; a workbook may hold at most "
                            f"{limits.xlsx_members:,}. It is not a workbook exported in the data set layout.")
    total = 0
    for member in members:
        name = member.filename
        parts = PurePosixPath(name).parts
        if (name.startswith(("/", "\\")) or "\\" in name or ".." in parts or ":" in name
                or any(ord(ch) < 32 for ch in name)):
            raise SourceRefused(f"{file_name} contains a file with an unsafe name; it was not made by a "
                                "spreadsheet program and will not be read.")
        if member.flag_bits & 0x1:
            raise SourceRefused(f"{file_name} is encrypted. Remove the password in Excel and try again.")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SourceRefused(f"{file_name} uses a compression method spreadsheets do not use; "
                                "it will not be read.")
        total += member.file_size
        if total > limits.xlsx_uncompressed_bytes:
            raise SourceRefused(f"{file_name} unpacks to more than {_megabytes(limits.xlsx_uncompressed_bytes)}, "
                                "the most a workbook may hold. Split the data into smaller files.")
        if member.file_size >= limits.xlsx_ratio_checked_from_bytes:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > limits.xlsx_member_ratio:
                raise SourceRefused(
                    f"{file_name} contains a part that unpacks {ratio:,.0f} times larger than it is stored "
                    f"(more than {limits.xlsx_member_ratio}:1): a 'zip bomb'. It will not be read."
                )


def _check_xml_member(file_name: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Office XML never declares a DTD; one that does is an entity-expansion attack or not Office XML.

    Reads the member in chunks (its size is already bounded) and looks for '<!DOCTYPE' / '<!ENTITY'.
    """
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(1024 * 1024):
            window = (tail + chunk).upper()
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                raise SourceRefused(f"{file_name} contains XML with a document type declaration "
                                    "(an entity-expansion attack or not an Office workbook). It will not be read.")
            tail = chunk[-16:]
