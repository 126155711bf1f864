"""The interchange layout and the text form of each column type."""

from __future__ import annotations

import datetime as dt

import pytest

from iapt_desktop.domain.dataset import APP_COLUMN_PREFIX, ColumnType, parent_first_order, table, tables
from iapt_desktop.interchange.table_columns import (
    ValueRefused,
    exported_tables,
    format_row,
    format_value,
    header,
    import_order,
    parse_value,
)


def column_of(kind: ColumnType):
    return next(c for t in tables().values() for c in t.columns if c.type is kind)


def test_layout_is_the_21_tables_in_data_set_order_without_app_columns() -> None:
    layout = exported_tables()
    assert [t.name for t in layout] == list(tables())
    assert len(layout) == 21
    for item in layout:
        assert header(item) == item.column_names
        assert not any(name.startswith(APP_COLUMN_PREFIX) for name in header(item))
    assert header(table("IDS101Referral"))[:3] == ("ServiceRequestId", "LocalPatientId", "OrgIDComm")


def test_format_row_leaves_out_app_row_id_and_writes_nulls_empty() -> None:
    row = {"app_row_id": 7, "LocalPatientId": "P1", "GMPCodeReg": "B86001",
           "StartDateGMPRegistration": dt.date(2020, 1, 2), "EndDateGMPRegistration": None}
    assert format_row(table("IDS002GP"), row) == ["P1", "B86001", "2020-01-02", ""]


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        (ColumnType.DATE, "2025-04-30", "2025-04-30"),
        (ColumnType.DATE, dt.date(2025, 4, 1), "2025-04-01"),
        (ColumnType.TIME, "09:05:00", "09:05:00"),
        (ColumnType.TIME, dt.time(9, 5), "09:05:00"),
        (ColumnType.DATETIME, dt.datetime(2025, 4, 1, 13, 2, 3), "2025-04-01 13:02:03"),
        (ColumnType.INTEGER, 45, "45"),
        (ColumnType.TEXT, "01", "01"),
        (ColumnType.TEXT, None, ""),
    ],
)
def test_format_value(kind: ColumnType, value: object, text: str) -> None:
    assert format_value(column_of(kind), value) == text


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        (ColumnType.TEXT, "01", "01"),
        (ColumnType.TEXT, " padded ", " padded "),
        (ColumnType.TEXT, "", None),
        (ColumnType.TEXT, 1.0, "1"),
        (ColumnType.DATE, "2024-02-29", "2024-02-29"),
        (ColumnType.DATE, dt.datetime(2024, 2, 29), "2024-02-29"),
        (ColumnType.TIME, "09:05", "09:05:00"),
        (ColumnType.TIME, "1899-12-30 09:05:00", "09:05:00"),
        (ColumnType.TIME, dt.datetime(1899, 12, 30, 9, 5), "09:05:00"),
        (ColumnType.DATETIME, "2025-04-01T13:02:03", "2025-04-01 13:02:03"),
        (ColumnType.INTEGER, "45", 45),
        (ColumnType.INTEGER, " -3 ", -3),
        (ColumnType.INTEGER, 45.0, 45),
        (ColumnType.INTEGER, "", None),
    ],
)
def test_parse_value(kind: ColumnType, value: object, stored: object) -> None:
    assert parse_value(column_of(kind), value) == stored


@pytest.mark.parametrize(
    ("kind", "value", "reason"),
    [
        (ColumnType.DATE, "2025-02-30", "not a real date"),
        (ColumnType.DATE, "30/04/2025", "YYYY-MM-DD"),
        (ColumnType.DATE, dt.datetime(2025, 1, 1, 10, 0), "date and time"),
        (ColumnType.TIME, "25:00:00", "not a real time"),
        (ColumnType.TIME, "noon", "HH:MM:SS"),
        (ColumnType.TIME, "9:05", "HH:MM:SS"),
        (ColumnType.DATETIME, "2025-04-01", "YYYY-MM-DD HH:MM:SS"),
        (ColumnType.INTEGER, "4.5", "whole number"),
        (ColumnType.INTEGER, "forty", "whole number"),
        (ColumnType.INTEGER, True, "TRUE/FALSE"),
    ],
)
def test_values_that_cannot_be_stored_are_refused_with_a_reason(kind: ColumnType, value: object,
                                                                   reason: str) -> None:
    with pytest.raises(ValueRefused, match=reason.replace("(", r"\(")):
        parse_value(column_of(kind), value)


def test_import_order_puts_unknown_names_first_then_parents_before_children() -> None:
    names = ["IDS607CodedScoreAssessmentAct", "IDS001MPI", "Sheet1", "IDS202CareActivity", "IDS101Referral",
             "IDS201CareContact"]
    ordered = import_order(names)
    assert ordered[0] == "Sheet1"
    rank = {name: i for i, name in enumerate(parent_first_order())}
    assert [rank[n] for n in ordered[1:]] == sorted(rank[n] for n in ordered[1:])
