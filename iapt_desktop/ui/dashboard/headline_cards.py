"""Headline figures as cards: the service's value, and the latest England figure and target beside it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from iapt_desktop.domain.metrics.headlines import Headline
from iapt_desktop.domain.metrics.tally import Figure

CARD_STYLE = (
    "QFrame#metricCard { border: 1px solid palette(mid); border-radius: 6px; background: palette(base); }"
    "QLabel#metricTitle { color: palette(text); font-weight: 600; }"
    "QLabel#metricValue { font-size: 20px; font-weight: 700; }"
    "QLabel#metricNational { color: palette(dark); }"
    "QLabel#metricBasis { color: palette(text); padding-bottom: 3px; }"
)


class HeadlineCard(QFrame):
    def __init__(self, headline: Headline, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headline = headline
        self.setObjectName("metricCard")
        self.setToolTip(headline.explanation)
        self.title = QLabel(headline.label, self)
        self.title.setObjectName("metricTitle")
        self.title.setWordWrap(True)
        self.value = QLabel("–", self)
        self.value.setObjectName("metricValue")
        self.basis = QLabel(self)
        self.basis.setObjectName("metricBasis")
        value_row = QHBoxLayout()
        value_row.setSpacing(8)
        value_row.addWidget(self.value)
        value_row.addWidget(self.basis, 1, Qt.AlignmentFlag.AlignBottom)
        self.national = QLabel(headline.national_text(separator="\n"), self)
        self.national.setObjectName("metricNational")
        self.national.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(1)
        layout.addWidget(self.title)
        layout.addLayout(value_row)
        layout.addWidget(self.national)
        layout.addStretch(1)
        self.national.setVisible(bool(self.national.text()))

    def show_value(self, figures: Mapping[str, Figure] | None) -> None:
        self.value.setText(self.headline.format(figures.get(self.headline.key) if figures else None))
        self.basis.setText(self.headline.basis_text(figures) if figures else "")

    def value_text(self) -> str:
        return self.value.text()


class HeadlineCards(QWidget):
    """A grid of :class:`HeadlineCard`, ``columns`` wide."""

    def __init__(self, headlines: Sequence[Headline], columns: int = 5, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(CARD_STYLE)
        self.cards = {h.key: HeadlineCard(h, self) for h in headlines}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for position, card in enumerate(self.cards.values()):
            grid.addWidget(card, position // columns, position % columns)
        for column in range(columns):
            grid.setColumnStretch(column, 1)

    def show_figures(self, figures: Mapping[str, Figure] | None) -> None:
        for card in self.cards.values():
            card.show_value(figures)
