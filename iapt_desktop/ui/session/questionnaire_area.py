"""The questionnaires of a session, two to a row, with "Add questionnaire…" below them.

Finishing one questionnaire by keyboard moves the cursor to the next; finishing the last
emits ``all_finished`` (the dialog then puts the cursor on Save).
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QMenu, QPushButton, QScrollArea, QVBoxLayout, QWidget

from iapt_desktop.domain.questionnaires import Entry, RiskFinding, questionnaires
from iapt_desktop.ui.session.questionnaire_panel import QuestionnairePanel, TypedTotalPanel

Panel = QuestionnairePanel | TypedTotalPanel
TWO_COLUMNS_FROM = 880  # narrower than this, questionnaires stand one under another


class QuestionnaireArea(QScrollArea):
    """Signals: changed() — an answer, a total or the set of questionnaires changed;
    all_finished() — the last questionnaire's last item was answered by key."""

    changed = Signal()
    all_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panels: dict[str, Panel] = {}
        self._columns = 2
        self._editable = True
        self._before: QWidget | None = None
        self._after: list[QWidget] = []
        self.grid_holder = QWidget(self)
        self.grid = QGridLayout(self.grid_holder)
        self.grid.setContentsMargins(0, 0, 4, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(12)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 1)
        self.add_button = QPushButton("Add &questionnaire…", self)
        self.add_button.setAutoDefault(False)
        self.add_button.setToolTip("Add WSAS, an anxiety disorder specific measure, a PEQ or another tool")
        self.add_menu = QMenu(self.add_button)
        self.add_button.setMenu(self.add_menu)
        self.add_menu.aboutToShow.connect(self._fill_add_menu)
        layout = QVBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grid_holder)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        holder = QWidget(self)
        holder.setLayout(layout)
        self.setWidgetResizable(True)
        self.setWidget(holder)
        self._resizing = False
        holder.installEventFilter(self)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def set_tab_neighbours(self, before: QWidget, after: list[QWidget]) -> None:
        """The widget Tab comes from and the ones it goes on to, kept around the panels."""
        self._before, self._after = before, after
        self._relayout()

    def keys(self) -> list[str]:
        return [k for k in questionnaires() if k in self.panels]

    def add(self, key: str) -> Panel:
        """Show a questionnaire (or return the one already shown)."""
        if key in self.panels:
            return self.panels[key]
        form = questionnaires()[key]
        panel: Panel = TypedTotalPanel(form, self.grid_holder) if form.entry is Entry.TOTAL else \
            QuestionnairePanel(form, self.grid_holder)
        self.panels[key] = panel
        panel.set_editable(self._editable)
        panel.changed.connect(self.changed)
        panel.removed.connect(lambda k=key: self.remove(k))
        if isinstance(panel, QuestionnairePanel):
            panel.finished.connect(lambda k=key: self._finished(k))
        self._relayout()
        return panel

    def add_and_focus(self, key: str) -> Panel:
        panel = self.add(key)
        panel.focus_first_unanswered()
        self.ensureWidgetVisible(panel)
        self.changed.emit()
        return panel

    def remove(self, key: str) -> None:
        panel = self.panels.pop(key, None)
        if panel is not None:
            self.grid.removeWidget(panel)
            panel.hide()
            panel.deleteLater()
            self._relayout()
            self.changed.emit()

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        for panel in self.panels.values():
            panel.set_editable(editable)
        self.add_button.setVisible(editable)

    def focus_first(self) -> bool:
        """Put the cursor on the first unanswered item; False when there is no questionnaire."""
        keys = self.keys()
        if not keys:
            return False
        self.panels[keys[0]].focus_first_unanswered()
        return True

    def answers(self) -> dict[str, dict[int, str]]:
        return {k: p.answers() for k, p in self.panels.items() if isinstance(p, QuestionnairePanel)}

    def typed_totals(self) -> dict[str, str]:
        return {k: p.total() for k, p in self.panels.items() if isinstance(p, TypedTotalPanel)}

    def risks(self) -> list[RiskFinding]:
        return [risk for key, answers in self.answers().items() for risk in questionnaires()[key].risks(answers)]

    def _relayout(self) -> None:
        ordered = [self.panels[k] for k in self.keys()]
        for panel in ordered:
            self.grid.removeWidget(panel)
        columns = self._columns
        for position, panel in enumerate(ordered):
            self.grid.addWidget(panel, position // columns, position % columns, Qt.AlignmentFlag.AlignTop)
        self.grid.setColumnStretch(1, 1 if columns == 2 else 0)
        chain: list[QWidget] = [*([self._before] if self._before else []), *ordered, self.add_button, *self._after]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The questionnaires grew taller (rows re-wrap once a width is known, or after the scroll bar takes
        its room): QScrollArea sizes its widget again only on a resize, leaving the panels squashed over one
        another. When the widget's layout asks for room, lay it out and size the widget again."""
        handled = super().eventFilter(watched, event)
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest and not self._resizing:
            layout = self.widget().layout()
            if layout is not None:
                layout.activate()
            self._resizing = True
            try:
                self.setWidgetResizable(True)  # recomputes the widget's height for the viewport's width
            finally:
                self._resizing = False
        return handled

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        columns = 2 if event.size().width() >= TWO_COLUMNS_FROM else 1
        if columns != self._columns:
            self._columns = columns
            self._relayout()

    def _fill_add_menu(self) -> None:
        self.add_menu.clear()
        group = None
        for key, form in questionnaires().items():
            if key in self.panels:
                continue
            if form.group != group:
                group = form.group
                self.add_menu.addSection(group)
            action = self.add_menu.addAction(f"{form.name} — {form.title}")
            action.triggered.connect(lambda _checked=False, k=key: self.add_and_focus(k))

    def _finished(self, key: str) -> None:
        keys = self.keys()
        following = keys[keys.index(key) + 1:]
        if following:
            self.panels[following[0]].focus_first_unanswered()
        else:
            self.all_finished.emit()
