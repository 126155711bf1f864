"""Who may see which records: a counsellor sees their own caseload, the other roles see every caseload.

The writes have their rules in ``record_access``; this module is the reading side, used by the
loaders the screens call (``patient_records.load_patient``, ``referral_records``' loaders,
``session_records.load_session``/``new_session`` and the session form's reads in ``session_queries``)
and by the validation jobs.

A counsellor's caseload, as the caseload list shows it (``caseload_queries``):

- the referrals they hold (``app_referral.CarePersLocalId`` is their care personnel id; discharged
  referrals included, so that they can look back at their own work);
- the patients of those referrals;
- patients they registered themselves (the audit trail says who) who have no referral yet.

Rows below a referral (contacts, activities, scores, waits ...) go with the referral; rows below a
patient (GP, accommodation, circumstances ...) go with the patient.  A patient on their caseload who
also has a referral held by someone else: they see the patient, and only their own referral.
Staff and header rows are not anyone's caseload and are not patient data: they are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.access import AccessDenied, Action, User, require
from iapt_desktop.domain.dataset import tables

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Caseload:
    """The patients and referrals one counsellor may see."""

    patients: frozenset[str]
    referrals: frozenset[str]


def sees_every_caseload(user: User) -> bool:
    return user.can(Action.VIEW_ALL_CASELOADS)


def caseload_of(db: Database, user: User) -> Caseload:
    """The caseload of a user who may not view every caseload (empty without a care personnel id)."""
    if not user.care_personnel_id:
        return Caseload(frozenset(), frozenset())
    held = db.execute(
        "SELECT a.ServiceRequestId, r.LocalPatientId FROM app_referral AS a "
        "JOIN IDS101Referral AS r ON r.ServiceRequestId = a.ServiceRequestId WHERE a.CarePersLocalId = ?",
        [user.care_personnel_id]).fetchall()
    registered = db.execute(
        "SELECT DISTINCT l.record_key FROM app_audit_log AS l WHERE l.username = ? AND l.table_name = 'IDS001MPI' "
        "AND l.action = 'create' AND NOT EXISTS "
        "(SELECT 1 FROM IDS101Referral AS r WHERE r.LocalPatientId = l.record_key)",
        [user.username]).fetchall()
    return Caseload(frozenset({row[1] for row in held} | {row[0] for row in registered}),
                    frozenset(row[0] for row in held))


def _on_caseload(db: Database, user: User, patient: str) -> bool:
    """One patient against :func:`caseload_of`'s rules, without working out the whole caseload."""
    if not user.care_personnel_id:
        return False
    held = db.execute(
        "SELECT 1 FROM IDS101Referral AS r JOIN app_referral AS a ON a.ServiceRequestId = r.ServiceRequestId "
        "WHERE r.LocalPatientId = ? AND a.CarePersLocalId = ? LIMIT 1", [patient, user.care_personnel_id]).fetchone()
    if held:
        return True
    if db.execute("SELECT 1 FROM IDS101Referral WHERE LocalPatientId = ? LIMIT 1", [patient]).fetchone():
        return False
    return db.execute(
        "SELECT 1 FROM app_audit_log WHERE record_key = ? AND username = ? AND table_name = 'IDS001MPI' "
        "AND action = 'create' LIMIT 1", [patient, user.username]).fetchone() is not None


def require_patient_visible(db: Database, user: User, local_patient_id: str) -> None:
    """Raise :class:`AccessDenied` unless ``user`` may see the patient's record."""
    require(user, Action.VIEW_RECORDS)
    if sees_every_caseload(user):
        return
    if not _on_caseload(db, user, local_patient_id):
        raise AccessDenied(
            f"{user.display_name} ({user.role.label}) may only open the records of patients on their own "
            "caseload. Ask an administrator if this patient should be on it.")


def _holds_referral(db: Database, user: User, service_request_id: str) -> bool:
    """The referral rule of :func:`caseload_of`, for one referral: the user's care personnel id holds it."""
    return bool(user.care_personnel_id) and db.execute(
        "SELECT 1 FROM app_referral WHERE ServiceRequestId = ? AND CarePersLocalId = ?",
        [service_request_id, user.care_personnel_id]).fetchone() is not None


def referral_visible(db: Database, user: User, service_request_id: str) -> bool:
    """Whether ``user`` may see the referral and every row below it (sessions, scores, answers ...)."""
    return user.can(Action.VIEW_RECORDS) and (
        sees_every_caseload(user) or _holds_referral(db, user, service_request_id))


def require_referral_visible(db: Database, user: User, service_request_id: str) -> None:
    """Raise :class:`AccessDenied` unless ``user`` may see the referral (a missing one has nothing to hide)."""
    require(user, Action.VIEW_RECORDS)
    if referral_visible(db, user, service_request_id):
        return
    if db.execute("SELECT 1 FROM IDS101Referral WHERE ServiceRequestId = ?", [service_request_id]).fetchone():
        raise AccessDenied(
            f"{user.display_name} ({user.role.label}) may only open the referrals and sessions on their own "
            "caseload. Ask an administrator if this referral should be on it.")


def require_care_contact_visible(db: Database, user: User, care_contact_id: str) -> None:
    """Raise :class:`AccessDenied` unless ``user`` may see the session (care contact): its referral's rule."""
    found = db.execute("SELECT ServiceRequestId FROM IDS201CareContact WHERE CareContactId = ?",
                       [care_contact_id]).fetchone()
    if found is None:
        require(user, Action.VIEW_RECORDS)
        return
    require_referral_visible(db, user, str(found[0]))


def require_list_allowed(user: User, mine_only: bool, care_personnel_id: str | None, username: str | None) -> None:
    """Raise :class:`AccessDenied` unless ``user`` may list these patients (names, NHS numbers ...): their own
    caseload (as the caseload list's "mine" filter has it; None leaves that part out), or anyone's for the roles
    that see every caseload."""
    require(user, Action.VIEW_RECORDS)
    if sees_every_caseload(user):
        return
    others = care_personnel_id not in (None, user.care_personnel_id) or username not in (None, user.username)
    if not mine_only or others:
        raise AccessDenied(
            f"{user.display_name} ({user.role.label}) may only list the patients on their own caseload. "
            "Ask an administrator if you need to see other patients.")


def _in_parent_order(names: Sequence[str]) -> list[str]:
    order = list(tables())
    return sorted(names, key=lambda name: order.index(name) if name in order else len(order))


class _CaseloadFilter:
    """Keeps a table's rows when their parent row was kept; tables must come parents first."""

    def __init__(self, caseload: Caseload) -> None:
        self.caseload = caseload
        self.kept_keys: dict[str, set[Any]] = {"LocalPatientId": set(), "ServiceRequestId": set()}

    def keep(self, name: str, rows: Iterable[Row]) -> list[Row]:
        definition = tables().get(name)
        if definition is None or name == "IDS000Header" or (definition.parent is None and name != "IDS001MPI"):
            return list(rows)
        if name == "IDS001MPI":
            kept = [row for row in rows if row.get("LocalPatientId") in self.caseload.patients]
        elif name == "IDS101Referral":
            kept = [row for row in rows if row.get("ServiceRequestId") in self.caseload.referrals
                    and row.get("LocalPatientId") in self.caseload.patients]
        else:
            allowed = self.kept_keys.get(definition.parent_column or "", set())
            kept = [row for row in rows if row.get(definition.parent_column or "") in allowed]
        if len(definition.primary_key) == 1:
            own_key = definition.primary_key[0]
            self.kept_keys.setdefault(own_key, set()).update(row.get(own_key) for row in kept)
        return kept


def caseload_rows(rows_by_table: Mapping[str, Iterable[Row]], caseload: Caseload) -> dict[str, list[Row]]:
    """The rows of ``rows_by_table`` that belong to ``caseload`` (and the header and staff rows)."""
    keeper = _CaseloadFilter(caseload)
    kept = {name: keeper.keep(name, rows_by_table[name]) for name in _in_parent_order(list(rows_by_table))}
    return {name: kept[name] for name in rows_by_table}


def stored_caseload_rows(db: Database, caseload: Caseload) -> dict[str, list[Row]]:
    """Every stored row of the caseload, read table by table (only the kept rows are held in memory)."""
    from iapt_desktop.storage.all_rows import iter_all_rows

    keeper = _CaseloadFilter(caseload)
    read = dict(iter_all_rows(db))
    return {name: keeper.keep(name, read[name]) for name in _in_parent_order(list(read))}
