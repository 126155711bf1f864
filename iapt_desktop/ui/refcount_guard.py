"""Protect the interpreter's singletons from a reference-counting bug in the Qt bindings.

With PySide6/shiboken6 6.12.0 on CPython 3.11, every call from Python to a Qt
method that returns ``void`` (``widget.update()``, ``line_edit.clear()`` ...)
takes one reference from ``None`` without having given one, and methods
returning ``bool`` do the same to ``True``/``False``.  (CPython 3.12 made these
objects immortal, so there the bug is harmless.)  After a few thousand calls the
count reaches zero and the process aborts with "Fatal Python error:
none_dealloc".  Reproduce: call ``QWidget().update()`` 6,000 times.

:func:`protect_singletons` adds a very large number of references to each
singleton once at start-up, as CPython 3.12 does, so they can never be freed.
It is a no-op on 3.12 and later.  Remove it when the bindings are fixed or the
app moves to Python 3.12+ (tests/ui/recording/test_refcount_guard.py shows the need).
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40  # references added to each singleton; a void call takes one


def protect_singletons() -> None:
    if sys.version_info >= (3, 12):
        return  # immortal objects: nothing to protect
    for singleton in (None, True, False, NotImplemented, Ellipsis):
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < _HEADROOM:
            count.value += _HEADROOM
