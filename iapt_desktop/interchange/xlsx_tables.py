"""One workbook with a sheet per data set table (sheet name = table name).

Every value is written as an explicit text cell (codes keep leading zeros,
16-18 digit SNOMED CT ids are not rounded to 15 digits, text never becomes a
formula); whole-number columns are number cells.  openpyxl's write-only mode
makes the workbook and each sheet's frame (its header row included); the
data rows are written into the sheet's part as the XML openpyxl writes for the
same values (:mod:`iapt_desktop.interchange.export_cells`), without its
per-cell objects.  The parts are written into a private folder beside the
target (never the system temp folder), and the finished workbook replaces the
target in one step.  Reading checks the zip container and its XML first
(:mod:`iapt_desktop.interchange.hostile_files`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import tempfile
from collections.abc import Generator, Iterable, Iterator, Mapping, Sized
from pathlib import Path
from typing import Any

from iapt_desktop.interchange.csv_tables import PROGRESS_EVERY
from iapt_desktop.interchange.export_cells import ExportColumn, export_columns, sheet_row_xml
from iapt_desktop.interchange.formula_guard import unescape_ooxml
from iapt_desktop.interchange.hostile_files import (
    LIMITS,
    FileLimits,
    SourceRefused,
    check_xlsx_file,
    ensure_safe_xml,
)
from iapt_desktop.interchange.table_columns import (
    exported_columns,
    exported_tables,
    header,
    import_order,
)
from iapt_desktop.interchange.table_source import SourceRow, SourceTable, TableProgress

XLSX_SUFFIX = ".xlsx"
_SHEET_DATA_END = b"</sheetData>"


def write_tables_xlsx_steps(
    path: Path, rows_by_table: Mapping[str, Iterable[Mapping[str, Any]]]
) -> Generator[TableProgress, None, Path]:
    """Write all 21 tables as sheets of one workbook at ``path``, yielding progress; returns the path."""
    import openpyxl

    path = Path(path)
    known = {t.name for t in exported_tables()}
    unknown = sorted(set(rows_by_table) - known)
    if unknown:
        raise ValueError(f"not tables of the interchange layout: {', '.join(unknown)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    work_dir = Path(tempfile.mkdtemp(prefix=f".{path.stem}.", suffix=".parts", dir=path.parent))
    workbook = openpyxl.Workbook(write_only=True)
    saved = False
    try:
        layout = exported_tables()
        for index, table in enumerate(layout):
            sheet = workbook.create_sheet(title=table.name)
            columns = exported_columns(table)
            rows = rows_by_table.get(table.name, ())
            _write_sheet_parts_in(sheet, work_dir, _dimension(len(columns), rows))
            sheet.append(list(header(table)))
            count = yield from _write_rows_into(sheet, export_columns(table), rows,
                                                TableProgress(table.name, 0, index, len(layout)))
            yield TableProgress(table.name, count, index + 1, len(layout))
        handle_fd, temp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".part", dir=path.parent)
        os.close(handle_fd)
        try:
            workbook.save(temp_name)
            saved = True
            os.replace(temp_name, path)
        finally:
            Path(temp_name).unlink(missing_ok=True)
        return path
    finally:
        if not saved:
            _close_sheets(workbook)
        shutil.rmtree(work_dir, ignore_errors=True)


def _close_sheets(workbook: Any) -> None:
    """Finish the sheets of an abandoned workbook so that their open part files are closed now."""
    for sheet in workbook.worksheets:
        if sheet._writer is not None and not sheet.closed:
            with contextlib.suppress(OSError, ValueError):
                sheet.close()


def write_tables_xlsx(path: Path, rows_by_table: Mapping[str, Iterable[Mapping[str, Any]]]) -> Path:
    """Write all 21 tables as sheets of one workbook at ``path``; returns the path."""
    steps = write_tables_xlsx_steps(path, rows_by_table)
    while True:
        try:
            next(steps)
        except StopIteration as finished:
            return finished.value


def _write_rows_into(
    sheet: Any, columns: tuple[ExportColumn, ...], rows: Iterable[Mapping[str, Any]],
    progress: TableProgress,
) -> Generator[TableProgress, None, int]:
    """Close ``sheet`` (openpyxl writes its part: top, header row, tail), then put the rows in after the header.

    Each row is written as the XML openpyxl writes for the same values
    (:func:`iapt_desktop.interchange.export_cells.sheet_row_xml`), without
    openpyxl's per-cell objects.  Returns the number of rows.
    """
    sheet.close()
    part = Path(sheet._writer.out)
    written = part.read_bytes()
    if written.count(_SHEET_DATA_END) != 1:
        raise RuntimeError("openpyxl wrote a worksheet without exactly one </sheetData>; "
                           "this openpyxl version is not supported")
    top, tail = written.split(_SHEET_DATA_END)
    count = 0
    # Opened as openpyxl opens its part files (et_xmlfile), so the same text gives the same bytes.
    with open(part, "w", encoding="utf-8", errors="xmlcharrefreplace") as handle:
        handle.write(top.decode("utf-8"))
        lines: list[str] = []
        for row in rows:
            count += 1
            lines.append(sheet_row_xml(columns, row, count + 1))
            if count % PROGRESS_EVERY == 0:
                handle.write("".join(lines))
                lines.clear()
                yield dataclasses.replace(progress, rows=count)
        handle.write("".join(lines))
        handle.write((_SHEET_DATA_END + tail).decode("utf-8"))
    return count


def _dimension(column_count: int, rows: Iterable[Any]) -> str | None:
    """The sheet's used range when the number of rows is known up front (a list, or anything with len())."""
    if not isinstance(rows, Sized):
        return None
    from openpyxl.utils import get_column_letter

    return f"A1:{get_column_letter(column_count)}{len(rows) + 1}"


def _write_sheet_parts_in(sheet: Any, folder: Path, dimension: str | None) -> None:
    """Make openpyxl stream this write-only sheet into ``folder`` instead of the system temp folder.

    openpyxl 3.1 creates the sheet's writer lazily (``_get_writer``) on a
    NamedTemporaryFile; creating it first with our own file keeps patient data
    out of shared temp folders.  Its cleanup removes the file after saving.
    With the used range known, the sheet also gets its ``<dimension>``, which
    saves readers (openpyxl among them) a pass over the whole sheet.
    """
    from openpyxl.worksheet import _writer as sheet_writer

    handle_fd, part_name = tempfile.mkstemp(prefix="sheet.", suffix=".xml", dir=folder)
    os.close(handle_fd)
    sheet_writer.ALL_TEMP_FILES.append(part_name)
    if dimension is not None:
        sheet.calculate_dimension = lambda: dimension
    sheet._writer = sheet_writer.WorksheetWriter(sheet, out=part_name)
    sheet._writer.write_top()


# ---------------------------------------------------------------- reading


def read_xlsx_tables(path: Path, limits: FileLimits = LIMITS) -> Iterator[SourceTable]:
    """Check the workbook, then yield one table per sheet, in :func:`import_order`.

    Each table's rows must be read before the next table is taken; the
    workbook is closed when the iteration ends.
    """
    ensure_safe_xml()
    check_xlsx_file(path, limits)
    return _sheets(path, limits)


def _sheets(path: Path, limits: FileLimits) -> Iterator[SourceTable]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise SourceRefused(f"{path.name} could not be opened as a workbook ({type(error).__name__}). "
                            "Export the tables again or save it from Excel as .xlsx.") from error
    try:
        for title in import_order([ws.title for ws in workbook.worksheets]):
            sheet = workbook[title]
            sheet.reset_dimensions()  # do not trust the size the file declares
            rows = sheet.iter_rows(values_only=True)
            try:
                first = next(rows, ())
            except Exception as error:  # damaged sheet XML
                raise SourceRefused(f"Sheet {sheet.title} is damaged ({type(error).__name__}). "
                                    "Export the tables again or save the workbook from Excel.") from error
            trimmed = _trim(first)
            if len(trimmed) > limits.columns:
                raise SourceRefused(f"Sheet {sheet.title} has {len(trimmed):,} columns in its header; "
                                    f"a table has at most {limits.columns}.")
            sheet_header = tuple(
                unescape_ooxml(cell).strip() if isinstance(cell, str) else cell for cell in trimmed
            )
            yield SourceTable(sheet.title, f"sheet {sheet.title}", sheet_header,
                              _rows(sheet.title, rows, limits), cells_are_text=False)
    finally:
        workbook.close()


def _trim(values: tuple[Any, ...] | list[Any]) -> tuple[Any, ...]:
    """Drop trailing empty cells."""
    end = len(values)
    while end and (values[end - 1] is None or values[end - 1] == ""):
        end -= 1
    return tuple(values[:end])


def _rows(sheet_name: str, rows: Iterator[Any], limits: FileLimits) -> Iterator[SourceRow]:
    number = 1
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as error:  # openpyxl raises many kinds for damaged sheet XML
            raise SourceRefused(f"Sheet {sheet_name} is damaged after row {number} ({type(error).__name__}). "
                                "Export the tables again or save the workbook from Excel.") from error
        number += 1
        if number - 1 > limits.rows_per_table:
            raise SourceRefused(f"Sheet {sheet_name} has more than {limits.rows_per_table:,} rows, "
                                "the most one table may have. Split it into smaller workbooks.")
        trimmed = _trim(values)
        if not trimmed:
            continue
        yield SourceRow(number, tuple(unescape_ooxml(v) if isinstance(v, str) else v for v in trimmed))
