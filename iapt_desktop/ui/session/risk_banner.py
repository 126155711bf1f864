"""The red risk banner: shown while a risk answer is given (PHQ-9 item 9 above 0).

Saving needs the box "I have followed the risk procedure" ticked; the confirmation,
who gave it and when, and the optional note are recorded with the session.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QLabel, QLineEdit, QVBoxLayout, QWidget

from iapt_desktop.domain.questionnaires import RiskFinding

BANNER_STYLE = (
    "#riskBanner { background: #b91c1c; border-radius: 6px; }"
    "#riskBanner QLabel, #riskBanner QCheckBox { color: white; }"
    "#riskBanner QLabel#riskTitle { font-size: 15px; font-weight: 700; }"
    "#riskBanner QLineEdit { background: white; color: #0f172a; border-radius: 3px; padding: 2px 4px; }"
    "#riskBanner QCheckBox { font-weight: 600; }"
    "#riskBanner QCheckBox::indicator { width: 16px; height: 16px; background: white; border-radius: 3px; }"
    "#riskBanner QCheckBox::indicator:checked { image: none; background: #fde68a; border: 3px solid white; }"
)


class RiskBanner(QFrame):
    """Signals: acknowledged_changed(bool)."""

    acknowledged_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("riskBanner")
        self.setStyleSheet(BANNER_STYLE)
        self.title = QLabel("⚠  Risk: follow your service's risk procedure now", self)
        self.title.setObjectName("riskTitle")
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.acknowledge = QCheckBox("I have &followed the risk procedure", self)
        self.acknowledge.setObjectName("riskAcknowledged")
        self.note = QLineEdit(self)
        self.note.setObjectName("riskNote")
        self.note.setPlaceholderText("What was done (optional): e.g. safety plan reviewed, GP informed")
        self.note.setMaxLength(500)
        self.recorded = QLabel(self)
        self.recorded.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.setSpacing(4)
        for widget in (self.title, self.details, self.acknowledge, self.note, self.recorded):
            layout.addWidget(widget)
        self.acknowledge.toggled.connect(self.acknowledged_changed)
        self.hide()

    def show_risks(self, risks: list[RiskFinding], recorded: str = "") -> None:
        self.details.setText(" ".join(r.message for r in risks)
                             + " Tick the box when you have followed the procedure; saving needs it.")
        self.recorded.setText(recorded)
        self.recorded.setVisible(bool(recorded))
        self.setVisible(bool(risks))

    def is_acknowledged(self) -> bool:
        return self.acknowledge.isChecked()
