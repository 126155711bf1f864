"""The exported cells of one table, worked out once per column: CSV fields and workbook row XML.

What a value becomes is defined in :mod:`iapt_desktop.interchange.table_columns`
(``format_value``: the text form) and :mod:`iapt_desktop.interchange.formula_guard`
(``neutralise``, ``escape_ooxml``).  This module only makes applying them to
every cell of a month cheap: the columns of a table are looked up once, and
the two value types the database holds (``str``, ``int``) take a short path
that gives exactly what ``format_value`` gives (``str(value)``); anything
else (dates, booleans, floats a caller hands over) goes through
``format_value`` itself.

:func:`sheet_row_xml` writes a row of a worksheet as the XML openpyxl's
write-only mode writes for the same cell values (inline-string cells, number
cells for whole numbers below 10^15, ``t="e"`` for the seven error texts, as
openpyxl does), character for character; ``tests/interchange/test_export_cells.py``
compares the two on awkward values.  Writing it directly saves openpyxl's
per-cell objects, which were most of the time of a month's package.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from iapt_desktop.domain.dataset import Column, ColumnType, Table
from iapt_desktop.interchange.formula_guard import escape_ooxml, neutralise
from iapt_desktop.interchange.table_columns import exported_columns, format_value

LARGEST_EXACT_NUMBER = 10**15  # Excel keeps 15 significant digits; larger whole numbers go as text
LONGEST_CELL_TEXT = 32767  # openpyxl (and Excel) keep at most this many characters in a cell
# Texts openpyxl writes as error cells rather than text (openpyxl.cell.cell.ERROR_CODES, 3.1).
ERROR_TEXTS = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))


@dataclass(frozen=True)
class ExportColumn:
    column: Column
    name: str
    letter: str  # the worksheet column (A, B, ... AA)
    is_integer: bool


def export_columns(table: Table) -> tuple[ExportColumn, ...]:
    """The exported columns of ``table`` in header order, with what writing them needs."""
    return tuple(
        ExportColumn(column, column.name, _column_letter(number), column.type is ColumnType.INTEGER)
        for number, column in enumerate(exported_columns(table), 1)
    )


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def value_text(column: Column, value: Any) -> str:
    """``format_value(column, value)``, with the stored types (None, str, int) taken directly."""
    if value is None:
        return ""
    kind = value.__class__
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is int:
        return str(value)
    return format_value(column, value)


def csv_fields(columns: tuple[ExportColumn, ...], row: Mapping[str, Any]) -> list[str]:
    """One row's CSV fields: the text form of each value, neutralised (never a formula)."""
    fields = []
    for spec in columns:
        value = row.get(spec.name)
        if value is None:
            fields.append("")
            continue
        text = value_text(spec.column, value)
        fields.append(neutralise(text) if text else text)
    return fields


def cell_value(column: Column, value: Any) -> int | str | None:
    """What a workbook cell holds: a number for whole-number columns, else text that can never be a formula."""
    text = value_text(column, value)
    if text == "":
        return None
    if (column.type is ColumnType.INTEGER and isinstance(value, int)
            and -LARGEST_EXACT_NUMBER < value < LARGEST_EXACT_NUMBER):
        return int(value)
    # After neutralising, text cannot start with '=', so openpyxl would store it as a string cell.
    return escape_ooxml(neutralise(text))


def sheet_row_xml(columns: tuple[ExportColumn, ...], row: Mapping[str, Any], number: int) -> str:
    """``<row r="number">`` with a cell for every value that is not empty, as openpyxl writes it."""
    at = str(number)
    parts = ['<row r="', at, '">']
    for spec in columns:
        value = row.get(spec.name)
        if value is None:
            continue
        if spec.is_integer and value.__class__ is int and -LARGEST_EXACT_NUMBER < value < LARGEST_EXACT_NUMBER:
            parts.append(f'<c r="{spec.letter}{at}" t="n"><v>{value}</v></c>')
            continue
        cell = cell_value(spec.column, value)
        if cell is None:
            continue
        if isinstance(cell, int):
            parts.append(f'<c r="{spec.letter}{at}" t="n"><v>{cell}</v></c>')
        else:
            parts.append(_text_cell(spec.letter + at, cell))
    parts.append("</row>")
    return "".join(parts)


def _text_cell(reference: str, text: str) -> str:
    text = text[:LONGEST_CELL_TEXT]
    if text in ERROR_TEXTS:
        return f'<c r="{reference}" t="e"><v>{text}</v></c>'
    escaped = _escape_text(text)
    stripped = text.strip()
    if stripped and stripped != text:
        return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{escaped}</t></is></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{escaped}</t></is></c>'


def _escape_text(text: str) -> str:
    """XML character data as ElementTree escapes it (&, <, >)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text
