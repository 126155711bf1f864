"""A patient, a referral and a staff list for session tests (synthetic; 999 test-range NHS number)."""

from __future__ import annotations

from sqlite_utils import Database

from iapt_desktop.domain.access import Role, User
from iapt_desktop.storage.record_writes import save_row

ADMIN = User("admin", "Ada Admin", Role.ADMINISTRATOR)
COUNSELLOR = User("casey", "Casey Counsellor", Role.COUNSELLOR, care_personnel_id="CP1")
OTHER_COUNSELLOR = User("olly", "Olly Other", Role.COUNSELLOR, care_personnel_id="CP2")
READER = User("reader", "Rita Reader", Role.READ_ONLY)


def referral_with_staff(db: Database, service_request_id: str = "R1") -> str:
    save_row(db, ADMIN, "app_care_personnel", {"CarePersLocalId": "CP1", "display_name": "Casey Counsellor",
                                               "professional_role": "High intensity therapist"})
    save_row(db, ADMIN, "app_care_personnel", {"CarePersLocalId": "CP2", "display_name": "Olly Other"})
    save_row(db, ADMIN, "app_care_personnel", {"CarePersLocalId": "CP3", "display_name": "Gone Away", "active": 0})
    save_row(db, ADMIN, "IDS001MPI", {"LocalPatientId": "P1", "NHSNumber": "9990000018"})
    save_row(db, ADMIN, "IDS101Referral", {"ServiceRequestId": service_request_id, "LocalPatientId": "P1",
                                           "OrgIDComm": "15F", "ReferralRequestReceivedDate": "2025-03-01"})
    save_row(db, ADMIN, "app_referral", {"ServiceRequestId": service_request_id, "CarePersLocalId": "CP1"})
    return service_request_id
