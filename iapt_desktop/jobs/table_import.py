"""Import tables in the data set's own layout: all or nothing, every problem listed.

``import_tables_steps(db, source)`` is a generator yielding
:class:`TableProgress` and returning an :class:`ImportResult`.  Everything is
stored in one transaction; if any row cannot be stored, the transaction is
rolled back and the result lists every problem (table, row, column, value,
reason).  Closing the generator early also rolls back.

Refused (cannot be stored): unknown tables or columns, values that do not
parse, duplicate keys (within the file or against the database), children
whose parent is neither in the file nor in the database, and empty key or
link columns.  Everything else (data quality) is stored for validation.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain import audit_actions
from iapt_desktop.domain.access import Action, User, require
from iapt_desktop.domain.dataset import Table, tables
from iapt_desktop.interchange.hostile_files import LIMITS, FileLimits
from iapt_desktop.interchange.table_files import read_tables
from iapt_desktop.interchange.table_parsing import ParsedRow, header_problems, known_table, parse_rows
from iapt_desktop.interchange.table_source import RowProblem, TableProgress, shorten
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.database import DatabaseLocation, IntegrityError
from iapt_desktop.storage.table_rows import insert_row, required_columns, row_exists

COMMAND_LINE_USER = "command line"
PROGRESS_EVERY = 2000


@dataclass
class ImportResult:
    rows_by_table: dict[str, int] = field(default_factory=dict)  # rows stored (0 everywhere when refused)
    problems: list[RowProblem] = field(default_factory=list)  # the first LIMITS.problems_listed problems
    problem_count: int = 0  # all problems, listed or not

    @property
    def imported(self) -> bool:
        return self.problem_count == 0

    @property
    def rows_imported(self) -> int:
        return sum(self.rows_by_table.values())


class _RollBack(Exception):
    """Raised inside the transaction to undo it when problems were found."""


@dataclass
class _TableState:
    """What the import has seen of one table so far."""

    keys: dict[Any, int] = field(default_factory=dict)  # own key -> file row
    unique: dict[tuple[Any, ...], int] = field(default_factory=dict)  # unique_together -> file row
    refused_keys: dict[Any, int] = field(default_factory=dict)  # key of a row with problems -> file row
    known_parents: set[Any] = field(default_factory=set)


def import_tables_steps(
    db: Database, source: Path, *, actor: User | None = None, limits: FileLimits = LIMITS
) -> Generator[TableProgress, None, ImportResult]:
    """Read ``source`` (folder of CSV files, a CSV file or an xlsx workbook) into ``db``, all or nothing.

    Raises :class:`~iapt_desktop.interchange.hostile_files.SourceRefused` when
    the source as a whole cannot be read.
    """
    if actor is not None:
        require(actor, Action.IMPORT)
    source = Path(source)
    result = ImportResult()
    source_tables = read_tables(source, limits)  # checks the files before anything is stored
    states: dict[str, _TableState] = {}

    def report(problem: RowProblem) -> None:
        result.problem_count += 1
        if len(result.problems) < limits.problems_listed:
            result.problems.append(problem)

    try:
        with db.atomic():
            seen_tables: set[str] = set()
            for index, source_table in enumerate(source_tables):
                problems = header_problems(source_table)
                if source_table.name in seen_tables:
                    problems.append(RowProblem(source_table.name, None, "", "",
                                               f"{source_table.location} holds a table already read from another file"))
                seen_tables.add(source_table.name)
                for problem in problems:
                    report(problem)
                if problems or known_table(source_table) is None:
                    continue
                table = tables()[source_table.name]
                state = states.setdefault(table.name, _TableState())
                required = required_columns(db, table.name)
                stored = 0
                for row in parse_rows(source_table, limits):
                    row_problems = list(row.problems) or _key_problems(db, table, row, required, state, states)
                    if not row_problems:
                        try:
                            insert_row(db, table.name, row.values)
                        except IntegrityError as error:
                            row_problems = [RowProblem(table.name, row.number, "", "",
                                                       f"cannot be stored: {error}")]
                    if row_problems:
                        for problem in row_problems:
                            report(problem)
                        key = row.values.get(table.primary_key[0]) if table.has_own_key else None
                        if key is not None:
                            state.refused_keys.setdefault(key, row.number)
                            state.keys.setdefault(key, row.number)
                        continue
                    stored += 1
                    if stored % PROGRESS_EVERY == 0:
                        yield TableProgress(table.name, stored, index, len(tables()))
                result.rows_by_table[table.name] = result.rows_by_table.get(table.name, 0) + stored
                yield TableProgress(table.name, stored, index + 1, len(tables()))
            if result.problem_count:
                raise _RollBack
            audit_log.append(
                db, actor.username if actor else COMMAND_LINE_USER, audit_actions.IMPORT,
                changes={"format": "xlsx" if source.is_file() and source.suffix.lower() != ".csv" else "csv",
                         "rows": dict(result.rows_by_table)},
            )
    except _RollBack:
        result.rows_by_table = dict.fromkeys(result.rows_by_table, 0)
        return result
    yield TableProgress("", result.rows_imported, len(tables()), len(tables()))  # committed
    return result


def import_tables_job(location: DatabaseLocation, source: Path, *, actor: User | None = None
                      ) -> Generator[TableProgress, None, ImportResult]:
    """:func:`import_tables_steps` on a connection of its own (for ``ui.workers.run_job``)."""
    db = location.open()
    try:
        return (yield from import_tables_steps(db, source, actor=actor))
    finally:
        db.close()


def import_tables(db: Database, source: Path, *, actor: User | None = None,
                  limits: FileLimits = LIMITS) -> ImportResult:
    steps = import_tables_steps(db, source, actor=actor, limits=limits)
    while True:
        try:
            next(steps)
        except StopIteration as finished:
            return finished.value


def _key_problems(db: Database, table: Table, row: ParsedRow, required: tuple[str, ...],
                  state: _TableState, states: dict[str, _TableState]) -> list[RowProblem]:
    """Empty keys, duplicate keys and missing parents of a row whose values all parsed."""
    values = row.values
    problems: list[RowProblem] = []

    def problem(column: str, value: Any, reason: str) -> None:
        problems.append(RowProblem(table.name, row.number, column, shorten(value), reason))

    for column in required:
        if values.get(column) is None:
            problem(column, "", f"is empty; every {table.name} row needs it (it is a key or the link to its parent)")
    if problems:
        return problems
    if table.has_own_key:
        key_column = table.primary_key[0]
        key = values[key_column]
        if key in state.keys:
            problem(key_column, key, f"duplicate key: row {state.keys[key]} of this file has the same {key_column}")
        elif row_exists(db, table.name, [key_column], [key]):
            problem(key_column, key, f"this {key_column} is already in the database ({table.name})")
        else:
            state.keys[key] = row.number
    if table.unique_together:
        combined = tuple(values.get(c) for c in table.unique_together)
        names = " and ".join(table.unique_together)
        if combined in state.unique:
            problem(table.unique_together[-1], combined[-1],
                    f"duplicate key: row {state.unique[combined]} of this file has the same {names}")
        elif row_exists(db, table.name, table.unique_together, combined):
            problem(table.unique_together[-1], combined[-1],
                    f"this {names} pair is already in the database ({table.name})")
        else:
            state.unique[combined] = row.number
    if table.parent and table.parent_column:
        parent = tables()[table.parent]
        parent_state = states.setdefault(parent.name, _TableState())
        link = values[table.parent_column]
        if link not in parent_state.known_parents:
            if row_exists(db, parent.name, [parent.primary_key[0]], [link]):
                parent_state.known_parents.add(link)
            elif link in parent_state.refused_keys:
                refused_row = parent_state.refused_keys[link]
                problem(table.parent_column, link, f"its {parent.name} row (row {refused_row}) has problems")
            else:
                problem(table.parent_column, link, f"no {parent.name} row has this {parent.primary_key[0]}, "
                                                   "neither in the file nor in the database")
    return problems
