"""The inactivity lock: after the idle minutes, every window of the app is covered and the password asked again.

``install_auto_lock(main_window, session, minutes=None)`` is all the app calls.
Any key press, click, wheel or mouse movement in the app restarts the idle
timer (an event filter on the application).  When it runs out, each visible
window gets a :class:`LockOverlay` over its contents (so patient data is
hidden, including in an open dialog, whose unsaved input is kept), window
titles become "IAPT Desktop — locked", the main window's actions and menus are
disabled, and the lock is written to the audit trail.  The signed-in user's
password (checked against the key file, with the same delays after failures)
lifts it.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

from iapt_desktop.domain.inactivity import InactivityLock, lock_minutes
from iapt_desktop.storage import keyfile
from iapt_desktop.storage.session import UnlockError, confirm_password, record_lock
from iapt_desktop.ui.security.password_fields import message_label, password_box

_log = logging.getLogger(__name__)
LOCKED_TITLE = "IAPT Desktop — locked"
LOCK_SHORTCUT = "Ctrl+Shift+L"
_ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                       QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.ShortcutOverride})


class LockOverlay(QWidget):
    """Covers one window's contents; asks for the password.

    Signals:
        unlock_requested(str): the password typed.
    """

    unlock_requested = Signal(str)

    def __init__(self, window: QWidget, username: str) -> None:
        super().__init__(window)
        self.setObjectName("lockOverlay")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockOverlay { background: #e2e8f0; }")
        title = QLabel("<b>IAPT Desktop is locked</b>", self)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        prompt = QLabel(f"Patient details are hidden. Type the password for {username} to go on.", self)
        prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        prompt.setWordWrap(True)
        self.password = password_box(self, "password")
        self.password.setObjectName("lockPassword")
        self.password.setMaximumWidth(320)
        self.unlock_button = QPushButton("Unlock", self)
        self.unlock_button.setDefault(True)
        self.message = message_label(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (title, prompt, self.password, self.unlock_button, self.message):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.password.returnPressed.connect(self._submit)
        self.unlock_button.clicked.connect(self._submit)
        window.installEventFilter(self)
        self.setGeometry(window.rect())

    def _submit(self) -> None:
        text = self.password.text()
        self.password.clear()
        self.unlock_requested.emit(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False


class AutoLock(QObject):
    """Watches for input and locks the app after the idle minutes.

    Signals:
        locked(): every window is covered.
        unlocked(): the password was given; the windows are shown again.
    """

    locked = Signal()
    unlocked = Signal()

    def __init__(self, main_window: QMainWindow, session: Any, minutes: int) -> None:
        super().__init__(main_window)
        self.main_window = main_window
        self.session = session
        self.policy = InactivityLock(minutes)
        self.clock = QElapsedTimer()
        self.clock.start()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(self.policy.idle_limit_seconds * 1000)
        self.timer.timeout.connect(self._idle)
        self.overlays: list[LockOverlay] = []
        self._titles: list[tuple[QWidget, str]] = []
        self._actions: list[tuple[QAction, bool]] = []
        self.lock_action = QAction("Lock now", main_window)
        self.lock_action.setShortcut(QKeySequence(LOCK_SHORTCUT))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock_now)
        main_window.addAction(self.lock_action)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    @property
    def is_locked(self) -> bool:
        return self.policy.locked

    def _now(self) -> float:
        return self.clock.elapsed() / 1000

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and not self.policy.locked:
            self.policy.touch(self._now())
            self.timer.start()
        return False

    def _idle(self) -> None:
        self.lock_now(reason="inactivity")

    def lock_now(self, _checked: bool = False, *, reason: str = "asked") -> None:
        if self.policy.locked:
            return
        self.policy.lock()
        self.timer.stop()
        try:
            record_lock(self.session, reason)
        except Exception as error:  # the lock must happen even if the audit write fails
            _log.warning("The lock could not be written to the audit trail (%s)", type(error).__name__)
        windows = [w for w in QApplication.topLevelWidgets() if w.isVisible() and not isinstance(w, LockOverlay)]
        if self.main_window not in windows:
            windows.append(self.main_window)
        for window in windows:
            self._titles.append((window, window.windowTitle()))
            window.setWindowTitle(LOCKED_TITLE)
            overlay = LockOverlay(window, self.session.user.display_name)
            overlay.unlock_requested.connect(self.try_unlock)
            overlay.show()
            overlay.raise_()
            self.overlays.append(overlay)
        for action in self.main_window.findChildren(QAction):
            self._actions.append((action, action.isEnabled()))
            action.setEnabled(False)
        menu_bar = self.main_window.menuBar()
        menu_bar.setEnabled(False)
        active = QApplication.activeModalWidget()
        chosen = next((o for o in self.overlays if o.parentWidget() is active), self.overlays[-1])
        chosen.password.setFocus()
        self.locked.emit()

    def try_unlock(self, password: str) -> bool:
        try:
            confirm_password(self.session, password)
        except (UnlockError, keyfile.KeyFileError) as error:
            for overlay in self.overlays:
                overlay.message.setText(str(error))
            return False
        self._lift()
        return True

    def _lift(self) -> None:
        for overlay in self.overlays:
            overlay.hide()
            overlay.deleteLater()
        self.overlays.clear()
        for window, title in self._titles:
            window.setWindowTitle(title)
        self._titles.clear()
        for action, enabled in self._actions:
            action.setEnabled(enabled)
        self._actions.clear()
        self.main_window.menuBar().setEnabled(True)
        self.policy.unlock(self._now())
        self.timer.start()
        self.unlocked.emit()


def install_auto_lock(main_window: QMainWindow, session: Any, minutes: int | None = None) -> AutoLock:
    """Lock the app after ``minutes`` idle (default: the auto_lock_minutes setting; 1 to 15)."""
    if minutes is None:
        from iapt_desktop.storage.settings_store import get_setting

        minutes = lock_minutes(get_setting(session.db, "auto_lock_minutes"))
    return AutoLock(main_window, session, lock_minutes(minutes))
