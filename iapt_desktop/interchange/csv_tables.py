"""One CSV file per data set table: UTF-8, comma separated, RFC 4180 quoting, CRLF line ends.

Writing goes to temporary files in the target folder that replace the real
names only when every table has been written, so a failed or cancelled
export never leaves half a file.  Reading checks each file first
(:mod:`iapt_desktop.interchange.hostile_files`) and then streams it, with a
bound on every line and field.
"""

from __future__ import annotations

import codecs
import csv
import os
import tempfile
from collections.abc import Generator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from iapt_desktop.interchange.export_cells import csv_fields, export_columns
from iapt_desktop.interchange.hostile_files import LIMITS, FileLimits, SourceRefused, check_csv_file
from iapt_desktop.interchange.table_columns import exported_tables, header
from iapt_desktop.interchange.table_source import RowProblem, SourceRow, SourceTable, TableProgress

CSV_SUFFIX = ".csv"
PROGRESS_EVERY = 2000  # rows between progress reports


def table_file_name(table_name: str) -> str:
    return table_name + CSV_SUFFIX


def write_tables_csv_steps(
    out_dir: Path, rows_by_table: Mapping[str, Iterable[Mapping[str, Any]]]
) -> Generator[TableProgress, None, dict[str, Path]]:
    """Write all 21 tables as CSV files in ``out_dir``, yielding progress; returns {table: path}.

    Tables missing from ``rows_by_table`` are written header-only.  Row
    mappings are keyed by technical column names; other keys (app_row_id)
    are ignored.  Closing the generator early removes what it has written.
    """
    out_dir = Path(out_dir)
    _refuse_unknown_tables(rows_by_table)
    out_dir.mkdir(parents=True, exist_ok=True)
    layout = exported_tables()
    pending: dict[str, Path] = {}
    try:
        for index, table in enumerate(layout):
            handle_fd, temp_name = tempfile.mkstemp(prefix=f".{table.name}.", suffix=".part", dir=out_dir)
            pending[table.name] = Path(temp_name)
            count = 0
            columns = export_columns(table)
            with os.fdopen(handle_fd, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\r\n")
                writer.writerow(header(table))
                for row in rows_by_table.get(table.name, ()):
                    writer.writerow(csv_fields(columns, row))
                    count += 1
                    if count % PROGRESS_EVERY == 0:
                        yield TableProgress(table.name, count, index, len(layout))
                handle.flush()
                os.fsync(handle.fileno())
            yield TableProgress(table.name, count, index + 1, len(layout))
        written: dict[str, Path] = {}
        for name, temp_path in list(pending.items()):
            final = out_dir / table_file_name(name)
            os.replace(temp_path, final)
            del pending[name]
            written[name] = final
        return written
    finally:
        for temp_path in pending.values():
            temp_path.unlink(missing_ok=True)


def write_tables_csv(out_dir: Path, rows_by_table: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, Path]:
    """Write all 21 tables as CSV files in ``out_dir``; returns {table: path}."""
    steps = write_tables_csv_steps(out_dir, rows_by_table)
    while True:
        try:
            next(steps)
        except StopIteration as finished:
            return finished.value


def _refuse_unknown_tables(rows_by_table: Mapping[str, Any]) -> None:
    known = {t.name for t in exported_tables()}
    unknown = sorted(set(rows_by_table) - known)
    if unknown:
        raise ValueError(f"not tables of the interchange layout: {', '.join(unknown)}")


# ---------------------------------------------------------------- reading


def csv_files_in(source: Path) -> list[Path]:
    """The CSV files a folder holds (other files and sub-folders are ignored)."""
    return sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() == CSV_SUFFIX)


def read_csv_table(path: Path, limits: FileLimits = LIMITS) -> SourceTable:
    """Check ``path`` and read its header; the rows are read (the file opened again) lazily."""
    check_csv_file(path, limits)
    with open(path, "rb") as handle:
        lines = _DecodedLines(handle, path.name, limits)
        try:
            first = next(csv.reader(lines), [])
        except csv.Error as error:
            raise SourceRefused(f"{path.name} line {lines.line_number}: {error}.") from error
    if len(first) > limits.columns:
        raise SourceRefused(f"{path.name} has {len(first):,} columns in its header; a table has at most "
                            f"{limits.columns}. Check that it is a CSV file in the data set layout.")
    name = path.stem
    return SourceTable(name, path.name, tuple(cell.strip() for cell in first), _rows(name, path, limits))


def _rows(table_name: str, path: Path, limits: FileLimits) -> Iterator[SourceRow]:
    with open(path, "rb") as handle:
        lines = _DecodedLines(handle, path.name, limits)
        reader = csv.reader(lines)
        number = 0
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise SourceRefused(f"{path.name} line {lines.line_number}: {error}. "
                                    "Check the quotes around values on that line.") from error
            number += 1
            if number == 1:
                lines.take_problems()  # the header's were reported when it was read
                continue
            if number - 1 > limits.rows_per_table:
                raise SourceRefused(f"{path.name} has more than {limits.rows_per_table:,} rows, "
                                    "the most one table may have. Split it into smaller files.")
            problems = tuple(
                RowProblem(table_name, number, "", "", reason) for reason in lines.take_problems()
            )
            if not problems and all(value == "" for value in values):
                continue  # a blank line, or a row with no values at all
            yield SourceRow(number, tuple(values), problems)


class _DecodedLines:
    """Physical lines of a CSV file as text, each at most ``limits.line_bytes`` long.

    A line that is not UTF-8 is decoded with replacement characters and noted
    so that the row it belongs to is reported; a byte-order mark is dropped.
    """

    def __init__(self, handle: BinaryIO, file_name: str, limits: FileLimits) -> None:
        self.handle = handle
        self.file_name = file_name
        self.limits = limits
        self.line_number = 0
        self._problems: list[str] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        raw = self.handle.readline(self.limits.line_bytes + 1)
        if not raw:
            raise StopIteration
        self.line_number += 1
        if len(raw) > self.limits.line_bytes:
            raise SourceRefused(f"{self.file_name} line {self.line_number} is longer than "
                                f"{self.limits.line_bytes // 1024:,} KB; it is not a CSV file in the data set layout.")
        if self.line_number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        if b"\x00" in raw:
            raise SourceRefused(f"{self.file_name} line {self.line_number} holds binary data (NUL bytes); "
                                "it is not a text file.")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            bad = raw[error.start:error.start + 1].hex().upper()
            self._problems.append(
                f"line {self.line_number} is not UTF-8 text (byte 0x{bad} at character {error.start + 1}); "
                "save the file as 'CSV UTF-8'"
            )
            return raw.decode("utf-8", errors="replace")

    def take_problems(self) -> list[str]:
        problems, self._problems = self._problems, []
        return problems
