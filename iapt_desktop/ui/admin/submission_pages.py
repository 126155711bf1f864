"""The submission wizard's first two pages: choose the month and window; review the month before writing.

A month whose findings would reject the whole file can only go on when the
administrator ticks the clearly worded "write anyway".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from iapt_desktop.domain.reporting_period import ReportingPeriod, Window, proposed_windows
from iapt_desktop.jobs.submission_checks import period_not_ended
from iapt_desktop.jobs.write_submission import ACCESS_TESTING_NOTE, idb_problem_here
from iapt_desktop.storage.settings_store import get_setting
from iapt_desktop.ui.admin.admin_jobs import start_job
from iapt_desktop.ui.admin.submission_review import SubmissionReview, review_submission
from iapt_desktop.ui.admin.table_titles import table_title
from iapt_desktop.ui.workers import JobRunner
from iapt_desktop.validation.findings import SEVERITY_LABELS
from iapt_desktop.validation.progress import Progress
from iapt_desktop.validation.report_text import verdict

PERIODS_OFFERED = 13
FORCE_LABEL = "Write the package anyway, knowing NHS England will refuse it (for checking only; do not upload it)"
WARNING_STYLE = "color: #9a3412; background: #fff7ed; border-radius: 4px; padding: 6px 8px;"
DANGER_STYLE = "color: #7f1d1d; background: #fee2e2; border-radius: 4px; padding: 6px 8px; font-weight: 600;"
OK_STYLE = "color: #14532d; background: #dcfce7; border-radius: 4px; padding: 6px 8px;"
NOTE_STYLE = "color: #334155; background: #f1f5f9; border-radius: 4px; padding: 6px 8px;"


def note_label(text: str, style: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def default_out_dir() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents or Path.home()) / "IAPT submissions"


class ChoosePage(QWizardPage):
    def __init__(self, wizard: Any) -> None:
        super().__init__(wizard)
        self.setTitle("Which month?")
        self.setSubTitle("Each month's national window takes last month as Primary and the month before as "
                         "Refresh. The month and window the app proposes fit today's date.")
        self.owner = wizard
        proposed = proposed_windows(wizard.today)
        self.proposed = {period: window for window, period in proposed.items()}
        self.period = QComboBox(self)
        self.period.setObjectName("submissionPeriod")
        period = proposed[Window.PRIMARY]
        for _ in range(PERIODS_OFFERED):
            window = self.proposed.get(period)
            self.period.addItem(period.label + (f" ({window.value.capitalize()} window now)" if window else ""),
                                period)
            period = period.previous()
        self.window_choice = QComboBox(self)
        self.window_choice.addItem("Primary", Window.PRIMARY)
        self.window_choice.addItem("Refresh", Window.REFRESH)
        self.window_note = note_label("", WARNING_STYLE, self)
        self.folder = QLineEdit(str(wizard.out_dir), self)
        self.folder.setObjectName("outFolder")
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.idb = QCheckBox("Also fill a copy of the blank IDB (the file SDCS Cloud takes)", self)
        problem = idb_problem_here(wizard.session.db)
        self.idb.setEnabled(problem is None)
        self.idb.setChecked(problem is None)
        self.idb_note = note_label(problem or ACCESS_TESTING_NOTE, WARNING_STYLE if problem else NOTE_STYLE, self)
        provider = get_setting(wizard.session.db, "provider_ods").strip()
        self.provider_note = note_label(
            f"Provider organisation code: {provider}." if provider else
            "No provider organisation code is set, so the file's header would have none and NHS England would "
            "refuse it. Set it first in Administration ▸ Settings.", NOTE_STYLE if provider else DANGER_STYLE, self)
        self.provider_note.setObjectName("providerNote")
        form = QFormLayout()
        form.addRow("Reporting period", self.period)
        form.addRow("Window", self.window_choice)
        folder_form = QFormLayout()
        folder_form.addRow("Write the package in", folder_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.provider_note)
        layout.addLayout(form)
        layout.addWidget(self.window_note)
        layout.addLayout(folder_form)
        layout.addWidget(self.idb)
        layout.addWidget(self.idb_note)
        layout.addStretch(1)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.window_choice.currentIndexChanged.connect(lambda _i: self._explain_window())
        self.folder.textChanged.connect(lambda _t: self.completeChanged.emit())
        self._period_changed()

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Where to write the package", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def chosen_period(self) -> ReportingPeriod:
        return self.period.currentData()

    def chosen_window(self) -> Window:
        return self.window_choice.currentData()

    def set_period(self, period: ReportingPeriod) -> str | None:
        """Choose ``period``; a month that has not ended is not offered: returns why (and keeps the choice)."""
        not_ended = period_not_ended(period, self.owner.today)
        if not_ended:
            self.window_note.setText(f"{not_ended} Choose a month that has ended.")
            self.window_note.setVisible(True)
            return not_ended
        index = self.period.findData(period)
        if index < 0:
            self.period.addItem(period.label, period)
            index = self.period.count() - 1
        self.period.setCurrentIndex(index)
        return None

    def _period_changed(self) -> None:
        window = self.proposed.get(self.chosen_period(), Window.PRIMARY)
        self.window_choice.setCurrentIndex(self.window_choice.findData(window))
        self._explain_window()

    def _explain_window(self) -> None:
        open_now = self.proposed.get(self.chosen_period())
        if open_now is None:
            text = (f"{self.chosen_period().label} is in neither window open now; NHS England may not accept "
                    "a file for it now.")
        elif open_now is not self.chosen_window():
            text = f"{self.chosen_period().label} is the {open_now.value} month of the window open now."
        else:
            text = ""
        self.window_note.setText(text)
        self.window_note.setVisible(bool(text))

    def isComplete(self) -> bool:
        return bool(self.folder.text().strip())


class ReviewPage(QWizardPage):
    def __init__(self, wizard: Any) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.setTitle("Check the month")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Write the package")
        self.review: SubmissionReview | None = None
        self.runner: JobRunner | None = None
        self.progress = QProgressBar(self)
        self.cancel_button = QPushButton("Cancel the check", self)
        self.cancel_button.clicked.connect(lambda: self.runner.cancel() if self.runner else None)
        self.verdict = note_label("", NOTE_STYLE, self)
        self.verdict.setObjectName("reviewVerdict")
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("reviewCounts")
        self.table.setHorizontalHeaderLabels(["Table", "What it holds", "Rows in the file", "Added", "Changed",
                                              "Removed"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in range(2, 6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.findings_button = QPushButton("Show the findings…", self)
        self.findings_button.setToolTip("Open the validation panel for this month to fix the records")
        self.findings_button.clicked.connect(self._show_findings)
        self.force = QCheckBox(FORCE_LABEL, self)
        self.force.setObjectName("forceWrite")
        self.force.setStyleSheet("color: #7f1d1d;")
        self.force.toggled.connect(lambda _c: self.completeChanged.emit())
        top = QHBoxLayout()
        top.addWidget(self.progress, 1)
        top.addWidget(self.cancel_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.findings_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.verdict)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.force)

    def initializePage(self) -> None:
        choose = self.owner.choose
        period = choose.chosen_period()
        self.setSubTitle(f"{period.label}, {choose.chosen_window().value} window: the rows the file will carry, "
                         "what the national rules say about them, and what changed since the last package.")
        self.review = None
        self.force.setChecked(False)
        self.force.hide()
        self.findings_button.hide()
        self.table.setRowCount(0)
        self.verdict.setText("Checking the month…")
        self.verdict.setStyleSheet(NOTE_STYLE)
        self.progress.setRange(0, 0)
        self.cancel_button.show()
        location, user = self.owner.session.location, self.owner.session.user
        self.runner = start_job(lambda: review_submission(location, period, user), self, self._progressed,
                                self._reviewed, self._failed)
        self.runner.finished.connect(self._finished)

    def _progressed(self, item: object) -> None:
        if isinstance(item, Progress):
            self.progress.setRange(0, max(item.total, 1))
            self.progress.setValue(item.done)
            self.progress.setFormat(item.message)

    def _failed(self, error: object) -> None:
        self.verdict.setText(f"The check could not be completed: {error}")
        self.verdict.setStyleSheet(DANGER_STYLE)

    def _finished(self) -> None:
        self.cancel_button.hide()
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if self.review else 0)
        self.progress.setFormat("Checked" if self.review else "Not checked: go Back and try again")
        self.completeChanged.emit()

    def _reviewed(self, review: SubmissionReview | None) -> None:
        self.review = review
        if review is None:
            return
        report = review.report
        counts = ", ".join(f"{SEVERITY_LABELS[s].lower()} {n:,}" for s, n in report.counts_by_severity.items() if n)
        text = verdict(report) + (f" {len(report.findings):,} findings ({counts})." if counts else "")
        if review.previous is None:
            text += " Nothing has been sent for this month yet."
        else:
            text += (f" Last package for this month: {review.previous.created_at:%d/%m/%Y %H:%M} by "
                     f"{review.previous.created_by} ({review.previous.window}).")
        self.verdict.setText(text)
        self.verdict.setStyleSheet(DANGER_STYLE if report.rejects_file else WARNING_STYLE if report.findings
                                   else OK_STYLE)
        self.findings_button.setVisible(bool(report.findings) and self.owner.can_show_findings())
        self.force.setVisible(report.rejects_file)
        self._fill_table(review)

    def _fill_table(self, review: SubmissionReview) -> None:
        counts = review.counts
        self.table.setRowCount(len(counts))
        for row, (name, rows) in enumerate(counts.items()):
            change = review.changes.get(name) if review.changes else None
            changed = ([f"{change.added:,}", f"{change.changed:,}", f"{change.removed:,}"] if change
                       else ["–", "–", "–"])
            values = [name, table_title(name), f"{rows:,}", *changed]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column > 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)

    def _show_findings(self) -> None:
        self.owner.show_findings(self.owner.choose.chosen_period())

    def isComplete(self) -> bool:
        if self.review is None:
            return False
        return not self.review.report.rejects_file or self.force.isChecked()
