"""The data set's own tables as files: the entry points for writing and reading them.

Writers (also used for the monthly package, which has the same layout):

- :func:`write_tables_csv` (``out_dir, rows_by_table -> {table: Path}``)
- :func:`write_tables_xlsx` (``path, rows_by_table -> Path``)
- :func:`write_tables` picks one by the target's name; ``*_steps`` variants
  are generators yielding :class:`TableProgress` and returning the same.

``rows_by_table`` maps a table name to an iterable of rows, each a mapping of
technical column names to values (stored text, int, or date/time objects);
all 21 tables are always written, header-only when absent or empty.

Reader: :func:`read_tables` (a folder of CSV files, one CSV file, or an xlsx
workbook) yields :class:`SourceTable` objects in import order.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from iapt_desktop.interchange.csv_tables import (
    csv_files_in,
    read_csv_table,
    write_tables_csv,
    write_tables_csv_steps,
)
from iapt_desktop.interchange.hostile_files import LIMITS, OLE_MAGIC, ZIP_MAGIC, FileLimits, SourceRefused
from iapt_desktop.interchange.table_columns import import_order
from iapt_desktop.interchange.table_source import SourceTable, TableProgress
from iapt_desktop.interchange.xlsx_tables import (
    XLSX_SUFFIX,
    read_xlsx_tables,
    write_tables_xlsx,
    write_tables_xlsx_steps,
)

__all__ = [
    "TableProgress",
    "is_workbook_target",
    "read_tables",
    "write_tables",
    "write_tables_csv",
    "write_tables_csv_steps",
    "write_tables_steps",
    "write_tables_xlsx",
    "write_tables_xlsx_steps",
]


def is_workbook_target(out: Path) -> bool:
    return Path(out).suffix.lower() == XLSX_SUFFIX


def write_tables_steps(
    out: Path, rows_by_table: Mapping[str, Iterable[Mapping[str, Any]]]
) -> Generator[TableProgress, None, list[Path]]:
    """A workbook when ``out`` ends in .xlsx, else a folder of CSV files; returns the files written."""
    out = Path(out)
    if is_workbook_target(out):
        return [(yield from write_tables_xlsx_steps(out, rows_by_table))]
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out.name} is a file; give a folder for CSV files or a name ending in .xlsx")
    written = yield from write_tables_csv_steps(out, rows_by_table)
    return list(written.values())


def write_tables(out: Path, rows_by_table: Mapping[str, Iterable[Mapping[str, Any]]]) -> list[Path]:
    steps = write_tables_steps(out, rows_by_table)
    while True:
        try:
            next(steps)
        except StopIteration as finished:
            return finished.value


def read_tables(source: Path, limits: FileLimits = LIMITS) -> Iterator[SourceTable]:
    """The tables in ``source``, in import order (parents first); raises :class:`SourceRefused`.

    Every file is checked before the first table is handed out.  Read each
    table's rows before taking the next table.
    """
    source = Path(source)
    if not source.exists():
        raise SourceRefused(f"There is no file or folder at {source}.")
    if source.is_dir():
        return _read_csv_folder(source, limits)
    if not source.is_file():
        raise SourceRefused(f"{source.name} is not a regular file or folder.")
    with open(source, "rb") as handle:
        start = handle.read(8)
    if source.suffix.lower() in (XLSX_SUFFIX, ".xlsm") or start.startswith(ZIP_MAGIC):
        return read_xlsx_tables(source, limits)
    if source.suffix.lower() == ".xls" or start.startswith(OLE_MAGIC):
        raise SourceRefused(f"{source.name} is an old-style .xls workbook. Save it as .xlsx and try again.")
    return _read_csv_files([source], limits)


def _read_csv_folder(folder: Path, limits: FileLimits) -> Iterator[SourceTable]:
    files = csv_files_in(folder)
    inner = [p for p in sorted(folder.iterdir()) if p.is_dir() and csv_files_in(p)] if not files else []
    if inner:
        raise SourceRefused(f"The folder {folder.name} holds no .csv files, but its folder {inner[0].name} does. "
                            "Choose that folder.")
    if not files:
        raise SourceRefused(f"The folder {folder.name} holds no .csv files. Choose the folder the tables "
                            "were exported to (it holds files such as IDS101Referral.csv).")
    return _read_csv_files(files, limits)


def _read_csv_files(files: list[Path], limits: FileLimits) -> Iterator[SourceTable]:
    opened = [read_csv_table(path, limits) for path in files]  # checks every file up front
    rank = {name: index for index, name in enumerate(import_order([table.name for table in opened]))}
    return iter(sorted(opened, key=lambda table: rank[table.name]))
