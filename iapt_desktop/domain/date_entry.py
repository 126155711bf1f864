"""Dates as people type them in England: 31/01/2025, 31.1.25, 31012025, 2025-01-31, or "t" for today."""

from __future__ import annotations

import datetime as dt
import re

_DMY = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})$")
_COMPACT = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
TODAY_WORDS = frozenset({"t", "today"})


def parse_typed_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """The date meant by ``text``, or None when it is not a date (two-digit years are 19xx/20xx by closeness)."""
    value = text.strip().lower()
    today = today or dt.date.today()
    if value in TODAY_WORDS:
        return today
    if match := _ISO.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY.match(value) or _COMPACT.match(value):
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year += 2000 if 2000 + year <= today.year + 1 else 1900
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def typed_date_problem(text: str) -> str | None:
    """Why the text is not a date, in words (None when it is one or is empty)."""
    if not text.strip():
        return None
    if parse_typed_date(text) is None:
        return "Not a date: type day/month/year, as 31/01/2025 (or t for today)."
    return None


def display_date(iso: str | None) -> str:
    """'2025-01-31' -> '31/01/2025'; other text unchanged."""
    if not iso:
        return ""
    try:
        return dt.date.fromisoformat(str(iso)[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return str(iso)
