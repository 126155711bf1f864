"""Caseload paging and search on a database of a few thousand patients."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from iapt_desktop.domain.access import AccessDenied, Role, User
from iapt_desktop.domain.field_checks import nhs_number_check_digit
from iapt_desktop.storage.caseload_queries import CaseloadFilter, count_caseload, page_caseload

ADMIN = User("admin", "Ada", Role.ADMINISTRATOR)

FAMILY = ["Adams", "Baker", "Clarke", "Davies", "Evans", "Foster", "Green", "Hughes", "Iqbal", "Jones"]
GIVEN = ["Alex", "Sam", "Jo", "Priya", "Tom", "Ade", "Mia", "Omar", "Lee", "Zoe"]


def nhs_number(n: int) -> str:
    while True:
        first = f"999{n:06d}"
        digit = nhs_number_check_digit(first)
        if digit is not None:
            return f"{first}{digit}"
        n += 1


def fill(db: Database, patients: int = 3000) -> None:
    db.execute("INSERT INTO app_care_personnel (CarePersLocalId, display_name) VALUES ('C1', 'Casey Counsellor')")
    db.execute("INSERT INTO app_care_personnel (CarePersLocalId, display_name) VALUES ('C2', 'Dana Other')")
    with db.atomic():
        for i in range(patients):
            pid = f"P{i + 1:06d}"
            db.execute("INSERT INTO IDS001MPI (LocalPatientId, NHSNumber) VALUES (?, ?)", [pid, nhs_number(i * 7)])
            db.execute(
                "INSERT INTO app_patient (LocalPatientId, family_name, given_name) VALUES (?, ?, ?)",
                [pid, f"{FAMILY[i % 10]}{i // 10:03d}", GIVEN[(i // 3) % 10]],
            )
            if i % 4 == 0:
                rid = f"R{i + 1:06d}"
                db.execute(
                    "INSERT INTO IDS101Referral (ServiceRequestId, LocalPatientId, ReferralRequestReceivedDate, "
                    "ServDischDate) VALUES (?, ?, '2025-04-01', ?)",
                    [rid, pid, "2025-06-01" if i % 8 == 0 else None],
                )
                db.execute("INSERT INTO app_referral VALUES (?, ?)", [rid, "C1" if i % 12 == 0 else "C2"])


@pytest.fixture
def filled(db: Database) -> Database:
    fill(db)
    return db


def _viewer(flt: CaseloadFilter) -> User:
    """The user whose list this is: the counsellor named by a "mine" filter, else an administrator."""
    if flt.mine_only:
        return User(flt.username or "casey", "Casey", Role.COUNSELLOR, flt.care_personnel_id or "C1")
    return ADMIN


def all_pages(db: Database, flt: CaseloadFilter, size: int = 200) -> list:
    rows: list = []
    after = None
    while True:
        page = page_caseload(db, _viewer(flt), flt, after, size)
        rows += page
        if len(page) < size:
            return rows
        after = page[-1].page_key


def test_keyset_pages_walk_every_patient_once_in_order(filled: Database) -> None:
    flt = CaseloadFilter(mine_only=False)
    rows = all_pages(filled, flt)
    assert len(rows) == count_caseload(filled, ADMIN, flt) == 3000
    ids = [r.local_patient_id for r in rows]
    assert ids == sorted(ids) and len(set(ids)) == 3000


def test_search_by_name_finds_by_family_or_given_name_prefix_in_name_order(filled: Database) -> None:
    flt = CaseloadFilter(mine_only=False, search="evans01")
    rows = all_pages(filled, flt, size=3)
    assert [r.family_name for r in rows] == [f"Evans{n:03d}" for n in range(10, 20)]
    assert count_caseload(filled, ADMIN, flt) == 10
    by_given = page_caseload(filled, ADMIN, CaseloadFilter(mine_only=False, search="PRIYA"))
    assert by_given and all(r.given_name == "Priya" for r in by_given)


def test_search_by_nhs_number_with_or_without_spaces(filled: Database) -> None:
    number = nhs_number(7 * 1234)
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    for text in (number, spaced):
        rows = page_caseload(filled, ADMIN, CaseloadFilter(mine_only=False, search=text))
        assert [r.local_patient_id for r in rows] == ["P001235"]


def test_search_by_local_id_is_case_insensitive(filled: Database) -> None:
    rows = page_caseload(filled, ADMIN, CaseloadFilter(mine_only=False, search="p00299"))
    assert sorted(r.local_patient_id for r in rows) == [f"P00299{n}" for n in range(10)]


def test_mine_is_open_referrals_held_by_me(filled: Database) -> None:
    flt = CaseloadFilter(mine_only=True, care_personnel_id="C1")
    rows = all_pages(filled, flt, size=50)
    expected = [i for i in range(3000) if i % 12 == 0 and i % 8 != 0]
    assert len(rows) == count_caseload(filled, ADMIN, flt) == len(expected)
    assert all(r.counsellor == "Casey Counsellor" and r.status == "Open" for r in rows)
    assert [r.sort_name for r in rows] == sorted(r.sort_name for r in rows)


def test_search_uses_indexes_not_table_scans(filled: Database) -> None:
    from iapt_desktop.storage.caseload_queries import _matching_keys

    for text in ("smi", "9990001", "P0001"):
        sql, params = _matching_keys(text)
        plan = " ".join(str(r[-1]) for r in filled.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall())
        assert "SCAN" not in plan.replace("SCAN CONSTANT ROW", ""), plan


def test_mine_includes_patients_i_added_until_they_have_a_referral(db: Database) -> None:
    from iapt_desktop.storage.patient_records import new_patient_record, save_patient
    from iapt_desktop.storage.referral_records import new_referral_record, save_referral

    me = User("casey", "Casey", Role.COUNSELLOR, "C1")
    other = User("dana", "Dana", Role.COUNSELLOR, "C2")
    db.execute("INSERT INTO app_care_personnel (CarePersLocalId, display_name) VALUES ('C1', 'Casey'), ('C2', 'Dana')")
    save_patient(db, me, new_patient_record(db), None)  # P000001, mine, no referral yet
    save_patient(db, other, new_patient_record(db), None)  # P000002, someone else's
    mine = CaseloadFilter(mine_only=True, care_personnel_id="C1", username="casey")
    assert [r.local_patient_id for r in page_caseload(db, me, mine)] == ["P000001"]
    save_referral(db, ADMIN, new_referral_record(db, "P000001", "C2"), None)  # allocated to Dana
    assert page_caseload(db, me, mine) == []
    sql = ("EXPLAIN QUERY PLAN SELECT l.record_key FROM app_audit_log l "
           "WHERE l.username = ? AND l.table_name = ? AND l.action = ?")
    plan = " ".join(str(r[-1]) for r in db.execute(sql, ["casey", "IDS001MPI", "create"]).fetchall())
    assert "idx_app_audit_log_creator" in plan


@pytest.mark.parametrize("walk_given_names_from", [50, 100_000])
def test_searches_walk_an_index_in_list_order_without_sorting_every_match(
    filled: Database, monkeypatch: pytest.MonkeyPatch, walk_given_names_from: int
) -> None:
    from iapt_desktop.storage import caseload_queries
    from iapt_desktop.storage.caseload_queries import _branches

    monkeypatch.setattr(caseload_queries, "GIVEN_NAME_WALK_FROM", walk_given_names_from)

    for text in ("evans", "9990001", "P0001", "a"):  # "a": many given names, walked on the name index
        for branch in _branches(CaseloadFilter(mine_only=False, search=text), filled):
            if not branch.walks_key:
                continue
            for after in (None, ("evans005 sam", "P000050")):
                sql = f"EXPLAIN QUERY PLAN {branch.select(after)} LIMIT 200"
                plan = " | ".join(str(r[-1]) for r in filled.execute(sql, branch.params_for(after)).fetchall())
                assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
                assert "SCAN" not in plan, plan


@pytest.mark.parametrize("walk_given_names_from", [50, 100_000])
def test_broad_search_pages_match_the_full_sorted_list_and_the_count_stops_at_the_cap(
    filled: Database, monkeypatch: pytest.MonkeyPatch, walk_given_names_from: int
) -> None:
    from iapt_desktop.storage import caseload_queries

    monkeypatch.setattr(caseload_queries, "GIVEN_NAME_WALK_FROM", walk_given_names_from)
    for text, key in (("999", "nhs_number"), ("e", "sort_name"), ("s", "sort_name"), ("P00", "sort_name")):
        flt = CaseloadFilter(mine_only=False, search=text)
        rows = all_pages(filled, flt, size=97)
        ids = [r.local_patient_id for r in rows]
        assert len(ids) == len(set(ids)) == count_caseload(filled, ADMIN, flt)
        assert [(getattr(r, key), r.local_patient_id) for r in rows] == sorted(
            (getattr(r, key), r.local_patient_id) for r in rows)
        assert count_caseload(filled, ADMIN, flt, at_most=100) == 101
        assert count_caseload(filled, ADMIN, flt, at_most=len(ids)) == len(ids)
    everyone_with_s = {
        pid for (pid,) in filled.execute(
            "SELECT LocalPatientId FROM app_patient WHERE search_name LIKE 's%' OR given_name LIKE 's%' "
            "OR LocalPatientId LIKE 's%'").fetchall()}
    assert {r.local_patient_id for r in all_pages(filled, CaseloadFilter(mine_only=False, search="s"))} \
        == everyone_with_s


def test_a_counsellor_lists_only_their_own_caseload_in_the_core(filled: Database) -> None:
    me = User("casey", "Casey Counsellor", Role.COUNSELLOR, "C1")
    reader = User("rita", "Rita Reader", Role.READ_ONLY)
    everyone = CaseloadFilter(mine_only=False)
    assert count_caseload(filled, reader, everyone) == 3000 and len(page_caseload(filled, reader, everyone)) == 200
    for refused in (everyone, CaseloadFilter(mine_only=False, search="smi"),
                    CaseloadFilter(mine_only=True, care_personnel_id="C2", username="casey"),  # someone else's
                    CaseloadFilter(mine_only=True, care_personnel_id="C1", username="dana")):
        with pytest.raises(AccessDenied, match=r"Casey Counsellor .* own caseload"):
            page_caseload(filled, me, refused)
        with pytest.raises(AccessDenied):
            count_caseload(filled, me, refused)
    mine = CaseloadFilter(mine_only=True, care_personnel_id="C1", username="casey")
    assert count_caseload(filled, me, mine) == len(page_caseload(filled, me, mine, limit=5000))
