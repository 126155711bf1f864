"""Friendly labels for the SNOMED CT codes of social and personal circumstances (IDS011).

Religion and sexual orientation are not columns in the data set: they are SNOMED
CT codes in ``IDS011SocPerCircumstances``.  This module turns the groups of
``social_personal_circumstances.csv`` into code lists with words, from
``social_circumstance_labels.csv`` (each label with its source).  Codes without
a public label read "<group> (SNOMED <code>)" and are marked unconfirmed.
"""

from __future__ import annotations

import csv
import functools

from iapt_desktop.domain.codes import Code, CodeList, social_circumstances
from iapt_desktop.paths import resource

COLUMN = "SocPerCircumstance"
RELIGION = "Religion"
SEXUAL_ORIENTATION = "Sexual Orientation"
# The "do not wish to say" answers (person asked and declined).
DECLINED = {SEXUAL_ORIENTATION: "699042003"}


@functools.cache
def _labels() -> dict[str, tuple[str, bool, str]]:
    with open(resource("dataset", "social_circumstance_labels.csv"), newline="", encoding="utf-8") as handle:
        return {
            row["code"]: (row["label"], row["unconfirmed"] == "1", row["source"])
            for row in csv.DictReader(handle)
        }


def circumstance_code(code: str) -> Code:
    """The code with its label (a fallback wording, marked unconfirmed, when none is known)."""
    group = next((s.group for s in social_circumstances() if s.code == code), "Circumstance")
    known = _labels().get(code)
    if known:
        return Code(COLUMN, code, known[0], known[1], known[2])
    return Code(COLUMN, code, f"{group} (SNOMED {code})", True, "no public label found")


def group_of(code: str | None) -> str | None:
    for item in social_circumstances():
        if item.code == code:
            return item.group
    return None


@functools.cache
def circumstance_code_list(group: str | None = None) -> CodeList:
    """Codes of one group (or all groups, labelled "<group>: <label>"), sorted by label."""
    items = [s for s in social_circumstances() if group is None or s.group == group]
    codes = []
    for item in items:
        code = circumstance_code(item.code)
        if group is None and not code.label.startswith(item.group):
            code = Code(COLUMN, code.code, f"{item.group}: {code.label}", code.unconfirmed, code.source)
        codes.append(code)
    codes.sort(key=lambda c: (c.unconfirmed, c.label.lower()))
    return CodeList(COLUMN, tuple(codes))
