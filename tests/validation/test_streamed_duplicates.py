"""Duplicate rules over streamed batches find exactly the in-memory engine's duplicates.

``duplicate_hashes.DuplicateRule`` hashes raw values (blanks made ``""``) and
compares the rows whose hash repeats exactly; these tests hold it to
``set_checks`` on every kind of blank, on values whose hashes collide, and on
columns mixing types (where every row is compared).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.duplicate_hashes import DuplicateRule
from iapt_desktop.validation.kept_columns import KeyIndex
from iapt_desktop.validation.rules import rule
from iapt_desktop.validation.set_checks import FileState, unique, unique_attended_contact, unique_where_blank

CONTEXT = ValidationContext.for_database("RX1", "RX1")
BLANKS = [None, "", " ", "\t", "\u3000", "\n \x0b"]
FACTORIES = {"unique": unique, "unique_where_blank": unique_where_blank,
             "unique_attended_contact": unique_attended_contact}


def streamed_hits(rule_id: str, rows: Sequence[dict[str, Any]], batch: int = 3,
                  keyed: bool = False) -> list[tuple[int, str, Any]]:
    """The rule's hits over batches; ``keyed``: its one field is the table's key, told by a key index."""
    item = rule(rule_id)
    duplicates = DuplicateRule(item)
    names = sorted({name for row in rows for name in row})
    index = KeyIndex()
    for start in range(0, len(rows), batch):
        part = rows[start:start + batch]
        if keyed:
            keys = [row.get(item.field) for row in part]
            duplicates.add_keyed(keys, index.add(keys, start), start)
        else:
            duplicates.add(lambda name, part=part: [row.get(name) for row in part])

    def rows_at(indices: Iterable[int]) -> Iterator[tuple[int, dict[str, Any]]]:
        for index in sorted(set(indices)):
            yield index, {name: rows[index].get(name) for name in names}

    candidates = duplicates.candidates()
    hits = duplicates.hits(item.table, rows_at(candidates)) if candidates else []
    return [(index, field, value) for _, _, index, field, value in hits]


def engine_hits(rule_id: str, rows: Sequence[dict[str, Any]]) -> list[tuple[int, str, Any]]:
    item = rule(rule_id)
    check = FACTORIES[item.check](item)
    return [(index, field, value) for _, index, field, value in check(FileState({item.table: rows}, CONTEXT))]


def test_every_kind_of_blank_is_one_key() -> None:
    rows = [{"LocalPatientId": "P1", "DisabCode": blank} for blank in BLANKS]
    rows.append({"LocalPatientId": "P1", "DisabCode": "04"})
    expected = engine_hits("IDS00702", rows)
    assert [index for index, _, _ in expected] == list(range(len(BLANKS)))
    assert streamed_hits("IDS00702", rows) == expected


def test_a_blank_key_field_is_skipped_where_the_rule_says_so() -> None:
    rows = [{"NHSNumber": blank, "LocalPatientId": f"P{n}"} for n, blank in enumerate(BLANKS)]
    rows += [{"NHSNumber": "9990000018", "LocalPatientId": "PA"}, {"NHSNumber": "9990000018", "LocalPatientId": "PB"}]
    expected = engine_hits("IDSREJ009", rows)
    assert [index for index, _, _ in expected] == [len(BLANKS), len(BLANKS) + 1]
    assert streamed_hits("IDSREJ009", rows) == expected


def test_colliding_hashes_are_not_duplicates() -> None:
    assert hash(-1) == hash(-2)  # CPython: the two keys below hash alike
    base = {"ServiceRequestId": "R1", "StartDateIntEnabledTherLog": "2025-01-01", "EndDateIntEnabledTherLog": None,
            "IntEnabledTherProg": "01", "CarePersLocalId": "S1"}
    rows = [{**base, "DurationIntEnabledTher": -1}, {**base, "DurationIntEnabledTher": -2}]
    assert engine_hits("IDS20519", rows) == []
    assert streamed_hits("IDS20519", rows) == []
    rows.append({**base, "DurationIntEnabledTher": -2})
    assert streamed_hits("IDS20519", rows) == engine_hits("IDS20519", rows) != []


def test_a_column_mixing_types_compares_every_row() -> None:
    rows = [{"LocalPatientId": "P1", "DisabCode": 4}, {"LocalPatientId": "P1", "DisabCode": "4"},
            {"LocalPatientId": "P1", "DisabCode": b"4"}, {"LocalPatientId": "P1", "DisabCode": "b'4'"}]
    expected = engine_hits("IDS00702", rows)
    assert [index for index, _, _ in expected] == [0, 1, 2, 3]
    assert streamed_hits("IDS00702", rows) == expected


def test_only_the_rows_the_rule_looks_at_are_compared() -> None:
    gp = [{"LocalPatientId": "P1", "EndDateGMPRegistration": end} for end in (None, "2025-01-01", " ", None)]
    assert streamed_hits("IDS00222", gp) == engine_hits("IDS00222", gp) != []
    contact = {"ServiceRequestId": "R1", "CareContDate": "2025-01-01", "CareContTime": "10:00:00"}
    contacts = [{**contact, "AttendOrDNACode": code} for code in ("5", "3", "6", "2")]
    assert streamed_hits("IDS20168", contacts) == engine_hits("IDS20168", contacts) != []


KEY_VALUES = st.one_of(st.sampled_from(BLANKS), st.sampled_from(["01", "04", " 04", "04 ", "x"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["P1", "P2", " ", None]), KEY_VALUES), max_size=25),
       st.integers(min_value=1, max_value=7))
def test_any_rows_give_the_engine_hits(keys: list[tuple[Any, Any]], batch: int) -> None:
    rows = [{"LocalPatientId": patient, "DisabCode": code} for patient, code in keys]
    assert streamed_hits("IDS00702", rows, batch) == engine_hits("IDS00702", rows)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.integers(min_value=-3, max_value=3), st.none()), max_size=20))
def test_whole_numbers_with_blanks_give_the_engine_hits(durations: list[Any]) -> None:
    base = {"ServiceRequestId": "R1", "StartDateIntEnabledTherLog": "2025-01-01", "EndDateIntEnabledTherLog": None,
            "IntEnabledTherProg": "01", "CarePersLocalId": "S1"}
    rows = [{**base, "DurationIntEnabledTher": value} for value in durations]
    assert streamed_hits("IDS20519", rows, 4) == engine_hits("IDS20519", rows)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(BLANKS), st.sampled_from(["P1", "P2", "P3", " P1"]),
                          st.integers(min_value=1, max_value=2)), max_size=20),
       st.integers(min_value=1, max_value=6))
def test_a_rule_on_the_key_told_by_the_key_index_gives_the_engine_hits(keys: list[Any], batch: int) -> None:
    rows = [{"LocalPatientId": key} for key in keys]
    assert streamed_hits("IDSREJ010", rows, batch, keyed=True) == engine_hits("IDSREJ010", rows)

