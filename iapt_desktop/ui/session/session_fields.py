"""The care contact and care activity fields of the session form (IDS201 / IDS202)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QSpinBox,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from iapt_desktop.domain.care_session import CANCELLED_BY_PATIENT, SessionRecord
from iapt_desktop.domain.codes import code_list
from iapt_desktop.storage.session_queries import StaffMember
from iapt_desktop.ui.widgets.code_combo import CodeCombo

NOT_RECORDED = "— not recorded —"
CHOOSE = "— choose —"
_NHSE_LABEL = re.compile(r"\s*\(NHSE label [^)]*\)")


def _display_label(label: str) -> str:
    return _NHSE_LABEL.sub("", label)


class CodeChoice(QComboBox):
    """A coded field: 'code · label'; type the code (or the first letters with ``show_code=False``)."""

    def __init__(self, column: str, parent: QWidget | None = None, *, show_code: bool = True,
                 optional: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName(column)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self.addItem(NOT_RECORDED if optional else CHOOSE, None)  # mandatory ones are checked before saving
        codes = code_list(column)
        for code in codes.codes if codes else ():
            label = _display_label(code.label)
            text = f"{code.code} · {label}" if show_code else label
            self.addItem(text + (" (unconfirmed)" if code.unconfirmed else ""), code.code)
            self.setItemData(self.count() - 1, f"{label} (code {code.code})", Qt.ItemDataRole.ToolTipRole)

    def value(self) -> str | None:
        data = self.currentData()
        return None if data is None else str(data)

    def set_value(self, code: str | None) -> None:
        index = self.findData(code) if code not in (None, "") else self.findData(None)
        if index < 0 and code not in (None, ""):
            self.addItem(f"{code} (not in the code list)", code)
            index = self.count() - 1
        self.setCurrentIndex(max(index, 0))


def _label(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


class SessionFields(QWidget):
    """Signals: changed() — any field changed; attendance_changed(object) — the attendance code."""

    changed = Signal()
    attendance_changed = Signal(object)

    def __init__(self, staff: list[StaffMember], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date = QDateEdit(self)
        self.date.setObjectName("CareContDate")
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setCalendarPopup(True)
        self.time = QTimeEdit(self)
        self.time.setObjectName("CareContTime")
        self.time.setDisplayFormat("HH:mm")
        self.attendance = CodeChoice("AttendOrDNACode", self, optional=False)
        self.cancellation = CodeChoice("Cancellation", self)
        self.app_type = CodeChoice("AppType", self, optional=False)
        self.mechanism = CodeChoice("ConsMechanism", self)
        self.mode = CodeChoice("CareContPatientTherMode", self)
        self.therapy = CodeChoice("CodeProcAndProcStatus", self, show_code=False)
        self.given_by = QComboBox(self)
        self.given_by.setObjectName("CarePersLocalId")
        self.given_by.addItem(NOT_RECORDED, None)
        for member in staff:
            self.given_by.addItem(member.display_name + ("" if member.active else " (left)"), member.care_personnel_id)
        self.duration = QSpinBox(self)
        self.duration.setObjectName("ClinContDurOfCareCont")
        self.duration.setRange(0, 9999)
        self.duration.setSuffix(" min")
        self.duration.setAccelerated(True)
        self.planned = CodeChoice("PlannedCareContIndicator", self)
        self.ltc_service = CodeChoice("IAPTLTCServiceInd", self, optional=False)
        self.location = CodeChoice("ActLocTypeCode", self)
        languages = code_list("LanguageCodeTreat")
        assert languages is not None  # resources/rules/language_codes.csv ships with the application
        self.language = CodeCombo(languages, self)  # type a language's name (or its code) to pick it
        self.language.setObjectName("LanguageCodeTreat")
        self.language.setAccessibleName("Language of the session")
        self.interpreter = CodeChoice("InterpreterPresentInd", self)

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        rows: list[tuple[tuple[str, QWidget], tuple[str, QWidget] | None]] = [
            (("&Date", self.date), ("&Time", self.time)),
            (("&Attendance", self.attendance), ("Short-notice &cancellation", self.cancellation)),
            (("Appointment t&ype", self.app_type), ("Consultation &mechanism", self.mechanism)),
            (("T&herapy", self.therapy), ("&Given by", self.given_by)),
            (("D&uration", self.duration), ("Therapy m&ode", self.mode)),
        ]
        self._grid_rows(grid, rows, 0)
        self.more = QWidget(self)
        more_grid = QGridLayout(self.more)
        more_grid.setContentsMargins(0, 0, 0, 0)
        more_grid.setHorizontalSpacing(10)
        self._grid_rows(more_grid, [
            (("&Planned", self.planned), ("&LTC service", self.ltc_service)),
            (("Locat&ion", self.location), ("La&nguage", self.language)),
            (("Interp&reter", self.interpreter), None),
        ], 0, parent=self.more)
        self.more.hide()
        self.more_button = QToolButton(self)
        self.more_button.setText("More details ▸")
        self.more_button.setAutoRaise(True)
        self.more_button.setCheckable(True)
        self.more_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.more_button.toggled.connect(self._toggle_more)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(grid)
        layout.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.more)
        order = [self.date, self.time, self.attendance, self.cancellation, self.app_type, self.mechanism,
                 self.therapy, self.given_by, self.duration, self.mode, self.more_button, self.planned,
                 self.ltc_service, self.location, self.language, self.interpreter]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        for combo in (self.attendance, self.cancellation, self.app_type, self.mechanism, self.mode, self.therapy,
                      self.given_by, self.planned, self.ltc_service, self.location, self.interpreter):
            combo.currentIndexChanged.connect(self.changed)
        self.attendance.currentIndexChanged.connect(self._attendance_changed)
        self.date.dateChanged.connect(self.changed)
        self.time.timeChanged.connect(self.changed)
        self.duration.valueChanged.connect(self.changed)
        self.language.value_changed.connect(lambda _code: self.changed.emit())

    def _grid_rows(self, grid: QGridLayout, rows: list[Any], start: int, parent: QWidget | None = None) -> None:
        for offset, (left, right) in enumerate(rows):
            for column, pair in ((0, left), (2, right)):
                if pair is None:
                    continue
                text, widget = pair
                grid.addWidget(_label(text, widget, parent or self), start + offset, column)
                grid.addWidget(widget, start + offset, column + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

    def _toggle_more(self, shown: bool) -> None:
        self.more.setVisible(shown)
        self.more_button.setText("Fewer details ▾" if shown else "More details ▸")

    def _attendance_changed(self) -> None:
        code = self.attendance.value()
        self.cancellation.setEnabled(code == CANCELLED_BY_PATIENT)
        if code != CANCELLED_BY_PATIENT:
            self.cancellation.set_value(None)
        self.attendance_changed.emit(code)

    def set_activity_enabled(self, enabled: bool) -> None:
        for widget in (self.therapy, self.given_by, self.duration, self.mode):
            widget.setEnabled(enabled)

    def load(self, record: SessionRecord) -> None:
        contact, activity = record.contact, record.activity
        day = dt.date.fromisoformat(contact["CareContDate"]) if contact.get("CareContDate") else dt.date.today()
        self.date.setDate(QDate(day.year, day.month, day.day))
        when = dt.time.fromisoformat(contact["CareContTime"]) if contact.get("CareContTime") else dt.time(9, 0)
        self.time.setTime(QTime(when.hour, when.minute))
        self.attendance.set_value(contact.get("AttendOrDNACode"))
        self.cancellation.set_value(contact.get("Cancellation"))
        self.app_type.set_value(contact.get("AppType"))
        self.mechanism.set_value(contact.get("ConsMechanism"))
        self.mode.set_value(contact.get("CareContPatientTherMode"))
        self.therapy.set_value(activity.get("CodeProcAndProcStatus"))
        staff_id = activity.get("CarePersLocalId")
        index = self.given_by.findData(staff_id) if staff_id else 0
        if index < 0:
            self.given_by.addItem(f"{staff_id} (not on the staff list)", staff_id)
            index = self.given_by.count() - 1
        self.given_by.setCurrentIndex(index)
        self.duration.setValue(int(contact.get("ClinContDurOfCareCont") or activity.get("ClinContactDurOfCareAct")
                                   or 0))
        self.planned.set_value(contact.get("PlannedCareContIndicator"))
        self.ltc_service.set_value(contact.get("IAPTLTCServiceInd"))
        self.location.set_value(contact.get("ActLocTypeCode"))
        self.language.set_value(contact.get("LanguageCodeTreat"))
        self.interpreter.set_value(contact.get("InterpreterPresentInd"))
        self._attendance_changed()

    def store(self, record: SessionRecord) -> None:
        day = self.date.date()
        record.contact.update({
            "CareContDate": dt.date(day.year(), day.month(), day.day()).isoformat(),
            "CareContTime": self.time.time().toString("HH:mm:00"),
            "AttendOrDNACode": self.attendance.value(),
            "Cancellation": self.cancellation.value(),
            "AppType": self.app_type.value(),
            "ConsMechanism": self.mechanism.value(),
            "CareContPatientTherMode": self.mode.value(),
            "ClinContDurOfCareCont": self.duration.value() or None,
            "PlannedCareContIndicator": self.planned.value(),
            "IAPTLTCServiceInd": self.ltc_service.value(),
            "ActLocTypeCode": self.location.value(),
            "LanguageCodeTreat": self.language.value(),
            "InterpreterPresentInd": self.interpreter.value(),
        })
        record.activity.update({
            "CodeProcAndProcStatus": self.therapy.value(),
            "CarePersLocalId": self.given_by.currentData(),
            "ClinContactDurOfCareAct": self.duration.value() or None,
        })

    def widget_for(self, column: str) -> QWidget | None:
        """The field of a data set column (IDS201 / IDS202 technical name), or None."""
        return self.findChild(QWidget, _ALIASES.get(column, column))

    def focus_column(self, column: str) -> bool:
        widget = self.widget_for(column)
        if widget is None:
            return False
        if self.more.isAncestorOf(widget):
            self.more_button.setChecked(True)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True


# Columns shown by another column's field: one duration is entered for the contact and its activity.
_ALIASES = {"ClinContactDurOfCareAct": "ClinContDurOfCareCont"}
