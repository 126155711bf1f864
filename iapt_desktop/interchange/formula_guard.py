"""Keeping text from turning into live formulas in spreadsheet programs, reversibly.

A spreadsheet program treats a CSV field (and a typed-in cell) starting with
``=``, ``+``, ``-`` or ``@`` as a formula, and some also act on a leading tab,
carriage return or line feed ("CSV injection", e.g. ``=cmd|'/c calc'!A1``).

The rule, the same for CSV and xlsx:

- on export, a value whose first character is one of
  :data:`DANGEROUS_FIRST_CHARACTERS` **or an apostrophe** gets one apostrophe
  in front (``=1+1`` -> ``'=1+1``, ``'quoted`` -> ``''quoted``);
- on import, a value starting with an apostrophe loses exactly one.

Prefixing apostrophes too makes the mapping one-to-one, so the round trip is
lossless.  In xlsx the cells are, in addition, explicit text cells, which are
never formulas.

xlsx also cannot hold most control characters (nor keep a carriage return); they are written with the
Office Open XML escape ``_xHHHH_`` (and a literal ``_xHHHH_`` as
``_x005F_xHHHH_``), which Excel understands and :func:`unescape_ooxml` reverses.
"""

from __future__ import annotations

import re

# ASCII formula starters, the characters some programs act on, and their full-width forms.
DANGEROUS_FIRST_CHARACTERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
NEUTRALISING_PREFIX = "'"


def neutralise(text: str) -> str:
    """The export form of ``text``: never starts with a formula character."""
    if text and (text[0] in DANGEROUS_FIRST_CHARACTERS or text[0] == NEUTRALISING_PREFIX):
        return NEUTRALISING_PREFIX + text
    return text


def restore(text: str) -> str:
    """Undo :func:`neutralise` (remove one leading apostrophe)."""
    if text.startswith(NEUTRALISING_PREFIX):
        return text[1:]
    return text


def is_dangerous(text: str) -> bool:
    """True when a spreadsheet program could take ``text`` as a formula."""
    return bool(text) and text[0] in DANGEROUS_FIRST_CHARACTERS


# Characters XML 1.0 cannot carry (openpyxl refuses them), carriage return (XML parsers turn
# CR LF into LF, so it is escaped as Excel does), and the escape's own pattern.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")
_ESCAPE_LOOKALIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def escape_ooxml(text: str) -> str:
    """Text safe for an xlsx cell: control characters as ``_xHHHH_``."""
    if "_x" not in text and not _XML_ILLEGAL.search(text):
        return text
    text = _ESCAPE_LOOKALIKE.sub("_x005F_", text)
    return _XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def unescape_ooxml(text: str) -> str:
    """Undo :func:`escape_ooxml` (and Excel's own escaping of the same kind)."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
