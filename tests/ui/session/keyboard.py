"""Typing into whatever has the keyboard focus, counting every key pressed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


class CountingKeyboard:
    """Every key() counts 1; type(text) counts len(text). Keys go to the focused widget."""

    def __init__(self) -> None:
        self.count = 0

    @staticmethod
    def focused() -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def type(self, text: str) -> None:
        for character in text:
            QTest.keyClicks(self.focused(), character)
            self.count += 1

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        QTest.keyClick(self.focused(), key, modifier)
        self.count += 1

    def save(self) -> None:
        self.key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
