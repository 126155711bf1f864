"""The problems that stopped an import, as a table: where each one is (table, row, column), the value, and why.

Also the same list as text for the clipboard (tab separated) and as a CSV file for the administrator to work
through while fixing the spreadsheet.  Values come from the administrator's own file; they are shown and saved
only where the administrator asks.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from iapt_desktop.interchange.formula_guard import neutralise
from iapt_desktop.interchange.private_files import write_private_text
from iapt_desktop.interchange.table_source import RowProblem

_Index = QModelIndex | QPersistentModelIndex


class ProblemColumn(IntEnum):
    TABLE = 0
    ROW = 1
    COLUMN = 2
    VALUE = 3
    REASON = 4


HEADERS = {ProblemColumn.TABLE: "Table", ProblemColumn.ROW: "Row", ProblemColumn.COLUMN: "Column",
           ProblemColumn.VALUE: "Value", ProblemColumn.REASON: "Reason"}
TIPS = {ProblemColumn.ROW: "Row number as a spreadsheet shows it: the header is row 1, the first data row is row 2",
        ProblemColumn.TABLE: "The file (CSV) or sheet (workbook) of the data set table"}


def problem_cells(problem: RowProblem) -> tuple[str, str, str, str, str]:
    """The five cells of one problem, as text; the whole file or sheet has no row number."""
    row = "" if problem.row is None else str(problem.row)
    return problem.table, row, problem.column, problem.value, problem.reason


def problems_as_text(problems: Sequence[RowProblem]) -> str:
    """Tab-separated, with a header line: pastes into a spreadsheet as columns."""
    lines = ["\t".join(HEADERS[c] for c in ProblemColumn)]
    lines += ["\t".join(problem_cells(p)) for p in problems]
    return "\n".join(lines) + "\n"


def save_problems_csv(path: Path, problems: Sequence[RowProblem]) -> None:
    """Write the list as CSV (UTF-8 with a byte-order mark, so Excel reads it; formula-like text neutralised).

    Written to a temporary file beside ``path`` and renamed, so a failure leaves no half-written list; the
    values quoted can be patient data, so the file is readable by its owner only (interchange.private_files).
    """
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([HEADERS[c] for c in ProblemColumn])
    for problem in problems:
        writer.writerow([neutralise(cell) for cell in problem_cells(problem)])
    write_private_text(path, "\ufeff" + text.getvalue())


class ProblemsTableModel(QAbstractTableModel):
    """Read-only list of :class:`RowProblem`; ``set_problems`` replaces it (one reset)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._problems: list[RowProblem] = []

    @property
    def problems(self) -> list[RowProblem]:
        return list(self._problems)

    def set_problems(self, problems: Sequence[RowProblem]) -> None:
        self.beginResetModel()
        self._problems = list(problems)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ProblemColumn)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._problems):
            return None
        column = ProblemColumn(index.column())
        text = problem_cells(self._problems[index.row()])[column]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole and column is ProblemColumn.ROW:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(ProblemColumn):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[ProblemColumn(section)]
        if role == Qt.ItemDataRole.ToolTipRole:
            return TIPS.get(ProblemColumn(section))
        return None
