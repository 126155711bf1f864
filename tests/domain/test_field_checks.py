from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iapt_desktop.domain.field_checks import (
    birth_date_problem,
    format_nhs_number,
    gp_practice_code_problem,
    is_valid_nhs_number,
    nhs_number_check_digit,
    nhs_number_problem,
    normalise_postcode,
    ods_code_problem,
    postcode_problem,
)


def _with_check_digit(body: str) -> str | None:
    check = nhs_number_check_digit(body)
    if check is None:
        return None
    number = f"{body}{check}"
    return None if number[:5] == number[5:][::-1] else number


def valid_nhs_numbers() -> st.SearchStrategy[str]:
    """NHS numbers from the 999 test range with a correct check digit."""
    return (
        st.integers(0, 999_999)
        .map(lambda n: _with_check_digit(f"999{n:06d}"))
        .filter(lambda number: number is not None)
        .map(str)
    )


@given(valid_nhs_numbers())
def test_generated_valid_nhs_numbers_pass(number: str) -> None:
    assert nhs_number_problem(number) is None
    assert is_valid_nhs_number(format_nhs_number(number))


@given(valid_nhs_numbers(), st.integers(0, 9), st.integers(1, 9))
def test_every_single_digit_corruption_fails(number: str, position: int, shift: int) -> None:
    corrupted = list(number)
    corrupted[position] = str((int(corrupted[position]) + shift) % 10)
    assert not is_valid_nhs_number("".join(corrupted))


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("", "empty"),
        ("99912345", "10 digits"),
        ("99912345x7", "digits only"),
        ("9991234567", "check digit"),
    ],
)
def test_nhs_number_messages_say_what_is_wrong(value: str, fragment: str) -> None:
    problem = nhs_number_problem(value)
    assert problem is not None and fragment in problem


def test_palindromic_halves_are_rejected_as_the_national_pipeline_does() -> None:
    # first five digits equal the last five reversed, with a valid check digit
    candidates = [
        f"{a}{a[::-1]}" for a in (f"{n:05d}" for n in range(10000, 99999, 7))
        if nhs_number_check_digit(f"{a}{a[::-1]}"[:9]) == int(a[0])
    ]
    assert candidates
    problem = nhs_number_problem(candidates[0])
    assert problem is not None and "backwards" in problem


@pytest.mark.parametrize(
    ("raw", "normal"),
    [(" sw1a1aa ", "SW1A 1AA"), ("ls1  4ap", "LS1 4AP"), ("M1 1AE", "M1 1AE"), ("b338th", "B33 8TH")],
)
def test_postcodes_normalise_to_the_national_pattern(raw: str, normal: str) -> None:
    assert normalise_postcode(raw) == normal
    assert postcode_problem(normal) is None


def test_postcode_without_space_is_explained() -> None:
    problem = postcode_problem("SW1A1AA")
    assert problem is not None and "space" in problem
    assert postcode_problem("12345") is not None


def test_ods_and_gp_codes() -> None:
    assert ods_code_problem("RX4") is None
    assert ods_code_problem("RX4AB1") is None
    assert ods_code_problem("R1") is not None
    assert ods_code_problem("R-4") is not None
    assert gp_practice_code_problem("B86012") is None
    assert gp_practice_code_problem("B8601") is not None


def test_birth_dates_in_the_future_or_too_old_are_implausible() -> None:
    today = dt.date(2026, 11, 24)
    assert birth_date_problem(dt.date(1980, 5, 1), today) is None
    assert "future" in (birth_date_problem(dt.date(2027, 1, 1), today) or "")
    assert "120" in (birth_date_problem(dt.date(1900, 1, 1), today) or "")
