"""The main window's actions and menus, with the usual desktop shortcuts.

Other screens add their entries here: the administration dialogs go through
:func:`add_admin_actions` (one line per dialog in ``ADMIN_DIALOGS``).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMenuBar, QWidget

from iapt_desktop.domain.access import Action, User
from iapt_desktop.ui.icons import icon


@dataclass(frozen=True)
class AdminDialog:
    """An Administration menu entry: text, the permission it needs, and 'module:callable' that opens it.

    The callable is called as ``opener(parent_window, session_like)`` where session_like has
    ``db``, ``location`` and ``user``.  Modules that are not installed are left out of the menu.
    """

    text: str
    action: Action
    target: str
    shortcut: str = ""


ADMIN_DIALOGS: tuple[AdminDialog, ...] = (
    AdminDialog("Users…", Action.MANAGE_USERS, "iapt_desktop.ui.security.user_management:open_user_management"),
    AdminDialog("Audit log…", Action.VIEW_AUDIT, "iapt_desktop.ui.security.audit_log_dialog:open_audit_log"),
    AdminDialog("Settings…", Action.MANAGE_SETTINGS, "iapt_desktop.ui.admin.settings_dialog:open_settings"),
    AdminDialog("Staff…", Action.MANAGE_SETTINGS, "iapt_desktop.ui.admin.staff_dialog:open_staff"),
    AdminDialog("Check the data…", Action.VALIDATE, "iapt_desktop.ui.admin.validation_panel:open_validation"),
    AdminDialog("Monthly submission…", Action.SUBMIT, "iapt_desktop.ui.admin.submission_wizard:open_submission"),
    AdminDialog("Submission log…", Action.SUBMIT, "iapt_desktop.ui.admin.submission_log_dialog:open_submission_log"),
    AdminDialog("Backups…", Action.BACKUP, "iapt_desktop.ui.security.backup_restore:open_backups_with_restore"),
)


# File menu entries placed before "Change my password" (same form as ADMIN_DIALOGS).
FILE_DIALOGS: tuple[AdminDialog, ...] = (
    AdminDialog("&Import data set tables…", Action.IMPORT,
                "iapt_desktop.ui.interchange.import_dialog:open_import_tables"),
    AdminDialog("E&xport data set tables…", Action.EXPORT,
                "iapt_desktop.ui.interchange.export_dialog:open_export_tables"),
)


def add_file_dialogs(menu: QMenu, window: QMainWindow, session: object, user: User, before: QAction) -> list[QAction]:
    """The FILE_DIALOGS that are installed, enabled for the roles allowed them, then a separator, before ``before``."""
    added = []
    for entry in FILE_DIALOGS:
        opener = _opener(entry.target)
        if opener is None:
            continue
        action = QAction(entry.text, window)
        action.setEnabled(user.can(entry.action))
        action.triggered.connect(lambda _checked=False, o=opener: o(window, session))
        menu.insertAction(before, action)
        added.append(action)
    if added:
        menu.insertSeparator(before)
    return added


def _opener(target: str) -> Callable[..., object] | None:
    """A callable that imports the dialog's module when the menu entry is chosen (not at start-up: the
    administration screens pull in the submission and interchange code); None when it is not installed."""
    module_name, _, name = target.partition(":")
    try:
        if importlib.util.find_spec(module_name) is None:
            return None
    except (ImportError, ValueError):
        return None

    def open_dialog(*args: object) -> object:
        return getattr(importlib.import_module(module_name), name)(*args)

    return open_dialog


def add_admin_actions(menu: QMenu, window: QMainWindow, session: object, user: User) -> list[QAction]:
    """Fill the Administration menu with the dialogs that are installed and allowed for this user."""
    added = []
    for entry in ADMIN_DIALOGS:
        opener = _opener(entry.target)
        if opener is None:
            continue
        action = QAction(entry.text, window)
        if entry.shortcut:
            action.setShortcut(QKeySequence(entry.shortcut))
        action.setEnabled(user.can(entry.action))
        action.triggered.connect(lambda _checked=False, o=opener: o(window, session))
        menu.addAction(action)
        added.append(action)
    if not added:
        placeholder = menu.addAction("No administration tools are installed")
        placeholder.setEnabled(False)
    return added


def make_action(parent: QWidget, text: str, slot: Callable[[], object], shortcut: QKeySequence | str | None = None,
                icon_name: str = "", tip: str = "") -> QAction:
    action = QAction(text, parent)
    if shortcut is not None:
        action.setShortcut(shortcut if isinstance(shortcut, QKeySequence) else QKeySequence(shortcut))
    if icon_name:
        action.setIcon(icon(icon_name))
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def build_menus(bar: QMenuBar, actions: dict[str, QAction]) -> dict[str, QMenu]:
    """File, Edit, View, Records, Administration, Help — from named actions."""
    layout = {
        "&File": ["new_patient", "open_database", None, "save", None, "change_password", None, "quit"],
        "&Edit": ["undo_delete", None, "find"],
        "&View": ["my_caseload", "all_patients", None, "refresh"],
        "&Records": ["new_referral", "new_session", None, "delete_referral", "delete_patient"],
        "&Administration": [],
        "&Help": ["about"],
    }
    menus = {}
    for title, names in layout.items():
        menu = bar.addMenu(title)
        menus[title.replace("&", "")] = menu
        for name in names:
            if name is None:
                menu.addSeparator()
            elif name in actions:
                menu.addAction(actions[name])
    return menus
