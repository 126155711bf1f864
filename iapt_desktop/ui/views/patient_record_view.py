"""One patient on screen: a header, the patient form and the referral panel; save, ask, delete.

Every save is one transaction through ``record_writes`` (audited, permission
checked); refused actions are explained kindly; unsaved changes are never lost
silently (Save / Discard / Cancel).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget
from sqlite_utils import Database

from iapt_desktop.domain.access import AccessDenied, Action, User
from iapt_desktop.domain.date_entry import display_date
from iapt_desktop.domain.field_checks import age_on, format_nhs_number, nhs_number_problem, parse_date
from iapt_desktop.storage.caseload_queries import patients_with_nhs_number
from iapt_desktop.storage.database import DatabaseError
from iapt_desktop.storage.patient_records import PatientRecord, load_patient, new_patient_record, save_patient
from iapt_desktop.storage.record_writes import delete_row
from iapt_desktop.storage.referral_records import save_referral
from iapt_desktop.ui.views.patient_form import PatientForm
from iapt_desktop.ui.views.record_checks import RecordChecker
from iapt_desktop.ui.views.referral_panel import ReferralPanel
from iapt_desktop.ui.widgets.child_rows_editor import ChildRowsEditor
from iapt_desktop.ui.widgets.date_field import DateField

REFERRAL_TAB = 1
NOT_ON_CASELOAD = ("This patient is not on your caseload (their referral may have moved to a colleague), so their "
                   "record cannot be opened. Ask an administrator if they should be on your caseload.")


class PatientRecordView(QWidget):
    """Signals: saved(str) — a patient's LocalPatientId after a save; deleted(str, object) — the id and
    the snapshot for undo; dirty_changed(bool); closed() — nothing is shown any more."""

    saved = Signal(str)
    deleted = Signal(str, object)
    dirty_changed = Signal(object)
    closed = Signal()

    def __init__(self, db: Database, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.user = user
        self.header = QLabel(self)
        self.header.setObjectName("patientHeader")
        self.header.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.subheader = QLabel(self)
        self.subheader.setStyleSheet("color: #475569;")
        self.state = QLabel(self)
        self.state.setObjectName("saveState")
        self.save_button = QPushButton("Save", self)
        self.save_button.setObjectName("save")
        self.save_button.setToolTip("Save the patient and the referral (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.form = PatientForm(self)
        self.referrals = ReferralPanel(db, user, self)
        self.referrals.confirm_leave = self._confirm_leave_referral
        self.form.insertTab(REFERRAL_TAB, self.referrals, "Referral and sessions")
        checker = RecordChecker(db)
        self.form.set_checker(checker)
        self.referrals.form.set_checker(checker, lambda: self.form.record().mpi if self.form.loaded() else {})
        self.form.edited.connect(self._edited)
        self.form.person.nhs_number.textChanged.connect(self._warn_duplicate)
        self.referrals.edited.connect(self._edited)
        self.referrals.session_saved.connect(lambda: self.saved.emit(self.local_patient_id or ""))
        titles = QVBoxLayout()
        titles.addWidget(self.header)
        titles.addWidget(self.subheader)
        top = QHBoxLayout()
        top.addLayout(titles, 1)
        top.addWidget(self.state)
        top.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.form, 1)
        self.local_patient_id: str | None = None
        self._was_dirty = False
        read_only = not user.can(Action.EDIT_RECORD)
        self.form.set_read_only(read_only)
        self.referrals.form.set_read_only(read_only)
        self.referrals.new_button.setEnabled(user.can(Action.CREATE_RECORD))
        self.save_button.setEnabled(not read_only)

    # -- open
    def open_patient(self, local_patient_id: str, referral: str | None = None) -> bool:
        """Show the patient (and ``referral``); False, having said why, when they cannot be opened."""
        try:
            record = load_patient(self.db, self.user, local_patient_id)
        except AccessDenied:  # e.g. a stale caseload row: the referral moved to a colleague
            QMessageBox.information(self, "Not on your caseload", NOT_ON_CASELOAD)
            return False
        if record is None:
            return False
        self._show(record)
        self.referrals.show_patient(local_patient_id, referral)
        self.form.setCurrentIndex(REFERRAL_TAB if self.referrals.current_id() else 0)
        return True

    def new_patient(self) -> None:
        self._show(new_patient_record(self.db))
        self.referrals.show_patient(self.local_patient_id or "")
        self.form.setCurrentIndex(0)
        self.form.person.person_edits["family_name"].setFocus()
        self._edited()

    def _show(self, record: PatientRecord) -> None:
        self.local_patient_id = record.local_patient_id
        self.form.load(record)
        self._update_header(record)
        self._edited()

    def _update_header(self, record: PatientRecord) -> None:
        person = record.person
        name = " ".join(p for p in (person.get("given_name"), (person.get("family_name") or "").upper()) if p)
        known = f" (known as {person['preferred_name']})" if person.get("preferred_name") else ""
        self.header.setText((name or "New patient") + known)
        parts = [f"ID {record.local_patient_id}"]
        if record.mpi.get("NHSNumber"):
            parts.append(f"NHS {format_nhs_number(str(record.mpi['NHSNumber']))}")
        birth = parse_date(str(record.mpi.get("PersonBirthDate") or ""))
        if birth:
            parts.append(f"born {display_date(birth.isoformat())} (age {age_on(birth, dt.date.today())})")
        self.subheader.setText("  ·  ".join(parts))

    # -- focus (for the validation panel)
    def focus_field(self, column: str, table: str | None = None, row_values: dict[str, str] | None = None) -> bool:
        """Show the tab holding ``column`` (a technical column name) and put the cursor in it; False if absent.

        For a list of rows (``table`` such as IDS002GP) the row matching ``row_values`` is selected.
        """
        editors = {**self.form.editors, **self.referrals.form.editors}
        if table in editors:
            return self._focus_listed(editors[table], column, row_values or {})
        widget = self.findChild(QWidget, column)
        if widget is None or not widget.isEnabled():
            return False
        self._show_tabs_holding(widget)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _show_tabs_holding(self, widget: QWidget) -> None:
        for tabs in (self.form, self.referrals.form.tabs):
            for number in range(tabs.count()):
                page = tabs.widget(number)
                if page is widget or page.isAncestorOf(widget):
                    tabs.setCurrentIndex(number)

    def _focus_listed(self, editor: ChildRowsEditor, column: str, row_values: dict[str, str]) -> bool:
        self._show_tabs_holding(editor)
        model = editor.model
        rows = model.rows()
        matching = [n for n, row in enumerate(rows)
                    if all(str(row.get(name) or "") == value for name, value in row_values.items() if name in row)]
        row = matching[0] if matching else 0
        column_number = model.columns.index(column) if column in model.columns else 0
        if rows:
            editor.view.setCurrentIndex(model.index(row, column_number))
        editor.view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _warn_duplicate(self, text: str) -> None:
        """An NHS number already on another record is said next to the field (never blocks a save)."""
        if nhs_number_problem(text) is not None:
            return  # the field's own message explains the number
        others = patients_with_nhs_number(self.db, text, self.local_patient_id)
        if others:
            self.form.person.messages["NHSNumber"].show_problem(
                f"This NHS number is already on patient {', '.join(others)}: check this is not the same person.")

    # -- state
    def is_dirty(self) -> bool:
        loaded = self.form.loaded()
        if loaded is None:
            return False
        return loaded.is_new or self.form.is_dirty() or self.referrals.is_dirty()

    def _edited(self) -> None:
        dirty = self.is_dirty()
        self.state.setText("Unsaved changes" if dirty else "All changes saved")
        self.state.setStyleSheet("color: #b45309; font-weight: 600;" if dirty else "color: #15803d;")
        if dirty != self._was_dirty:
            self._was_dirty = dirty
            self.dirty_changed.emit(dirty)

    def maybe_leave(self) -> bool:
        """True when it is fine to show something else: nothing unsaved, or saved, or discarded."""
        if not self.is_dirty():
            return True
        answer = QMessageBox.question(
            self, "Unsaved changes",
            "This record has changes that are not saved yet. Save them?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _confirm_leave_referral(self) -> bool:
        return not self.referrals.is_dirty() or self.maybe_leave()

    # -- save and delete
    def _unreadable_dates_accepted(self) -> bool:
        """Typed text that is not a date cannot be stored: say so before saving the rest."""
        bad = [f for f in self.findChildren(DateField) if f.problem() and not f.isReadOnly()]
        if not bad:
            return True
        answer = QMessageBox.question(
            self, "Some dates are not dates",
            f"{len(bad)} date field{'s' if len(bad) > 1 else ''} hold{'' if len(bad) > 1 else 's'} text that is not "
            "a date (marked beside the field); it cannot be saved and the date stays as it was.\n\n"
            "Save everything else now?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Save:
            bad[0].setFocus()
            return False
        return True

    def save(self) -> bool:
        loaded = self.form.loaded()
        if loaded is None:
            return True
        if not self._unreadable_dates_accepted():
            return False
        record = self.form.record()
        referral = self.referrals.current_record()
        try:
            with self.db.atomic():
                if loaded.is_new or self.form.is_dirty():
                    save_patient(self.db, self.user, record, loaded)
                if referral is not None and self.referrals.is_dirty():
                    save_referral(self.db, self.user, referral, self.referrals.original_record())
        except AccessDenied as refused:
            QMessageBox.information(self, "Not allowed", str(refused))
            return False
        except (DatabaseError, LookupError, KeyError) as error:
            QMessageBox.warning(self, "Not saved", f"The changes could not be saved: {error}\n\n"
                                "Nothing was changed; your typing is still on screen.")
            return False
        self.open_patient(record.local_patient_id, referral.service_request_id if referral else None)
        if loaded.is_new and self.referrals.current_id() is None:
            # a new patient's next step is their referral
            self.form.setCurrentIndex(REFERRAL_TAB)
            self.referrals.new_button.setFocus()
        self.saved.emit(record.local_patient_id)
        return True

    def confirm_and_delete_patient(self) -> bool:
        loaded = self.form.loaded()
        if loaded is None:
            return False
        if loaded.is_new:
            answer = QMessageBox.question(
                self, "Discard new patient", "This new patient has not been saved. Discard it?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Discard:
                self.form.clear()
                self.local_patient_id = None
                self._edited()
                self.closed.emit()
            return False
        answer = QMessageBox.question(
            self, "Delete patient",
            f"Delete patient {loaded.local_patient_id} with all their referrals, sessions and scores?\n\n"
            "You can undo this straight away with Edit ▸ Undo delete.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            snapshot = delete_row(self.db, self.user, "IDS001MPI", loaded.local_patient_id)
        except AccessDenied as refused:
            QMessageBox.information(self, "Not allowed", str(refused))
            return False
        self.deleted.emit(loaded.local_patient_id, snapshot)
        return True

    def confirm_and_delete_referral(self) -> bool:
        current = self.referrals.current_id()
        original = self.referrals.original_record()
        if current is None or original is None or original.is_new or self.local_patient_id is None:
            return False
        answer = QMessageBox.question(
            self, "Delete referral",
            f"Delete referral {current} with its sessions and scores?\n\nYou can undo this with Edit ▸ Undo delete.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            snapshot = delete_row(self.db, self.user, "IDS101Referral", current)
        except AccessDenied as refused:
            QMessageBox.information(self, "Not allowed", str(refused))
            return False
        self.deleted.emit(self.local_patient_id, snapshot)
        self.open_patient(self.local_patient_id)
        return True
