"""File ▸ Export data set tables…: all 21 tables as CSV files in a folder or one workbook, pseudonymised by default.

The export runs off the UI thread on a connection of its own (jobs.table_export.export_tables_job, which also
checks the EXPORT permission and records the export in the audit trail); a cancelled or failed export leaves
nothing half-written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from iapt_desktop.domain.access import AccessDenied, Action, require
from iapt_desktop.interchange.pseudonymise import PseudonymKeyError, load_or_create_key, new_key
from iapt_desktop.interchange.table_files import is_workbook_target
from iapt_desktop.jobs.table_export import WorkbookTooLarge, export_tables_job
from iapt_desktop.storage.database import DatabaseError
from iapt_desktop.ui.interchange.job_progress import JobProgress
from iapt_desktop.ui.widgets.field_message import FieldMessage

INTRO = (
    "Writes every data set table in the data set's own layout, for audits, checking in a spreadsheet or "
    "loading into other tools (this is not the monthly submission: see Administration ▸ Monthly submission). "
    "Names, addresses, phone numbers, e-mail and the app's own records are never exported."
)
PSEUDONYMISED_NOTE = (
    "NHS numbers and local identifiers (patient, referral, appointment, staff) are replaced by pseudonyms that "
    "still link the tables; postcodes keep only the district (LS1 4AP → LS1) and dates of birth only the year "
    "and month. Codes, dates of appointments and scores are kept. Each export uses new pseudonyms unless "
    "their key is kept in a file (below). "
    "Pseudonymised data is still personal data: share it only under a data sharing agreement."
)
IDENTIFIABLE_NOTE = (
    "Not pseudonymised: the files will hold NHS numbers, dates of birth and postcodes. Use this only within "
    "the service (for example to move the records to another computer), and keep the files as safely as the "
    "database."
)
DONE_STYLE = "color: #14532d; background: #f0fdf4; border-radius: 3px; padding: 6px 8px;"
FAILED_STYLE = "color: #9a3412; background: #fff7ed; border-radius: 3px; padding: 6px 8px;"


def default_target(workbook: bool, today: dt.date | None = None) -> Path:
    """A new name in the Documents folder: 'IAPT data set tables 2026-11-24' (a folder, or the same + .xlsx)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(documents) if documents else Path.home()
    stem = f"IAPT data set tables {(today or dt.date.today()).isoformat()}"
    suffix = ".xlsx" if workbook else ""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem} ({number}){suffix}"
        number += 1
    return candidate


class ExportTablesDialog(QDialog):
    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        require(session.user, Action.EXPORT)
        self.session = session
        self.written: list[Path] = []
        self.setObjectName("exportTablesDialog")
        self.setWindowTitle("Export data set tables — IAPT Desktop")
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        self.as_csv = QRadioButton("CSV files in a folder (one per table)", self)
        self.as_workbook = QRadioButton("One Excel workbook (.xlsx, a sheet per table)", self)
        self.as_csv.setChecked(True)
        formats = QButtonGroup(self)
        formats.addButton(self.as_csv)
        formats.addButton(self.as_workbook)
        format_box = QVBoxLayout()
        format_box.setSpacing(2)
        format_box.addWidget(self.as_csv)
        format_box.addWidget(self.as_workbook)
        self.target = QLineEdit(str(default_target(False)), self)
        self.target.setObjectName("exportTarget")
        self.target.textChanged.connect(lambda _text: (self._options_changed(), self._update_buttons()))
        self.choose_button = QPushButton("C&hoose…", self)
        self.choose_button.clicked.connect(self._choose_target)
        target_row = QHBoxLayout()
        target_row.addWidget(self.target, 1)
        target_row.addWidget(self.choose_button)
        self.as_workbook.toggled.connect(self._format_changed)
        self.pseudonymise = QCheckBox("&Pseudonymise (for sharing outside the service)", self)
        self.pseudonymise.setObjectName("pseudonymise")
        self.pseudonymise.setChecked(True)
        self.pseudonymise_note = QLabel(self)
        self.pseudonymise_note.setWordWrap(True)
        self.pseudonymise.toggled.connect(self._pseudonymise_changed)
        form = QFormLayout()
        form.addRow("Format:", format_box)
        form.addRow("Save to:", target_row)
        self.pseudonymise_note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.pseudonymise_note.setContentsMargins(22, 0, 0, 0)  # under the check box text
        privacy = QVBoxLayout()
        privacy.setSpacing(2)
        privacy.setContentsMargins(0, 6, 0, 0)
        privacy.addWidget(self.pseudonymise)
        privacy.addWidget(self.pseudonymise_note)
        self.keep_key = QCheckBox("The same pseudonyms as earlier exports: keep their &key in this file", self)
        self.keep_key.setObjectName("keepPseudonymKey")
        self.keep_key.setToolTip("Exports with the same key file give the same pseudonyms, so they can be joined. "
                                 "The file is made on first use, readable by you only. Keep it as safely as the "
                                 "data: with it, anyone holding NHS numbers can recognise them.")
        self.key_file = QLineEdit(self)
        self.key_file.setObjectName("pseudonymKeyFile")
        self.key_file.setPlaceholderText("A file kept apart from the exports, e.g. on the practice's secure drive")
        self.key_button = QPushButton("Choose…", self)
        self.key_button.clicked.connect(self._choose_key_file)
        key_row = QHBoxLayout()
        key_row.setContentsMargins(22, 0, 0, 0)
        key_row.addWidget(self.key_file, 1)
        key_row.addWidget(self.key_button)
        key_box = QVBoxLayout()
        key_box.setContentsMargins(22, 4, 0, 0)
        key_box.setSpacing(2)
        key_box.addWidget(self.keep_key)
        key_box.addLayout(key_row)
        privacy.addLayout(key_box)
        self.keep_key.toggled.connect(lambda _on: self._update_buttons())
        self.progress = JobProgress("Writing", self)
        self.progress.succeeded.connect(self._succeeded)
        self.progress.failed.connect(self._failed)
        self.progress.cancelled.connect(lambda: self._say("The export was stopped; no files were left behind.",
                                                          False))
        self.progress.finished.connect(self._update_buttons)
        self.summary = FieldMessage(self)
        self.summary.setObjectName("exportSummary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder_button = QPushButton("&Open the folder", self)
        self.open_folder_button.setObjectName("openExportFolder")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.open_folder_button.hide()
        done_row = QHBoxLayout()
        done_row.addWidget(self.summary, 1)
        done_row.addWidget(self.open_folder_button, 0, Qt.AlignmentFlag.AlignTop)
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("startExport")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.export_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(privacy)
        layout.addWidget(self.progress)
        layout.addLayout(done_row)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._pseudonymise_changed(True)
        self._update_buttons()
        self.resize(780, 300)
        self._fit()

    def _fit(self) -> None:
        """No taller than what is shown (word-wrapped text: its height at this width)."""
        self.layout().activate()
        fitted = self.heightForWidth(self.width())
        self.resize(self.width(), fitted if fitted > 0 else self.layout().sizeHint().height())

    # -- choosing
    def _format_changed(self, workbook: bool) -> None:
        self._options_changed()
        text = self.target.text().strip()
        if not text:
            self.target.setText(str(default_target(workbook)))
            return
        current = Path(text)
        if workbook and not is_workbook_target(current):
            self.target.setText(str(current.with_name(current.name + ".xlsx")))
        elif not workbook and is_workbook_target(current):
            self.target.setText(str(current.with_suffix("")))

    def _choose_target(self) -> None:
        current = Path(self.target.text().strip() or str(default_target(self.as_workbook.isChecked())))
        if self.as_workbook.isChecked():
            chosen, _ = QFileDialog.getSaveFileName(self, "Export to a workbook", str(current),
                                                    "Excel workbooks (*.xlsx)")
            if chosen:
                self.target.setText(chosen if is_workbook_target(Path(chosen)) else chosen + ".xlsx")
        else:
            chosen = QFileDialog.getExistingDirectory(self, "Export CSV files into this folder", str(current.parent))
            if chosen:
                self.target.setText(chosen)

    def _options_changed(self) -> None:
        """What was said about the last export no longer describes what would be written now."""
        if not self.progress.running:
            self.summary.hide()
            self.open_folder_button.hide()

    def _pseudonymise_changed(self, on: bool) -> None:
        self._options_changed()
        self._update_buttons()
        self.pseudonymise_note.setText(PSEUDONYMISED_NOTE if on else IDENTIFIABLE_NOTE)
        self.pseudonymise_note.setStyleSheet("color: #475569;" if on else
                                             "color: #9a3412; background: #fff7ed; padding: 4px 6px;")
        self._fit()

    # -- exporting
    def target_path(self) -> Path:
        return Path(self.target.text().strip()).expanduser()

    def start(self) -> bool:
        if self.progress.running or not self.target.text().strip():
            return False
        out = self.target_path()
        if self.as_workbook.isChecked() and not is_workbook_target(out):
            out = out.with_name(out.name + ".xlsx")
            self.target.setText(str(out))
        if not is_workbook_target(out) and out.exists() and not out.is_dir():
            self._say(f"{out} is a file. Give a folder for the CSV files, or choose the workbook format.", False)
            return False
        if is_workbook_target(out) and out.is_dir():
            self._say(f"{out} is a folder. Give a workbook name ending in .xlsx.", False)
            return False
        self.written = []
        self.summary.hide()
        self.open_folder_button.hide()
        try:
            key = self._pseudonym_key()
        except PseudonymKeyError as unusable:
            self._say(str(unusable), False)
            return False
        location, user = self.session.location, self.session.user
        self.progress.start(lambda: export_tables_job(location, out, pseudonymise_key=key, actor=user))
        self._update_buttons()
        return True

    def _pseudonym_key(self) -> bytes | None:
        """A new key, the key kept in the chosen file, or None (not pseudonymised); PseudonymKeyError says why the
        chosen file cannot be used."""
        if not self.pseudonymise.isChecked():
            return None
        if not self.keep_key.isChecked():
            return new_key()
        text = self.key_file.text().strip()
        if not text:
            raise PseudonymKeyError("Choose the file that keeps the pseudonym key (or untick 'The same "
                                    "pseudonyms').")
        try:
            return load_or_create_key(Path(text).expanduser())
        except (PseudonymKeyError, OSError) as error:
            raise PseudonymKeyError(f"The pseudonym key cannot be used: {error}") from error

    def _choose_key_file(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "File that keeps the pseudonym key", self.key_file.text().strip(), "Key files (*.key);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite)  # an existing key file is read, never overwritten
        if chosen:
            self.key_file.setText(chosen)
            self.keep_key.setChecked(True)

    def _succeeded(self, written: list[Path]) -> None:
        self.written = list(written)
        out = self.target_path()
        how = "pseudonymised" if self.pseudonymise.isChecked() else "not pseudonymised: NHS numbers included"
        if len(self.written) == 1:
            place = f"<b>{self.written[0].name}</b> in {self.written[0].parent}"
        else:
            place = f"{len(self.written)} CSV files in <b>{out}</b>"
        self._say(f"Exported ({how}) to {place}.", True)
        self.open_folder_button.show()

    def _failed(self, error: object) -> None:
        where = self.target_path()
        if isinstance(error, AccessDenied):
            self._say(str(error), False)
        elif isinstance(error, WorkbookTooLarge):  # refused before anything was written
            self._say(f"{error} Choose \u201c{self.as_csv.text()}\u201d and export again.", False)
        elif isinstance(error, PermissionError):
            self._say(f"The tables could not be written to {where}: permission denied. If a file there is open in a "
                      "spreadsheet program, close it; or choose another place.", False)
        elif isinstance(error, OSError):
            self._say(f"The tables could not be written to {where}: {error.strerror or type(error).__name__}. "
                      "Choose another place (is the drive full or disconnected?).", False)
        elif isinstance(error, DatabaseError):
            self._say(f"The tables could not be read from the database ({type(error).__name__}). Try again; if it "
                      "happens again, run Check the data or make a backup and tell your supplier.", False)
        else:
            raise error if isinstance(error, Exception) else RuntimeError(str(error))

    def folder(self) -> Path | None:
        if not self.written:
            return None
        return self.written[0].parent

    def open_folder(self) -> bool:
        folder = self.folder()
        return folder is not None and QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _say(self, text: str, good: bool) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet(DONE_STYLE if good else FAILED_STYLE)
        self.summary.show()
        self._fit()

    def _update_buttons(self) -> None:
        running = self.progress.running
        self.export_button.setEnabled(not running and bool(self.target.text().strip()))
        self.close_button.setEnabled(not running)
        for widget in (self.target, self.choose_button, self.as_csv, self.as_workbook, self.pseudonymise):
            widget.setEnabled(not running)
        pseudonymising = not running and self.pseudonymise.isChecked()
        self.keep_key.setEnabled(pseudonymising)
        for widget in (self.key_file, self.key_button):
            widget.setEnabled(pseudonymising and self.keep_key.isChecked())

    # -- closing
    def reject(self) -> None:
        if self.progress.running:
            return  # Cancel first (the Close button is disabled while the export runs)
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.progress.stop()
        super().closeEvent(event)


def open_export_tables(window: Any, session: Any) -> ExportTablesDialog | None:
    """The File menu's entry: window-modal."""
    try:
        dialog = ExportTablesDialog(session, window)
    except AccessDenied:
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
