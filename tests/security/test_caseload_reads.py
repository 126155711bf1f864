"""Reading is limited by role in the core: a counsellor's validation report and patient records are their
own caseload's; the audit trail is for administrators.  Real encrypted database, real CLI runs."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from iapt_desktop.cli import main
from iapt_desktop.cli.database_access import PASSWORD_ENVIRONMENT_VARIABLE
from iapt_desktop.domain.access import AccessDenied, Role, User
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.patient_records import load_patient, new_patient_record, save_patient
from iapt_desktop.storage.record_writes import save_row
from iapt_desktop.storage.session import Session, create_database, unlock
from iapt_desktop.storage.users import add_user
from tests.security.conftest import ADMIN_PASSWORD, CHEAP_KDF

COUNSELLOR_PASSWORD = "a counsellor's own long password"
OTHERS = {"P2", "R2", "CC2"}  # Di's caseload
OWN = {"P1", "R1", "CC1"}  # Cy's caseload
CY = User("cy", "Cy Counsellor", Role.COUNSELLOR, "C1")
DI = User("di", "Di Counsellor", Role.COUNSELLOR, "C2")
READER = User("rita", "Rita Reader", Role.READ_ONLY)


def _two_caseloads_with_faults(db: object, admin: User) -> None:
    """Cy (C1) holds P1/R1/CC1, Di (C2) P2/R2/CC2; each patient has no NHS number and each contact a bad code."""
    for staff, name in (("C1", "Cy"), ("C2", "Di")):
        save_row(db, admin, "app_care_personnel", {"CarePersLocalId": staff, "display_name": name})
    for n, staff in ((1, "C1"), (2, "C2")):
        save_row(db, admin, "IDS001MPI", {"LocalPatientId": f"P{n}", "Postcode": "LS1 4AP",
                                          "PersonBirthDate": f"1980-01-0{n}"})
        save_row(db, admin, "IDS101Referral", {"ServiceRequestId": f"R{n}", "LocalPatientId": f"P{n}",
                                               "ReferralRequestReceivedDate": "2025-04-01"})
        save_row(db, admin, "app_referral", {"ServiceRequestId": f"R{n}", "CarePersLocalId": staff})
        save_row(db, admin, "IDS201CareContact", {"CareContactId": f"CC{n}", "ServiceRequestId": f"R{n}",
                                                  "CareContDate": "2025-04-02", "AttendOrDNACode": "9"})


@pytest.fixture
def service(tmp_path: Path) -> Path:
    path = tmp_path / "service.db"
    session, _recovery = create_database(path, "admin", "Ada Admin", ADMIN_PASSWORD, kdf=CHEAP_KDF)
    try:
        _two_caseloads_with_faults(session.db, session.user)
        add_user(session, "cy", "Cy Counsellor", Role.COUNSELLOR, COUNSELLOR_PASSWORD, "C1",
                 must_change_password=False)
    finally:
        session.close()
    return path


def _keys(findings: list[dict]) -> set[str]:
    return {token for finding in findings for token in re.split(r"[=,\s]+", str(finding["key"])) if token}


def _validate(path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], password: str,
              *scope: str, user: str | None = None) -> tuple[list[dict], str]:
    monkeypatch.setenv(PASSWORD_ENVIRONMENT_VARIABLE, password)
    capsys.readouterr()
    args = ["validate", "--db", str(path), *scope, "--format", "json"] + (["--user", user] if user else [])
    assert main(args) in (0, 1)
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


@pytest.mark.parametrize("scope", [("--all",), ("--period", "2025-04")], ids=["all", "month"])
def test_a_counsellors_validation_covers_their_own_caseload_only(
        service: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], scope) -> None:  # type: ignore[no-untyped-def]
    findings, said = _validate(service, monkeypatch, capsys, ADMIN_PASSWORD, *scope)
    everyone = _keys(findings)
    assert "caseload" not in said
    assert everyone >= OTHERS | {"P1", "CC1"}  # the administrator sees both caseloads' faults
    findings, said = _validate(service, monkeypatch, capsys, COUNSELLOR_PASSWORD, *scope, user="cy")
    own = _keys(findings)
    assert {"P1", "CC1"} <= own  # their own faults are all there
    assert own.isdisjoint(OTHERS)
    assert "Cy Counsellor's own caseload only" in said


def test_a_counsellor_cannot_write_the_findings_to_a_file(
        service: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(PASSWORD_ENVIRONMENT_VARIABLE, COUNSELLOR_PASSWORD)
    out = tmp_path / "tom.json"
    assert main(["validate", "--db", str(service), "--all", "--out", str(out), "--user", "cy"]) == 2
    assert "may not export data" in capsys.readouterr().err
    assert not out.exists()


@pytest.fixture
def admin(service: Path) -> Iterator[Session]:
    session = unlock(service, "admin", ADMIN_PASSWORD)
    try:
        yield session
    finally:
        session.close()


def test_a_counsellor_opens_only_the_patients_on_their_caseload(admin: Session) -> None:
    db = admin.db
    assert load_patient(db, CY, "P1") is not None
    with pytest.raises(AccessDenied, match=r"Cy Counsellor .* own caseload"):
        load_patient(db, CY, "P2")
    assert load_patient(db, READER, "P2") is not None and load_patient(db, admin.user, "P2") is not None
    assert load_patient(db, CY, "P404") is None  # no such patient: nothing to hide
    # a patient Cy registers (no referral yet) is Cy's to open, not Di's
    record = new_patient_record(db)
    key = save_patient(db, CY, record, None)
    assert load_patient(db, CY, key) is not None
    with pytest.raises(AccessDenied):
        load_patient(db, DI, key)
    # once the patient's referral is Di's, Cy no longer sees them
    save_row(db, admin.user, "IDS101Referral", {"ServiceRequestId": "R3", "LocalPatientId": key})
    save_row(db, admin.user, "app_referral", {"ServiceRequestId": "R3", "CarePersLocalId": "C2"})
    with pytest.raises(AccessDenied):
        load_patient(db, CY, key)
    assert load_patient(db, DI, key) is not None


def test_only_administrators_read_the_audit_trail(
        admin: Session, service: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for user in (CY, READER):
        with pytest.raises(AccessDenied, match="may not view and export the audit trail"):
            audit_log.read_entries(admin.db, user)
    assert list(audit_log.read_entries(admin.db, admin.user))
    admin.close()
    monkeypatch.setenv(PASSWORD_ENVIRONMENT_VARIABLE, COUNSELLOR_PASSWORD)
    assert main(["audit", "--db", str(service), "--user", "cy"]) == 1
    captured = capsys.readouterr()
    assert "may not view and export the audit trail" in captured.err and captured.out == ""


def test_opening_one_patient_and_the_whole_caseload_agree(admin: Session) -> None:
    from iapt_desktop.storage.record_visibility import caseload_of, require_patient_visible

    db = admin.db
    registered = save_patient(db, CY, new_patient_record(db), None)  # no referral yet
    patients = [row[0] for row in db.execute("SELECT LocalPatientId FROM IDS001MPI")]
    assert registered in patients and len(patients) == 3
    for user in (CY, DI):
        visible = set()
        for patient in patients:
            try:
                require_patient_visible(db, user, patient)
                visible.add(patient)
            except AccessDenied:
                pass
        assert visible == set(caseload_of(db, user).patients)
    assert caseload_of(db, CY).patients == {"P1", registered} and caseload_of(db, DI).patients == {"P2"}
