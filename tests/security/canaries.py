"""Synthetic canary patients: identifiers that must never appear outside the encrypted file."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from iapt_desktop.domain.access import User
from iapt_desktop.storage.record_writes import save_row

CANARY_FAMILY_NAME = "Canarywhistle"
CANARY_NHS_NUMBER = "9990000042"  # 999 test range, valid check digit
CANARY_POSTCODE = "ZZ99 3CZ"
CANARY_BIRTH_DATE = "1961-07-23"
CANARIES = (CANARY_FAMILY_NAME, CANARY_NHS_NUMBER, CANARY_POSTCODE, CANARY_BIRTH_DATE)


def add_canary_patient(db: Database, actor: User, patient_id: str = "CANARY1") -> None:
    save_row(db, actor, "IDS001MPI", {"LocalPatientId": patient_id, "NHSNumber": CANARY_NHS_NUMBER,
                                      "Postcode": CANARY_POSTCODE, "PersonBirthDate": CANARY_BIRTH_DATE})
    save_row(db, actor, "app_patient", {"LocalPatientId": patient_id, "family_name": CANARY_FAMILY_NAME,
                                        "given_name": "Tweety"})


def canaries_in(path: Path) -> list[str]:
    """Canary identifiers found in the file's bytes (as UTF-8 and UTF-16, in any case)."""
    data = path.read_bytes().lower()
    found = []
    for canary in CANARIES:
        for encoding in ("utf-8", "utf-16-le"):
            if canary.lower().encode(encoding) in data:
                found.append(f"{canary} ({encoding})")
    return found


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]
