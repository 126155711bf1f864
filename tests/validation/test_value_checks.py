"""Single-value predicates as NHS England's pipeline applies them."""

from __future__ import annotations

import pytest

from iapt_desktop.validation.value_checks import (
    add_offset,
    coded_entry_fits_scheme,
    is_valid_datetime,
    is_valid_snomed_ct,
    is_valid_time,
    verhoeff_valid,
)


@pytest.mark.parametrize(("value", "valid"), [
    ("304891004", True),  # cognitive behavioural therapy
    ("304891005", False),  # check digit changed
    ("1129201000000101", True),  # extension id (partition 10)
    ("1129201000000100", False),  # the same id with its last digit lost to a spreadsheet
    ("12345", False),  # too short
    ("3048910O4", False),  # a letter O
    ("961031000000108:408730004=718431003", True),  # post-coordinated: concept, attribute, value
    ("961031000000108:123456789=718431003", False),  # attribute not allowed
    ("961031000000108:408730004=718431004", False),  # value fails its check digit
])
def test_snomed_ct_ids(value: str, valid: bool) -> None:
    assert is_valid_snomed_ct(value, 6, 56) is valid


def test_the_length_limit_applies_to_the_whole_expression() -> None:
    assert not is_valid_snomed_ct("961031000000108:408730004=718431003", 6, 18)
    assert verhoeff_valid("2363") and not verhoeff_valid("2364")


@pytest.mark.parametrize(("scheme", "code", "fits"), [
    ("01", "F32X", True), ("01", "F32.10", True), ("01", "F3", False), ("01", "F32.101", False),
    ("04", "35489007", True), ("04", "35489008", False), ("04", "F320", False),
    ("99", "anything", True), (None, "F3", True), ("01", None, True),
])
def test_coded_entries_fit_their_scheme(scheme, code, fits) -> None:
    assert coded_entry_fits_scheme(scheme, code) is fits


@pytest.mark.parametrize(("value", "valid"), [
    ("10:00:00", True), ("23:59", True), ("1899-12-30 09:15:00", True), ("24:00:00", False), ("9:00", False),
    ("10:60:00", False), ("", False),
])
def test_times(value: str, valid: bool) -> None:
    assert is_valid_time(value) is valid


def test_datetimes_need_a_time_part() -> None:
    assert is_valid_datetime("2025-05-02 10:00:00")
    assert not is_valid_datetime("2025-05-02")
    assert not is_valid_datetime("2025-02-30 10:00:00")


def test_date_offsets() -> None:
    assert add_offset("2025-04-30", "1 day") == "2025-05-01"
    assert add_offset("2024-02-29", "2 years") == "2026-02-28"
    with pytest.raises(ValueError):
        add_offset("2025-04-30", "3 weeks")
