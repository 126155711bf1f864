"""File ▸ Import data set tables…: a folder of CSV files or one workbook, all or nothing, every problem listed.

The import runs off the UI thread on a connection of its own (jobs.table_import.import_tables_job, which also
checks the IMPORT permission).  When anything cannot be stored nothing is stored, and every problem is shown
in a table the administrator can copy or save while fixing the spreadsheet.

Signals: imported(object) — the ImportResult of an import that stored its rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDir, QMimeData, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iapt_desktop.domain.access import AccessDenied, Action, require
from iapt_desktop.interchange.hostile_files import SourceRefused
from iapt_desktop.jobs.table_import import ImportResult, import_tables_job
from iapt_desktop.storage.database import DatabaseError
from iapt_desktop.ui.admin.table_titles import table_title
from iapt_desktop.ui.interchange.job_progress import JobProgress
from iapt_desktop.ui.interchange.problems_table_model import (
    ProblemColumn,
    ProblemsTableModel,
    problems_as_text,
    save_problems_csv,
)
from iapt_desktop.ui.widgets.field_message import FieldMessage

INTRO = (
    "Reads tables in the data set's own layout: a folder of CSV files named after the tables "
    "(IDS001MPI.csv, IDS101Referral.csv …) or one Excel workbook (.xlsx) with a sheet per table, "
    "as <i>Export data set tables</i> writes them. It is all or nothing: if any row cannot be stored, "
    "nothing is stored and every problem is listed here, so you can fix the file and import it again. "
    "Data quality (a wrong check digit, a code not in its list) is imported for <i>Check the data</i> to report."
)
SUCCESS_STYLE = "color: #14532d; background: #f0fdf4; border-radius: 3px; padding: 6px 8px;"
ROWS_FITTED = 500  # problem rows whose height is fitted to their text (more would make showing them slow)
REFUSED_STYLE = "color: #9a3412; background: #fff7ed; border-radius: 3px; padding: 6px 8px;"


class ImportTablesDialog(QDialog):
    imported = Signal(object)

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        require(session.user, Action.IMPORT)
        self.session = session
        self.result: ImportResult | None = None
        self.setObjectName("importTablesDialog")
        self.setWindowTitle("Import data set tables — IAPT Desktop")
        self.setAcceptDrops(True)  # a folder or workbook dropped here is chosen
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        self.source = QLineEdit(self)
        self.source.setObjectName("importSource")
        self.source.setPlaceholderText("A folder of CSV files, or an .xlsx workbook (or drop one here)")
        self.source.textChanged.connect(lambda _text: self._update_buttons())
        folder_button = QPushButton("&Folder…", self)
        folder_button.setToolTip("Choose a folder of CSV files named after the tables")
        folder_button.clicked.connect(self._choose_folder)
        workbook_button = QPushButton("&Workbook…", self)
        workbook_button.setToolTip("Choose an Excel workbook (.xlsx) with a sheet per table")
        workbook_button.clicked.connect(self._choose_workbook)
        self.choosers = (folder_button, workbook_button)
        source_row = QHBoxLayout()
        source_row.addWidget(QLabel("Import from:", self))
        source_row.addWidget(self.source, 1)
        source_row.addWidget(folder_button)
        source_row.addWidget(workbook_button)
        self.progress = JobProgress("Reading", self)
        self.progress.succeeded.connect(self._succeeded)
        self.progress.failed.connect(self._failed)
        self.progress.cancelled.connect(lambda: self._say("The import was stopped; nothing was stored.", False))
        self.progress.finished.connect(self._update_buttons)
        self.summary = FieldMessage(self)
        self.summary.setObjectName("importSummary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems = ProblemsTableModel(self)
        self.problem_view = QTableView(self)
        self.problem_view.setObjectName("importProblems")
        self.problem_view.setModel(self.problems)
        self.problem_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problem_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problem_view.setAlternatingRowColors(True)
        self.problem_view.setWordWrap(True)
        self.problem_view.verticalHeader().hide()
        header = self.problem_view.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in ((ProblemColumn.TABLE, 200), (ProblemColumn.ROW, 48), (ProblemColumn.COLUMN, 190),
                              (ProblemColumn.VALUE, 130)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.problem_view.setColumnWidth(column, width)
        self.problem_view.hide()
        self.copy_button = QPushButton("&Copy", self)
        self.copy_button.setToolTip("Copy the list (tab separated: pastes into a spreadsheet as columns)")
        self.copy_button.clicked.connect(self.copy_problems)
        self.save_button = QPushButton("&Save list…", self)
        self.save_button.setToolTip("Save the list as a CSV file to work through")
        self.save_button.clicked.connect(self._choose_list_file)
        self.problem_buttons = QWidget(self)
        problem_row = QHBoxLayout(self.problem_buttons)
        problem_row.setContentsMargins(0, 0, 0, 0)
        problem_row.addWidget(self.copy_button)
        problem_row.addWidget(self.save_button)
        self.list_note = QLabel(self.problem_buttons)
        self.list_note.setObjectName("problemListNote")
        self.list_note.setStyleSheet("color: #475569;")
        problem_row.addWidget(self.list_note, 1)
        self.problem_buttons.hide()
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("startImport")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.import_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(source_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.problem_view, 1)
        layout.addWidget(self.problem_buttons)
        layout.addStretch(0)
        layout.addWidget(self.buttons)
        self._update_buttons()
        self.resize(860, 200)
        self._fit()

    # -- choosing
    def set_source(self, path: Path | str) -> None:
        self.source.setText(str(path))

    def _start_folder(self) -> str:
        current = self.source.text().strip()
        return str(Path(current).parent) if current else QDir.homePath()

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Folder of CSV files to import", self._start_folder())
        if chosen:
            self.set_source(chosen)

    def _choose_workbook(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Workbook to import", self._start_folder(),
                                                "Excel workbooks (*.xlsx);;One CSV file named after its table "
                                                "(*.csv);;All files (*)")
        if chosen:
            self.set_source(chosen)

    # -- dropping a folder or file on the dialog
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.progress.running and _dropped_path(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_path(event.mimeData())
        if path is not None and not self.progress.running:
            self.set_source(path)
            event.acceptProposedAction()

    # -- importing
    def start(self) -> bool:
        if self.progress.running:
            return False
        text = self.source.text().strip()
        if not text:
            self._say("Choose a folder of CSV files or a workbook first.", False)
            return False
        source = Path(text).expanduser()
        if not source.exists():
            self._say(f"There is no file or folder at {source}. Check the name, or choose it again.", False)
            return False
        self.result = None
        self.summary.hide()
        self._show_problems([])
        location, user = self.session.location, self.session.user
        self.progress.start(lambda: import_tables_job(location, source, actor=user))
        self._update_buttons()
        return True

    def _succeeded(self, result: ImportResult) -> None:
        self.result = result
        if not result.imported:
            self._show_problems(result.problems)
            more = result.problem_count - len(result.problems)
            listed = f" (the first {len(result.problems):,} are listed; {more:,} more)" if more > 0 else ""
            self._say(f"Nothing was imported: {result.problem_count:,} problem{_s(result.problem_count)} must be "
                      f"fixed first{listed}. Fix them in the file, then import it again.", False)
            return
        counts = [(name, n) for name, n in result.rows_by_table.items() if n]
        if not counts:
            self._say("The files hold no rows: nothing was imported.", True)
            return
        lines = "".join(f"<br>{name} ({table_title(name)}): {n:,} row{_s(n)}" for name, n in counts)
        self._say(f"<b>Imported {result.rows_imported:,} row{_s(result.rows_imported)}.</b>{lines}<br>Names and "
                  "contact details are not in the data set tables: add them in each patient's record.", True)
        self.imported.emit(result)

    def _failed(self, error: object) -> None:
        if isinstance(error, SourceRefused):
            self._say(f"Nothing was imported. {error}", False)
        elif isinstance(error, AccessDenied):
            self._say(str(error), False)
        elif isinstance(error, DatabaseError):
            self._say(f"Nothing was imported: the database could not take the rows ({type(error).__name__}). "
                      "If another import or a submission is running, wait for it and try again.", False)
        elif isinstance(error, OSError):
            self._say(f"Nothing was imported: the files could not be read ({error.strerror or type(error).__name__}"
                      "). Check that they are not open in another program, then try again.", False)
        else:
            raise error if isinstance(error, Exception) else RuntimeError(str(error))

    def _show_problems(self, problems: list[Any]) -> None:
        self.problems.set_problems(problems)
        shown = bool(problems)
        self.list_note.clear()
        self.problem_view.setVisible(shown)
        self.problem_buttons.setVisible(shown)
        if shown and len(problems) <= ROWS_FITTED:
            self.problem_view.resizeRowsToContents()  # long reasons wrap instead of being cut off
        self._fit()

    def _fit(self) -> None:
        """Tall enough for the problem list when it shows, else no taller than what is shown."""
        layout = self.layout()
        layout.activate()
        if self.problem_view.isVisible():
            self.resize(max(self.width(), 1040), max(self.height(), 600))
        else:
            fitted = self.heightForWidth(self.width())  # word-wrapped labels: their height at this width
            self.resize(self.width(), fitted if fitted > 0 else layout.sizeHint().height())

    def _say(self, text: str, good: bool) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet(SUCCESS_STYLE if good else REFUSED_STYLE)
        self.summary.show()
        self._fit()

    def _update_buttons(self) -> None:
        running = self.progress.running
        self.import_button.setEnabled(not running and bool(self.source.text().strip()))
        self.close_button.setEnabled(not running)
        self.source.setEnabled(not running)
        for button in self.choosers:
            button.setEnabled(not running)

    # -- the problem list
    def copy_problems(self) -> str:
        text = problems_as_text(self.problems.problems)
        QGuiApplication.clipboard().setText(text)
        self._note_elsewhere("The list is on the clipboard.")
        return text

    def _choose_list_file(self) -> None:
        start = Path(self.source.text().strip() or QDir.homePath())
        suggested = start.parent / "import problems.csv"
        chosen, _ = QFileDialog.getSaveFileName(self, "Save the list of problems", str(suggested),
                                                "CSV files (*.csv)")
        if chosen:
            self.save_problems(Path(chosen))

    def save_problems(self, path: Path) -> bool:
        try:
            save_problems_csv(path, self.problems.problems)
        except OSError as error:
            self._note_elsewhere(f"The list could not be saved to {path}: {error.strerror or error}.")
            return False
        self._note_elsewhere(f"The list was saved to {path}. It holds values from your file: keep it as safely.")
        return True

    def _note_elsewhere(self, text: str) -> None:
        self.list_note.setText(text)

    # -- closing
    def reject(self) -> None:
        if self.progress.running:
            return  # Cancel first (the Close button is disabled while the import runs)
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.progress.stop()
        super().closeEvent(event)


def _dropped_path(mime: QMimeData) -> Path | None:
    local = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
    return Path(local[0]) if len(local) == 1 else None


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def open_import_tables(window: Any, session: Any) -> ImportTablesDialog | None:
    """The File menu's entry: window-modal; a stored import refreshes the caseload."""
    try:
        dialog = ImportTablesDialog(session, window)
    except AccessDenied:
        return None
    caseload = getattr(window, "caseload", None)
    if caseload is not None:
        dialog.imported.connect(lambda _result: caseload.refresh())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
