"""The staff list (app_care_personnel) with each person's qualifications (IDS902CarePersQual), and Settings.

Every write goes through ``record_writes`` (MANAGE_SETTINGS for these tables,
see record_access.ADMINISTRATIVE_TABLES; audited) or, for settings, through
``settings_store`` with an audit entry of its own, in one transaction.
Problems that would store something wrong are refused here too, not only in
the dialog: :func:`staff_problems` says what they are, in words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.access import Action, User, require
from iapt_desktop.domain.audit_actions import CHANGE_SETTINGS
from iapt_desktop.domain.codes import code_list
from iapt_desktop.domain.dataset import ROW_ID, table
from iapt_desktop.domain.field_checks import parse_date
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.record_writes import delete_row, save_row
from iapt_desktop.storage.settings_store import all_settings, set_setting

QUALIFICATIONS = "IDS902CarePersQual"
QUALIFICATION_COLUMNS = ("QualAttainLevelIAPT", "QualAwardedDate", "QualPlannedCompletionDate")
ID_MAX = table(QUALIFICATIONS).column("CarePersLocalId").max_length or 20


class StaffRefused(ValueError):
    """The staff member cannot be stored as entered; the message lists why."""


@dataclass
class StaffRecord:
    care_personnel_id: str
    display_name: str = ""
    professional_role: str = ""
    active: bool = True
    qualifications: list[dict[str, Any]] = field(default_factory=list)  # IDS902 rows (with app_row_id when stored)


def list_staff(db: Database, *, include_inactive: bool = True) -> list[StaffRecord]:
    where = "" if include_inactive else " WHERE active = 1"
    people = db.execute("SELECT CarePersLocalId, display_name, professional_role, active FROM app_care_personnel"
                        f"{where} ORDER BY active DESC, display_name, CarePersLocalId").fetchall()
    return [StaffRecord(str(p[0]), p[1] or "", p[2] or "", bool(p[3]), qualifications(db, str(p[0])))
            for p in people]


def load_staff(db: Database, care_personnel_id: str) -> StaffRecord | None:
    found = db.execute("SELECT CarePersLocalId, display_name, professional_role, active FROM app_care_personnel "
                       "WHERE CarePersLocalId = ?", [care_personnel_id]).fetchone()
    if found is None:
        return None
    return StaffRecord(str(found[0]), found[1] or "", found[2] or "", bool(found[3]),
                       qualifications(db, care_personnel_id))


def qualifications(db: Database, care_personnel_id: str) -> list[dict[str, Any]]:
    cursor = db.execute(f"SELECT * FROM [{QUALIFICATIONS}] WHERE CarePersLocalId = ? ORDER BY {ROW_ID}",
                        [care_personnel_id])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _blank(row: Mapping[str, Any]) -> bool:
    return all(row.get(c) in (None, "") for c in QUALIFICATION_COLUMNS)


def id_problem(care_personnel_id: str) -> str | None:
    text = care_personnel_id.strip()
    if not text:
        return "Give each member of staff a local identifier (for example C7); it is sent with their sessions."
    if len(text) > ID_MAX:
        return f"A care personnel local identifier has at most {ID_MAX} characters."
    if any(ch.isspace() for ch in text):
        return "A care personnel local identifier has no spaces."
    return None


def qualification_problems(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """What would store a qualification wrongly: no level, a level not in the list, a date that is not a date,
    or the same level twice (NHS England would drop both, IDS90210)."""
    problems: list[str] = []
    codes = code_list("QualAttainLevelIAPT")
    allowed = {c.code for c in codes.codes} if codes else set()
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        if _blank(row):
            continue
        level = str(row.get("QualAttainLevelIAPT") or "")
        if not level:
            problems.append(f"Qualification {number}: choose the qualification level.")
        elif allowed and level not in allowed:
            problems.append(f"Qualification {number}: level {level} is not in the national list.")
        elif level in seen:
            problems.append(f"Qualification {number}: level {level} is listed twice; keep one row per level.")
        seen.add(level)
        for column, words in (("QualAwardedDate", "awarded date"), ("QualPlannedCompletionDate",
                                                                      "planned completion date")):
            value = row.get(column)
            if value not in (None, "") and parse_date(str(value)) is None:
                problems.append(f"Qualification {number}: the {words} {value} is not a date (dd/mm/yyyy).")
    return problems


def staff_problems(db: Database, record: StaffRecord, *, is_new: bool) -> list[str]:
    problems = [p for p in (id_problem(record.care_personnel_id),) if p]
    if is_new and not problems and load_staff(db, record.care_personnel_id.strip()) is not None:
        problems.append(f"{record.care_personnel_id.strip()} is already on the staff list; choose another identifier.")
    if not record.display_name.strip():
        problems.append("Enter the name shown in the app (for example Casey Counsellor).")
    return problems + qualification_problems(record.qualifications)


def save_staff(db: Database, actor: User, record: StaffRecord, *, is_new: bool) -> str:
    """Store a staff member and make their stored qualifications equal ``record.qualifications``; one
    transaction, every row audited.  Raises StaffRefused (nothing stored) when something is wrong."""
    require(actor, Action.MANAGE_SETTINGS)
    problems = staff_problems(db, record, is_new=is_new)
    if problems:
        raise StaffRefused(" ".join(problems))
    key = record.care_personnel_id.strip()
    person = {"display_name": record.display_name.strip(), "professional_role": record.professional_role.strip()
              or None, "active": int(record.active)}
    with db.atomic():
        if is_new:
            save_row(db, actor, "app_care_personnel", {"CarePersLocalId": key, **person})
        else:
            save_row(db, actor, "app_care_personnel", person, key=key)
        before = {row[ROW_ID]: row for row in qualifications(db, key)}
        kept: set[int] = set()
        for row in record.qualifications:
            if _blank(row):
                continue
            values = {c: (None if row.get(c) in (None, "") else row.get(c)) for c in QUALIFICATION_COLUMNS}
            existing = row.get(ROW_ID)
            if existing in before:
                kept.add(existing)
                if any(before[existing].get(c) != values[c] for c in QUALIFICATION_COLUMNS):
                    save_row(db, actor, QUALIFICATIONS, values, key=existing)
            else:
                save_row(db, actor, QUALIFICATIONS, {"CarePersLocalId": key, **values})
        for gone in set(before) - kept:
            delete_row(db, actor, QUALIFICATIONS, gone)
    return key


def save_settings(db: Database, actor: User, values: Mapping[str, str]) -> dict[str, list[str]]:
    """Store changed settings in one transaction with one audit entry; returns {key: [old, new]} changed."""
    require(actor, Action.MANAGE_SETTINGS)
    current = all_settings(db)
    changed = {key: [current[key], str(value)] for key, value in values.items() if current.get(key) != str(value)}
    if not changed:
        return {}
    with db.atomic():
        for key, (_old, new) in changed.items():
            set_setting(db, key, new)
        audit_log.append(db, actor.username, CHANGE_SETTINGS, "app_setting", ", ".join(sorted(changed)),
                         changes=changed)
    return changed
