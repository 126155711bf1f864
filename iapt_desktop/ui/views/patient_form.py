"""The patient record form: every item the data set carries about a person, in four tabs.

Loads a :class:`PatientRecord`, gives back an edited copy, and says whether it
differs from what was loaded (so unsaved changes are never lost silently).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QScrollArea, QTabWidget, QVBoxLayout, QWidget

from iapt_desktop.domain.circumstance_labels import (
    DECLINED,
    RELIGION,
    SEXUAL_ORIENTATION,
    circumstance_code_list,
    group_of,
)
from iapt_desktop.domain.dataset import table
from iapt_desktop.storage.patient_records import PatientRecord
from iapt_desktop.ui.views.person_fields import PersonFields
from iapt_desktop.ui.views.record_checks import RecordChecker, summary
from iapt_desktop.ui.widgets.child_rows_editor import ChildRowsEditor
from iapt_desktop.ui.widgets.code_combo import CodeField
from iapt_desktop.ui.widgets.field_message import FieldMessage

# (tab title, [(table, heading, hint)])
CHILD_TABS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    ("GP and home", (
        ("IDS002GP", "GP registration", "every patient needs one"),
        ("IDS003AccommStatus", "Accommodation", ""),
        ("IDS012OverseasVisitorChargCat", "Overseas visitor charging category", ""),
    )),
    ("Work and benefits", (
        ("IDS004EmpStatus", "Employment and benefits", "one row each time it is recorded"),
    )),
    ("Health and circumstances", (
        ("IDS007DisabilityType", "Disabilities", "add one row per disability"),
        ("IDS011SocPerCircumstances", "Social and personal circumstances", "type to search the SNOMED CT list"),
        ("IDS601MedHistPrevDiag", "Previous diagnoses", ""),
    )),
)
CIRCUMSTANCE = "IDS011SocPerCircumstances"


def _columns(table_name: str) -> list[str]:
    spec = table(table_name)
    return [c for c in spec.column_names if c != spec.parent_column]


def _scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area


class PatientForm(QTabWidget):
    """Signals: edited() — the user changed something."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self.person = PersonFields(self)
        self.person.edited.connect(self.edited)
        self.pickers: dict[str, CodeField] = {}
        for group, text in ((RELIGION, "Religion or belief"), (SEXUAL_ORIENTATION, "Sexual orientation")):
            picker = CodeField(circumstance_code_list(group), self.person, declined=DECLINED.get(group))
            picker.setObjectName(group.replace(" ", ""))
            picker.value_changed.connect(lambda code, g=group: self._pick_circumstance(g, code))
            self.pickers[group] = picker
            self.person.about_form.addRow(text, picker)
        person_page = QWidget()
        person_layout = QVBoxLayout(person_page)
        self.checks = FieldMessage(person_page)
        self.checks.setObjectName("patientChecks")
        person_layout.addWidget(self.checks)
        person_layout.addWidget(self.person, 1)
        self.addTab(_scrolling(person_page), "Person")
        self.editors: dict[str, ChildRowsEditor] = {}
        for title, tables in CHILD_TABS:
            page = QWidget()
            layout = QVBoxLayout(page)
            for name, heading, hint in tables:
                editor = ChildRowsEditor(heading, name, _columns(name), page, hint=hint)
                editor.setObjectName(name)
                editor.rows_edited.connect(self.edited)
                self.editors[name] = editor
                layout.addWidget(editor, 1)
            self.addTab(_scrolling(page), title)
        self.editors[CIRCUMSTANCE].rows_edited.connect(self._show_circumstances)
        self._loaded: PatientRecord | None = None
        self.checker: RecordChecker | None = None
        self.edited.connect(self.refresh_checks)

    def set_checker(self, checker: RecordChecker) -> None:
        """Run NHS England's single-row rules on the patient and the rows below as they are edited."""
        self.checker = checker
        for name, editor in self.editors.items():
            parent_column = table(name).parent_column or ""
            editor.model.checker = lambda row, n=name, p=parent_column: checker.by_field(
                n, {**row, p: self._patient_id()}, {"IDS001MPI": self._mpi()})

    def _patient_id(self) -> str:
        return self._loaded.local_patient_id if self._loaded else ""

    def _mpi(self) -> dict[str, Any]:
        return self.record().mpi if self._loaded else {}

    def refresh_checks(self) -> None:
        if self.checker is None or self._loaded is None:
            self.checks.show_problem(None)
            return
        shown = [f for f, m in self.person.messages.items() if not m.isHidden()]
        self.checks.show_problem(summary(self.checker.findings("IDS001MPI", self.record().mpi), shown))

    # -- record in and out
    def load(self, record: PatientRecord) -> None:
        self._loaded = record.copy()
        self.person.load(record.mpi, record.person)
        for name, editor in self.editors.items():
            editor.set_rows(record.children.get(name, []))
        self._show_circumstances()
        self.refresh_checks()

    def clear(self) -> None:
        """Nothing loaded (a discarded new patient)."""
        self._loaded = None

    def record(self) -> PatientRecord:
        if self._loaded is None:
            raise RuntimeError("No patient loaded")
        record = self._loaded.copy()
        self.person.write_into(record.mpi, record.person)
        for name, editor in self.editors.items():
            record.children[name] = editor.rows()
        return record

    def loaded(self) -> PatientRecord | None:
        return self._loaded

    def is_dirty(self) -> bool:
        if self._loaded is None:
            return False
        current = self.record()
        before = self._loaded
        return (
            current.mpi != before.mpi
            or current.person != before.person
            or any(current.children[n] != before.children.get(n, []) for n in self.editors)
        )

    def set_read_only(self, read_only: bool) -> None:
        self.person.set_read_only(read_only)
        for picker in self.pickers.values():
            picker.setEnabled(not read_only)
        for editor in self.editors.values():
            editor.set_editable(not read_only)

    # -- religion and sexual orientation as dated IDS011 rows
    def _latest(self, group: str) -> dict[str, Any] | None:
        rows = [r for r in self.editors[CIRCUMSTANCE].rows() if group_of(r.get("SocPerCircumstance")) == group]
        rows.sort(key=lambda r: (r.get("SocPerCircumstanceRecDate") or "", r.get("app_row_id") or 1 << 62))
        return rows[-1] if rows else None

    def _show_circumstances(self) -> None:
        for group, picker in self.pickers.items():
            latest = self._latest(group)
            picker.blockSignals(True)
            picker.combo.blockSignals(True)
            picker.set_value(latest.get("SocPerCircumstance") if latest else None)
            picker.combo.blockSignals(False)
            picker.blockSignals(False)

    def _pick_circumstance(self, group: str, code: str | None) -> None:
        editor = self.editors[CIRCUMSTANCE]
        model = editor.model
        today = dt.date.today().isoformat()
        for row, values in enumerate(model.rows()):
            if group_of(values.get("SocPerCircumstance")) == group and values.get("app_row_id") is None:
                if code is None:
                    model.remove_row(row)
                else:
                    model.setData(model.index(row, model.columns.index("SocPerCircumstance")), code)
                return
        if code is not None and (self._latest(group) or {}).get("SocPerCircumstance") != code:
            model.append_row({"SocPerCircumstance": code, "SocPerCircumstanceRecDate": today})
