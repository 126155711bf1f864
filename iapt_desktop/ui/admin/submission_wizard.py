"""The monthly submission wizard: choose the month, review it, write the package, see what to upload where.

It runs the same job as ``iapt-desktop submission`` (jobs.write_submission,
never a copy), so both write the same files.  Long steps run on worker threads
(ui.workers) with a progress bar and Cancel.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from iapt_desktop.domain.access import Action
from iapt_desktop.domain.reporting_period import ReportingPeriod
from iapt_desktop.jobs.write_submission import (
    ACCESS_TESTING_NOTE,
    SubmissionCancelled,
    SubmissionResult,
    write_submission,
)
from iapt_desktop.ui.admin.admin_jobs import start_job, stop_jobs, stop_on_quit
from iapt_desktop.ui.admin.submission_pages import (
    DANGER_STYLE,
    FORCE_LABEL,
    NOTE_STYLE,
    OK_STYLE,
    WARNING_STYLE,
    ChoosePage,
    ReviewPage,
    default_out_dir,
    note_label,
)
from iapt_desktop.ui.workers import JobRunner
from iapt_desktop.validation.progress import Progress

PORTAL = "SDCS Cloud"


def upload_instructions(result: SubmissionResult, idb_unavailable: str = "") -> str:
    """What to upload where, in words, for the package just written (``idb_unavailable``: why no IDB was
    asked for)."""
    month = ReportingPeriod.parse(result.period).label
    if result.forced:
        return ("This package was written although NHS England would refuse it. It is for checking only: "
                "do not upload it. Correct the records and make the package again.")
    if result.idb_path is not None:
        return (f"Upload the IDB file {result.idb_path.name} to {PORTAL} (NHS England's Strategic Data Collection "
                f"Service), IAPT v2.1 collection, {month}, {result.window} window, before the window closes. "
                "The CSV files and the workbook in the same folder are your copy of what was sent.")
    why = result.idb_problem or idb_unavailable
    reason = f" ({why.rstrip('.')})" if why else ""
    return (f"{PORTAL} (NHS England's Strategic Data Collection Service) takes the submission as the national "
            f"IDB (Access) file. No IDB was written here{reason}. Fill it on a Windows computer with Microsoft "
            "Access installed: copy the database there and run this wizard with the IDB option (or "
            "'iapt-desktop submission --idb'), then upload the .accdb file for "
            f"{month}, {result.window} window, before the window closes.")


class WritePage(QWizardPage):
    def __init__(self, wizard: SubmissionWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.setTitle("Write the package")
        self.result: SubmissionResult | None = None
        self.runner: JobRunner | None = None
        self.progress = QProgressBar(self)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(lambda: self.runner.cancel() if self.runner else None)
        self.outcome = note_label("", NOTE_STYLE, self)
        self.outcome.setObjectName("writeOutcome")
        self.where = QLabel(self)
        self.where.setObjectName("packageFolder")
        self.where.setWordWrap(True)
        self.open_folder = QPushButton("Open the folder", self)
        self.open_folder.setObjectName("openFolder")
        self.open_folder.clicked.connect(self._open_folder)
        self.log_button = QPushButton("Submission log…", self)
        self.log_button.clicked.connect(self.owner.show_log)
        self.upload = note_label("", OK_STYLE, self)
        self.upload.setObjectName("uploadInstructions")
        self.access_note = note_label(ACCESS_TESTING_NOTE, WARNING_STYLE, self)
        self.warnings = note_label("", WARNING_STYLE, self)
        top = QHBoxLayout()
        top.addWidget(self.progress, 1)
        top.addWidget(self.cancel_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_folder)
        buttons.addWidget(self.log_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.outcome)
        layout.addWidget(self.where)
        layout.addLayout(buttons)
        layout.addWidget(self.upload)
        layout.addWidget(self.access_note)
        layout.addWidget(self.warnings)
        layout.addStretch(1)

    def initializePage(self) -> None:
        choose, review = self.owner.choose, self.owner.review
        period, window = choose.chosen_period(), choose.chosen_window()
        out_dir, idb = Path(choose.folder.text().strip()), choose.idb.isChecked()
        force = review.force.isChecked()
        self.setSubTitle(f"{period.label}, {window.value} window.")
        self.result = None
        for widget in (self.where, self.open_folder, self.upload, self.access_note, self.warnings):
            widget.hide()
        self.outcome.setText("Writing the package…")
        self.progress.setRange(0, 0)
        self.cancel_button.show()
        location, user, created_at, today = (self.owner.session.location, self.owner.session.user,
                                             self.owner.created_at, self.owner.today)

        def job() -> Any:
            return write_submission(location, period, window, out_dir, force=force, actor=user,
                                    created_at=created_at or dt.datetime.now(), idb=idb, today=today)

        self.runner = start_job(job, self, self._progressed, None, self._failed)
        self.runner.finished.connect(self._finished)

    def _progressed(self, item: object) -> None:
        if isinstance(item, SubmissionResult):
            self.result = item
        elif isinstance(item, Progress):
            self.progress.setRange(0, max(item.total, 1))
            self.progress.setValue(item.done)
            self.progress.setFormat(item.message)

    def _failed(self, error: object) -> None:
        if isinstance(error, SubmissionCancelled):
            self.outcome.setText("Cancelled: nothing was written and nothing was logged.")
            self.outcome.setStyleSheet(WARNING_STYLE)
        else:
            self.outcome.setText(f"The package could not be written: {error}. Nothing was logged.")
            self.outcome.setStyleSheet(DANGER_STYLE)

    def _finished(self) -> None:
        self.cancel_button.hide()
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if self.result and self.result.written else 0)
        self.progress.setFormat("Done" if self.result and self.result.written else "Not written")
        if self.result is not None:
            self._show(self.result)
        self.completeChanged.emit()

    def _show(self, result: SubmissionResult) -> None:
        if not result.written:
            self.outcome.setText(f"Not written. {result.refusal} To write it anyway for checking, run the wizard "
                                 f"again and tick \u201c{FORCE_LABEL}\u201d on its check page.")
            self.outcome.setStyleSheet(DANGER_STYLE)
            return
        rows = sum(result.counts.values())
        again = " (a re-submission of the month)" if result.is_resubmission else ""
        self.outcome.setText(f"The package is written{again}: {rows:,} rows in 21 tables, logged as submission "
                             f"{result.log_id}." + (" FORCED: NHS England would refuse this file." if result.forced
                                                     else ""))
        self.outcome.setStyleSheet(DANGER_STYLE if result.forced else OK_STYLE)
        name = result.package.name if result.package else ""
        idb = f", {result.idb_path.name} (the IDB)" if result.idb_path else ""
        self.where.setText(f"Folder: {result.package}\nIt holds: tables/ (the 21 tables as CSV files), {name}.xlsx "
                           f"(the same tables as a workbook){idb}, validation_report.txt and .json, manifest.json "
                           "(counts and checksums).")
        choose = self.owner.choose
        self.upload.setText(upload_instructions(result, "" if choose.idb.isChecked() else choose.idb_note.text()))
        self.upload.setStyleSheet(DANGER_STYLE if result.forced else OK_STYLE)
        notes = [*result.warnings, *([f"IDB: {result.idb_problem}"] if result.idb_problem else [])]
        self.warnings.setText("\n\n".join(notes))
        self.warnings.setVisible(bool(notes))
        for widget in (self.where, self.open_folder, self.upload, self.access_note):
            widget.show()

    def _open_folder(self) -> None:
        if self.result is not None and self.result.package is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result.package)))

    def isComplete(self) -> bool:
        return self.runner is not None and not self.runner.running


class SubmissionWizard(QWizard):
    def __init__(self, session: Any, parent: QWidget | None = None, *, today: dt.date | None = None,
                 created_at: dt.datetime | None = None, out_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("submissionWizard")
        self.setWindowTitle("Monthly submission — IAPT Desktop")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.session = session
        self.today = today or dt.date.today()
        self.created_at = created_at
        self.out_dir = out_dir or default_out_dir()
        self.choose = ChoosePage(self)
        self.review = ReviewPage(self)
        self.write = WritePage(self)
        for page in (self.choose, self.review, self.write):
            self.addPage(page)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(960, 760)
        stop_on_quit(self.shutdown)

    def shutdown(self) -> None:
        """Cancel a running check or write (a cancelled write leaves nothing behind) and wait for it."""
        stop_jobs(self.review.runner, self.write.runner)

    def done(self, result: int) -> None:
        self.shutdown()
        super().done(result)

    def can_show_findings(self) -> bool:
        parent = self.parentWidget()
        return parent is not None and hasattr(parent, "record") and self.session.user.can(Action.VALIDATE)

    def show_findings(self, period: ReportingPeriod) -> None:
        from iapt_desktop.ui.admin.validation_panel import open_validation

        dock = open_validation(self.parentWidget(), self.session)
        panel = dock.widget()
        panel.set_period(period)
        panel.run_check()

    def show_log(self) -> None:
        from iapt_desktop.ui.admin.submission_log_dialog import SubmissionLogDialog

        SubmissionLogDialog(self.session.db, self).open()


def open_submission(window: Any, session: Any) -> SubmissionWizard:
    """The Administration menu's entry."""
    wizard = SubmissionWizard(session, window)
    wizard.show()
    return wizard
