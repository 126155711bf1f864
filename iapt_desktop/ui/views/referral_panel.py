"""The patient's referrals: pick one (or start a new one) and edit it in a ReferralForm."""

from __future__ import annotations

import importlib

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from sqlite_utils import Database

from iapt_desktop.domain.access import AccessDenied, User
from iapt_desktop.domain.assessment_scales import GAD7, PHQ9
from iapt_desktop.storage.referral_records import (
    ReferralRecord,
    counsellors,
    list_referrals,
    load_referral,
    load_sessions,
    new_referral_record,
    referral_scores,
)
from iapt_desktop.ui.views.referral_form import ReferralForm
from iapt_desktop.ui.views.referral_sessions import score_chart_class

NOT_ON_CASELOAD = ("This referral is not on your caseload (it may have moved to a colleague), so it cannot be "
                   "opened. Ask an administrator if it should be on your caseload.")


class ReferralPanel(QWidget):
    """Signals: edited(); session_saved() — the session dialog changed the sessions."""

    edited = Signal()
    session_saved = Signal()

    def __init__(self, db: Database, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.user = user
        self.local_patient_id: str | None = None
        self.chooser = QComboBox(self)
        self.chooser.setObjectName("referralChooser")
        self.chooser.setMinimumContentsLength(40)
        self.new_button = QPushButton("New referral", self)
        self.new_button.setObjectName("newReferral")
        self.empty = QLabel("No referral yet. Choose New referral to record one.", self)
        self.empty.setStyleSheet("color: #64748b; padding: 12px;")
        self.form = ReferralForm(counsellors(db), self)
        self.form.edited.connect(self.edited)
        self.form.sessions.open_requested.connect(self.open_session)
        self._chart = score_chart_class()(self)
        self.form.sessions.set_chart(self._chart)
        top = QHBoxLayout()
        top.addWidget(QLabel("Referral", self))
        top.addWidget(self.chooser, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.form, 1)
        self.chooser.activated.connect(self._chosen)
        self._current: str | None = None
        self.confirm_leave = lambda: True  # set by the record view: asks about unsaved changes
        self.session_dialog: QWidget | None = None  # the open session form, if any

    # -- loading
    def show_patient(self, local_patient_id: str, select: str | None = None) -> None:
        self.local_patient_id = local_patient_id
        summaries = list_referrals(self.db, self.user, local_patient_id)
        self.chooser.clear()
        for summary in summaries:
            self.chooser.addItem(summary.title, summary.service_request_id)
        has_any = bool(summaries)
        self.chooser.setEnabled(has_any)
        self.empty.setVisible(not has_any)
        self.form.setVisible(has_any)
        self._current = None
        if has_any:
            index = max(0, self.chooser.findData(select)) if select else 0
            self.chooser.setCurrentIndex(index)
            self._load(str(self.chooser.itemData(index)))

    def _chosen(self, index: int) -> None:
        key = self.chooser.itemData(index)
        if key == self._current:
            return
        if not self.confirm_leave():
            self.chooser.setCurrentIndex(max(0, self.chooser.findData(self._current)))
            return
        self._load(str(key))

    def _load(self, service_request_id: str) -> None:
        try:
            record = load_referral(self.db, self.user, service_request_id)
            sessions = load_sessions(self.db, self.user, service_request_id) if record is not None else []
        except AccessDenied:  # moved to a colleague since the list was shown
            self._refused()
            return
        if record is None:
            return
        self._current = service_request_id
        self.form.load(record, sessions)
        self._refresh_chart()

    def _refused(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(self, "Not on your caseload", NOT_ON_CASELOAD)
        self.chooser.setCurrentIndex(max(0, self.chooser.findData(self._current)))

    def start_new(self) -> None:
        """A new, unsaved referral for this patient, held by the signed-in counsellor."""
        if self.local_patient_id is None:
            return
        record = new_referral_record(self.db, self.local_patient_id, self.user.care_personnel_id)
        self._current = record.service_request_id
        self.chooser.addItem(f"Referral {record.service_request_id} — new, not saved yet", record.service_request_id)
        self.chooser.setCurrentIndex(self.chooser.count() - 1)
        self.chooser.setEnabled(True)
        self.empty.hide()
        self.form.show()
        self.form.load(record, [])
        self.form.received.setFocus()
        self.edited.emit()

    def current_record(self) -> ReferralRecord | None:
        return self.form.record() if self._current and not self.form.isHidden() else None

    def original_record(self) -> ReferralRecord | None:
        return self.form.loaded()

    def is_dirty(self) -> bool:
        loaded = self.original_record()
        return bool(self._current and loaded and (loaded.is_new or self.form.is_dirty()))

    def current_id(self) -> str | None:
        return self._current

    # -- sessions
    def open_session(self, care_contact_id: str | None) -> None:
        loaded = self.original_record()
        if self._current is None or loaded is None:
            return
        from PySide6.QtWidgets import QMessageBox

        if loaded.is_new:
            QMessageBox.information(self, "Save the referral first",
                                    "Save the new referral (Ctrl+S) before recording its sessions.")
            return
        try:
            dialog_class = importlib.import_module("iapt_desktop.ui.session.session_dialog").SessionDialog
        except (ImportError, AttributeError):
            QMessageBox.information(self, "Sessions", "The session form is not installed in this build.")
            return
        try:  # the referral may have moved to a colleague since it was shown
            load_referral(self.db, self.user, self._current)
        except AccessDenied:
            self._refused()
            return
        dialog = dialog_class(self.db, self.user, self._current, care_contact_id, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _contact: self._sessions_changed())
        self.session_dialog = dialog
        dialog.open()  # window-modal without a nested event loop

    def _sessions_changed(self) -> None:
        if self._current is None:
            return
        self.form.sessions.set_sessions(self._current, load_sessions(self.db, self.user, self._current))
        self.form.refresh_waits()
        self._refresh_chart()
        self.session_saved.emit()

    def _refresh_chart(self) -> None:
        if self._current:
            self._chart.set_scores(referral_scores(self.db, self.user, self._current, (PHQ9, GAD7)))
