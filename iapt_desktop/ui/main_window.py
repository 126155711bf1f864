"""The main window: assembles the caseload, the patient record, menus and status bar; no record logic."""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QPushButton, QSplitter, QStackedWidget, QWidget

from iapt_desktop.domain.access import AccessDenied, Action
from iapt_desktop.ui.icons import icon
from iapt_desktop.ui.main_menus import add_admin_actions, add_file_dialogs, build_menus, make_action
from iapt_desktop.ui.security.automatic_backup import AutomaticBackup
from iapt_desktop.ui.undo_deletes import DeleteUndoStack
from iapt_desktop.ui.views.caseload_view import CaseloadView
from iapt_desktop.ui.window_geometry import default_splitter_sizes, default_window_rect, frame_on_a_screen

if TYPE_CHECKING:
    from iapt_desktop.ui.views.patient_record_view import PatientRecordView

SETTINGS_GROUP = "main_window"  # QSettings keys: window geometry and layout only, never patient data
# caseload_columns_v2: the header state since the columns were put in their present order
UNDO_OFFER_MS = 20000
DASHBOARD_MODULE = "iapt_desktop.ui.dashboard.service_dashboard"


class MainWindow(QMainWindow):
    def __init__(self, session: Any, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session  # has .db, .location, .user (storage.session.Session or alike)
        self.settings = settings or QSettings()
        db, user = session.db, session.user
        self.setWindowTitle("IAPT Desktop")
        self.setWindowIcon(icon("app"))
        self.setObjectName("mainWindow")
        self.caseload = CaseloadView(db, user, self)
        self._record: PatientRecordView | None = None  # built when first needed (see ``record``): not at start-up
        self.placeholder = QLabel("Choose a patient from the list, or press Ctrl+N for a new patient.", self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #64748b; font-size: 12pt;")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.splitter = QSplitter(self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.caseload)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.undo = DeleteUndoStack(db, user, self)
        self._build_actions()
        self._build_status_bar()
        self.caseload.patient_chosen.connect(self.show_patient)
        self.caseload.view.activated.connect(lambda _index: self.record.form.currentWidget().setFocus())
        self.undo.changed.connect(self._undo_changed)
        self.undo.restored.connect(self._after_restore)
        self.setWindowTitle("IAPT Desktop[*]")
        self.restore_window_state()
        self._undo_changed()

    # -- assembling
    def _build_actions(self) -> None:
        user = self.session.user
        a = {
            "new_patient": make_action(self, "&New patient", self.new_patient, QKeySequence.StandardKey.New,
                                       "new-patient"),
            "open_database": make_action(self, "&Open database…", self._open_database, QKeySequence.StandardKey.Open,
                                         "open-database"),
            "save": make_action(self, "&Save", lambda: self._record and self._record.save(),
                                QKeySequence.StandardKey.Save, "save"),
            "change_password": make_action(self, "Change my &password…", self._change_password),
            "quit": make_action(self, "&Quit", self.close, QKeySequence.StandardKey.Quit, "quit"),
            "undo_delete": make_action(self, "&Undo delete", self.undo_delete, QKeySequence.StandardKey.Undo, "undo"),
            "find": make_action(self, "&Find patient", self.caseload.focus_search, QKeySequence.StandardKey.Find),
            "my_caseload": make_action(self, "&My caseload", lambda: self.caseload.scope.setCurrentIndex(0),
                                       "Ctrl+1"),
            "all_patients": make_action(self, "&All patients", lambda: self.caseload.scope.setCurrentIndex(1),
                                        "Ctrl+2"),
            "refresh": make_action(self, "&Refresh", lambda: self.caseload.refresh(self._open_patient_id()),
                                   QKeySequence.StandardKey.Refresh, "refresh"),
            "new_referral": make_action(self, "New &referral", self._new_referral, "Ctrl+R"),
            "new_session": make_action(self, "New &session…",
                                       lambda: self._record and self._record.referrals.open_session(None),
                                       "Ctrl+Shift+N"),
            "delete_referral": make_action(self, "Delete referral…",
                                           lambda: self._record and self._record.confirm_and_delete_referral()),
            "delete_patient": make_action(self, "&Delete patient…",
                                          lambda: self._record and self._record.confirm_and_delete_patient(),
                                          icon_name="delete"),
            "about": make_action(self, "&About IAPT Desktop", self._show_about, icon_name="about"),
        }
        a["all_patients"].setEnabled(user.can(Action.VIEW_ALL_CASELOADS))
        a["change_password"].setEnabled(hasattr(self.session, "lock_until_connection_goes"))  # encrypted only
        for name in ("new_patient", "new_referral"):
            a[name].setEnabled(user.can(Action.CREATE_RECORD))
        for name in ("delete_patient", "delete_referral"):
            a[name].setEnabled(user.can(Action.DELETE_RECORD))
        self.actions_by_name = a
        self.menus = build_menus(self.menuBar(), a)
        if self._dashboard_installed():
            view = self.menus["View"]
            view.addSeparator()
            view.addAction(make_action(self, "Service &dashboard", self._open_dashboard, "Ctrl+D"))
        add_admin_actions(self.menus["Administration"], self, self.session, user)
        add_file_dialogs(self.menus["File"], self, self.session, user, before=a["change_password"])

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        user = self.session.user
        self.user_label = QLabel(f"Signed in: {user.display_name} ({user.role.label})", self)
        self.db_label = QLabel(f"Database: {self.session.location.path.name}", self)
        self.db_label.setToolTip(str(self.session.location.path))
        self.count_label = self.caseload.count
        self.undo_message = QLabel(self)
        self.undo_button = QPushButton("Undo", self)
        self.undo_button.setObjectName("undoButton")
        self.undo_button.clicked.connect(self.undo_delete)
        bar.addWidget(self.undo_message)
        bar.addWidget(self.undo_button)
        # the automatic backup at sign-in, when due: started once the window is shown (see showEvent)
        self.automatic_backup = AutomaticBackup(self.session, self)
        bar.addPermanentWidget(self.automatic_backup)
        bar.addPermanentWidget(self.count_label)  # moved from under the caseload list
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.db_label)
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_OFFER_MS)
        self._undo_timer.timeout.connect(self._hide_undo_offer)

    @property
    def record(self) -> PatientRecordView:
        """The patient record view, built the first time a patient is opened or created (it is most of the
        window's construction, and the caseload paints without it)."""
        if self._record is None:
            from iapt_desktop.ui.views.patient_record_view import PatientRecordView

            record = PatientRecordView(self.session.db, self.session.user, self)
            self.stack.addWidget(record)
            record.saved.connect(self._after_save)
            record.deleted.connect(self._after_delete)
            record.closed.connect(lambda: self.stack.setCurrentWidget(self.placeholder))
            record.dirty_changed.connect(lambda dirty: self.setWindowModified(dirty))
            self._record = record
        return self._record

    def _open_patient_id(self) -> str | None:
        return self._record.local_patient_id if self._record is not None else None

    def _may_leave_record(self) -> bool:
        return self._record is None or self._record.maybe_leave()

    # -- navigation
    def show_patient(self, local_patient_id: str) -> bool:
        if local_patient_id == self._open_patient_id() and self.stack.currentWidget() is self._record:
            return True
        if not self._may_leave_record():
            if self.record.local_patient_id:
                self.caseload.select(self.record.local_patient_id)
            return False
        if self.record.open_patient(local_patient_id):
            self.stack.setCurrentWidget(self.record)
            return True
        self.caseload.refresh(self._open_patient_id())  # the row was stale: gone, or no longer on the caseload
        return False

    def new_patient(self) -> None:
        if self._may_leave_record():
            self.record.new_patient()
            self.stack.setCurrentWidget(self.record)

    def _new_referral(self) -> None:
        if self._record is not None and self.stack.currentWidget() is self._record \
                and self._record.referrals.confirm_leave():
            self.record.form.setCurrentWidget(self.record.referrals)
            self.record.referrals.start_new()

    def _after_save(self, local_patient_id: str) -> None:
        self.caseload.refresh(local_patient_id)
        self.statusBar().showMessage("Saved", 3000)

    # -- delete and undo
    def _after_delete(self, local_patient_id: str, snapshot: dict[str, Any]) -> None:
        item = self.undo.push(local_patient_id, snapshot)
        if next(iter(snapshot)) == "IDS001MPI":
            self.record.local_patient_id = None
            self.stack.setCurrentWidget(self.placeholder)
        self.caseload.refresh(self.record.local_patient_id)
        self.undo_message.setText(f"Deleted {item.description}.")
        self.undo_message.show()
        self.undo_button.show()
        self._undo_timer.start()

    def undo_delete(self) -> None:
        try:
            self.undo.undo()
        except AccessDenied as refused:
            QMessageBox.information(self, "Not allowed", str(refused))

    def _after_restore(self, local_patient_id: str) -> None:
        self._hide_undo_offer()
        self.caseload.refresh(local_patient_id)
        self.record.open_patient(local_patient_id)
        self.stack.setCurrentWidget(self.record)
        self.statusBar().showMessage("Delete undone", 3000)

    def _undo_changed(self) -> None:
        action = self.actions_by_name["undo_delete"]
        action.setEnabled(self.undo.can_undo())
        action.setText(f"&Undo delete {self.undo.last_description()}" if self.undo.can_undo() else "&Undo delete")
        if not self.undo.can_undo():
            self._hide_undo_offer()

    def _hide_undo_offer(self) -> None:
        self.undo_message.hide()
        self.undo_button.hide()

    # -- other windows
    def _show_about(self) -> None:
        from iapt_desktop.ui.dialogs.about_dialog import show_about

        show_about(self)

    @staticmethod
    def _dashboard_installed() -> bool:
        """Whether the dashboard module is there, without importing it (it pulls in the metrics code)."""
        try:
            return importlib.util.find_spec(DASHBOARD_MODULE) is not None
        except (ImportError, ValueError):
            return False

    def dashboard_class(self) -> Any | None:
        try:
            return importlib.import_module(DASHBOARD_MODULE).ServiceDashboard
        except (ImportError, AttributeError):
            return None

    def _open_dashboard(self) -> None:
        dashboard_class = self.dashboard_class()
        if dashboard_class is not None:
            self._dashboard = dashboard_class(self.session.location, self, user=self.session.user)
            self._dashboard.setWindowFlag(Qt.WindowType.Window)
            self._dashboard.show()

    def _change_password(self) -> None:
        from iapt_desktop.ui.security.password_dialogs import ChangePasswordDialog

        ChangePasswordDialog(self.session, parent=self).exec()

    def _open_database(self) -> None:
        opener = getattr(self, "open_database_requested", None)
        if opener is not None and self._may_leave_record():
            opener(self)

    # -- window state
    def restore_window_state(self) -> None:
        """The remembered layout; the default one (see ``default_window_rect``) for what is not remembered or
        no longer fits: no geometry saved, or one whose window would be off every screen attached now."""
        self.settings.beginGroup(SETTINGS_GROUP)
        saved = {key: self.settings.value(key) for key in ("geometry", "state", "splitter", "caseload_columns_v2")}
        self.settings.endGroup()
        saved = {key: value for key, value in saved.items() if isinstance(value, QByteArray)}
        geometry = saved.get("geometry")
        if geometry is None or not frame_on_a_screen(geometry) or not self.restoreGeometry(geometry):
            self.apply_default_geometry()
        if "state" in saved:
            self.restoreState(saved["state"])
        if "caseload_columns_v2" in saved and self.caseload.view.horizontalHeader().restoreState(
                saved["caseload_columns_v2"]):
            self.caseload.columns_fitted = True  # the user's widths, not fitted again
            self.caseload.show_columns_for_scope()
        if "splitter" not in saved or not self.splitter.restoreState(saved["splitter"]):
            self.apply_default_splitter()

    def apply_default_splitter(self) -> None:
        """The caseload as wide as its columns, within what leaves the record room (see window_geometry)."""
        self.splitter.setSizes(default_splitter_sizes(self.width(), self.caseload.column_widths(),
                                                      self.caseload.chrome_width()))

    def apply_default_geometry(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(default_window_rect(screen.availableGeometry()))

    def save_window_state(self) -> None:
        self.settings.beginGroup(SETTINGS_GROUP)
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("state", self.saveState())
        self.settings.setValue("splitter", self.splitter.saveState())
        self.settings.setValue("caseload_columns_v2", self.caseload.view.horizontalHeader().saveState())
        self.settings.endGroup()
        self.settings.sync()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.automatic_backup.due and not self.automatic_backup.tried:
            QTimer.singleShot(0, self, self.automatic_backup.start_if_due)  # after the window has painted

    def hideEvent(self, event: QHideEvent) -> None:
        """Closed, or put away for another database (not minimised): stop the automatic backup cleanly."""
        if not event.spontaneous():
            self.automatic_backup.stop()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_leave_record():
            event.ignore()
            return
        self.save_window_state()
        event.accept()
