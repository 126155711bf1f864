"""Security screens: sign-in and first run, the inactivity lock, users, the audit trail.

API for the rest of the app (each in its own module, imported where used):

- ``login_dialog.sign_in(path, username, parent) -> Session | None``
- ``auto_lock.install_auto_lock(main_window, session, minutes=None) -> AutoLock``
- ``user_management.open_user_management(window, session)``
- ``audit_log_dialog.open_audit_log(window, session)``
- ``backups_dialog.open_backups(window, session)``
- ``startup_warnings.show_startup_warnings(parent, session)``
"""
