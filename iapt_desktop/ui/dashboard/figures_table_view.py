"""A read-only, sortable table view over a FiguresTableModel."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from iapt_desktop.ui.dashboard.figures_table_model import FiguresTableModel


def sortable_figures_view(model: FiguresTableModel, parent: QWidget) -> QTableView:
    """Rows sort by the raw values (numbers as numbers), first column ascending to start with."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(FiguresTableModel.SORT_ROLE)
    view = QTableView(parent)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # not stretched: a last column as wide as the rest of the window put its figures far from their heading
    view.horizontalHeader().setStretchLastSection(False)
    return view
