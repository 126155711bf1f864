"""Schema migration 0009: what a recorded session keeps beside the data set rows.

- app_risk_alert: a clinical risk answer (PHQ-9 item 9 at 1 or more) and who confirmed
  following the risk procedure, when, and what they noted. Deliberately not a foreign
  key of IDS201CareContact: a clinical governance record outlives the deletion of the
  session it was raised in (and re-attaches if that delete is undone).
- app_incomplete_answer: item answers of a questionnaire begun but not finished. No
  total is computed for it, so it has no IDS607 score row and is never submitted.
"""

SESSION_TABLES_SQL = """
CREATE TABLE app_risk_alert (
    app_row_id INTEGER PRIMARY KEY,
    CareContactId TEXT NOT NULL,
    ServiceRequestId TEXT NOT NULL,
    tool TEXT NOT NULL,
    item INTEGER NOT NULL CHECK (item >= 1),
    answer TEXT NOT NULL,
    acknowledged_by TEXT NOT NULL,
    acknowledged_at TEXT NOT NULL CHECK (datetime(acknowledged_at) IS acknowledged_at),
    note TEXT NOT NULL DEFAULT ''
);

CREATE INDEX idx_app_risk_alert_CareContactId ON app_risk_alert (CareContactId);
CREATE INDEX idx_app_risk_alert_ServiceRequestId ON app_risk_alert (ServiceRequestId);

CREATE TABLE app_incomplete_answer (
    app_row_id INTEGER PRIMARY KEY,
    CareActId TEXT NOT NULL
        REFERENCES IDS202CareActivity (CareActId) ON DELETE CASCADE ON UPDATE CASCADE,
    CodedAssToolType TEXT NOT NULL,
    item INTEGER NOT NULL CHECK (item >= 1),
    answer TEXT NOT NULL,
    UNIQUE (CareActId, CodedAssToolType, item)
);
"""
