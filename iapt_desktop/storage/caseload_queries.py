"""The caseload list: count_/page_/get_ functions, db first, keyset paging.

A page is fetched with ``WHERE key > ? LIMIT n`` on an indexed order, so the
200th page costs the same as the first.  Searches use indexes only:

- names: ``app_patient.search_name`` (lower "family given") and ``lower(given_name)``
  as prefix ranges (``>= 'smi' AND < 'smj'``);
- NHS number: ``IDS001MPI.NHSNumber`` as a prefix range of digits;
- local patient id: the primary key as a prefix range.

"Mine" means patients with an open referral (no discharge date) whose
``app_referral.CarePersLocalId`` is the signed-in user's care personnel id, and
patients the user added (the audit trail says who) who have no referral yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

PAGE_SIZE = 200


@dataclass(frozen=True)
class CaseloadFilter:
    mine_only: bool = True
    care_personnel_id: str | None = None
    search: str = ""
    username: str | None = None  # with mine_only: also the patients this user added, until they have a referral

    @property
    def ordered_by_name(self) -> bool:
        """The whole register unsearched is paged in local id order (a key walk); else by name."""
        return self.mine_only or bool(self.search.strip())


@dataclass(frozen=True)
class CaseloadRow:
    local_patient_id: str
    family_name: str
    given_name: str
    nhs_number: str
    birth_date: str
    referral_id: str
    referral_received: str
    discharged: str
    counsellor: str
    last_contact: str
    sort_name: str

    @property
    def display_name(self) -> str:
        if self.family_name or self.given_name:
            return f"{self.family_name.upper()}, {self.given_name}".strip(", ")
        return "(no name recorded)"

    @property
    def status(self) -> str:
        if not self.referral_id:
            return "No referral"
        return "Discharged" if self.discharged else "Open"

    @property
    def page_key(self) -> tuple[str, ...]:
        return (self.sort_name, self.local_patient_id)


def _prefix_range(text: str) -> tuple[str, str]:
    """[text, text-with-last-character-incremented): every string starting with text."""
    return text, text[:-1] + chr(ord(text[-1]) + 1)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _matching_keys(search: str) -> tuple[str, list[Any]]:
    """A sub-select of LocalPatientId matching the search text, each branch on an index."""
    text = " ".join(search.lower().split())
    branches: list[str] = []
    params: list[Any] = []
    digits = _digits(text)
    if digits and len(digits) == len(text.replace(" ", "")):
        low, high = _prefix_range(digits)
        branches.append("SELECT LocalPatientId FROM IDS001MPI WHERE NHSNumber >= ? AND NHSNumber < ?")
        params += [low, high]
    else:
        low, high = _prefix_range(text)
        branches.append("SELECT LocalPatientId FROM app_patient WHERE search_name >= ? AND search_name < ?")
        params += [low, high]
        branches.append(
            "SELECT LocalPatientId FROM app_patient WHERE lower(given_name) >= ? AND lower(given_name) < ?"
        )
        params += [low, high]
    for candidate in {search.strip(), search.strip().upper()}:
        if candidate:
            low, high = _prefix_range(candidate)
            branches.append("SELECT LocalPatientId FROM IDS001MPI WHERE LocalPatientId >= ? AND LocalPatientId < ?")
            params += [low, high]
    return " UNION ".join(branches), params


_MY_OPEN = (
    "SELECT r.LocalPatientId FROM app_referral a "
    "JOIN IDS101Referral r ON r.ServiceRequestId = a.ServiceRequestId "
    "WHERE a.CarePersLocalId = ? AND r.ServDischDate IS NULL"
)


_MY_NEW = (
    "SELECT l.record_key FROM app_audit_log l "
    "WHERE l.username = ? AND l.table_name = 'IDS001MPI' AND l.action = 'create' "
    "AND NOT EXISTS (SELECT 1 FROM IDS101Referral r WHERE r.LocalPatientId = l.record_key)"
)


def _where(flt: CaseloadFilter) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if flt.mine_only:
        clauses.append(f"(m.LocalPatientId IN ({_MY_OPEN}) OR m.LocalPatientId IN ({_MY_NEW}))")
        params += [flt.care_personnel_id or "", flt.username or ""]
    if flt.search.strip():
        keys, key_params = _matching_keys(flt.search)
        clauses.append(f"m.LocalPatientId IN ({keys})")
        params += key_params
    return clauses, params


def count_caseload(db: Database, flt: CaseloadFilter) -> int:
    clauses, params = _where(flt)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return int(db.execute(f"SELECT count(*) FROM IDS001MPI m {where}", params).fetchone()[0])


def page_caseload(
    db: Database, flt: CaseloadFilter, after: Sequence[str] | None = None, limit: int = PAGE_SIZE
) -> list[CaseloadRow]:
    """The next ``limit`` rows after the row whose ``page_key`` is ``after`` (None: the first page)."""
    clauses, params = _where(flt)
    if flt.ordered_by_name:
        sort = "coalesce(p.search_name, '')"
        if after is not None:
            clauses.append(f"({sort}, m.LocalPatientId) > (?, ?)")
            params += list(after)
        order = f"{sort}, m.LocalPatientId"
    else:
        sort = "''"
        if after is not None:
            clauses.append("m.LocalPatientId > ?")
            params.append(after[1])
        order = "m.LocalPatientId"
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = f"""
        WITH page AS (
            SELECT m.LocalPatientId, m.NHSNumber, m.PersonBirthDate,
                   coalesce(p.family_name, '') AS family_name, coalesce(p.given_name, '') AS given_name,
                   {sort} AS sort_name
            FROM IDS001MPI m LEFT JOIN app_patient p ON p.LocalPatientId = m.LocalPatientId
            {where}
            ORDER BY {order}
            LIMIT ?
        ), latest AS (
            SELECT page.LocalPatientId,
                   (SELECT r.ServiceRequestId FROM IDS101Referral r
                    WHERE r.LocalPatientId = page.LocalPatientId
                    ORDER BY r.ServDischDate IS NOT NULL, r.ReferralRequestReceivedDate DESC
                    LIMIT 1) AS ServiceRequestId
            FROM page
        )
        SELECT page.LocalPatientId, page.family_name, page.given_name, coalesce(page.NHSNumber, ''),
               coalesce(page.PersonBirthDate, ''), coalesce(r.ServiceRequestId, ''),
               coalesce(r.ReferralRequestReceivedDate, ''), coalesce(r.ServDischDate, ''),
               coalesce(cp.display_name, ''),
               coalesce((SELECT max(c.CareContDate) FROM IDS201CareContact c
                         WHERE c.ServiceRequestId = r.ServiceRequestId), ''),
               page.sort_name
        FROM page
        JOIN latest ON latest.LocalPatientId = page.LocalPatientId
        LEFT JOIN IDS101Referral r ON r.ServiceRequestId = latest.ServiceRequestId
        LEFT JOIN app_referral a ON a.ServiceRequestId = r.ServiceRequestId
        LEFT JOIN app_care_personnel cp ON cp.CarePersLocalId = a.CarePersLocalId
        ORDER BY {order.replace('m.', 'page.').replace("coalesce(p.search_name, '')", 'page.sort_name')}
    """
    rows = db.execute(sql, [*params, limit]).fetchall()
    return [CaseloadRow(*row) for row in rows]


def patients_with_nhs_number(db: Database, nhs_number: str, excluding: str | None = None) -> list[str]:
    """LocalPatientIds already holding this NHS number (to warn about a duplicate record)."""
    rows = db.execute(
        "SELECT LocalPatientId FROM IDS001MPI WHERE NHSNumber = ? AND LocalPatientId IS NOT ? ORDER BY 1",
        [_digits(nhs_number), excluding],
    ).fetchall()
    return [str(r[0]) for r in rows]
