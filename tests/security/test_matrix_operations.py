"""Every cell of the role x action matrix through a real core operation on a real encrypted database.

:data:`OPERATIONS` maps each Action to a function that performs it as a given user (the storage and job
functions the screens and the command line call).  A forbidden cell must raise AccessDenied; an allowed
cell must succeed.  An Action without an operation fails :func:`test_every_action_has_an_operation`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from iapt_desktop.domain.access import PERMISSIONS, AccessDenied, Action, Role, User
from iapt_desktop.storage import audit_log, backups
from iapt_desktop.storage.database import open_database
from iapt_desktop.storage.patient_records import load_patient
from iapt_desktop.storage.record_writes import delete_row, save_row
from iapt_desktop.storage.session import Session, create_database
from tests.security.conftest import ADMIN_PASSWORD, CHEAP_KDF

COUNSELLOR = User("cy", "Cy Counsellor", Role.COUNSELLOR, "C1")
READER = User("rita", "Rita Reader", Role.READ_ONLY)


@dataclass
class World:
    """An encrypted database with two caseloads (C1: P1/R1/CC1, C2: P2/R2/CC2)."""

    session: Session
    folder: Path

    @property
    def db(self) -> Any:
        return self.session.db

    def as_user(self, user: User) -> Session:
        return Session(self.session.db, self.session.location, user)


def _fill(db: Any, admin: User) -> None:
    for staff, name in (("C1", "Cy"), ("C2", "Di")):
        save_row(db, admin, "app_care_personnel", {"CarePersLocalId": staff, "display_name": name})
    for n, staff in ((1, "C1"), (2, "C2")):
        save_row(db, admin, "IDS001MPI", {"LocalPatientId": f"P{n}", "NHSNumber": f"999000001{8 - 3 * (n - 1)}"})
        save_row(db, admin, "app_patient", {"LocalPatientId": f"P{n}", "family_name": f"Family{n}"})
        save_row(db, admin, "IDS101Referral", {"ServiceRequestId": f"R{n}", "LocalPatientId": f"P{n}",
                                               "ReferralRequestReceivedDate": "2025-04-01"})
        save_row(db, admin, "app_referral", {"ServiceRequestId": f"R{n}", "CarePersLocalId": staff})
        save_row(db, admin, "IDS201CareContact", {"CareContactId": f"CC{n}", "ServiceRequestId": f"R{n}",
                                                  "CareContDate": "2025-04-02"})


def _import_source(folder: Path) -> Path:
    """The tables of another service's database holding one patient, P9, as CSV files."""
    from iapt_desktop.domain.access import SYSTEM_USER
    from iapt_desktop.jobs.table_export import export_tables

    other = open_database(folder / "other.db")
    try:
        save_row(other, SYSTEM_USER, "IDS001MPI", {"LocalPatientId": "P9"})
        export_tables(other, folder / "import-me", actor=SYSTEM_USER)
    finally:
        other.close()
    return folder / "import-me"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    session, _recovery = create_database(tmp_path / "service.db", "admin", "Ada Admin", ADMIN_PASSWORD, kdf=CHEAP_KDF)
    try:
        _fill(session.db, session.user)
        yield World(session, tmp_path)
    finally:
        session.close()


def _drain(steps: Iterator[Any]) -> Any:
    last = None
    for last in steps:  # noqa: B007
        pass
    return last


def _import(world: World, user: User) -> Any:
    from iapt_desktop.jobs.table_import import import_tables_steps

    steps = import_tables_steps(world.db, _import_source(world.folder), actor=user)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            assert world.db.execute("SELECT 1 FROM IDS001MPI WHERE LocalPatientId = 'P9'").fetchone()
            return done.value


def _export(world: World, user: User) -> Any:
    from iapt_desktop.jobs.table_export import export_tables

    return export_tables(world.db, world.folder / "out.xlsx", actor=user)


def _validate(world: World, user: User) -> Any:
    from iapt_desktop.jobs.validate_period import run_to_report, validate_database

    return run_to_report(validate_database(world.db, actor=user))


def _submit(world: World, user: User) -> Any:
    from iapt_desktop.jobs.write_submission import write_submission

    return _drain(write_submission(world.db, "2025-04", "primary", world.folder / "submissions", actor=user,
                                   force=True, today=dt.date(2025, 5, 20)))


def _reports(world: World, user: User) -> Any:
    from iapt_desktop.jobs.compute_metrics import compute_metrics

    return compute_metrics(world.db, dt.date(2025, 4, 1), dt.date(2025, 4, 30), actor=user)


def _manage_users(world: World, user: User) -> Any:
    from iapt_desktop.storage.users import add_user

    return add_user(world.as_user(user), "newbie", "New Bie", Role.READ_ONLY, "a long enough new password")


def _manage_settings(world: World, user: User) -> Any:
    from iapt_desktop.storage.staff_records import save_settings

    return save_settings(world.db, user, {"provider_ods": "AB1"})


def _restore(world: World, user: User) -> Any:
    key = world.session.location.key
    backup = backups.create_backup(world.db, world.folder / "service.db", key, actor=user)
    return backups.restore_into_open_database(world.db, world.folder / "service.db", key, backup, user)


def _must_load(world: World, user: User, patient: str) -> Any:
    record = load_patient(world.db, user, patient)
    assert record is not None and record.local_patient_id == patient
    return record


def _listed(summaries: list[Any], user: User, referral: str) -> None:
    """The referral list leaves out what the user may not see: not listed counts as refused."""
    if [summary.service_request_id for summary in summaries] != [referral]:
        raise AccessDenied(f"{user.display_name} is not shown referral {referral}")


def _must_read_caseload(world: World, user: User, n: int) -> None:
    """Patient Pn, referral Rn, its sessions and scores, session CCn, the patient list: every loader allows, or
    every one refuses."""
    from iapt_desktop.storage import referral_records, session_queries, session_records
    from iapt_desktop.storage.caseload_queries import CaseloadFilter, page_caseload

    db = world.db
    reads = [
        lambda: _must_load(world, user, f"P{n}"),
        lambda: referral_records.load_referral(db, user, f"R{n}"),
        lambda: _listed(referral_records.list_referrals(db, user, f"P{n}"), user, f"R{n}"),
        lambda: referral_records.load_sessions(db, user, f"R{n}"),
        lambda: referral_records.referral_scores(db, user, f"R{n}", ("720433000",)),
        lambda: session_records.load_session(db, user, f"CC{n}"),
        lambda: session_records.new_session(db, user, f"R{n}", dt.datetime(2025, 4, 20, 9, 0)),
        lambda: session_queries.session_scores(db, user, f"CC{n}"),
        lambda: session_queries.risk_alerts(db, user, f"CC{n}"),
        lambda: page_caseload(db, user, CaseloadFilter(  # 1: their own list; 2: the whole register
            mine_only=n == 1, care_personnel_id=user.care_personnel_id, username=user.username)),
    ]
    refusals = []
    for read in reads:
        try:
            read()
        except AccessDenied as refused:
            refusals.append(refused)
    assert len(refusals) in (0, len(reads)), f"some reads refused, some allowed: {refusals}"
    if refusals:
        raise refusals[0]


OPERATIONS: dict[Action, Callable[[World, User], Any]] = {
    Action.VIEW_RECORDS: lambda w, u: _must_read_caseload(w, u, 1),
    Action.VIEW_ALL_CASELOADS: lambda w, u: _must_read_caseload(w, u, 2),  # C2's: not the counsellor's
    Action.CREATE_RECORD: lambda w, u: save_row(w.db, u, "IDS201CareContact", {
        "CareContactId": "CCnew", "ServiceRequestId": "R1", "CareContDate": "2025-04-09"}),
    Action.EDIT_RECORD: lambda w, u: save_row(w.db, u, "IDS001MPI", {"Postcode": "LS1 4AP"}, key="P1"),
    Action.DELETE_RECORD: lambda w, u: delete_row(w.db, u, "IDS201CareContact", "CC1"),
    Action.EDIT_OTHERS_CASELOAD: lambda w, u: save_row(w.db, u, "IDS201CareContact", {"CareContDate": "2025-04-10"},
                                                       key="CC2"),
    Action.IMPORT: _import,
    Action.EXPORT: _export,
    Action.VALIDATE: _validate,
    Action.SUBMIT: _submit,
    Action.VIEW_REPORTS: _reports,
    Action.MANAGE_USERS: _manage_users,
    Action.MANAGE_SETTINGS: _manage_settings,
    Action.VIEW_AUDIT: lambda w, u: list(audit_log.read_entries(w.db, u)),
    Action.BACKUP: _restore,
}

USERS = {Role.ADMINISTRATOR: None, Role.COUNSELLOR: COUNSELLOR, Role.READ_ONLY: READER}
CELLS = [(role, action) for role in Role for action in Action]


def test_every_action_has_an_operation() -> None:
    assert set(OPERATIONS) == set(Action)
    assert set(USERS) == set(Role)


@pytest.mark.parametrize(("role", "action"), CELLS,
                         ids=[f"{r.value}-{a.name}-{'allowed' if a in PERMISSIONS[r] else 'forbidden'}"
                              for r, a in CELLS])
def test_each_cell_through_the_core(world: World, role: Role, action: Action) -> None:
    user = USERS[role] or world.session.user
    operation = OPERATIONS.get(action)
    assert operation is not None, f"{action.name} has no operation in OPERATIONS"
    if action in PERMISSIONS[role]:
        operation(world, user)
    else:
        trail = world.db.execute("SELECT count(*) FROM app_audit_log").fetchone()[0]
        with pytest.raises(AccessDenied) as refused:
            operation(world, user)
        assert user.display_name in str(refused.value)  # a message for people, naming who was refused
        assert world.db.execute("SELECT count(*) FROM app_audit_log").fetchone()[0] == trail
