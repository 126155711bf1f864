"""Pseudonymised exports: direct identifiers replaced, links between tables kept.

For exports other than the statutory submission (audits, analysis, sharing a
sample).  With one key, the same identifier always gives the same pseudonym,
in every table and in every export made with that key, so rows still join.

- NHS numbers and local identifiers: a keyed hash (HMAC-SHA-256) in base32,
  with a letter saying what it stands for; an NHS number becomes ``N`` + 9
  characters (10 in all, never a valid NHS number), local ids ``P``/``R``/``C``/
  ``A``/``S`` + 15 characters.
- Postcode: only the outward code (district), e.g. ``LS1 4AP`` -> ``LS1``.
- Date of birth: year and month kept, day set to 01.

The key is random per export unless the caller keeps and passes one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

KEY_BYTES = 32
MIN_KEY_BYTES = 16

# column -> (letter, characters after it); the same column name means the same identifier in every table
HASHED_IDENTIFIERS: dict[str, tuple[str, int]] = {
    "NHSNumber": ("N", 9),
    "LocalPatientId": ("P", 15),
    "ServiceRequestId": ("R", 15),
    "CareContactId": ("C", 15),
    "CareActId": ("A", 15),
    "CarePersLocalId": ("S", 15),
}
POSTCODE_COLUMNS = frozenset({"Postcode"})
BIRTH_DATE_COLUMNS = frozenset({"PersonBirthDate"})

_INWARD = re.compile(r"\d[A-Z]{2}$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-\d{2}$")


class PseudonymKeyError(ValueError):
    """The key file cannot be used; the message says why."""


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def load_or_create_key(path: Path) -> bytes:
    """The key kept in ``path`` (hex text); a new one is created there (readable by the owner only) if absent."""
    if not path.exists():
        key = new_key()
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="ascii") as handle:
            handle.write(key.hex() + "\n")
        path.chmod(0o600)
        return key
    text = path.read_text(encoding="ascii", errors="replace").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise PseudonymKeyError(f"{path.name} does not hold a pseudonymisation key (hex digits expected). "
                                "Give the file this command created, or a new file name.") from None
    if len(key) < MIN_KEY_BYTES:
        raise PseudonymKeyError(f"The key in {path.name} is too short ({len(key)} bytes; at least "
                                f"{MIN_KEY_BYTES} are needed).")
    return key


class Pseudonymiser:
    """Replaces the identifying columns of data set rows, consistently for one key."""

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise PseudonymKeyError(f"a pseudonymisation key needs at least {MIN_KEY_BYTES} bytes")
        self._key = key

    def identifier(self, column: str, value: str) -> str:
        letter, length = HASHED_IDENTIFIERS[column]
        text = value.replace(" ", "") if column == "NHSNumber" else value
        digest = hmac.new(self._key, f"{column}\x00{text}".encode(), hashlib.sha256).digest()
        return letter + base64.b32encode(digest).decode("ascii")[:length]

    @staticmethod
    def postcode(value: str) -> str | None:
        """The outward code (district) of a postcode, or None when it has no recognisable inward part."""
        compact = re.sub(r"\s+", "", value).upper()
        if len(compact) < 5 or not _INWARD.search(compact):
            return None
        return compact[:-3]

    @staticmethod
    def birth_date(value: str) -> str | None:
        match = _DATE.match(value)
        return f"{match.group(1)}-{match.group(2)}-01" if match else None

    def row(self, row: Mapping[str, Any]) -> dict[str, Any]:
        result = dict(row)
        for column, value in row.items():
            if value is None or value == "":
                continue
            if column in HASHED_IDENTIFIERS:
                result[column] = self.identifier(column, str(value))
            elif column in POSTCODE_COLUMNS:
                result[column] = self.postcode(str(value))
            elif column in BIRTH_DATE_COLUMNS:
                result[column] = self.birth_date(str(value))
        return result

    def rows(self, rows: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            yield self.row(row)
