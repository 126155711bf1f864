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

from iapt_desktop.domain.access import User
from iapt_desktop.storage.record_visibility import require_list_allowed

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


COUNT_CAP = 1_000  # a search counts its matches up to this many ("1,000+ matching"), never all of them


def _require_allowed(viewer: User, flt: CaseloadFilter) -> None:
    require_list_allowed(viewer, flt.mine_only, flt.care_personnel_id, flt.username)


def count_caseload(db: Database, viewer: User, flt: CaseloadFilter, at_most: int | None = None) -> int:
    """The number of patients the filter lists; with ``at_most``, counting stops at ``at_most + 1``
    (so a broad search prefix does not count the whole register).  AccessDenied unless ``viewer`` may list
    them (a counsellor: their own caseload only)."""
    _require_allowed(viewer, flt)
    if at_most is None or not flt.search.strip():
        clauses, params = _where(flt)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return int(db.execute(f"SELECT count(*) FROM IDS001MPI m {where}", params).fetchone()[0])
    branches = _branches(flt, db)
    capped = [f"{branch.select(None, ordered=False)} LIMIT ?" for branch in branches]
    for sql, branch in zip(capped, branches, strict=True):  # one way of matching alone may pass the cap: done
        params = [*branch.params_for(None), at_most + 1]
        if db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0] > at_most:
            return at_most + 1
    # each way matches at most ``at_most`` patients: count them once each (a patient may match several ways)
    union = " UNION ".join(f"SELECT id FROM ({sql})" for sql in capped)
    params = [p for branch in branches for p in [*branch.params_for(None), at_most + 1]]
    return min(int(db.execute(f"SELECT count(*) FROM ({union})", params).fetchone()[0]), at_most + 1)


@dataclass(frozen=True)
class _Branch:
    """One way a search can match, as rows (id, k) where k is the list's order key.

    ``source`` is ``FROM ... WHERE ...`` with the patient's IDS001MPI/app_patient row as ``x``;
    when ``walks_key`` is true the WHERE is a range on ``key``'s own index, so the branch is an index walk in
    list order that stops after a page (no sort of every match)."""

    source: str
    key: str
    params: tuple[Any, ...]
    walks_key: bool = False

    def select(self, after: Sequence[str] | None, ordered: bool = True) -> str:
        keyset = ""
        if after is not None:
            keyset = f" AND ({self.key} > ? OR ({self.key} = ? AND x.LocalPatientId > ?))"
            if self.walks_key:
                keyset += f" AND {self.key} >= ?"  # start the index walk at the page key, not at the prefix
        order = " ORDER BY k, id" if ordered else ""
        return f"SELECT x.LocalPatientId AS id, {self.key} AS k {self.source}{keyset}{order}"

    def params_for(self, after: Sequence[str] | None) -> list[Any]:
        params = list(self.params)
        if after is not None:
            params += [after[0], after[0], after[1]]
            if self.walks_key:
                params.append(after[0])
        return params


def _is_number_search(search: str) -> bool:
    text = search.replace(" ", "")
    return bool(text) and text.isdigit()


GIVEN_NAME_WALK_FROM = 2_000  # given-name matches from which a walk of the name index beats sorting them


def _branches(flt: CaseloadFilter, db: Database | None = None) -> list[_Branch]:
    """The search's ways of matching, each ordered by the list's key: the NHS number for a number search
    (so "999" walks the NHS number index), else the name (``search_name``)."""
    text = " ".join(flt.search.lower().split())
    ids = sorted({flt.search.strip(), flt.search.strip().upper()} - {""})
    if flt.mine_only:
        # a caseload is small: start from it and test each of its patients against every way of matching
        matches: list[str] = []
        params: list[Any] = []
        key = "coalesce(x.NHSNumber, '')" if _is_number_search(flt.search) else "coalesce(p.search_name, '')"
        if _is_number_search(flt.search):
            matches.append("(x.NHSNumber >= ? AND x.NHSNumber < ?)")
            params += _prefix_range(_digits(text))
        else:
            matches.append("(p.search_name >= ? AND p.search_name < ?)")
            matches.append("(lower(p.given_name) >= ? AND lower(p.given_name) < ?)")
            params += [*_prefix_range(text), *_prefix_range(text)]
        for candidate in ids:
            matches.append("(x.LocalPatientId >= ? AND x.LocalPatientId < ?)")
            params += _prefix_range(candidate)
        source = (f"FROM IDS001MPI x LEFT JOIN app_patient p ON p.LocalPatientId = x.LocalPatientId "
                  f"WHERE (x.LocalPatientId IN ({_MY_OPEN}) OR x.LocalPatientId IN ({_MY_NEW})) "
                  f"AND ({' OR '.join(matches)})")
        return [_Branch(source, key, (flt.care_personnel_id or "", flt.username or "", *params))]
    if _is_number_search(flt.search):
        branches = [_Branch("FROM IDS001MPI x WHERE x.NHSNumber >= ? AND x.NHSNumber < ?", "x.NHSNumber",
                            _prefix_range(_digits(text)), walks_key=True)]
        id_key, id_source = "coalesce(x.NHSNumber, '')", "FROM IDS001MPI x WHERE "
    else:
        branches = [
            _Branch("FROM app_patient x WHERE x.search_name >= ? AND x.search_name < ?", "x.search_name",
                    _prefix_range(text), walks_key=True),
            _given_name_branch(db, text),
        ]
        id_key = "coalesce(p.search_name, '')"
        id_source = "FROM IDS001MPI x LEFT JOIN app_patient p ON p.LocalPatientId = x.LocalPatientId WHERE "
    for candidate in ids:
        branches.append(_Branch(id_source + "x.LocalPatientId >= ? AND x.LocalPatientId < ?", id_key,
                                _prefix_range(candidate)))
    return branches


def _given_name_branch(db: Database | None, text: str) -> _Branch:
    """Given names starting with ``text``, in name order.  Few matches: take them from the given-name index
    and sort them.  Many (a first letter): walk the name index in order (search_name is "family given", so
    ``instr`` skips most rows without reading them) and stop after a page."""
    low, high = _prefix_range(text)
    many = db is not None and db.execute(
        "SELECT count(*) FROM (SELECT 1 FROM app_patient WHERE lower(given_name) >= ? AND lower(given_name) < ? "
        "LIMIT ?)", [low, high, GIVEN_NAME_WALK_FROM]).fetchone()[0] >= GIVEN_NAME_WALK_FROM
    if many:
        return _Branch("FROM app_patient x INDEXED BY idx_app_patient_search_name "
                       "WHERE x.search_name >= '' AND instr(x.search_name, ?) > 0 "
                       "AND lower(x.given_name) >= ? AND lower(x.given_name) < ?",
                       "x.search_name", (f" {text}", low, high), walks_key=True)
    return _Branch("FROM app_patient x WHERE lower(x.given_name) >= ? AND lower(x.given_name) < ?",
                   "x.search_name", (low, high))


def page_caseload(
    db: Database, viewer: User, flt: CaseloadFilter, after: Sequence[str] | None = None, limit: int = PAGE_SIZE
) -> list[CaseloadRow]:
    """The next ``limit`` rows after the row whose ``page_key`` is ``after`` (None: the first page).

    Unsearched: my caseload by name, the whole register by local id (a key walk).  Searched: by NHS number
    when the search is a number, else by name; each way of matching walks its own index in that order and
    stops after ``limit`` rows, and the page is the first ``limit`` of those.  AccessDenied unless ``viewer``
    may list them (a counsellor: their own caseload only)."""
    _require_allowed(viewer, flt)
    if flt.search.strip():
        branches = _branches(flt, db)
        keys_sql = " UNION ".join(f"SELECT id, k FROM ({branch.select(after)} LIMIT ?)" for branch in branches)
        params = [p for branch in branches for p in [*branch.params_for(after), limit]]
        page = f"""
            keys AS ({keys_sql} ORDER BY k, id LIMIT ?),
            page AS (
                SELECT m.LocalPatientId, m.NHSNumber, m.PersonBirthDate,
                       coalesce(p.family_name, '') AS family_name, coalesce(p.given_name, '') AS given_name,
                       keys.k AS sort_name
                FROM keys JOIN IDS001MPI m ON m.LocalPatientId = keys.id
                LEFT JOIN app_patient p ON p.LocalPatientId = m.LocalPatientId
            )"""
        return _rows(db, page, [*params, limit], "page.sort_name, page.LocalPatientId")
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
    page = f"""
        page AS (
            SELECT m.LocalPatientId, m.NHSNumber, m.PersonBirthDate,
                   coalesce(p.family_name, '') AS family_name, coalesce(p.given_name, '') AS given_name,
                   {sort} AS sort_name
            FROM IDS001MPI m LEFT JOIN app_patient p ON p.LocalPatientId = m.LocalPatientId
            {where}
            ORDER BY {order}
            LIMIT ?
        )"""
    final_order = order.replace("m.", "page.").replace("coalesce(p.search_name, '')", "page.sort_name")
    return _rows(db, page, [*params, limit], final_order)


def _rows(db: Database, page: str, params: list[Any], order: str) -> list[CaseloadRow]:
    """The page's rows with their latest referral (an open one first), counsellor and last session."""
    sql = f"""
        WITH {page}, latest AS (
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
        ORDER BY {order}
    """
    return [CaseloadRow(*row) for row in db.execute(sql, params).fetchall()]


def patients_with_nhs_number(db: Database, nhs_number: str, excluding: str | None = None) -> list[str]:
    """LocalPatientIds already holding this NHS number (to warn about a duplicate record)."""
    rows = db.execute(
        "SELECT LocalPatientId FROM IDS001MPI WHERE NHSNumber = ? AND LocalPatientId IS NOT ? ORDER BY 1",
        [_digits(nhs_number), excluding],
    ).fetchall()
    return [str(r[0]) for r in rows]
