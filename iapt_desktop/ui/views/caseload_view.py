"""The caseload: my patients (or every patient), with instant search by name, NHS number or local id."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from iapt_desktop.domain.access import Action, User
from iapt_desktop.storage.caseload_queries import COUNT_CAP, CaseloadFilter
from iapt_desktop.ui.models.caseload_table_model import CaseloadColumn, CaseloadTableModel

SEARCH_DELAY_MS = 150  # wait for a pause in typing before asking the database
CELL_PADDING = 10  # the cell's margins either side of its text
FIT_ROWS = 60  # rows measured: more than a screenful
FIXED_FORMAT_SAMPLES = {  # the widest texts these columns can show, whatever rows come first
    CaseloadColumn.STATUS: ("Open, from 00/00/0000", "Ended 00/00/0000", "No referral"),
    CaseloadColumn.LAST_CONTACT: ("00/00/0000",),
    CaseloadColumn.BIRTH_DATE: ("00/00/0000",),
    CaseloadColumn.NHS_NUMBER: ("000 000 0000",),
}
WIDTH_LIMITS = {CaseloadColumn.NAME: 230, CaseloadColumn.COUNSELLOR: 170}  # longer ones are elided


class CaseloadView(QWidget):
    """Signals: patient_chosen(str) — a LocalPatientId the user moved to or activated."""

    patient_chosen = Signal(str)

    def __init__(self, db: Database, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user = user
        self.search = QLineEdit(self)
        self.search.setObjectName("caseloadSearch")
        self.search.setPlaceholderText("Search name, NHS number or ID   (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.scope = QComboBox(self)
        self.scope.setObjectName("caseloadScope")
        self.scope.addItem("My caseload", True)
        self.scope.addItem("All patients", False)
        can_see_all = user.can(Action.VIEW_ALL_CASELOADS)
        if not can_see_all:
            self.scope.model().item(1).setEnabled(False)
            self.scope.setItemData(1, "Your role sees your own caseload", Qt.ItemDataRole.ToolTipRole)
        if user.care_personnel_id is None and can_see_all:
            self.scope.setCurrentIndex(1)  # an administrator without a caseload starts with everyone
        self.count = QLabel(self)
        self.count.setObjectName("caseloadCount")
        self.count.setStyleSheet("color: #475569;")
        self.model = CaseloadTableModel(db, user, self._filter(), self)
        self.view = QTableView(self)
        self.view.setObjectName("caseloadTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        # always there, so a short caseload lays out like a long one (the list's edge falls between columns)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.view.verticalHeader().setDefaultSectionSize(26)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self.columns_fitted = False  # widths fitted to the first rows shown (or restored): never again
        self.fit_columns()
        self.model.modelReset.connect(self.fit_columns)
        self.show_columns_for_scope()
        self.view.activated.connect(self._activated)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._search_entered)
        self.scope.currentIndexChanged.connect(lambda _i: self.show_columns_for_scope())
        self.scope.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.model.total_changed.connect(self._show_count)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.focus_search)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.scope)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        self._show_count(self.model.total)
        self._silent = False

    def fit_columns(self) -> None:
        """Once, when there are rows to measure: each column as wide as its header and the texts of the rows
        loaded (names and counsellors within a limit); later searches keep the widths (and stay fast)."""
        if self.columns_fitted or self.model.rowCount() == 0:
            return
        self.columns_fitted = True
        metrics = self.view.fontMetrics()
        header = self.view.horizontalHeader()
        for column in CaseloadColumn:
            texts = FIXED_FORMAT_SAMPLES.get(column) or self.model.texts(column, FIT_ROWS)
            widest = max(map(metrics.horizontalAdvance, texts)) + CELL_PADDING
            width = max(header.sectionSizeHint(column), min(widest, WIDTH_LIMITS.get(column, widest)))
            self.view.setColumnWidth(column, width)

    def show_columns_for_scope(self) -> None:
        """"My caseload" is one counsellor's: their name in every row would only take room."""
        self.view.setColumnHidden(CaseloadColumn.COUNSELLOR, bool(self.scope.currentData()))

    def column_widths(self) -> list[int]:
        """The widths of the columns shown, in view order."""
        header = self.view.horizontalHeader()
        logical = (header.logicalIndex(visual) for visual in range(header.count()))
        return [header.sectionSize(c) for c in logical if not header.isSectionHidden(c)]

    def chrome_width(self) -> int:
        """What the list takes besides its columns: frame and vertical scroll bar."""
        scroll_bar = self.view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return scroll_bar + 2 * self.view.frameWidth()

    def _filter(self) -> CaseloadFilter:
        return CaseloadFilter(
            mine_only=bool(self.scope.currentData()),
            care_personnel_id=self.user.care_personnel_id,
            search=self.search.text(),
            username=self.user.username,
        )

    def apply_filter(self) -> None:
        self._timer.stop()
        self._silent = True
        self.model.set_filter(self._filter())
        self._silent = False

    def refresh(self, select: str | None = None) -> None:
        """Reload after a save or delete, keeping (or moving to) the given patient when listed."""
        self._silent = True
        self.model.reload()
        if select:
            self.select(select)
        self._silent = False

    def select(self, local_patient_id: str) -> bool:
        row = self.model.row_of(local_patient_id)
        if row < 0:
            return False
        self.view.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        return True

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _search_entered(self) -> None:
        self.apply_filter()
        if self.model.rowCount() > 0:
            self.view.setFocus()
            self.view.selectRow(0)
            self._activated(self.model.index(0, 0))

    def _activated(self, index: QModelIndex) -> None:
        key = self.model.key(index.row())
        if key:
            self.patient_chosen.emit(key)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._silent and current.isValid():
            self._activated(current)

    def _show_count(self, total: object) -> None:
        scope = "on your caseload" if self.scope.currentData() else "in the register"
        what = "matching the search " if self.search.text().strip() else ""
        if self.model.total_is_capped:
            self.count.setText(f"{COUNT_CAP:,}+ patients {what}{scope}")
            return
        self.count.setText(f"{total:,} patient{'s' if total != 1 else ''} {what}{scope}")
