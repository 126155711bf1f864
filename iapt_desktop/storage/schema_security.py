"""Schema migration 0003: the audit trail is append-only.

Triggers refuse any UPDATE or DELETE of an ``app_audit_log`` row, so a bug or
a careless script cannot rewrite history through the app's own connection.
(Someone with the key and an SQLite tool could drop the triggers; the hash
chain in storage/audit_log.py, checked at every start, then shows the edit.)
"""

SECURITY_SQL = """
CREATE TRIGGER app_audit_log_refuse_update BEFORE UPDATE ON app_audit_log
BEGIN
    SELECT RAISE(ABORT, 'The audit trail cannot be changed: entries are only ever added.');
END;

CREATE TRIGGER app_audit_log_refuse_delete BEFORE DELETE ON app_audit_log
BEGIN
    SELECT RAISE(ABORT, 'Entries cannot be removed from the audit trail.');
END;

CREATE INDEX idx_app_audit_log_at ON app_audit_log (at);
"""
