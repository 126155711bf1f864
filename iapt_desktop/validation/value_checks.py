"""Predicates on single values, as NHS England's pipeline applies them.

SNOMED CT ids (Verhoeff check digit and partition), coded clinical entries per
scheme, times and date-times.  Pure functions used by the row checks.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5), (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7), (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3), (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4), (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7), (9, 4, 5, 3, 1, 2, 6, 8, 7, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_POST_COORDINATED = re.compile(r"^(\d+):(\d+)=(\d+)$")
_SNOMED_ATTRIBUTES = frozenset({"408730004", "363589002"})
_TIME = re.compile(r"^(?:\d{4}-\d{2}-\d{2}[ T])?([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str | None:
    """The value as the report shows it: None for blank, text otherwise."""
    if is_blank(value):
        return None
    return value if isinstance(value, str) else str(value)


def verhoeff_valid(digits: str) -> bool:
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[position % 8][int(digit)]]
    return check == 0


def _simple_snomed(value: str, min_length: int, max_length: int) -> bool:
    return (
        value.isascii()
        and value.isdigit()
        and 6 <= len(value) <= 18
        and min_length <= len(value) <= max_length
        and verhoeff_valid(value)
        and value[-3:-1] in ("00", "10")
    )


def is_valid_snomed_ct(value: str, min_length: int = 6, max_length: int = 56) -> bool:
    """A SNOMED CT concept id, or a post-coordinated 'concept:attribute=value' expression."""
    if not value:
        return False
    match = _POST_COORDINATED.match(value)
    if match:
        concept, attribute, target = match.groups()
        return (
            min_length <= len(value) <= max_length
            and _simple_snomed(concept, 6, 18)
            and attribute in _SNOMED_ATTRIBUTES
            and _simple_snomed(target, 6, 18)
        )
    return _simple_snomed(value, min_length, max_length)


def coded_entry_fits_scheme(scheme: str | None, code: str | None) -> bool:
    """ICD-10 (scheme 01): 4 to 6 characters; SNOMED CT (04): a checked concept id.

    Unknown schemes and blank codes pass: other rules report those.
    """
    if is_blank(code) or scheme not in ("01", "04"):
        return True
    assert code is not None
    if scheme == "01":
        return 4 <= len(code) <= 6
    return code.isdigit() and is_valid_snomed_ct(code, 6, 18)


def is_valid_time(value: str) -> bool:
    """HH:MM[:SS], optionally on a date (Access keeps times on 1899-12-30)."""
    return bool(_TIME.match(value))


def is_valid_datetime(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return len(value) >= 16


def is_valid_date(value: str) -> bool:
    if len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def add_offset(day: str, offset: str) -> str:
    """'2024-03-31' + '1 day' / '2 years' -> ISO date text."""
    amount, _, unit = offset.partition(" ")
    base = dt.date.fromisoformat(day)
    count = int(amount)
    if unit.startswith("day"):
        return (base + dt.timedelta(days=count)).isoformat()
    if unit.startswith("year"):
        try:
            return base.replace(year=base.year + count).isoformat()
        except ValueError:  # 29 February
            return base.replace(year=base.year + count, day=28).isoformat()
    raise ValueError(f"Unknown date offset {offset!r}")
