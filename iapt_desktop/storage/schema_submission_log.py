"""Schema migration 0004: the log of monthly submissions written (app-only, never exported).

- app_submission_log: one row per package written: reporting period, window
  (primary/refresh), when and by whom, where, the row counts per table, the
  SHA-256 of every file and the validation summary (JSON texts), and whether
  it was forced past file-level rejects.
- app_submission_fingerprint: per submission and table, the fingerprints of
  the rows sent (row key -> short hash of the row), zlib-compressed JSON, so
  that the next submission for the period can say what changed.  The rows
  themselves are not kept here.
"""

SUBMISSION_LOG_SQL = """
CREATE TABLE app_submission_log (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    window TEXT NOT NULL CHECK (window IN ('primary', 'refresh')),
    created_at TEXT NOT NULL CHECK (datetime(created_at) IS created_at),
    created_by TEXT NOT NULL DEFAULT '',
    out_dir TEXT NOT NULL,
    counts TEXT NOT NULL CHECK (json_valid(counts)),
    file_hashes TEXT NOT NULL CHECK (json_valid(file_hashes)),
    validation_summary TEXT NOT NULL CHECK (json_valid(validation_summary)),
    forced INTEGER NOT NULL DEFAULT 0 CHECK (forced IN (0, 1))
);

CREATE INDEX idx_app_submission_log_period ON app_submission_log (period, id);

CREATE TABLE app_submission_fingerprint (
    submission_id INTEGER NOT NULL REFERENCES app_submission_log (id) ON DELETE CASCADE,
    table_name TEXT NOT NULL,
    fingerprints BLOB NOT NULL,
    PRIMARY KEY (submission_id, table_name)
) WITHOUT ROWID;
"""
