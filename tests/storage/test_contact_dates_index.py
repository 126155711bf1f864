"""Migration 0010: the last session of a listed patient is read from the index, not the contact rows."""

from iapt_desktop.storage.database import open_database


def _plan(db, sql: str, params: list) -> str:
    return " | ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall())


def test_the_last_session_of_a_referral_is_answered_by_a_covering_index(db_path):
    db = open_database(db_path)
    plan = _plan(db, "SELECT max(CareContDate) FROM IDS201CareContact WHERE ServiceRequestId = ?", ["R1"])
    assert "COVERING INDEX idx_IDS201CareContact_ServiceRequestId_CareContDate" in plan


def test_contacts_by_referral_still_use_an_index_after_the_single_column_one_is_dropped(db_path):
    db = open_database(db_path)
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                                          "AND tbl_name = 'IDS201CareContact'").fetchall()}
    assert "idx_IDS201CareContact_ServiceRequestId" not in names
    plan = _plan(db, "SELECT * FROM IDS201CareContact WHERE ServiceRequestId = ?", ["R1"])
    assert "USING INDEX idx_IDS201CareContact_ServiceRequestId_CareContDate" in plan
    assert "SCAN" not in plan
