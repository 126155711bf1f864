"""Who may do what: roles, actions and the permission matrix, as data.

Enforced in the core (storage writes and jobs call :func:`require`), not only
by hiding buttons in the UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Role(Enum):
    ADMINISTRATOR = "administrator"  # everything: submissions, users, settings
    COUNSELLOR = "counsellor"  # their own caseload
    READ_ONLY = "read_only"  # sees records, changes nothing

    @property
    def label(self) -> str:
        return {"administrator": "Administrator", "counsellor": "Counsellor", "read_only": "Read only"}[self.value]


class Action(Enum):
    VIEW_RECORDS = "view records"
    VIEW_ALL_CASELOADS = "view every caseload"
    CREATE_RECORD = "create records"
    EDIT_RECORD = "edit records"
    DELETE_RECORD = "delete records"
    EDIT_OTHERS_CASELOAD = "edit records outside your caseload"
    IMPORT = "import data"
    EXPORT = "export data"
    VALIDATE = "run validation"
    SUBMIT = "make a submission"
    VIEW_REPORTS = "view service reports"
    MANAGE_USERS = "manage users"
    MANAGE_SETTINGS = "change settings and the staff list"
    VIEW_AUDIT = "view and export the audit trail"
    BACKUP = "back up and restore"


_COUNSELLOR = frozenset(
    {
        Action.VIEW_RECORDS,
        Action.CREATE_RECORD,
        Action.EDIT_RECORD,
        Action.DELETE_RECORD,
        Action.VALIDATE,
        Action.VIEW_REPORTS,
    }
)
_READ_ONLY = frozenset({Action.VIEW_RECORDS, Action.VIEW_ALL_CASELOADS, Action.VALIDATE, Action.VIEW_REPORTS})

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.ADMINISTRATOR: frozenset(Action),
    Role.COUNSELLOR: _COUNSELLOR,
    Role.READ_ONLY: _READ_ONLY,
}


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: Role
    care_personnel_id: str | None = None  # CarePersLocalId of the staff member, for counsellors

    def can(self, action: Action) -> bool:
        return action in PERMISSIONS[self.role]


class AccessDenied(Exception):
    """The signed-in user's role does not allow the action."""


def require(user: User, action: Action) -> None:
    if not user.can(action):
        raise AccessDenied(
            f"{user.display_name} ({user.role.label}) may not {action.value}. Ask an administrator."
        )


# The actor for work the app does by itself (migrations, demo creation before any user exists).
SYSTEM_USER = User("system", "IAPT Desktop", Role.ADMINISTRATOR)
