"""How coded values are offered to people: the words shown, and the quick "do not wish to say" answer."""

from __future__ import annotations

from iapt_desktop.domain.codes import Code, CodeList

UNCONFIRMED_MARK = " (unconfirmed)"


def choice_text(code: Code) -> str:
    """'Female (2)', with '(unconfirmed)' when the wording is not confirmed by a national source."""
    label = code.label or f"Code {code.code}"
    text = label if code.code in label else f"{label} ({code.code})"
    return text + (UNCONFIRMED_MARK if code.unconfirmed else "")


def declined_code(codes: CodeList) -> str | None:
    """The code meaning "person asked but did not wish to say", where the list has one."""
    return codes.declined_code
