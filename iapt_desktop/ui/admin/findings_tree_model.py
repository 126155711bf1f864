"""Validation findings as a tree: severity ▸ rule ▸ the rows at fault, with counts, filters and search.

Filtering rebuilds the tree (one model reset); nothing is hidden by a proxy, so
the counts on the group rows are the counts of what is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from iapt_desktop.ui.views.field_labels import label
from iapt_desktop.validation.findings import REJECT_FILE, SEVERITIES, SEVERITY_LABELS, WARNING, Finding
from iapt_desktop.validation.report import ValidationReport

Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()
FINDING_ROLE = Qt.ItemDataRole.UserRole + 1  # the Finding of a row (None on group rows)
RULE_ROLE = Qt.ItemDataRole.UserRole + 2  # the rule id of a rule row or finding row
SEVERITY_COLOURS = {REJECT_FILE: "#b91c1c", "reject_group": "#c2410c", "reject_record": "#b45309", WARNING: "#475569"}
HIDDEN_VALUE = "(hidden)"


class Column(IntEnum):
    FINDING = 0
    COUNT = 1
    TABLE = 2
    FIELD = 3
    VALUE = 4


HEADERS = {Column.FINDING: "Finding", Column.COUNT: "Rows", Column.TABLE: "Table", Column.FIELD: "Field",
           Column.VALUE: "Value"}


@dataclass(frozen=True)
class FindingsFilter:
    severity: str | None = None
    table: str | None = None
    text: str = ""

    def accepts(self, finding: Finding) -> bool:
        if self.severity and finding.severity != self.severity:
            return False
        if self.table and finding.table != self.table:
            return False
        needle = self.text.strip().lower()
        if not needle:
            return True
        haystack = " ".join(str(part or "") for part in (finding.rule, finding.message, finding.table, finding.key,
                                                          finding.field, finding.value)).lower()
        return needle in haystack


@dataclass
class _Node:
    parent: int  # node id of the parent, 0 for the top level
    row: int
    label: str
    severity: str
    rule: str = ""
    finding: Finding | None = None
    children: list[int] = field(default_factory=list)
    count: int = 1  # rows under a group row (1 for a finding)


class FindingsTreeModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None, *, show_values: bool = True) -> None:
        super().__init__(parent)
        self.show_values = show_values
        self._report: ValidationReport | None = None
        self._filter = FindingsFilter()
        self._nodes: dict[int, _Node] = {}
        self._top: list[int] = []

    # -- contents
    def set_report(self, report: ValidationReport | None) -> None:
        self._report = report
        self._rebuild()

    def set_filter(self, severity: str | None = None, table: str | None = None, text: str = "") -> None:
        self._filter = FindingsFilter(severity, table, text)
        self._rebuild()

    @property
    def report(self) -> ValidationReport | None:
        return self._report

    def shown_findings(self) -> list[Finding]:
        return [node.finding for node in self._nodes.values() if node.finding is not None]

    def _rebuild(self) -> None:
        self.beginResetModel()
        self._nodes, self._top = {}, []
        findings = [f for f in (self._report.findings if self._report else ()) if self._filter.accepts(f)]
        next_id = 1
        for severity in SEVERITIES:
            of_severity = [f for f in findings if f.severity == severity]
            if not of_severity:
                continue
            severity_id = next_id
            next_id += 1
            self._nodes[severity_id] = _Node(0, len(self._top), SEVERITY_LABELS[severity], severity,
                                             count=len(of_severity))
            self._top.append(severity_id)
            rules: dict[str, list[Finding]] = {}
            for finding in of_severity:
                rules.setdefault(finding.rule, []).append(finding)
            for rule_id, rule_findings in rules.items():
                rule_node = next_id
                next_id += 1
                parent = self._nodes[severity_id]
                self._nodes[rule_node] = _Node(severity_id, len(parent.children),
                                               f"{rule_id}: {rule_findings[0].message}", severity, rule_id,
                                               count=len(rule_findings))
                parent.children.append(rule_node)
                for finding in rule_findings:
                    leaf = next_id
                    next_id += 1
                    holder = self._nodes[rule_node]
                    self._nodes[leaf] = _Node(rule_node, len(holder.children), finding.key or "(the whole file)",
                                              severity, rule_id, finding)
                    holder.children.append(leaf)
        self.endResetModel()

    # -- helpers
    def _node(self, index: Index) -> _Node | None:
        return self._nodes.get(int(index.internalId())) if index.isValid() else None

    def finding(self, index: Index) -> Finding | None:
        node = self._node(index)
        return node.finding if node else None

    def rule_of(self, index: Index) -> str:
        node = self._node(index)
        return node.rule if node else ""

    def index_of_finding(self, predicate: Any) -> QModelIndex:
        """The first finding row for which ``predicate(finding)`` is true (invalid index when none)."""
        for node_id, node in self._nodes.items():
            if node.finding is not None and predicate(node.finding):
                return self.createIndex(node.row, 0, node_id)
        return QModelIndex()

    # -- QAbstractItemModel
    def index(self, row: int, column: int, parent: Index = NO_PARENT) -> QModelIndex:
        if column < 0 or column >= len(Column) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            children = self._top
        else:
            holder = self._node(parent)
            if holder is None or parent.column() != 0:
                return QModelIndex()
            children = holder.children
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index = NO_PARENT) -> QModelIndex:  # type: ignore[override]
        node = self._node(index)
        if node is None or node.parent == 0:
            return QModelIndex()
        return self.createIndex(self._nodes[node.parent].row, 0, node.parent)

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        if not parent.isValid():
            return len(self._top)
        if parent.column() != 0:
            return 0
        node = self._node(parent)
        return len(node.children) if node else 0

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(
                Column):
            return HEADERS[Column(section)]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self._node(index)
        if node is None:
            return None
        column = Column(index.column())
        if role == FINDING_ROLE:
            return node.finding
        if role == RULE_ROLE:
            return node.rule or None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(node, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.FINDING and node.finding is None:
            return QBrush(QColor(SEVERITY_COLOURS[node.severity]))
        if role == Qt.ItemDataRole.FontRole and node.finding is None and node.parent == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.FINDING:
            return node.label
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.FIELD and node.finding is not None:
            return f"{node.finding.table}.{node.finding.field}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, node: _Node, column: Column) -> str | None:
        finding = node.finding
        if column == Column.FINDING:
            return node.label
        if column == Column.COUNT:
            return None if finding is not None else f"{node.count:,}"
        if finding is None:
            return None
        if column == Column.TABLE:
            return finding.table or "(file)"
        if column == Column.FIELD:
            return label(finding.field) if finding.field and " " not in finding.field else finding.field
        if finding.value is None:
            return "(blank)"
        return finding.value if self.show_values else HIDDEN_VALUE
