"""The open database and its main window: the first sign-in, File ▸ Open, and files the system asks us to open.

A database reaches the app three ways: a path on the command line (the Linux desktop entry's ``%f``, the
Windows file association's ``"%1"``), File ▸ Open, and on macOS a ``QFileOpenEvent`` sent to the application
when a ``.iaptdb`` file is double-clicked in Finder (also at launch, before or during the first sign-in).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMainWindow, QMessageBox, QWidget

DATABASE_SUFFIX = ".iaptdb"
CANNOT_OPEN = "Cannot open the database"


def database_file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be opened as a database the user picked (None when it can); says what to do."""
    if not path.exists():
        return (f"There is no file at {path}.\n\nIt may have been moved, renamed or deleted. Open the database "
                "from IAPT Desktop's File menu instead.")
    if not path.is_file() or path.suffix.lower() != DATABASE_SUFFIX:
        return (f"{path.name} is not an IAPT Desktop database: database files end in {DATABASE_SUFFIX}.\n\n"
                "Open a .iaptdb file, or start IAPT Desktop and use File ▸ Open.")
    return None


def same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def start_security(window: QMainWindow, session: object) -> None:
    """The inactivity lock and the sign-in checks (encrypted databases only)."""
    from iapt_desktop.ui.sign_in import PlainSession

    if isinstance(session, PlainSession):
        window.statusBar().showMessage("This database is not encrypted: make a new one and import the data.")
        return
    from iapt_desktop.ui.security.auto_lock import install_auto_lock
    from iapt_desktop.ui.security.startup_warnings import show_startup_warnings

    window.auto_lock = install_auto_lock(window, session)  # type: ignore[attr-defined]
    show_startup_warnings(window, session)


class OpenDatabase(QObject):
    """Holds the one open session and its window; installed on the application to receive file-open events."""

    def __init__(self, app: QApplication, username: str | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        self.username = username
        self.settings = settings
        self.window: Any = None  # the MainWindow (imported when first needed: start-up stays quick)
        self.session: Any = None
        self.path: Path | None = None
        self.requested: Path | None = None  # a file the system asked to open before anything was open
        self._signing_in = False
        self._app = app
        app.installEventFilter(self)

    # -- opening
    def start(self, path: Path) -> bool:
        """Sign in to ``path`` and show its window; False when the user cancels. Raises SignInError.

        A file the system asks to open before a database is open (macOS sends it at launch, while the
        sign-in or first-run dialog runs) replaces ``path``: that dialog is closed and the file signed in to."""
        from iapt_desktop.ui.sign_in import sign_in_interactive

        username = self.username
        while True:
            if self.requested is not None:
                path, self.requested, username = self.requested, None, None
            self._signing_in = True
            try:
                session = sign_in_interactive(path, username)
            finally:
                self._signing_in = False
            if session is not None:
                self._show(session, path)
                return True
            if self.requested is None:
                return False

    def open(self, path: Path) -> bool:
        """Sign in to another database and replace the window; the current one stays open if that fails."""
        from iapt_desktop.ui.sign_in import SignInError, sign_in_interactive

        problem = database_file_problem(path)
        if problem is not None:
            QMessageBox.warning(self.window, CANNOT_OPEN, problem)
            return False
        try:
            session = sign_in_interactive(path, None, self.window)
        except SignInError as error:
            QMessageBox.warning(self.window, CANNOT_OPEN, str(error))
            return False
        if session is None:
            return False
        self._show(session, path)
        return True

    def choose_and_open(self, old: QWidget) -> None:
        """File ▸ Open (the main window checks unsaved edits before calling this)."""
        folder = str(self.path.parent) if self.path is not None else ""
        chosen, _ = QFileDialog.getOpenFileName(old, "Open an IAPT Desktop database", folder,
                                                f"IAPT Desktop databases (*{DATABASE_SUFFIX});;All files (*)")
        if chosen:
            self.open(Path(chosen))

    def _show(self, session: Any, path: Path) -> None:
        from iapt_desktop.ui.main_window import MainWindow

        window = MainWindow(session, self.settings)
        window.open_database_requested = self.choose_and_open  # type: ignore[attr-defined]
        old_window, old_session = self.window, self.session
        if old_window is not None:
            old_window.save_window_state()
            old_window.hide()
        if old_session is not None:
            old_session.close()
        self.window, self.session, self.path = window, session, path
        window.show()
        start_security(window, session)
        if old_window is not None:
            old_window.deleteLater()

    def close(self) -> None:
        self._app.removeEventFilter(self)
        if self.window is not None:
            self.window.deleteLater()
        if self.session is not None:
            self.session.close()
        self.window = self.session = None

    # -- files the system asks us to open
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._app and event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            self.file_opened(Path(event.file()))
            return True
        return super().eventFilter(watched, event)

    def file_opened(self, path: Path) -> None:
        problem = database_file_problem(path)
        if problem is not None:
            QMessageBox.warning(self.window, CANNOT_OPEN, problem)
            return
        if self.window is None:  # nothing open yet: this file, through the normal sign-in
            self.requested = path
            if self._signing_in:
                self._cancel_sign_in()
            return
        if self.path is not None and same_file(path, self.path):
            if self.window.isMinimized():
                self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()
            return
        auto_lock = getattr(self.window, "auto_lock", None)
        if (auto_lock is not None and auto_lock.is_locked) or QApplication.activeModalWidget() is not None:
            QMessageBox.information(self.window, "Open another database",
                                    f"Unlock IAPT Desktop and finish what is open in it first, then open "
                                    f"{path.name} again.")
            return
        current = self.path.name if self.path is not None else "a database"
        answer = QMessageBox.question(
            self.window, "Open another database?",
            f"IAPT Desktop has {current} open.\n\nClose it and open {path.name}? You will sign in to "
            f"{path.name}; everything saved in {current} stays as it is.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        may_leave = getattr(self.window, "_may_leave_record", None)  # asks about unsaved edits in the record
        if may_leave is not None and not may_leave():
            return
        self.open(path)

    @staticmethod
    def _cancel_sign_in() -> None:
        """Close the sign-in (or first-run) dialog in progress: start() then signs in to the requested file."""
        for _ in range(5):  # the sign-in dialog and any message it shows over itself
            modal = QApplication.activeModalWidget()
            if not isinstance(modal, QDialog):
                return
            modal.reject()
