"""The staff list: care personnel local identifiers (sent with every session) and their qualifications,
which feed IDS902 of the monthly file.  Add, edit, deactivate (never delete: past sessions name them); each
value is checked as it is entered, with the national rules' words for the qualification rows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from iapt_desktop.domain.access import AccessDenied, Action, User
from iapt_desktop.storage.database import DatabaseError
from iapt_desktop.storage.settings_store import get_setting
from iapt_desktop.storage.staff_records import (
    QUALIFICATION_COLUMNS,
    QUALIFICATIONS,
    StaffRecord,
    StaffRefused,
    list_staff,
    save_staff,
    staff_problems,
)
from iapt_desktop.ui.widgets.child_rows_editor import ChildRowsEditor
from iapt_desktop.ui.widgets.field_message import FieldMessage
from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.engine import validate_record

LIST_COLUMNS = ("Id", "Name", "Role", "Qualifications", "Active")


class StaffDialog(QDialog):
    """Signals: saved(str) — a staff member's identifier after a save."""

    saved = Signal(str)

    def __init__(self, db: Database, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffDialog")
        self.setWindowTitle("Staff — IAPT Desktop")
        self.db = db
        self.user = user
        self.editable = user.can(Action.MANAGE_SETTINGS)
        self.context = ValidationContext.for_database(get_setting(db, "provider_ods"), get_setting(db, "submitter_ods"))
        self._is_new = False
        self._loaded: StaffRecord | None = None
        self.people: list[StaffRecord] = []

        self.list = QTableWidget(0, len(LIST_COLUMNS), self)
        self.list.setObjectName("staffList")
        self.list.setHorizontalHeaderLabels(list(LIST_COLUMNS))
        self.list.verticalHeader().hide()
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.list.setMinimumWidth(440)
        self.show_inactive = QCheckBox("Show staff who have left", self)
        self.new_button = QPushButton("New member of staff", self)
        self.new_button.setObjectName("newStaff")

        self.local_id = QLineEdit(self)
        self.local_id.setObjectName("CarePersLocalId")
        self.local_id.setMaxLength(40)
        self.id_message = FieldMessage(self)
        self.name = QLineEdit(self)
        self.name.setObjectName("display_name")
        self.role = QLineEdit(self)
        self.role.setObjectName("professional_role")
        self.role.setPlaceholderText("for example High intensity therapist")
        self.active = QCheckBox("Works here now (shown in the session form's list)", self)
        self.active.setObjectName("active")
        self.qualifications = ChildRowsEditor("Qualifications (IDS902)", QUALIFICATIONS, QUALIFICATION_COLUMNS, self,
                                              hint="one row per qualification level")
        self.qualifications.view.setColumnWidth(1, 110)
        self.qualifications.view.setColumnWidth(2, 150)
        self.problems = FieldMessage(self)
        self.problems.setObjectName("staffProblems")
        self.save_button = QPushButton("Save", self)
        self.save_button.setObjectName("saveStaff")
        form = QFormLayout()
        form.addRow("Local identifier", self.local_id)
        form.addRow("", self.id_message)
        form.addRow("Name", self.name)
        form.addRow("Professional role", self.role)
        form.addRow("", self.active)
        editor = QWidget(self)
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addLayout(form)
        editor_layout.addWidget(self.qualifications, 1)
        editor_layout.addWidget(self.problems)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.show_inactive)
        left_layout.addWidget(self.new_button)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(editor)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([500, 680])
        # one row at the bottom, in the platform's order; Save (apply role) keeps the dialog open
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.setObjectName("staffButtons")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ApplyRole)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)

        for edit in (self.local_id, self.name, self.role):
            edit.textChanged.connect(lambda _t: self._check())
        self.active.toggled.connect(lambda _c: self._check())
        self.qualifications.rows_edited.connect(self._check)
        self.qualifications.model.checker = self._row_problems
        self.list.currentCellChanged.connect(lambda row, *_: self._chosen(row))
        self.show_inactive.toggled.connect(lambda _c: self.reload())
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.new_button.setEnabled(self.editable)
        self.reload()
        if not self.people:
            self.start_new()
        self.resize(1180, 620)

    # -- list
    def reload(self, select: str | None = None) -> None:
        self.people = list_staff(self.db, include_inactive=self.show_inactive.isChecked())
        self.list.blockSignals(True)
        self.list.setRowCount(len(self.people))
        for row, person in enumerate(self.people):
            values = (person.care_personnel_id, person.display_name, person.professional_role,
                      str(len(person.qualifications)), "yes" if person.active else "left")
            for column, value in enumerate(values):
                self.list.setItem(row, column, QTableWidgetItem(value))
        self.list.blockSignals(False)
        ids = [p.care_personnel_id for p in self.people]
        if select in ids:
            self.list.selectRow(ids.index(select))
            self._chosen(ids.index(select))
        elif self.people and not self._is_new:
            self.list.selectRow(0)
            self._chosen(0)

    def select(self, care_personnel_id: str | None) -> bool:
        if care_personnel_id and care_personnel_id not in [p.care_personnel_id for p in self.people]:
            self.show_inactive.setChecked(True)
        ids = [p.care_personnel_id for p in self.people]
        if care_personnel_id in ids:
            self.list.selectRow(ids.index(care_personnel_id))
            self._chosen(ids.index(care_personnel_id))
            return True
        return False

    def _chosen(self, row: int) -> None:
        if 0 <= row < len(self.people):
            self._load(self.people[row], is_new=False)

    def start_new(self) -> None:
        self.list.clearSelection()
        self._load(StaffRecord(""), is_new=True)
        self.local_id.setFocus()

    def _load(self, record: StaffRecord, *, is_new: bool) -> None:
        self._is_new = is_new
        self._loaded = record
        self.local_id.setText(record.care_personnel_id)
        self.local_id.setReadOnly(not is_new or not self.editable)
        self.local_id.setToolTip("" if is_new else "The identifier cannot change: sessions already name it.")
        self.name.setText(record.display_name)
        self.role.setText(record.professional_role)
        self.active.setChecked(record.active)
        self.qualifications.set_rows(record.qualifications)
        for widget in (self.name, self.role):
            widget.setReadOnly(not self.editable)
        self.active.setEnabled(self.editable)
        self.qualifications.set_editable(self.editable)
        self._check()

    # -- checks
    def record(self) -> StaffRecord:
        return StaffRecord(self.local_id.text().strip(), self.name.text().strip(), self.role.text().strip(),
                           self.active.isChecked(), self.qualifications.rows())

    def _row_problems(self, row: dict[str, Any]) -> dict[str, list[str]]:
        values = {"CarePersLocalId": self.local_id.text().strip() or None,
                  **{c: (None if row.get(c) in ("", None) else row.get(c)) for c in QUALIFICATION_COLUMNS}}
        grouped: dict[str, list[str]] = {}
        for finding in validate_record(QUALIFICATIONS, values, self.context, {}):
            grouped.setdefault(finding.field.split(" ")[0], []).append(f"{finding.message} (rule {finding.rule})")
        return grouped

    def problems_now(self) -> list[str]:
        return staff_problems(self.db, self.record(), is_new=self._is_new)

    def _check(self) -> None:
        problems = self.problems_now()
        id_words = [p for p in problems if "identifier" in p]
        self.id_message.show_problem(" ".join(id_words) if self._is_new and id_words else None)
        notes = []
        for number, row in enumerate(self.qualifications.rows(), start=1):
            words = [text for texts in self._row_problems(row).values() for text in texts]
            if words and any(row.get(c) for c in QUALIFICATION_COLUMNS):
                notes.append(f"Qualification {number}: {'; '.join(words)}")
        shown = [p for p in problems if p not in id_words] + notes
        self.problems.show_problem("\n".join(shown) if shown else None)
        self.save_button.setEnabled(self.editable and not problems and self._dirty())

    def _dirty(self) -> bool:
        if self._loaded is None:
            return False
        before, now = self._loaded, self.record()
        return self._is_new or (before.display_name, before.professional_role, before.active,
                                before.qualifications) != (now.display_name, now.professional_role, now.active,
                                                           now.qualifications)

    # -- save
    def save(self) -> bool:
        record = self.record()
        try:
            key = save_staff(self.db, self.user, record, is_new=self._is_new)
        except (StaffRefused, AccessDenied, DatabaseError) as refused:
            QMessageBox.information(self, "Not saved", f"Nothing was saved: {refused}")
            return False
        self._is_new = False
        if not record.active:
            self.show_inactive.setChecked(True)
        self.reload(select=key)
        self.saved.emit(key)
        return True


def open_staff(window: Any, session: Any, care_personnel_id: str | None = None) -> StaffDialog:
    dialog = StaffDialog(session.db, session.user, window)
    if care_personnel_id:
        dialog.select(care_personnel_id)
    dialog.open()
    return dialog
