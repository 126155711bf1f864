"""Environment failures during a save (disk full, I/O error) as one clear exception.

The failed transaction is rolled back, so the previous state is intact; the
message tells people so and what to do.  Errors that are our bugs or bad
input (constraints, SQL) pass through unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlcipher3


class SaveFailed(Exception):
    """Nothing was saved and the record is as it was before; the message says why."""


_EXPLANATIONS = (
    (("database or disk is full", "disk is full"),
     "The disk is full, so nothing was saved and the record is as it was before. Free some disk space, "
     "then save again."),
    (("disk i/o error",),
     "The disk could not be written (an input/output error), so nothing was saved and the record is as it "
     "was before. Check the drive or network share, then save again."),
    (("readonly database", "read-only"),
     "The database file cannot be written (it is read-only), so nothing was saved. Check the file's "
     "permissions or whether the drive is write-protected."),
)


def explanation(error: BaseException) -> str | None:
    text = str(error).lower()
    for needles, message in _EXPLANATIONS:
        if any(needle in text for needle in needles):
            return message
    return None


@contextmanager
def explained_write_errors() -> Iterator[None]:
    """Wrap a write (outside its transaction): disk-full and I/O errors become :class:`SaveFailed`."""
    try:
        yield
    except sqlcipher3.DatabaseError as error:
        if isinstance(error, sqlcipher3.IntegrityError):
            raise
        message = explanation(error)
        if message is None:
            raise
        raise SaveFailed(message) from error
