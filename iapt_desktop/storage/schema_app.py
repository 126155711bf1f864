"""Schema migration 0002: app-only tables (prefix ``app_``), never exported.

- app_setting: provider codes and other settings (declared in domain/settings.py)
- app_patient: name and contact details, kept beside IDS001MPI; never exported
- app_care_personnel: the staff list (names and roles); qualifications are IDS902
- app_referral: who holds the referral on their caseload
- app_questionnaire_answer: item answers behind a score row in IDS606/IDS607
- app_user: named users and their roles (credentials are added by the security migration)
- app_audit_log: every change, hash-chained (see storage/audit_log.py)
"""

APP_TABLES_SQL = """
CREATE TABLE app_setting (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE app_patient (
    LocalPatientId TEXT PRIMARY KEY NOT NULL
        REFERENCES IDS001MPI (LocalPatientId) ON DELETE CASCADE ON UPDATE CASCADE,
    given_name TEXT NOT NULL DEFAULT '',
    family_name TEXT NOT NULL DEFAULT '',
    preferred_name TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    search_name TEXT GENERATED ALWAYS AS (lower(family_name || ' ' || given_name)) VIRTUAL
);

CREATE INDEX idx_app_patient_search_name ON app_patient (search_name);
CREATE INDEX idx_app_patient_given_name ON app_patient (lower(given_name));

CREATE TABLE app_care_personnel (
    CarePersLocalId TEXT PRIMARY KEY NOT NULL,
    display_name TEXT NOT NULL,
    professional_role TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE app_referral (
    ServiceRequestId TEXT PRIMARY KEY NOT NULL
        REFERENCES IDS101Referral (ServiceRequestId) ON DELETE CASCADE ON UPDATE CASCADE,
    CarePersLocalId TEXT REFERENCES app_care_personnel (CarePersLocalId) ON UPDATE CASCADE
);

CREATE INDEX idx_app_referral_CarePersLocalId ON app_referral (CarePersLocalId);

CREATE TABLE app_questionnaire_answer (
    app_row_id INTEGER PRIMARY KEY,
    score_table TEXT NOT NULL
        CHECK (score_table IN ('IDS606CodedScoreAssessmentRefer', 'IDS607CodedScoreAssessmentAct')),
    score_row_id INTEGER NOT NULL,
    item INTEGER NOT NULL CHECK (item >= 1),
    answer TEXT NOT NULL,
    UNIQUE (score_table, score_row_id, item)
);

CREATE TABLE app_user (
    username TEXT PRIMARY KEY NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('administrator', 'counsellor', 'read_only')),
    CarePersLocalId TEXT REFERENCES app_care_personnel (CarePersLocalId) ON UPDATE CASCADE,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE TABLE app_audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    table_name TEXT NOT NULL DEFAULT '',
    record_key TEXT NOT NULL DEFAULT '',
    changes TEXT NOT NULL DEFAULT '{}',
    previous_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TRIGGER app_questionnaire_answer_follow_606 AFTER DELETE ON IDS606CodedScoreAssessmentRefer
BEGIN
    DELETE FROM app_questionnaire_answer
    WHERE score_table = 'IDS606CodedScoreAssessmentRefer' AND score_row_id = OLD.app_row_id;
END;

CREATE TRIGGER app_questionnaire_answer_follow_607 AFTER DELETE ON IDS607CodedScoreAssessmentAct
BEGIN
    DELETE FROM app_questionnaire_answer
    WHERE score_table = 'IDS607CodedScoreAssessmentAct' AND score_row_id = OLD.app_row_id;
END;
"""
