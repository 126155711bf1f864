"""Code lists of the data set's coded columns, with labels, as data.

One loader for ``resources/dataset/code_lists.csv``, the language codes
(``resources/rules/language_codes.csv``: ISO 639-1 with English names, plus q1-q5)
and the social and personal circumstance groups; used by validation, the forms
and the demo generator.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass

from iapt_desktop.paths import resource


@dataclass(frozen=True)
class Code:
    column: str
    code: str
    label: str
    unconfirmed: bool
    source: str

    @property
    def declined(self) -> bool:
        """True for the "do not wish to say" answer.

        Matches the data set's wordings "Not stated (person asked but declined to
        provide a response)", "Not stated" and "Declined"; never answers such as
        "patient declined treatment".
        """
        text = self.label.lower()
        return "declined to provide" in text or text.startswith("not stated") or text == "declined"


@dataclass(frozen=True)
class CodeList:
    column: str
    codes: tuple[Code, ...]

    def values(self) -> frozenset[str]:
        return frozenset(c.code for c in self.codes)

    def label(self, code: str | None) -> str:
        for item in self.codes:
            if item.code == code:
                return item.label
        return ""

    def get(self, code: str | None) -> Code | None:
        for item in self.codes:
            if item.code == code:
                return item
        return None

    @property
    def declined_code(self) -> str | None:
        """The code meaning 'do not wish to say', where the data set has one."""
        for item in self.codes:
            if item.declined:
                return item.code
        return None

    @property
    def unconfirmed(self) -> bool:
        return any(c.unconfirmed for c in self.codes)


@dataclass(frozen=True)
class SocialCircumstance:
    code: str
    group: str
    suspect_precision_loss: bool  # a 16+ digit id ending 00 that may be a spreadsheet artefact


@functools.cache
def code_lists() -> dict[str, CodeList]:
    grouped: dict[str, list[Code]] = {}
    with open(resource("dataset", "code_lists.csv"), newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            grouped.setdefault(row["column"], []).append(
                Code(row["column"], row["code"], row["label"], row["unconfirmed"] == "1", row["source"])
            )
    lists = {column: CodeList(column, tuple(codes)) for column, codes in grouped.items()}
    languages = language_codes()
    for column in LANGUAGE_COLUMNS:
        lists[column] = CodeList(
            column, tuple(Code(column, code, name, False, source) for code, name, source in languages))
    return lists


# The columns whose values are language codes (ISO 639-1 two-letter codes plus the local q1-q5).
LANGUAGE_COLUMNS = ("LanguageCodePreferred", "LanguageCodeTreat")


@functools.cache
def language_codes() -> tuple[tuple[str, str, str], ...]:
    """(code, English name, source) of every accepted language code, English first (the file's order)."""
    with open(resource("rules", "language_codes.csv"), newline="", encoding="utf-8") as handle:
        return tuple((row["code"], row["label"], row["source"]) for row in csv.DictReader(handle))


def code_list(column: str) -> CodeList | None:
    """The code list of a column, or None for free-text and date columns."""
    return code_lists().get(column)


def label(column: str, code: str | None) -> str:
    codes = code_list(column)
    return codes.label(code) if codes else ""


@functools.cache
def social_circumstances() -> tuple[SocialCircumstance, ...]:
    with open(
        resource("dataset", "social_personal_circumstances.csv"), newline="", encoding="utf-8"
    ) as handle:
        return tuple(
            SocialCircumstance(row["code"], row["group"], row["suspect_precision_loss"] == "1")
            for row in csv.DictReader(handle)
        )


def social_circumstances_in(group: str) -> tuple[SocialCircumstance, ...]:
    return tuple(s for s in social_circumstances() if s.group == group)
