"""The writing process the crash harness kills: saves rows and acknowledges each after its commit."""

from __future__ import annotations

from multiprocessing.connection import Connection
from pathlib import Path

from iapt_desktop.domain.access import Role, User

WRITER = User("admin", "Ada Admin", Role.ADMINISTRATOR)


def write_until_killed(path: str, key: bytes, run: int, acks: Connection) -> None:
    from iapt_desktop.storage.database import DatabaseLocation
    from iapt_desktop.storage.record_writes import save_row

    db = DatabaseLocation(Path(path), key).open()
    n = 0
    while True:
        patient = f"K{run:03}-{n:04}"
        with db.atomic():  # one save of two rows: both or neither
            save_row(db, WRITER, "IDS001MPI", {"LocalPatientId": patient})
            save_row(db, WRITER, "app_patient", {"LocalPatientId": patient, "family_name": "Canarywhistle"})
        acks.send(patient)  # only after the commit has returned
        n += 1
