"""Open the record behind a validation finding, with the cursor in the field at fault.

Patients and referrals open in the main window's record view; sessions open in
the session form (SessionDialog) (non-modal, over the main window);
staff and header findings open the Staff and Settings dialogs.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from iapt_desktop.storage.finding_records import FindingRecord, locate_finding
from iapt_desktop.storage.record_visibility import referral_visible
from iapt_desktop.validation.findings import Finding


def _show_patient(window: Any, patient: str, referral: str | None) -> bool:
    record = window.record
    showing = record.local_patient_id == patient and window.stack.currentWidget() is record
    if not showing and not window.show_patient(patient):
        return False
    if referral and record.referrals.current_id() != referral:
        if not record.referrals.confirm_leave():
            return False
        record.open_patient(patient, referral)
    return True


def open_finding(window: Any, finding: Finding) -> QWidget | None:
    """Open the finding's record; returns the widget now showing it (None when it cannot be opened)."""
    target = locate_finding(window.session.db, finding.table, finding.key, finding.row_id)
    if target.kind == "settings":
        from iapt_desktop.ui.admin.settings_dialog import open_settings

        return open_settings(window, window.session)
    if target.kind == "staff":
        from iapt_desktop.ui.admin.staff_dialog import open_staff

        return open_staff(window, window.session, target.care_personnel_id)
    if not target.kind or target.local_patient_id is None:
        QMessageBox.information(window, "Record not found",
                                "This record is no longer stored (it may have been deleted since the check). "
                                "Check again to refresh the list.")
        return None
    if not _show_patient(window, target.local_patient_id, target.service_request_id):
        return None
    if target.kind == "session":
        return _open_session(window, target, finding)
    window.record.focus_field(finding.field, finding.table, target.row_values)
    return window.record


def _open_session(window: Any, target: FindingRecord, finding: Finding) -> QWidget | None:
    from iapt_desktop.ui.session.session_dialog import SessionDialog

    session = window.session
    if not referral_visible(session.db, session.user, str(target.service_request_id)):  # a stale finding
        QMessageBox.information(window, "Not on your caseload",
                                "This session's referral is not on your caseload (it may have moved to a "
                                "colleague), so it cannot be opened. Ask an administrator if it should be.")
        return None
    dialog = SessionDialog(session.db, session.user, target.service_request_id, target.care_contact_id,
                           parent=window)
    dialog.saved.connect(lambda _id: window.record.open_patient(target.local_patient_id, target.service_request_id))
    dialog.saved.connect(lambda _id: window.record.saved.emit(target.local_patient_id or ""))
    dialog.show()
    dialog.focus_field(finding.field)
    return dialog
