"""The "Person" tab: name, contact details and the demographic items of IDS001MPI, checked as you type.

Religion and sexual orientation are picked from worded lists here and stored as
dated SNOMED CT rows of IDS011 (see ``circumstance_pickers``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from iapt_desktop.domain.field_checks import (
    age_on,
    birth_date_problem,
    format_nhs_number,
    nhs_number_problem,
    normalise_nhs_number,
    normalise_postcode,
    postcode_problem,
)
from iapt_desktop.ui.views.field_labels import HINTS, codes_for, label
from iapt_desktop.ui.widgets.code_combo import CodeField
from iapt_desktop.ui.widgets.date_field import DateField
from iapt_desktop.ui.widgets.field_message import FieldMessage

CODED_DEMOGRAPHICS = (
    "Gender", "GenderIdentity", "GenderIdentitySameAtBirth", "EthnicCategory", "ExBAFIndicator",
    "EduEstabTypeIAPT", "NHSNumberStatus", "LanguageCodePreferred",
)
ETHNIC_2021_PLACEHOLDER = "Free text: the 2021 code list is not confirmed"
ETHNIC_2021_TIP = ("Ethnic category (2021 census categories). The code list for data set v2.1 is not confirmed, "
                   "so what you type here is kept as written and is not checked against a list.")
LOCAL_ONLY_NOTE = "Kept on this computer only, never submitted."
PERSON_TEXT = (("family_name", "Family name"), ("given_name", "Given name"), ("preferred_name", "Known as"),
               ("phone", "Phone"), ("email", "Email"))


def _optional(check: Callable[[str], str | None]) -> Callable[[str], str | None]:
    return lambda text: check(text) if text.strip() else None


class PersonFields(QWidget):
    """Signals: edited() — any field changed by the user."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person_edits: dict[str, QLineEdit] = {}
        self.code_fields: dict[str, CodeField] = {}
        self.messages: dict[str, FieldMessage] = {}

        names = QGroupBox("Name and contact", self)
        names_form = QFormLayout(names)
        for key, text in PERSON_TEXT:
            edit = QLineEdit(names)
            edit.setObjectName(key)
            edit.textEdited.connect(self.edited)
            self.person_edits[key] = edit
            names_form.addRow(text, edit)
        self.address = QLineEdit(names)
        self.address.setObjectName("address")
        self.address.textEdited.connect(self.edited)
        names_form.insertRow(3, "Address", self.address)
        local_only = QLabel(LOCAL_ONLY_NOTE, names)  # under the title, not in it: the title would set the width
        local_only.setObjectName("localOnlyNote")
        local_only.setWordWrap(True)
        local_only.setStyleSheet("color: #64748b;")
        names_form.insertRow(0, local_only)

        ids = QGroupBox("Identity", self)
        ids_form = QFormLayout(ids)
        self.local_id = QLabel(ids)
        self.local_id.setObjectName("LocalPatientId")
        ids_form.addRow(label("LocalPatientId"), self.local_id)
        self.nhs_number = self._checked_line(ids_form, "NHSNumber", _optional(nhs_number_problem))
        self.nhs_number.editingFinished.connect(
            lambda: self.nhs_number.setText(format_nhs_number(self.nhs_number.text().strip()))
        )
        self.birth_date = DateField(ids)
        self.birth_date.setObjectName("PersonBirthDate")
        self.birth_date.value_edited.connect(lambda _v: self._check_birth_date())
        self.birth_date.value_edited.connect(lambda _v: self.edited.emit())
        self.messages["PersonBirthDate"] = FieldMessage(ids)
        ids_form.addRow(label("PersonBirthDate"), self.birth_date)
        ids_form.addRow("", self.messages["PersonBirthDate"])
        self.postcode = self._checked_line(ids_form, "Postcode", _optional(postcode_problem))
        self.postcode.editingFinished.connect(self._tidy_postcode)

        about = QGroupBox("About the person", self)
        about_form = QFormLayout(about)
        for column in CODED_DEMOGRAPHICS:
            codes = codes_for(column)
            if codes is None:
                continue
            field = CodeField(codes, about)
            field.setObjectName(column)
            field.value_changed.connect(lambda _v: self.edited.emit())
            self.code_fields[column] = field
            about_form.addRow(label(column), field)
        self.ethnic_2021 = self._plain_line(about_form, "EthnicCategory2021")
        self.ethnic_2021.setPlaceholderText(ETHNIC_2021_PLACEHOLDER)
        self.ethnic_2021.setToolTip(ETHNIC_2021_TIP)
        self.about_form = about_form

        left = QVBoxLayout()
        left.addWidget(names)
        left.addWidget(ids)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(about)
        right.addStretch(1)
        layout = QHBoxLayout(self)
        names.setMaximumWidth(460)
        ids.setMaximumWidth(460)
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)

    def _plain_line(self, form: QFormLayout, column: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(column)
        edit.setPlaceholderText(HINTS.get(column, ""))
        edit.textEdited.connect(self.edited)
        form.addRow(label(column), edit)
        return edit

    def _checked_line(self, form: QFormLayout, column: str, check: Callable[[str], str | None]) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(column)
        message = FieldMessage(self)
        message.setObjectName(f"{column}Message")
        self.messages[column] = message
        edit.textChanged.connect(lambda text: message.show_problem(check(text)))
        edit.textEdited.connect(self.edited)
        form.addRow(label(column), edit)
        form.addRow("", message)
        return edit

    def _tidy_postcode(self) -> None:
        text = self.postcode.text()
        if text.strip() and postcode_problem(normalise_postcode(text)) is None:
            self.postcode.setText(normalise_postcode(text))

    def _check_birth_date(self) -> None:
        message = self.messages["PersonBirthDate"]
        day = self.birth_date.date()
        if self.birth_date.problem():
            message.show_problem(self.birth_date.problem())
        elif day is not None:
            problem = birth_date_problem(day)
            if problem:
                message.show_problem(problem)
            else:
                message.show_note(f"Age {age_on(day, dt.date.today())}")
        else:
            message.show_problem(None)

    # -- values
    def load(self, mpi: dict[str, Any], person: dict[str, Any]) -> None:
        for key, edit in self.person_edits.items():
            edit.setText(str(person.get(key) or ""))
        self.address.setText(str(person.get("address") or ""))
        self.local_id.setText(str(mpi.get("LocalPatientId") or ""))
        self.nhs_number.clear()  # so that the checks run again even when the text is the same
        self.nhs_number.setText(format_nhs_number(str(mpi.get("NHSNumber") or "")))
        self.birth_date.set_value(mpi.get("PersonBirthDate"))
        self._check_birth_date()
        self.postcode.clear()
        self.postcode.setText(str(mpi.get("Postcode") or ""))
        for column, field in self.code_fields.items():
            field.set_value(mpi.get(column))
        self.ethnic_2021.setText(str(mpi.get("EthnicCategory2021") or ""))

    def write_into(self, mpi: dict[str, Any], person: dict[str, Any]) -> None:
        for key, edit in self.person_edits.items():
            person[key] = edit.text().strip()
        person["address"] = self.address.text().strip()
        mpi["NHSNumber"] = normalise_nhs_number(self.nhs_number.text()) or None
        mpi["PersonBirthDate"] = self.birth_date.value() or (None if not self.birth_date.text().strip()
                                                              else mpi.get("PersonBirthDate"))
        mpi["Postcode"] = self.postcode.text().strip() or None
        for column, field in self.code_fields.items():
            mpi[column] = field.value()
        mpi["EthnicCategory2021"] = self.ethnic_2021.text().strip() or None

    def set_read_only(self, read_only: bool) -> None:
        for edit in [*self.person_edits.values(), self.address, self.nhs_number, self.postcode, self.ethnic_2021,
                     self.birth_date]:
            edit.setReadOnly(read_only)
        for field in self.code_fields.values():
            field.setEnabled(not read_only)
