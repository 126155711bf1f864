"""A fixture for UI test folders whose screens show message boxes: none blocks a test.

Questions are answered Discard (a test overrides that where it needs another answer); what the
information, warning and critical boxes said is kept for the test to check.  A folder's conftest.py
imports ``dialogs_answered`` to apply it to every test there.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox


@pytest.fixture(autouse=True)
def dialogs_answered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def note(_parent: object, title: str, text: str, *_a: object, **_k: object) -> QMessageBox.StandardButton:
        shown.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Discard)
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, note)
    return shown
