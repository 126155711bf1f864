"""Password policy: at least 12 characters, no composition rules, no common passwords.

Following NCSC and NIST SP 800-63B: length matters, forced mixtures of symbols
do not; a password found on lists of common passwords is refused.  The
deny-list is a resource file (resources/security/common_passwords.txt), read
once when first needed.
"""

from __future__ import annotations

import functools
import unicodedata

from iapt_desktop.paths import resource

MIN_LENGTH = 12
# The documented password of databases made by `iapt-desktop demo` without one (synthetic data only).
DEMO_PASSWORD = "iapt-desktop-demo-only"  # noqa: S105 (documented in README and docs/security.md)
MAX_LENGTH = 1024  # a pasted passphrase is fine; a pasted file is not

# Failed attempts allowed before a delay is imposed, and the longest delay.
FAILURES_BEFORE_DELAY = 10
MAX_DELAY_SECONDS = 3600


def normalise(password: str) -> str:
    """The form a password is hashed in: Unicode NFC, so the same typed text always unlocks."""
    return unicodedata.normalize("NFC", password)


@functools.cache
def common_passwords() -> frozenset[str]:
    path = resource("security", "common_passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, *, username: str = "", display_name: str = "") -> str | None:
    """A message for people when the password may not be used, else None."""
    text = normalise(password)
    if len(text) < MIN_LENGTH:
        return f"The password must be at least {MIN_LENGTH} characters long (it has {len(text)}). " \
               "A few unrelated words make a long password that is easy to remember."
    if len(text) > MAX_LENGTH:
        return f"The password is too long: at most {MAX_LENGTH} characters."
    if text.strip() != text:
        return "The password starts or ends with a space; remove it or put it in the middle."
    folded = text.casefold()
    if folded in common_passwords() or len(set(folded)) <= 2:
        return "This password is on the list of commonly used passwords. Choose another."
    for name in (username, display_name):
        name = name.strip().casefold()
        if len(name) >= 3 and name in folded and len(folded) - len(name) < MIN_LENGTH:
            return "The password is too close to your name. Choose another."
    return None


def delay_after_failures(failures: int) -> int:
    """Seconds to wait before the next attempt after ``failures`` failed attempts in a row.

    No delay for the first ten; then 30 s, doubling with each further failure, at most an hour.
    """
    if failures < FAILURES_BEFORE_DELAY:
        return 0
    return min(30 * 2 ** (failures - FAILURES_BEFORE_DELAY), MAX_DELAY_SECONDS)
