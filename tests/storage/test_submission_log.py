"""The submission log and the diff between two submissions of a period."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlite_utils import Database

from iapt_desktop.storage.submission_log import (
    SubmissionRecord,
    TableChanges,
    changes_since,
    diff_fingerprints,
    identity_columns,
    latest_submission,
    record_submission,
    row_fingerprints,
    stored_fingerprints,
    submissions,
)


def _rows(score: str, extra_contact: bool) -> dict[str, list[dict[str, object]]]:
    contacts = [{"CareContactId": "C1", "ServiceRequestId": "R1", "CareContDate": "2025-04-02"}]
    if extra_contact:
        contacts.append({"CareContactId": "C2", "ServiceRequestId": "R1", "CareContDate": "2025-04-09"})
    return {
        "IDS000Header": [{"DatSetVer": "2.1", "DateTimeDatSetCreate": f"2025-05-0{1 + extra_contact} 10:00:00"}],
        "IDS201CareContact": contacts,
        "IDS607CodedScoreAssessmentAct": [{"CareActId": "A1", "CodedAssToolType": "720433000", "PersScore": score}],
        "IDS011SocPerCircumstances": [{"LocalPatientId": "P1", "SocPerCircumstance": "x",
                                       "SocPerCircumstanceRecDate": "2025-01-01"}] * (not extra_contact),
    }


def _record(period: str = "2025-04", window: str = "primary") -> SubmissionRecord:
    return SubmissionRecord(period=period, window=window, created_at=dt.datetime(2025, 5, 2, 10, 0, 0),
                            created_by="admin", out_dir="/tmp/out", counts={"IDS201CareContact": 1},
                            file_hashes={"a.csv": "00"}, validation_summary={"reject_file": 0})


def test_diff_counts_added_changed_and_removed_rows_and_ignores_the_creation_time() -> None:
    first = row_fingerprints(_rows("12", extra_contact=False))
    second = row_fingerprints(_rows("9", extra_contact=True))
    changes = diff_fingerprints(first, second)
    assert changes["IDS201CareContact"] == TableChanges(added=1, changed=0, removed=0)
    assert changes["IDS607CodedScoreAssessmentAct"] == TableChanges(added=0, changed=1, removed=0)
    assert changes["IDS011SocPerCircumstances"] == TableChanges(added=0, changed=0, removed=1)
    assert not changes["IDS000Header"].any
    assert not any(diff_fingerprints(first, first)[name].any for name in changes)


def test_duplicate_keys_are_still_counted() -> None:
    row = {"CareActId": "A1", "CodedAssToolType": "720433000", "PersScore": "3"}
    prints = row_fingerprints({"IDS607CodedScoreAssessmentAct": [row, dict(row, PersScore="4")]})
    assert len(prints["IDS607CodedScoreAssessmentAct"]) == 2


def test_record_and_read_back_with_fingerprints(db: Database) -> None:
    prints = row_fingerprints(_rows("12", extra_contact=False))
    first = record_submission(db, _record(), prints)
    second = record_submission(db, _record(window="refresh"), row_fingerprints(_rows("9", extra_contact=True)))
    record_submission(db, _record(period="2025-03"), {})
    assert [s.id for s in submissions(db, "2025-04")] == [second, first]
    assert len(submissions(db)) == 3
    latest = latest_submission(db, "2025-04")
    assert latest is not None and latest.id == second and latest.window == "refresh"
    assert latest.counts == {"IDS201CareContact": 1} and latest.created_at == dt.datetime(2025, 5, 2, 10)
    assert stored_fingerprints(db, first) == prints
    assert changes_since(db, first, prints)["IDS201CareContact"] == TableChanges(0, 0, 0)
    assert latest_submission(db, "2024-01") is None


def test_fingerprints_keep_the_form_logged_by_earlier_versions() -> None:
    """Keys and digests are the JSON text json.dumps gave before (default=str), so old logs still compare."""
    rows = {
        "IDS000Header": [{"DatSetVer": "2.1", "OrgIDProv": "ÀB1", "DateTimeDatSetCreate": "2025-05-01 10:00:00"}],
        "IDS201CareContact": [{"CareContactId": "Ç1 😀", "ServiceRequestId": "R1", "CareContDate": dt.date(2025, 4, 2),
                               "ClinContDurOfCareCont": 50, "AppType": None}],
        "IDS002GP": [{"LocalPatientId": "P\"1", "GMPCodeReg": "B86001", "StartDateGMPRegistration": None}],
    }
    expected: dict[str, dict[str, str]] = {}
    for name, table_rows in rows.items():
        expected[name] = {}
        for row in table_rows:
            key = json.dumps([row.get(c) for c in identity_columns(name)], default=str, ensure_ascii=False)
            values = [v for c, v in row.items() if c != "DateTimeDatSetCreate"]
            expected[name][key] = hashlib.sha256(json.dumps(values, default=str).encode("utf-8")).hexdigest()[:16]
    assert row_fingerprints(rows) == expected
    assert '["Ç1 😀"]' in expected["IDS201CareContact"]
