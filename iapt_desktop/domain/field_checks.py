"""Checks of single field values, each returning a message for people or None.

Pure functions shared by the forms (as-you-type checks), validation and import.
The NHS number and postcode checks follow the national pipeline exactly.
"""

from __future__ import annotations

import datetime as dt
import re

MAX_PERSON_AGE = 120  # years; older at reporting-period start rejects the file
_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_POSTCODE = re.compile(r"^[A-Za-z]{1,2}\d[A-Za-z\d]?\s+\d[A-Za-z]{2}$")
_ODS = re.compile(r"^[A-Za-z0-9]+$")


def nhs_number_check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit for nine digits, or None when no valid digit exists."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_number_problem(value: str) -> str | None:
    """Why an NHS number is invalid, or None when it is valid.

    Ten digits, a modulus-11 check digit, and not a number whose first five
    digits are its last five reversed (the national pipeline rejects those).
    """
    digits = value.replace(" ", "")
    if not digits:
        return "The NHS number is empty."
    if not digits.isdigit() or not digits.isascii():
        return "An NHS number has digits only (spaces are allowed between groups)."
    if len(digits) != 10:
        return f"An NHS number has 10 digits; this one has {len(digits)}."
    check = nhs_number_check_digit(digits[:9])
    if check is None or check != int(digits[9]):
        return "The NHS number's check digit is wrong: a digit has probably been mistyped."
    if digits[:5] == digits[5:][::-1]:
        return "This NHS number reads the same backwards across its halves and is not a real number."
    return None


def is_valid_nhs_number(value: str) -> bool:
    return nhs_number_problem(value) is None


def normalise_nhs_number(value: str) -> str:
    return value.replace(" ", "").strip()


def format_nhs_number(value: str) -> str:
    """3-3-4 grouping for display: 999 123 4560."""
    digits = normalise_nhs_number(value)
    if len(digits) == 10 and digits.isdigit():
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return value


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code: ' sw1a1aa ' -> 'SW1A 1AA'."""
    compact = re.sub(r"\s+", "", value).upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def postcode_problem(value: str) -> str | None:
    if not value.strip():
        return "The postcode is empty."
    if not _POSTCODE.match(value):
        if _POSTCODE.match(normalise_postcode(value)):
            return "The postcode needs a space before its last three characters (for example 'LS1 4AP')."
        return "This is not a UK postcode: expected an outward code, a space and an inward code, as 'LS1 4AP'."
    return None


def ods_code_problem(value: str, min_length: int = 3, max_length: int = 6) -> str | None:
    """ODS organisation codes are letters and digits, 3 to 6 characters (commissioners 3 to 5)."""
    if not value:
        return "The organisation code is empty."
    if not _ODS.match(value):
        return "An organisation (ODS) code has letters and digits only."
    if not min_length <= len(value) <= max_length:
        return f"An organisation (ODS) code here has {min_length} to {max_length} characters."
    return None


def gp_practice_code_problem(value: str) -> str | None:
    """GP practice codes are exactly 6 letters and digits (for example B86012)."""
    if not value:
        return "The GP practice code is empty."
    if not _ODS.match(value) or len(value) != 6:
        return "A GP practice code has exactly 6 letters and digits, as 'B86012'."
    return None


def parse_date(value: str) -> dt.date | None:
    """A YYYY-MM-DD date, or None when it does not parse."""
    try:
        if len(value) != 10:
            return None
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def birth_date_problem(value: dt.date, today: dt.date | None = None) -> str | None:
    today = today or dt.date.today()
    if value > today:
        return "The date of birth is in the future."
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age > MAX_PERSON_AGE:
        return f"The date of birth makes this person over {MAX_PERSON_AGE}; check the year."
    return None


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def date_not_in_future_problem(value: dt.date, what: str, today: dt.date | None = None) -> str | None:
    if value > (today or dt.date.today()):
        return f"The {what} is in the future."
    return None
