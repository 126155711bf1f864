"""The names of audit trail actions, declared once.

Record edits use "create", "change", "delete" and "undo delete" (storage/record_writes.py).
Everyone who appends an entry for another event uses one of these names.
"""

from __future__ import annotations

SET_UP = "set up"
LOGIN = "login"
FAILED_LOGIN = "failed login"
LOGOUT = "logout"
LOCK = "lock"
UNLOCK = "unlock"
CHANGE_PASSWORD = "change password"  # noqa: S105 (an action name)
RECOVER_WITH_KEY = "recover with key"
ADD_USER = "add user"
RESET_PASSWORD = "reset password"  # noqa: S105 (an action name)
CHANGE_ROLE = "change role"
DEACTIVATE_USER = "deactivate user"
IMPORT = "import"  # table_name: what was imported into; changes: {"source": file name, "rows": n}
EXPORT = "export"  # changes: {"file": file name, "rows": n}; never the data itself
CHANGE_SETTINGS = "change settings"  # table_name app_setting; changes: {key: [old, new]}
SUBMISSION = "submission"  # changes: {"period": "2025-04", "file": file name}
BACKUP = "backup"
RESTORE = "restore"
AUDIT_EXPORT = "export audit trail"
AUDIT_CHAIN_BROKEN = "audit chain broken"
