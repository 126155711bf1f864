"""The validation panel: check a month (or every stored record) against NHS England's rules, and fix it.

The check runs the validation job (jobs.validate_period) on a
worker thread (ui.workers) with a progress bar and Cancel.  Findings are grouped
by severity and rule with counts; each rule is explained in plain words with
what to do.  Double-click a row (or press Enter on it) to open the record with the
cursor in the field at fault; after a record is saved the check runs again by itself.
"Export to Excel…" (administrators) asks where, and whether to pseudonymise
(ui.admin.findings_export_dialog; the rules are jobs.findings_export's).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from iapt_desktop.domain.access import AccessDenied, Action, User
from iapt_desktop.domain.audit_actions import EXPORT
from iapt_desktop.domain.dataset import tables
from iapt_desktop.domain.reporting_period import ReportingPeriod, Window, proposed_windows
from iapt_desktop.interchange.pseudonymise import new_key
from iapt_desktop.jobs.findings_export import write_findings_file
from iapt_desktop.jobs.validate_period import ValidationReport, validate_database, validate_period
from iapt_desktop.storage import audit_log
from iapt_desktop.ui.admin.admin_jobs import start_job, stop_jobs, stop_on_quit
from iapt_desktop.ui.admin.findings_export_dialog import FindingsExportDialog
from iapt_desktop.ui.admin.findings_tree_model import Column, FindingsTreeModel
from iapt_desktop.ui.views.field_labels import label
from iapt_desktop.ui.workers import JobRunner
from iapt_desktop.validation.findings import SEVERITIES, SEVERITY_LABELS
from iapt_desktop.validation.progress import Progress
from iapt_desktop.validation.report_text import verdict
from iapt_desktop.validation.rules import rule

WHOLE_DATABASE = None  # the scope combo's data for "every stored record"
PERIODS_OFFERED = 24
HINT = ("Double-click a row (or press Enter) to open the record with the cursor in the field at fault. "
        "After you save a record the check runs again.")


def period_choices(today: dt.date) -> list[tuple[str, ReportingPeriod | None]]:
    """(text, period) for the scope box: the window's Primary and Refresh months first, then earlier ones."""
    proposed = proposed_windows(today)
    marks = {period: window for window, period in proposed.items()}
    period = proposed[Window.PRIMARY]
    choices: list[tuple[str, ReportingPeriod | None]] = []
    for _ in range(PERIODS_OFFERED):
        window = marks.get(period)
        note = f" ({window.value.capitalize()} now)" if window else ""
        choices.append((f"{period.label}{note}", period))
        period = period.previous()
    choices.append(("Every stored record", WHOLE_DATABASE))
    return choices


class ValidationPanel(QWidget):
    """Signals: checked(object) — a check finished and its ValidationReport is shown;
    open_requested(object) — a finding was activated: double-click or Enter (the main window opens its record)."""

    checked = Signal(object)
    open_requested = Signal(object)

    def __init__(self, location: Any, user: User, parent: QWidget | None = None, *,
                 today: dt.date | None = None, db: Database | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("validationPanel")
        self.location = location
        self.db = db  # the UI's connection, for the audit entry of an export
        self.user = user
        self.runner: JobRunner | None = None
        self._again = False
        self._report: ValidationReport | None = None
        self._pending: ValidationReport | None = None
        self.scope = QComboBox(self)
        self.scope.setObjectName("validationScope")
        for text, period in period_choices(today or dt.date.today()):
            self.scope.addItem(text, period)
        self.check_button = QPushButton("Check", self)
        self.check_button.setObjectName("checkButton")
        self.check_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(True)
        self.progress.setFormat("Not checked yet")
        self.progress.setValue(0)
        self.summary = QLabel("Choose a month and press Check.", self)
        self.summary.setObjectName("validationSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: 600; padding: 2px 0;")

        self.severity = QComboBox(self)
        self.severity.addItem("All severities", None)
        for severity in SEVERITIES:
            self.severity.addItem(SEVERITY_LABELS[severity], severity)
        self.table_filter = QComboBox(self)
        self.table_filter.addItem("All tables", None)
        for name in tables():
            self.table_filter.addItem(name, name)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search rule, message, record, field…")
        self.search.setClearButtonEnabled(True)
        self.export_button = QPushButton("Export to Excel…", self)
        self.export_button.setEnabled(False)
        self.export_button.setToolTip("Save the findings as a workbook for someone else to work through")

        self.model = FindingsTreeModel(self, show_values=user.can(Action.VIEW_ALL_CASELOADS))
        self.view = QTreeView(self)
        self.view.setObjectName("findingsView")
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setExpandsOnDoubleClick(False)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.FINDING, QHeaderView.ResizeMode.Stretch)
        for column, width in ((Column.COUNT, 50), (Column.TABLE, 165), (Column.FIELD, 120), (Column.VALUE, 100)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.view.setColumnWidth(column, width)
        self.explanation = QTextBrowser(self)
        self.explanation.setObjectName("ruleExplanation")
        self.explanation.setOpenLinks(False)
        self.explanation.setPlaceholderText("Choose a finding to see what it means and what to do. " + HINT)

        top = QHBoxLayout()
        top.addWidget(QLabel("Check", self))
        top.addWidget(self.scope)
        top.addWidget(self.check_button)
        top.addWidget(self.cancel_button)
        top.addWidget(self.progress, 1)
        filters = QHBoxLayout()
        filters.addWidget(self.severity)
        filters.addWidget(self.table_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.export_button)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.explanation)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)
        self.splitter.setSizes([900, 380])

        self.check_button.clicked.connect(self.run_check)
        self.cancel_button.clicked.connect(self.cancel)
        self.severity.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.table_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.search.textChanged.connect(lambda _t: self._apply_filter())
        self.export_button.clicked.connect(self.choose_export)
        # activated: a double-click, or Enter on the current row (a single click where the platform says so)
        self.view.activated.connect(self._activated)
        self.view.selectionModel().currentChanged.connect(self._explain)
        self.model.modelReset.connect(self._after_reset)
        stop_on_quit(self.shutdown)

    # -- scope
    def set_period(self, period: ReportingPeriod | str | None) -> None:
        if isinstance(period, str):
            period = ReportingPeriod.parse(period)
        index = self.scope.findData(period)
        if index < 0:
            self.scope.addItem(period.label if period else "Every stored record", period)
            index = self.scope.count() - 1
        self.scope.setCurrentIndex(index)

    def period(self) -> ReportingPeriod | None:
        data = self.scope.currentData()
        return data if isinstance(data, ReportingPeriod) else None

    # -- running
    def run_check(self) -> JobRunner | None:
        """Start a check of the chosen scope (unless one is running: then it runs again after); its runner."""
        if self.runner is not None and self.runner.running:
            self._again = True
            return None
        self._again = False
        period, location, user = self.period(), self.location, self.user
        self._pending = None
        self.progress.setRange(0, 0)
        self.progress.setFormat("Reading the records…")
        self.check_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.scope.setEnabled(False)
        if period is None:
            self.runner = start_job(lambda: validate_database(location, actor=user), self, self._progressed)
        else:
            self.runner = start_job(lambda: validate_period(location, period, actor=user), self, self._progressed)
        self.runner.failed.connect(self._failed)
        self.runner.finished.connect(self._finished)
        return self.runner

    def cancel(self) -> None:
        self._again = False
        if self.runner is not None:
            self.runner.cancel()

    def shutdown(self) -> None:
        """Stop a running check (the window is closing)."""
        self._again = False
        stop_jobs(self.runner)

    def _progressed(self, item: object) -> None:
        if isinstance(item, ValidationReport):
            self._pending = item
        elif isinstance(item, Progress):
            self.progress.setRange(0, max(item.total, 1))
            self.progress.setValue(item.done)
            self.progress.setFormat(item.message)

    def _failed(self, error: object) -> None:
        QMessageBox.warning(self, "Check failed", f"The check could not be completed: {error}")

    def _finished(self) -> None:
        self.check_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.scope.setEnabled(True)
        self.progress.setRange(0, 1)
        if self._pending is None:
            self.progress.setValue(0)
            self.progress.setFormat("Cancelled" if self.runner and self.runner.cancel_requested else "Not checked")
            return
        self.progress.setValue(1)
        self.progress.setFormat(f"Checked {dt.datetime.now():%H:%M}")
        if self._again:  # records changed while it ran: this list is already out of date
            self.run_check()
            return
        self.show_report(self._pending)
        self.checked.emit(self._pending)

    def show_report(self, report: ValidationReport) -> None:
        self._report = report
        counts = report.counts_by_severity
        listed = ", ".join(f"{SEVERITY_LABELS[s].lower()}: {n:,}" for s, n in counts.items() if n)
        scope = "Every stored record" if report.scope == "whole database" else ReportingPeriod.parse(report.scope).label
        self.summary.setText(f"{scope}: {sum(report.rows_checked.values()):,} rows checked, "
                             f"{len(report.findings):,} findings{' (' + listed + ')' if listed else ''}. "
                             f"{verdict(report)}")
        colour = "#b91c1c" if report.rejects_file else "#b45309" if report.dropped else "#15803d"
        self.summary.setStyleSheet(f"font-weight: 600; padding: 2px 0; color: {colour};")
        self.model.set_report(report)
        self.export_button.setEnabled(bool(report.findings) and self.user.can(Action.EXPORT))

    def report(self) -> ValidationReport | None:
        return self._report

    def records_changed(self) -> None:
        """A record was saved: check again when a check has been shown (its list may be out of date)."""
        if self._report is not None:
            self.run_check()

    # -- filters and details
    def _apply_filter(self) -> None:
        self.model.set_filter(self.severity.currentData(), self.table_filter.currentData(), self.search.text())

    def _after_reset(self) -> None:
        for row in range(self.model.rowCount()):
            self.view.expand(self.model.index(row, 0))
        self.explanation.clear()

    def _explain(self, current: QModelIndex, _previous: QModelIndex) -> None:
        rule_id = self.model.rule_of(current)
        if not rule_id:
            self.explanation.clear()
            return
        item = rule(rule_id)
        finding = self.model.finding(current)
        parts = [f"<b>{rule_id}</b> · {SEVERITY_LABELS[item.severity]} · {item.table or 'the file'}",
                 f"<p>{_escape(item.message)}</p>",
                 f"<p><b>What to do:</b> {_escape(item.action)}</p>"]
        if item.note:
            parts.append(f"<p style='color:#64748b'>Note: {_escape(item.note)}</p>")
        if finding is not None:
            parts.append(f"<p style='color:#334155'>Record {_escape(finding.key or 'the file')}, field "
                         f"{_escape(label(finding.field) if finding.field else '-')}. {HINT}</p>")
        self.explanation.setHtml("".join(parts))

    def _activated(self, index: QModelIndex) -> None:
        finding = self.model.finding(index)
        if finding is not None:
            self.open_requested.emit(finding)
        else:
            self.view.setExpanded(index.siblingAtColumn(0), not self.view.isExpanded(index.siblingAtColumn(0)))

    # -- export
    def choose_export(self) -> FindingsExportDialog | None:
        """Ask where to save the findings and whether to pseudonymise (the dialog is shown, not waited for);
        the workbook is written when it is accepted."""
        if self._report is None:
            return None
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        suggested = Path(folder) / f"findings_{self._report.scope.replace(' ', '_')}.xlsx"
        dialog = FindingsExportDialog(suggested, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.export(dialog.path(), pseudonymise=dialog.pseudonymise.isChecked()))
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def export(self, path: Path | None = None, *, pseudonymise: bool = False) -> Path | None:
        """Write the findings shown to ``path`` (pseudonymised when asked); without a path, ask (choose_export)."""
        if self._report is None:
            return None
        if path is None:
            self.choose_export()
            return None
        key = new_key() if pseudonymise else None
        try:
            written = write_findings_file(self._report, path, "xlsx", actor=self.user, pseudonymise_key=key)
        except AccessDenied as error:
            QMessageBox.warning(self, "Not exported", str(error))
            return None
        except OSError as error:
            QMessageBox.warning(self, "Not exported", f"The workbook could not be written to {path.name}: "
                                f"{error.strerror or error}. Close it in Excel, or choose another folder.")
            return None
        if self.db is not None:
            with self.db.atomic():
                audit_log.append(self.db, self.user.username, EXPORT, changes={
                    "file": written.name, "rows": len(self._report.findings), "what": "validation findings",
                    "pseudonymised": pseudonymise})
        return written


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def open_validation(window: Any, session: Any) -> QDockWidget:
    """The Administration menu's entry: the panel in a dock of the main window (made once, then shown)."""
    dock = getattr(window, "validation_dock", None)
    if isinstance(dock, QDockWidget):
        dock.show()
        dock.raise_()
        return dock
    panel = ValidationPanel(session.location, session.user, window, db=session.db)
    dock = QDockWidget("Check the data", window)
    dock.setObjectName("validationDock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.resizeDocks([dock], [int(window.height() * 0.5)], Qt.Orientation.Vertical)
    window.validation_dock = dock

    def open_record(finding: object) -> None:
        from iapt_desktop.ui.admin.finding_navigation import open_finding

        opened = open_finding(window, finding)
        if opened is not None and opened.objectName() in ("staffDialog", "settingsDialog"):
            opened.saved.connect(lambda *_: panel.records_changed())  # check again after a save there

    panel.open_requested.connect(open_record)
    window.record.saved.connect(lambda _patient: panel.records_changed())
    dock.show()
    return dock
