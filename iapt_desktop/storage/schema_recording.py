"""Schema migration 0005: what the caseload needs beyond the data set's own indexes.

- idx_app_audit_log_creator: "my caseload" includes patients a counsellor added who have no referral
  yet (so a new patient never drops out of sight); who created a patient is in the audit trail, and
  this index finds those entries without reading the whole trail.
"""

RECORDING_SQL = """
CREATE INDEX idx_app_audit_log_creator ON app_audit_log (username, table_name, action, record_key);
"""
