"""Settings: the organisation codes the monthly file carries, the default commissioner, the blank IDB
template and the inactivity lock.  Each value is checked as it is typed, with the message next to it; Save is
disabled only while a value could not be stored as it is (a code that is not an ODS code)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from iapt_desktop.domain.access import AccessDenied, Action, User
from iapt_desktop.domain.field_checks import ods_code_problem
from iapt_desktop.domain.inactivity import lock_minutes
from iapt_desktop.domain.settings import setting
from iapt_desktop.jobs.write_submission import idb_problem_here
from iapt_desktop.storage.settings_store import all_settings
from iapt_desktop.storage.staff_records import save_settings
from iapt_desktop.ui.widgets.field_message import FieldMessage

MAX_LOCK_MINUTES = 15
CODE_LIMITS = {"provider_ods": (3, 6), "submitter_ods": (3, 6), "default_commissioner": (3, 5)}
EMPTY_NOTES = {
    "provider_ods": "Needed for the monthly file: without it the header has no provider code.",
    "submitter_ods": "Empty: the provider code is used as the submitting organisation.",
    "default_commissioner": "Empty: new referrals start without a commissioner.",
}


def code_check(key: str) -> Callable[[str], tuple[str | None, bool]]:
    """(message, blocks saving) for an organisation code as typed."""
    low, high = CODE_LIMITS[key]

    def check(text: str) -> tuple[str | None, bool]:
        value = text.strip().upper()
        if not value:
            return EMPTY_NOTES[key], False
        problem = ods_code_problem(value, low, high)
        return problem, problem is not None

    return check


class SettingsDialog(QDialog):
    """Signals: saved(object) — {key: [old, new]} of the settings a save changed."""

    saved = Signal(object)

    def __init__(self, db: Database, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings — IAPT Desktop")
        self.db = db
        self.user = user
        stored = all_settings(db)
        self.edits: dict[str, QLineEdit] = {}
        self.messages: dict[str, FieldMessage] = {}
        self._blocking: dict[str, bool] = {}
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        for key in ("provider_ods", "submitter_ods", "default_commissioner"):
            edit = QLineEdit(stored[key], self)
            edit.setObjectName(key)
            edit.setMaxLength(12)
            edit.setToolTip(setting(key).help)
            self._add(form, key, edit, code_check(key))
        self.template = QLineEdit(stored["idb_template_path"], self)
        self.template.setObjectName("idb_template_path")
        self.template.setToolTip(setting("idb_template_path").help)
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.template, 1)
        row.addWidget(browse)
        self.edits["idb_template_path"] = self.template
        self.messages["idb_template_path"] = FieldMessage(self)
        form.addRow(setting("idb_template_path").label, row)
        form.addRow("", self.messages["idb_template_path"])
        self.template.textChanged.connect(lambda _t: self._check_template())
        self.lock = QSpinBox(self)
        self.lock.setObjectName("auto_lock_minutes")
        self.lock.setRange(1, MAX_LOCK_MINUTES)
        self.lock.setSuffix(" minutes")
        self.lock.setValue(max(1, min(MAX_LOCK_MINUTES, int(stored["auto_lock_minutes"] or 10)
                                      if str(stored["auto_lock_minutes"]).isdigit() else 10)))
        self.lock.setToolTip(setting("auto_lock_minutes").help)
        form.addRow(setting("auto_lock_minutes").label, self.lock)
        form.addRow("", _hint(f"At most {MAX_LOCK_MINUTES} minutes: patient data must not stay on an unattended "
                              "screen.", self))
        intro = QLabel("These go into every monthly file's header and onto new referrals.", self)
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        editable = user.can(Action.MANAGE_SETTINGS)
        for widget in (*self.edits.values(), self.lock, browse):
            widget.setEnabled(editable)
        self._check_template()
        self._update_save()
        self.resize(720, 440)

    def _add(self, form: QFormLayout, key: str, edit: QLineEdit,
             check: Callable[[str], tuple[str | None, bool]]) -> None:
        message = FieldMessage(self)
        message.setObjectName(f"{key}Message")
        self.edits[key] = edit
        self.messages[key] = message
        form.addRow(setting(key).label, edit)
        form.addRow("", message)

        def changed(text: str) -> None:
            problem, blocks = check(text)
            if blocks:
                message.show_problem(problem)
            else:
                message.show_note(problem)
            self._blocking[key] = blocks
            self._update_save()

        edit.textChanged.connect(changed)
        changed(edit.text())

    def _check_template(self) -> None:
        message = self.messages["idb_template_path"]
        text = self.template.text().strip()
        if not text:
            message.show_note("No template set: packages are written without the IDB (the file SDCS Cloud takes). "
                              "Download IAPTMasterIDB_2.1 from TRUD and choose it here.")
            return
        problem = idb_problem_here(self.db, Path(text))
        if problem is None:
            message.show_note("An IDB can be written on this computer.")
        else:
            message.show_problem(f"{problem} The path can still be saved (for example a drive not connected now).")

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "The blank IDB template", self.template.text(),
                                                "Access databases (*.accdb *.mdb);;All files (*)")
        if chosen:
            self.template.setText(chosen)

    def _update_save(self) -> None:
        self.save_button.setEnabled(self.user.can(Action.MANAGE_SETTINGS) and not any(self._blocking.values()))

    def values(self) -> dict[str, str]:
        result = {key: edit.text().strip() for key, edit in self.edits.items()}
        for key in CODE_LIMITS:
            result[key] = result[key].upper()
        result["auto_lock_minutes"] = str(self.lock.value())
        return result

    def save(self) -> bool:
        if any(self._blocking.values()):
            return False
        try:
            changed = save_settings(self.db, self.user, self.values())
        except AccessDenied as refused:
            QMessageBox.information(self, "Not allowed", str(refused))
            return False
        self.saved.emit(changed)
        self.accept()
        return True


def _hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #64748b;")
    return label


def apply_lock_minutes(window: Any, changed: dict[str, list[str]]) -> None:
    """A new inactivity limit takes effect at once in the running app (the security screens' AutoLock)."""
    auto_lock = getattr(window, "auto_lock", None)
    if "auto_lock_minutes" not in changed or auto_lock is None or not hasattr(auto_lock, "policy"):
        return
    auto_lock.policy.minutes = lock_minutes(changed["auto_lock_minutes"][1])
    auto_lock.timer.setInterval(auto_lock.policy.idle_limit_seconds * 1000)
    auto_lock.timer.start()


def open_settings(window: Any, session: Any) -> SettingsDialog:
    dialog = SettingsDialog(session.db, session.user, window)
    dialog.saved.connect(lambda changed: apply_lock_minutes(window, changed))
    dialog.open()
    return dialog
