"""The sessions of a referral with the waits derived from them, and the score chart when available."""

from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iapt_desktop.ui.models.sessions_table_model import SHOWN, SessionsTableModel

WORDED_COLUMNS = ("AppType", "AttendOrDNACode", "ConsMechanism")  # the others are short: date, time, minutes
MINIMUM_WORDED_WIDTH = 90
CHART_MINIMUM_WIDTH = 250  # axis, legend and a few months of points still read


def score_chart_class() -> Any:
    """The score chart (ui.charts ScoreChart), imported when a referral is first shown (start-up stays lean)."""
    return importlib.import_module("iapt_desktop.ui.charts.score_chart").ScoreChart


class ReferralSessions(QWidget):
    """Signals: open_requested(object) — a CareContactId to open, or None for a new session."""

    open_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service_request_id: str | None = None
        self.waits = QLabel(self)
        self.waits.setObjectName("waits")
        self.waits.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.waits.setWordWrap(True)  # long lines wrap rather than set the least width of the whole record
        self.waits.setStyleSheet("background: #f1f5f9; border-radius: 4px; padding: 6px 8px;")
        self.model = SessionsTableModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("sessions")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(MINIMUM_WORDED_WIDTH // 2)
        for column, name in enumerate(SHOWN):
            worded = name in WORDED_COLUMNS  # long code labels share the width left, elided (tooltip: all)
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if worded
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.view.activated.connect(self._activated)
        self.view.doubleClicked.connect(self._activated)
        self.new_button = QPushButton("New session…", self)
        self.new_button.setObjectName("newSession")
        self.new_button.setToolTip("Record a session (care contact) for this referral (Ctrl+Shift+N)")
        self.open_button = QPushButton("Open session…", self)
        self.new_button.clicked.connect(lambda: self.open_requested.emit(None))
        self.open_button.clicked.connect(lambda: self._activated(self.view.currentIndex()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.waits)
        left.addLayout(buttons)
        left.addWidget(self.view, 1)
        self.layout_row = QHBoxLayout(self)
        self.layout_row.addLayout(left, 2)  # the table needs the room more than the chart
        self.chart: QWidget | None = None

    def set_sessions(self, service_request_id: str, sessions: list[dict[str, Any]]) -> None:
        self.service_request_id = service_request_id
        self.model.set_rows(sessions)
        self.open_button.setEnabled(bool(sessions))

    def set_chart(self, chart: QWidget) -> None:
        if self.chart is None:
            self.chart = chart
            chart.setMinimumWidth(CHART_MINIMUM_WIDTH)
            self.layout_row.addWidget(chart, 1)

    def show_waits(self, text: str) -> None:
        self.waits.setText(text)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.care_contact_id(index.row()))
