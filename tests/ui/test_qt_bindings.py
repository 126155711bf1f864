"""The pinned Qt bindings keep Python's singletons alive.

PySide6-Essentials 6.12.0 on CPython 3.11 takes one reference from ``None`` on every
call to a Qt method that returns nothing (and from True/False for bool methods), so an
app aborts with "none_dealloc" after a few thousand such calls.  pyproject.toml pins a
release without the bug; this test fails if a new pin brings it back.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
app = QApplication([])
widget, line = QWidget(), QLineEdit()
before = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
for _ in range(20000):
    widget.update()
    line.clear()
    widget.isVisible()
after = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
print(all(abs(a - b) < 100 for a, b in zip(before, after)))
"""


def test_void_and_bool_qt_calls_do_not_drain_singleton_references() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=False, timeout=120,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "True"
