"""Record or edit one session (care contact): the contact, the care activity, the questionnaires.

Keyboard first. A new session opens with defaults (today, now, attended, the rest as last
time) and the cursor on the first PHQ-9 item: type the answers from the paper form (each
key sets an item and moves on; Backspace goes back), then Ctrl+S or Enter saves. A risk
answer (PHQ-9 item 9 above 0) shows a red banner that must be acknowledged before saving.
Esc asks before discarding changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from iapt_desktop.domain.access import AccessDenied, Action, User
from iapt_desktop.domain.care_session import ATTENDED, Problem, SessionRecord, session_problems
from iapt_desktop.domain.codes import label
from iapt_desktop.domain.questionnaires import ROUTINE, questionnaires
from iapt_desktop.storage.database import DatabaseError
from iapt_desktop.storage.session_queries import (
    contacts,
    referral,
    referral_holder,
    risk_alerts,
    session_scores,
    staff,
)
from iapt_desktop.storage.session_records import load_session, new_session, save_session
from iapt_desktop.ui.session.questionnaire_area import Panel, QuestionnaireArea
from iapt_desktop.ui.session.questionnaire_panel import TypedTotalPanel
from iapt_desktop.ui.session.risk_banner import RiskBanner
from iapt_desktop.ui.session.session_fields import SessionFields

PROBLEM_STYLE = "color: #9a3412; background: #fff7ed; border-radius: 4px; padding: 6px 8px;"
NOTE_STYLE = "color: #334155; background: #f1f5f9; border-radius: 4px; padding: 6px 8px;"
HINT = ("Type each answer's number: the cursor moves to the next item (Backspace goes back). "
        "Ctrl+S saves · Esc closes · Alt+underlined letter jumps to a field.")


class SessionDialog(QDialog):
    """Signals: saved(str) — the CareContactId, after the session was saved."""

    saved = Signal(str)

    def __init__(self, db: Database, user: User, service_request_id: str, care_contact_id: str | None = None,
                 parent: QWidget | None = None, *, now: dt.datetime | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.user = user
        self._now = now
        self.setWindowTitle("Session — IAPT Desktop")  # never identifiable data in a title
        self.setObjectName("sessionDialog")
        self._referral = referral(db, user, service_request_id)
        if care_contact_id:
            self._record = load_session(db, user, care_contact_id)
            self._had_activity = self._record.care_activity_id is not None
        else:
            self._record = new_session(db, user, service_request_id, self.now())
            self._had_activity = False
        holder = referral_holder(db, service_request_id)
        action = Action.EDIT_RECORD if care_contact_id else Action.CREATE_RECORD
        self.editable = user.can(action) and (
            not holder or holder == user.care_personnel_id or user.can(Action.EDIT_OTHERS_CASELOAD))
        self._recorded_alerts: list[Any] = []
        self._ack_signature: frozenset[tuple[str, int, str]] | None = None
        self._discard_question: QMessageBox | None = None
        self._discarding = False
        self._save_tried = False
        self._build(staff(db, [self._record.activity.get("CarePersLocalId")]))
        self._load()
        self._initial = self._snapshot()
        self._fit_to_screen()

    # --- construction
    def now(self) -> dt.datetime:
        return self._now or dt.datetime.now()

    def _build(self, members: list[Any]) -> None:
        record = self._record
        self.heading = QLabel(self)
        self.heading.setObjectName("heading")
        self.heading.setStyleSheet("font-size: 17px; font-weight: 600; color: #0f172a;")
        self.context = QLabel(self._context_text(), self)
        self.context.setStyleSheet("color: #475569;")
        self.hint = QLabel(HINT if self.editable else
                           "You can read this session but not change it (your role or caseload does not allow it).",
                           self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #64748b; font-size: 12px;")
        self.fields = SessionFields(members, self)
        self.banner = RiskBanner(self)
        self.not_attended = QLabel(self)
        self.not_attended.setObjectName("notAttendedNote")
        self.not_attended.setWordWrap(True)
        self.not_attended.setStyleSheet(NOTE_STYLE)
        self.not_attended.hide()
        self.questionnaires = QuestionnaireArea(self)
        self.problems = QLabel(self)
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(PROBLEM_STYLE)
        self.problems.hide()
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveButton")
        self.save_button.setToolTip("Save the session (Ctrl+S)")
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(12)
        top.addWidget(self.context, 1)
        self.context.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(self.fields)
        layout.addWidget(self.banner)
        layout.addWidget(self.not_attended)
        layout.addWidget(self.questionnaires, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.setStyleSheet("#sessionDialog { background: #f8fafc; }")
        self.heading.setText("New session" if record.care_contact_id is None else f"Session {record.care_contact_id}")
        self.fields.changed.connect(self._changed)
        self.fields.attendance_changed.connect(self._attendance_changed)
        self.banner.acknowledged_changed.connect(self._acknowledged)
        self.save_button.setVisible(self.editable)
        self.questionnaires.set_tab_neighbours(self.fields.interpreter, [self.save_button, self.cancel_button])
        self.questionnaires.changed.connect(self._changed)
        self.questionnaires.changed.connect(self._update_risk)
        self.questionnaires.all_finished.connect(lambda: self.save_button.setFocus(Qt.FocusReason.OtherFocusReason))

    def _context_text(self) -> str:
        earlier = [c for c in contacts(self.db, self.user, self._record.service_request_id)
                   if c["CareContactId"] != self._record.care_contact_id]
        text = f"Referral {self._record.service_request_id}"
        if earlier:
            last = earlier[-1]
            day = dt.date.fromisoformat(last["CareContDate"]).strftime("%d/%m/%Y") if last["CareContDate"] else "?"
            kind = label("AppType", last["AppType"]) or "session"
            text += f" · {len(earlier)} earlier session{'s' if len(earlier) > 1 else ''}, last {day} ({kind.lower()})"
            scores = session_scores(self.db, self.user, last["CareContactId"])
            shown = [f"{form.name} {scores[form.code]}" for key in ROUTINE
                     if (form := questionnaires()[key]).code in scores]
            if shown:
                text += ": " + ", ".join(shown)
        else:
            text += " · first session"
        return text

    def _load(self) -> None:
        record = self._record
        self.fields.load(record)
        for key in record.shown_questionnaires():
            panel = self.questionnaires.add(key)
            if isinstance(panel, TypedTotalPanel):
                panel.set_total(record.typed_totals.get(key, ""))
            else:
                panel.set_answers(record.answers.get(key, {}))
                panel.set_recorded_total(record.recorded_totals.get(key))
        alerts = risk_alerts(self.db, self.user, record.care_contact_id) if record.care_contact_id else []
        self._recorded_alerts = alerts
        self.banner.acknowledge.setChecked(record.risk_acknowledged)
        self.banner.note.setText(record.risk_note)
        self._ack_signature = self._risk_signature() if record.risk_acknowledged else None
        self.banner.note.textChanged.connect(self._changed)
        self._update_risk()
        self._attendance_changed(self.fields.attendance.value())
        for widget in (self.fields, self.banner):
            widget.setEnabled(self.editable)
        self.questionnaires.set_editable(self.editable)

    def _fit_to_screen(self) -> None:
        """Roomy (two questionnaires side by side), but never larger than the window it opens over or the screen."""
        width, height = 1120, 900
        parent = self.parentWidget()
        screen = self.screen()
        area = parent.window().geometry() if parent is not None else (
            screen.availableGeometry() if screen is not None else None)
        if area is not None:
            width, height = min(width, area.width() - 40), min(height, area.height() - 40)
        self.resize(width, height)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not getattr(self, "_focused_once", False):
            self._focused_once = True
            new = self._record.care_contact_id is None
            if not (self.editable and new and self._attended() and self.questionnaires.focus_first()):
                self.fields.date.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- questionnaires
    def add_questionnaire(self, key: str) -> Panel:
        """Show a questionnaire on this session (or the one already shown) and put the cursor in it."""
        return self.questionnaires.add_and_focus(key)

    @property
    def panels(self) -> dict[str, Panel]:
        return self.questionnaires.panels

    # --- live state
    def _attended(self) -> bool:
        return self.fields.attendance.value() in ATTENDED

    def _attendance_changed(self, code: object) -> None:
        attended = code in ATTENDED
        self.fields.set_activity_enabled(attended and self.editable)
        self.questionnaires.setEnabled(attended)
        if attended:
            self.not_attended.hide()
        else:
            text = (f"Not attended ({code} · {label('AttendOrDNACode', str(code)).split(' (')[0]}): "
                    "no care activity or questionnaires are recorded for this session.")
            if self._had_activity:
                text += " Saving removes the care activity and scores recorded for it earlier."
            self.not_attended.setText(text)
            self.not_attended.show()
        self._update_risk()

    def _risk_signature(self) -> frozenset[tuple[str, int, str]]:
        return frozenset((r.questionnaire, r.item, r.answer) for r in self._current_risks())

    def _current_risks(self) -> list[Any]:
        if not self._attended():
            return []
        return self.questionnaires.risks()

    def _update_risk(self) -> None:
        risks = self._current_risks()
        if risks and self._ack_signature is not None and self._risk_signature() != self._ack_signature:
            self.banner.acknowledge.setChecked(False)  # a different risk answer needs confirming again
        recorded = ""
        if self._recorded_alerts and self.banner.acknowledge.isChecked():
            last = self._recorded_alerts[-1]
            recorded = f"Recorded: {last.acknowledged_by} confirmed the risk procedure on {last.acknowledged_at}."
        self.banner.show_risks(risks, recorded)

    def _acknowledged(self, checked: bool) -> None:
        self._ack_signature = self._risk_signature() if checked else None
        self._changed()

    def _changed(self) -> None:
        """Checks as you type: field problems show at once; the risk confirmation and a questionnaire's own
        message (shown in its panel) join them once saving has been tried."""
        if not hasattr(self, "problems"):
            return
        problems = self._problems()
        if not self._save_tried:
            problems = [p for p in problems if p.column != "risk" and p.column not in self.panels]
        self._show_problems(problems)

    # --- the record
    def current_record(self) -> SessionRecord:
        """The session as the form shows it now."""
        source = self._record
        record = SessionRecord(
            service_request_id=source.service_request_id,
            care_contact_id=source.care_contact_id,
            care_activity_id=source.care_activity_id,
            contact=dict(source.contact),
            activity=dict(source.activity),
            recorded_totals=dict(source.recorded_totals),
        )
        self.fields.store(record)
        record.answers = self.questionnaires.answers()
        record.typed_totals = self.questionnaires.typed_totals()
        record.risk_acknowledged = self.banner.is_acknowledged()
        record.risk_note = self.banner.note.text()
        return record

    def _snapshot(self) -> tuple[Any, ...]:
        record = self.current_record()
        return (sorted(record.contact.items(), key=str), sorted(record.activity.items(), key=str),
                sorted((k, sorted(v.items())) for k, v in record.answers.items() if v),
                sorted((k, v) for k, v in record.typed_totals.items() if v),
                record.risk_acknowledged, record.risk_note)

    def has_unsaved_changes(self) -> bool:
        return self.editable and self._snapshot() != self._initial

    def _problems(self) -> list[Problem]:
        return session_problems(self.current_record(), self.now().date(), self.now(),
                                self._referral.get("ReferralRequestReceivedDate"))

    def _show_problems(self, problems: list[Problem]) -> None:
        self.problems.setText("\n".join(p.message for p in problems))
        self.problems.setVisible(bool(problems))

    # --- save and close
    def save(self) -> bool:
        """Check and save; True when saved (the dialog then closes and ``saved`` is emitted)."""
        if not self.editable:
            return False
        self._save_tried = True
        problems = self._problems()
        self._show_problems(problems)
        if problems:
            self._focus_problem(problems[0].column)
            return False
        record = self.current_record()
        try:
            care_contact_id = save_session(self.db, self.user, record, dt.datetime.now())
        except (AccessDenied, ValueError, LookupError, DatabaseError) as error:
            self._show_problems([Problem("", f"Not saved: {error}")])
            return False
        self._record = record
        self._initial = self._snapshot()
        self.saved.emit(care_contact_id)
        self.accept()
        return True

    def focus_field(self, field: str) -> bool:
        """Put the cursor on the field of a data set column (e.g. from a validation finding).

        IDS201 / IDS202 columns go to their field (opening "More details" when needed); score columns
        (CodedAssToolType, PersScore) to the first questionnaire; anything else to the date (False).
        """
        if self.fields.focus_column(field):
            return True
        if field in ("CodedAssToolType", "PersScore") and self._attended() and self.questionnaires.focus_first():
            return True
        self.fields.date.setFocus(Qt.FocusReason.OtherFocusReason)
        return False

    def _focus_problem(self, column: str) -> None:
        if column == "risk":
            self.banner.acknowledge.setFocus(Qt.FocusReason.OtherFocusReason)
        elif column in self.panels:
            self.panels[column].focus_first_unanswered()
        else:
            self.fields.focus_column(column)

    def reject(self) -> None:
        """Esc / Cancel / close: asks first when there are unsaved changes (the question is not blocking)."""
        if not self.has_unsaved_changes() or self._discarding:
            super().reject()
            return
        if self._discard_question is not None and self._discard_question.isVisible():
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved session",
                          "This session has changes that are not saved. Discard them?",
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("discardQuestion")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        discard = box.addButton("&Discard changes", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("&Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        discard.clicked.connect(self._discard)
        self._discard_question = box
        box.open()

    def _discard(self) -> None:
        self._discarding = True
        super().reject()
