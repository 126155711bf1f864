"""A referral: dates, source, commissioner, counsellor, discharge; complaints, conditions, onward
referrals and pauses; the sessions, the waits derived from them, and the score chart."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStyle,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from iapt_desktop.domain.date_entry import display_date
from iapt_desktop.domain.field_checks import ods_code_problem
from iapt_desktop.domain.referral_waits import referral_waits
from iapt_desktop.storage.referral_records import ReferralRecord
from iapt_desktop.ui.views.field_labels import codes_for, label
from iapt_desktop.ui.views.record_checks import RecordChecker, summary
from iapt_desktop.ui.views.referral_sessions import ReferralSessions
from iapt_desktop.ui.widgets.child_rows_editor import ChildRowsEditor
from iapt_desktop.ui.widgets.code_combo import CodeField
from iapt_desktop.ui.widgets.date_field import DateField
from iapt_desktop.ui.widgets.field_message import FieldMessage

CHILD_EDITORS = (
    ("IDS603PresentingComplaints", "Presenting complaints", ("FindSchemeInUse", "PresComp", "PresCompCodSig",
                                                             "PresCompDate"), {"FindSchemeInUse": "01"}),
    ("IDS602LongTermCondition", "Long-term physical health conditions", ("FindSchemeInUse", "LongTermCondition"),
     {"FindSchemeInUse": "01"}),
    ("IDS105OnwardReferral", "Onward referrals", ("OnwardReferDate", "OnwardReferReason", "OrgIDReceiving"), {}),
    ("IDS108WaitingTimePauses", "Waiting-time pauses", ("PauseID", "PauseStartDate", "PauseEndDate", "PauseReason"),
     {}),
)


class ReferralForm(QWidget):
    """Signals: edited() — the user changed something."""

    edited = Signal()

    def __init__(self, counsellors: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loaded: ReferralRecord | None = None
        self.referral_id = QLabel(self)
        self.received = self._date("ReferralRequestReceivedDate")
        self.source = self._code("SourceOfReferralIAPT")
        self.commissioner = QLineEdit(self)
        self.commissioner.setObjectName("OrgIDComm")
        self.commissioner.setMaximumWidth(120)
        self.commissioner_message = FieldMessage(self)
        self.commissioner.textChanged.connect(
            lambda t: self.commissioner_message.show_problem(ods_code_problem(t.strip(), 3, 5) if t.strip() else None)
        )
        self.commissioner.textEdited.connect(self.edited)
        self.counsellor = QComboBox(self)
        self.counsellor.setObjectName("counsellor")
        self.counsellor.addItem("— not assigned —", None)
        for key, name in counsellors:
            self.counsellor.addItem(name, key)
        self.counsellor.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.onset = QLineEdit(self)
        self.onset.setObjectName("OnsetDate")
        self.onset.setPlaceholderText("yyyy-mm")
        self.onset.setMaximumWidth(120)
        self.onset.textEdited.connect(self.edited)
        self.previous = self._code("PrevDiagCondInd")
        self.discharged = self._date("ServDischDate")
        self.end_code = self._code("EndCode")
        self.discharge_message = FieldMessage(self)

        details = QGroupBox("Referral", self)
        grid = QGridLayout(details)  # label, field, label, field; coded fields with long words span the width
        rows: list[tuple[tuple[str, QWidget] | None, tuple[str, QWidget] | None]] = [
            ((label("ServiceRequestId"), self.referral_id), ("Counsellor", self.counsellor)),
            ((label("ReferralRequestReceivedDate"), self.received), (label("OnsetDate"), self.onset)),
            ((label("SourceOfReferralIAPT"), self.source), None),
            ((label("OrgIDComm"), self.commissioner), (label("PrevDiagCondInd"), self.previous)),
            (("", self.commissioner_message), (label("ServDischDate"), self.discharged)),
            ((label("EndCode"), self.end_code), None),
            (("", self.discharge_message), None),
        ]
        for row, (left, right) in enumerate(rows):
            for column, cell in ((0, left), (2, right)):
                if cell is None:
                    continue
                text, field = cell
                caption = QLabel(text, details)
                caption.setBuddy(field)
                grid.addWidget(caption, row, column)
                grid.addWidget(field, row, column + 1, 1, 3 if right is None else 1)
        self.checks = FieldMessage(self)
        self.checks.setObjectName("referralChecks")
        grid.addWidget(self.checks, len(rows), 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        chain: list[QWidget] = []
        for widget in (self.counsellor, self.received, self.onset, self.source, self.commissioner, self.previous,
                       self.discharged, self.end_code):
            chain += [widget.combo, *widget.findChildren(QToolButton)] if isinstance(widget, CodeField) else [widget]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)  # the order they are read in

        self.sessions = ReferralSessions(self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.sessions, "Sessions and scores")
        self.editors: dict[str, ChildRowsEditor] = {}
        for title, pairs in (("Complaints and conditions", CHILD_EDITORS[:2]),
                             ("Onward referrals and pauses", CHILD_EDITORS[2:])):
            page = QWidget()
            row = QVBoxLayout(page)  # one above the other, each the full width: side by side cut their columns
            for name, heading, columns, defaults in pairs:
                editor = ChildRowsEditor(heading, name, columns, page, defaults=defaults)
                editor.setObjectName(name)
                editor.rows_edited.connect(self.edited)
                editor.rows_edited.connect(self.refresh_waits)
                self.editors[name] = editor
                row.addWidget(editor)
            self.tabs.addTab(page, title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(details)
        layout.addWidget(self.tabs, 1)
        self.edited.connect(self._check_discharge)
        self.edited.connect(self.refresh_checks)
        self.checker: RecordChecker | None = None
        self.patient_row: Callable[[], dict[str, Any]] = dict

    def set_checker(self, checker: RecordChecker, patient_row: Callable[[], dict[str, Any]]) -> None:
        """Run NHS England's single-row rules on the referral and its rows as they are edited."""
        self.checker = checker
        self.patient_row = patient_row
        for name, editor in self.editors.items():
            editor.model.checker = lambda row, n=name: checker.by_field(
                n, {**row, "ServiceRequestId": self._id()}, self._related())

    def _id(self) -> str:
        return self._loaded.service_request_id if self._loaded else ""

    def _related(self) -> dict[str, dict[str, Any]]:
        related = {"IDS001MPI": self.patient_row()}
        if self._loaded is not None:
            related["IDS101Referral"] = self.record().referral
        return related

    def refresh_checks(self) -> None:
        if self.checker is None or self._loaded is None:
            self.checks.show_problem(None)
            return
        findings = self.checker.findings("IDS101Referral", self.record().referral, {"IDS001MPI": self.patient_row()})
        self.checks.show_problem(summary(findings, ("ServDischDate", "EndCode") if self.discharge_message.text()
                                         else ()))

    def _date(self, column: str) -> DateField:
        field = DateField(self)
        field.setObjectName(column)
        field.value_edited.connect(lambda _v: self.edited.emit())
        return field

    def _code(self, column: str) -> CodeField:
        codes = codes_for(column)
        assert codes is not None, column
        field = CodeField(codes, self)
        field.setObjectName(column)
        combo = field.combo
        combo.setSizePolicy(QSizePolicy.Policy.Expanding, combo.sizePolicy().verticalPolicy())
        longest = max((combo.itemText(i) for i in range(combo.count())), key=combo.fontMetrics().horizontalAdvance)
        scroll_bar = combo.view().style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        combo.view().setMinimumWidth(combo.fontMetrics().horizontalAdvance(longest) + scroll_bar + 24)
        combo.setToolTip(combo.currentText())  # the full words, also before anything is loaded
        field.value_changed.connect(lambda _v: self.edited.emit())
        return field

    # -- record in and out
    def load(self, record: ReferralRecord, sessions: list[dict[str, Any]]) -> None:
        self._loaded = record.copy()
        values = record.referral
        self.referral_id.setText(record.service_request_id)
        self.received.set_value(values.get("ReferralRequestReceivedDate"))
        self.source.set_value(values.get("SourceOfReferralIAPT"))
        self.commissioner.setText(str(values.get("OrgIDComm") or ""))
        index = self.counsellor.findData(record.counsellor_id) if record.counsellor_id else 0
        if index < 0:
            self.counsellor.addItem(f"{record.counsellor_id} (not in the staff list)", record.counsellor_id)
            index = self.counsellor.count() - 1
        self.counsellor.blockSignals(True)
        self.counsellor.setCurrentIndex(index)
        self.counsellor.blockSignals(False)
        self.onset.setText(str(values.get("OnsetDate") or ""))
        self.previous.set_value(values.get("PrevDiagCondInd"))
        self.discharged.set_value(values.get("ServDischDate"))
        self.end_code.set_value(values.get("EndCode"))
        for name, editor in self.editors.items():
            editor.set_rows(record.children.get(name, []))
        self.sessions.set_sessions(record.service_request_id, sessions)
        self.refresh_waits()
        self._check_discharge()
        self.refresh_checks()

    def record(self) -> ReferralRecord:
        if self._loaded is None:
            raise RuntimeError("No referral loaded")
        record = self._loaded.copy()
        values = record.referral
        values["ReferralRequestReceivedDate"] = self.received.value() or (
            values.get("ReferralRequestReceivedDate") if self.received.text().strip() else None)
        values["SourceOfReferralIAPT"] = self.source.value()
        values["OrgIDComm"] = self.commissioner.text().strip().upper() or None
        values["OnsetDate"] = self.onset.text().strip() or None
        values["PrevDiagCondInd"] = self.previous.value()
        values["ServDischDate"] = self.discharged.value() or (
            values.get("ServDischDate") if self.discharged.text().strip() else None)
        values["EndCode"] = self.end_code.value()
        record.counsellor_id = self.counsellor.currentData()
        for name, editor in self.editors.items():
            record.children[name] = editor.rows()
        return record

    def loaded(self) -> ReferralRecord | None:
        return self._loaded

    def is_dirty(self) -> bool:
        if self._loaded is None:
            return False
        current, before = self.record(), self._loaded
        return (current.referral != before.referral or current.counsellor_id != before.counsellor_id
                or any(current.children[n] != before.children.get(n, []) for n in self.editors))

    def set_read_only(self, read_only: bool) -> None:
        for widget in (self.received, self.commissioner, self.onset, self.discharged):
            widget.setReadOnly(read_only)
        for widget in (self.source, self.previous, self.end_code, self.counsellor):
            widget.setEnabled(not read_only)
        for editor in self.editors.values():
            editor.set_editable(not read_only)

    # -- derived
    def _check_discharge(self) -> None:
        has_date, has_code = bool(self.discharged.text().strip()), bool(self.end_code.value())
        if has_date and not has_code:
            self.discharge_message.show_problem("A discharge date needs a discharge reason too.")
        elif has_code and not has_date:
            self.discharge_message.show_problem("A discharge reason needs the discharge date too.")
        else:
            self.discharge_message.show_problem(self.discharged.problem())

    def refresh_waits(self) -> None:
        if self._loaded is None:
            return
        referral = {"ReferralRequestReceivedDate": self.received.value()}
        pauses = self.editors["IDS108WaitingTimePauses"].rows()
        waits = referral_waits(referral, self.sessions.model.rows(), pauses)
        def line(what: str, day: object, wait: str) -> str:
            if day is None:
                return f"{what}: not yet"
            return f"{what}: {display_date(str(day))}  ·  waited {wait}"

        lines = [
            line("First assessment", waits.first_assessment, waits.describe_assessment_wait()),
            line("First treatment", waits.first_treatment, waits.describe_treatment_wait()),
            f"Attended sessions: {waits.attended_sessions} (treatment {waits.treatment_sessions})"
            + (f"  ·  {waits.paused_days_before_treatment} days paused before treatment (not taken off the wait)"
               if waits.paused_days_before_treatment else ""),
        ]
        self.sessions.show_waits("\n".join(lines))
