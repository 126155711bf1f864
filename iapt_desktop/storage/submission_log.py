"""The submission log: every package written, and what changed since the last one for a period.

A submission is recorded with its counts, file hashes and validation summary,
plus a fingerprint of every row sent (row key -> short hash of the row's
values).  The next submission for the same period compares its fingerprints
with the last one's and reports, per table, the rows added, changed and
removed - without keeping a copy of the rows.

Row keys: a table's own data set key (LocalPatientId, ServiceRequestId,
CareContactId, CareActId); for tables without one, the columns of the data
set's duplicate-key rule for that table (the national rule id is given with each, e.g.
IDS00221 for IDS002GP), declared in :data:`ROW_IDENTITY`.  Changing one of
those columns therefore shows as one row removed and one added.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.dataset import tables

# Columns that identify a row of a table without a key of its own (the national duplicate-key rules).
ROW_IDENTITY: dict[str, tuple[str, ...]] = {
    "IDS000Header": (),  # one row
    "IDS002GP": ("LocalPatientId", "GMPCodeReg", "StartDateGMPRegistration"),  # IDS00221
    "IDS003AccommStatus": ("LocalPatientId", "AccommodationType", "AccommodationTypeDate"),  # no v2.0 rule
    "IDS004EmpStatus": ("LocalPatientId", "EmployStatusRecDate"),  # IDS00402
    "IDS007DisabilityType": ("LocalPatientId", "DisabCode"),  # IDS00702
    "IDS011SocPerCircumstances": ("LocalPatientId", "SocPerCircumstanceRecDate", "SocPerCircumstance"),  # IDS01102
    "IDS012OverseasVisitorChargCat": ("LocalPatientId", "OvsVisChCat", "OvsVisChCatAppDate"),  # IDS01202
    "IDS105OnwardReferral": ("ServiceRequestId", "OnwardReferDate", "OnwardReferTime", "OnwardReferReason",
                             "OrgIDReceiving"),  # IDS10520
    "IDS108WaitingTimePauses": ("ServiceRequestId", "PauseID"),  # IDS10802
    "IDS205InternetTherLog": ("ServiceRequestId", "StartDateIntEnabledTherLog", "EndDateIntEnabledTherLog",
                              "IntEnabledTherProg", "CarePersLocalId"),  # IDS20519 (without the duration)
    "IDS601MedHistPrevDiag": ("LocalPatientId", "DiagSchemeInUse", "PrevDiag", "DiagDate"),  # no v2.0 rule
    "IDS602LongTermCondition": ("ServiceRequestId", "LongTermCondition"),  # IDS60210
    "IDS603PresentingComplaints": ("ServiceRequestId", "PresCompDate", "PresComp"),  # IDS60302
    "IDS606CodedScoreAssessmentRefer": ("ServiceRequestId", "AssToolCompDate", "AssToolCompTime",
                                        "CodedAssToolType"),  # IDS60616
    "IDS607CodedScoreAssessmentAct": ("CareActId", "CodedAssToolType"),  # IDS60709
    "IDS803CareCluster": ("LocalPatientId", "StartDateCareClust"),  # IDS80320
    "IDS902CarePersQual": ("CarePersLocalId", "QualAttainLevelIAPT"),  # IDS90210
}
# Header values that differ on every file and are not a change of content.
_NOT_FINGERPRINTED = {"IDS000Header": ("DateTimeDatSetCreate",)}

Rows = Mapping[str, Sequence[Mapping[str, object]]]
Fingerprints = dict[str, dict[str, str]]  # table -> row key -> hash


def identity_columns(table_name: str) -> tuple[str, ...]:
    definition = tables()[table_name]
    return definition.primary_key if definition.has_own_key else ROW_IDENTITY[table_name]


# The encoders json.dumps(..., default=str[, ensure_ascii=False]) would make on every call, made once:
# the same text, so fingerprints logged by earlier versions still compare.
_KEY_TEXT = json.JSONEncoder(default=str, ensure_ascii=False).encode
_VALUES_TEXT = json.JSONEncoder(default=str).encode


def row_fingerprints(rows_by_table: Rows) -> Fingerprints:
    """Row key -> hash of the row's values, per table.  Pure; no database."""
    result: Fingerprints = {}
    sha256 = hashlib.sha256
    for name, rows in rows_by_table.items():
        key_columns = identity_columns(name)
        skipped = _NOT_FINGERPRINTED.get(name, ())
        table_prints: dict[str, str] = {}
        for row in rows:
            key = _KEY_TEXT([row.get(c) for c in key_columns])
            values = [value for column, value in row.items() if column not in skipped] if skipped else list(
                row.values())
            digest = sha256(_VALUES_TEXT(values).encode("utf-8")).hexdigest()[:16]
            occurrence, unique_key = 1, key
            while unique_key in table_prints:  # duplicate keys (a national group reject) stay countable
                occurrence += 1
                unique_key = f"{key}#{occurrence}"
            table_prints[unique_key] = digest
        result[name] = table_prints
    return result


@dataclass(frozen=True)
class TableChanges:
    added: int
    changed: int
    removed: int

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def diff_fingerprints(previous: Fingerprints, current: Fingerprints) -> dict[str, TableChanges]:
    """Rows added, changed and removed per table, in data set table order."""
    result: dict[str, TableChanges] = {}
    for name in tables():
        old, new = previous.get(name, {}), current.get(name, {})
        result[name] = TableChanges(
            added=sum(1 for key in new if key not in old),
            changed=sum(1 for key, digest in new.items() if key in old and old[key] != digest),
            removed=sum(1 for key in old if key not in new),
        )
    return result


@dataclass(frozen=True)
class SubmissionRecord:
    """One logged submission (``id`` is 0 until it is recorded)."""

    period: str
    window: str  # "primary" or "refresh"
    created_at: dt.datetime
    created_by: str
    out_dir: str
    counts: dict[str, int]
    file_hashes: dict[str, str]
    validation_summary: dict[str, object]
    forced: bool = False
    id: int = 0


def record_submission(db: Database, record: SubmissionRecord, fingerprints: Fingerprints) -> int:
    """Log a written submission with the fingerprints of its rows; returns its id."""
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO app_submission_log (period, window, created_at, created_by, out_dir, counts, "
            "file_hashes, validation_summary, forced) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [record.period, record.window, _datetime_text(record.created_at), record.created_by,
             record.out_dir, json.dumps(record.counts), json.dumps(record.file_hashes),
             json.dumps(record.validation_summary, default=str), int(record.forced)],
        )
        submission_id = int(cursor.lastrowid or 0)
        for name, prints in fingerprints.items():
            blob = zlib.compress(json.dumps(prints, separators=(",", ":")).encode("utf-8"))
            db.execute(
                "INSERT INTO app_submission_fingerprint (submission_id, table_name, fingerprints) VALUES (?, ?, ?)",
                [submission_id, name, blob],
            )
    return submission_id


def _datetime_text(value: dt.datetime) -> str:
    return value.replace(microsecond=0, tzinfo=None).isoformat(sep=" ")


_SELECT = ("SELECT id, period, window, created_at, created_by, out_dir, counts, file_hashes, "
           "validation_summary, forced FROM app_submission_log")


def _record(row: Sequence[Any]) -> SubmissionRecord:
    return SubmissionRecord(
        id=int(row[0]),
        period=str(row[1]),
        window=str(row[2]),
        created_at=dt.datetime.fromisoformat(str(row[3])),
        created_by=str(row[4]),
        out_dir=str(row[5]),
        counts=json.loads(str(row[6])),
        file_hashes=json.loads(str(row[7])),
        validation_summary=json.loads(str(row[8])),
        forced=bool(row[9]),
    )


def submissions(db: Database, period: str | None = None) -> list[SubmissionRecord]:
    """Logged submissions, newest first (all periods, or one period "YYYY-MM")."""
    if period is None:
        cursor = db.execute(f"{_SELECT} ORDER BY id DESC")
    else:
        cursor = db.execute(f"{_SELECT} WHERE period = ? ORDER BY id DESC", [period])
    return [_record(row) for row in cursor.fetchall()]


def latest_submission(db: Database, period: str) -> SubmissionRecord | None:
    found = db.execute(f"{_SELECT} WHERE period = ? ORDER BY id DESC LIMIT 1", [period]).fetchone()
    return _record(found) if found else None


def submission(db: Database, submission_id: int) -> SubmissionRecord | None:
    found = db.execute(f"{_SELECT} WHERE id = ?", [submission_id]).fetchone()
    return _record(found) if found else None


def stored_fingerprints(db: Database, submission_id: int) -> Fingerprints:
    rows = db.execute(
        "SELECT table_name, fingerprints FROM app_submission_fingerprint WHERE submission_id = ?",
        [submission_id],
    ).fetchall()
    return {str(name): json.loads(zlib.decompress(blob).decode("utf-8")) for name, blob in rows}


def changes_since(db: Database, submission_id: int, current: Fingerprints) -> dict[str, TableChanges]:
    """What ``current`` adds, changes and removes compared with a logged submission."""
    return diff_fingerprints(stored_fingerprints(db, submission_id), current)


@dataclass(frozen=True)
class Resubmission:
    """A package for a period that already had one: a re-submission of ``of`` (the package before it)."""

    of: SubmissionRecord
    changes: dict[str, TableChanges]  # since ``of``, per table in data set order

    @property
    def total(self) -> TableChanges:
        """Rows added, changed and removed over all tables."""
        return TableChanges(sum(c.added for c in self.changes.values()),
                            sum(c.changed for c in self.changes.values()),
                            sum(c.removed for c in self.changes.values()))


def resubmissions(db: Database, records: Sequence[SubmissionRecord]) -> dict[int, Resubmission]:
    """For each of ``records`` that is not the first package for its period: the one before it, what changed.

    Primary and Refresh say which window a package was made in; a re-submission is the second (third, ...)
    package for the same period, whatever its window.  Tables whose stored fingerprints are the same bytes
    are not unpacked, so a log with unchanged months is quick to read.
    """
    result: dict[int, Resubmission] = {}
    for record in records:
        before = db.execute(f"{_SELECT} WHERE period = ? AND id < ? ORDER BY id DESC LIMIT 1",
                            [record.period, record.id]).fetchone()
        if before is None:
            continue
        earlier = _record(before)
        result[record.id] = Resubmission(earlier, _changes_between(db, earlier.id, record.id))
    return result


def _changes_between(db: Database, earlier_id: int, later_id: int) -> dict[str, TableChanges]:
    blobs = {(int(sid), str(name)): blob for sid, name, blob in db.execute(
        "SELECT submission_id, table_name, fingerprints FROM app_submission_fingerprint "
        "WHERE submission_id IN (?, ?)", [earlier_id, later_id]).fetchall()}
    old: Fingerprints = {}
    new: Fingerprints = {}
    for name in tables():
        before, after = blobs.get((earlier_id, name)), blobs.get((later_id, name))
        if before == after:
            continue  # the same rows (or none in either): nothing changed
        old[name] = json.loads(zlib.decompress(before).decode("utf-8")) if before else {}
        new[name] = json.loads(zlib.decompress(after).decode("utf-8")) if after else {}
    return diff_fingerprints(old, new)
