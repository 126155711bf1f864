"""A searchable picker for a coded field: type any part of the words or the code to filter.

Shows labels (with "(unconfirmed)" where the wording is unconfirmed), keeps a
stored code that is not in the list (so nothing is lost), and offers the
"do not wish to say" answer as one click where the data set has one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QComboBox, QCompleter, QHBoxLayout, QToolButton, QWidget

from iapt_desktop.domain.code_choices import choice_text, declined_code
from iapt_desktop.domain.codes import CodeList

NOT_RECORDED = "— not recorded —"


class CodeCombo(QComboBox):
    """Signals: value_changed(object) — the chosen code, or None for "not recorded";
    choice_committed() — Enter was pressed in the search text (a table cell editor closes then)."""

    value_changed = Signal(object)
    choice_committed = Signal()

    def __init__(self, codes: CodeList, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.codes = codes
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(10)
        self.addItem(NOT_RECORDED, None)
        for code in codes.codes:
            self.addItem(choice_text(code), code.code)
            if code.unconfirmed:
                self.setItemData(self.count() - 1, f"Source: {code.source}", Qt.ItemDataRole.ToolTipRole)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.lineEdit().setPlaceholderText("type to search…")
        self.currentIndexChanged.connect(self._index_changed)
        self.lineEdit().editingFinished.connect(self.settle)
        self.lineEdit().returnPressed.connect(self._commit)

    def value(self) -> str | None:
        data = self.currentData()
        return None if data is None else str(data)

    def set_value(self, code: str | None) -> None:
        index = self.findData(code) if code not in (None, "") else 0
        if index < 0:
            self.addItem(f"{code} (not in the code list)", code)
            index = self.count() - 1
        self.blockSignals(True)
        self.setCurrentIndex(index)
        self.blockSignals(False)
        self.setToolTip(self.currentText())
        self._show_start()

    def _show_start(self) -> None:
        """Words shown from their start; with the focus here they are selected, so typing searches afresh."""
        if self.hasFocus() or self.lineEdit().hasFocus():
            length = len(self.lineEdit().text())
            self.lineEdit().setSelection(length, -length)
        else:
            self.lineEdit().setCursorPosition(0)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._show_start()

    def _index_changed(self, _index: int) -> None:
        self.setToolTip(self.currentText())  # the full words when the box is narrower than them
        self._show_start()
        self.value_changed.emit(self.value())

    def _commit(self) -> None:
        self.settle()
        self.choice_committed.emit()

    def settle(self) -> None:
        """Typed text that names no item goes back to the chosen item's words."""
        text = self.lineEdit().text().strip()
        if not text:
            self.setCurrentIndex(0)
            return
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0:
            # the first item starting with the text, else the first containing it (as the completer lists them)
            lowered = text.lower()
            texts = [self.itemText(i).lower() for i in range(1, self.count())]
            starting = [i + 1 for i, t in enumerate(texts) if t.startswith(lowered)]
            containing = [i + 1 for i, t in enumerate(texts) if lowered in t]
            index = (starting or containing or [self.currentIndex()])[0]
        self.setCurrentIndex(index)
        self.lineEdit().setText(self.itemText(index))


class CodeField(QWidget):
    """A CodeCombo with a "Not stated" button (person asked, preferred not to say) where the list has that answer."""

    value_changed = Signal(object)

    def __init__(self, codes: CodeList, parent: QWidget | None = None, *, declined: str | None = None) -> None:
        super().__init__(parent)
        self.combo = CodeCombo(codes, self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo, 1)
        self.declined = declined or declined_code(codes)
        if self.declined:
            button = QToolButton(self)
            button.setText("Not stated")
            button.setToolTip("The person was asked and preferred not to say: sets the data set's "
                              "'not stated' code")
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(lambda: self.combo.setCurrentIndex(self.combo.findData(self.declined)))
            layout.addWidget(button)
        self.combo.value_changed.connect(self.value_changed)
        self.setFocusProxy(self.combo)

    def value(self) -> str | None:
        return self.combo.value()

    def set_value(self, code: str | None) -> None:
        self.combo.set_value(code)
