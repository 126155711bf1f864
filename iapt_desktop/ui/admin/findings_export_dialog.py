"""The validation panel's "Export to Excel…" dialog: where to save the findings, and whether to pseudonymise.

Pseudonymised on request (the team's rule for exports other than the statutory submission): record keys,
NHS numbers, postcodes, dates of birth and local ids are replaced (jobs.findings_export).  Not ticked by
default: findings are usually worked through inside the service, where the real keys find the records.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

PSEUDONYMISED_NOTE = (
    "Record keys, NHS numbers, postcodes, dates of birth and local ids are replaced by pseudonyms (new ones "
    "for each export), so the workbook can go to someone outside the service; it can no longer be used to "
    "find the records. Pseudonymised data is still personal data: share it only under an agreement."
)
IDENTIFIABLE_NOTE = (
    "Not pseudonymised: the workbook names records by their keys and shows the values at fault (NHS numbers, "
    "postcodes). Keep it within the service, as safely as the database."
)


class FindingsExportDialog(QDialog):
    """``FindingsExportDialog(suggested_path, parent)``: ``path()`` and ``pseudonymise`` once accepted."""

    def __init__(self, suggested: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingsExportDialog")
        self.setWindowTitle("Export the findings")
        self.target = QLineEdit(str(suggested), self)
        self.target.setObjectName("findingsExportTarget")
        self.target.setAccessibleName("Save to")
        self.choose_button = QPushButton("C&hoose…", self)
        self.choose_button.clicked.connect(self._choose)
        save_label = QLabel("&Save to:", self)
        save_label.setBuddy(self.target)
        target_row = QHBoxLayout()
        target_row.addWidget(save_label)
        target_row.addWidget(self.target, 1)
        target_row.addWidget(self.choose_button)
        self.pseudonymise = QCheckBox("&Pseudonymise (for sharing outside the service)", self)
        self.pseudonymise.setObjectName("pseudonymise")
        self.note = QLabel(IDENTIFIABLE_NOTE, self)
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.note.setContentsMargins(22, 0, 0, 0)  # under the check box text
        self.note.setStyleSheet("color: #475569;")
        self.pseudonymise.toggled.connect(self._pseudonymise_changed)
        self.problem = QLabel(self)
        self.problem.setObjectName("findingsExportProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #9a3412;")
        self.problem.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self._accept_if_possible)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(target_row)
        layout.addWidget(self.pseudonymise)
        layout.addWidget(self.note)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    def path(self) -> Path:
        """The workbook to write (``.xlsx`` added when the name has no extension)."""
        path = Path(self.target.text().strip())
        return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")

    def _pseudonymise_changed(self, on: bool) -> None:
        self.note.setText(PSEUDONYMISED_NOTE if on else IDENTIFIABLE_NOTE)

    def _choose(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Export the findings", self.target.text(),
                                                "Excel workbook (*.xlsx)")
        if chosen:
            self.target.setText(chosen)

    def _problem(self) -> str | None:
        if not self.target.text().strip():
            return "Choose where to save the workbook."
        folder = self.path().parent
        if not folder.is_dir():
            return f"The folder {folder} does not exist: choose a folder that does (Choose…)."
        if self.path().is_dir():
            return "That is a folder: add a file name."
        return None

    def _accept_if_possible(self) -> None:
        problem = self._problem()
        self.problem.setText(problem or "")
        self.problem.setVisible(problem is not None)
        if problem is None:
            self.accept()
