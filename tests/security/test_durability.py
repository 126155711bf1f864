"""Durability: killed writers lose no acknowledged save; a full disk leaves the previous state intact."""

from __future__ import annotations

import multiprocessing
import random
from pathlib import Path

import pytest
import sqlcipher3

from iapt_desktop.storage import audit_log
from iapt_desktop.storage.database import connect
from iapt_desktop.storage.record_writes import get_row, save_row
from iapt_desktop.storage.session import Session
from iapt_desktop.storage.write_errors import SaveFailed
from tests.security import crash_writer

KILLS = 200


def _check(path: Path, key: bytes, acked: list[str]) -> tuple[int, list[str]]:
    conn = connect(path, key)
    try:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        cipher = [row[0] for row in conn.execute("PRAGMA cipher_integrity_check")]
        present = {row[0] for row in conn.execute("SELECT LocalPatientId FROM IDS001MPI")}
        named = {row[0] for row in conn.execute("SELECT LocalPatientId FROM app_patient")}
        lost = [p for p in acked if p not in present or p not in named]
        half_saved = present ^ named
        problems = [p for p in integrity if p != "ok"] + cipher + [f"half saved {p}" for p in sorted(half_saved)]
        return len(lost), problems
    finally:
        conn.close()


@pytest.mark.slow
def test_200_kills_at_random_points_lose_no_acknowledged_save_and_never_corrupt(admin_session: Session,
                                                                                 secure_path: Path) -> None:
    key = admin_session.location.key
    assert key is not None
    admin_session.close()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.security.crash_writer", "iapt_desktop.storage.record_writes"])
    rng = random.Random(1729)
    all_acked: list[str] = []
    lost_total = 0
    problems: list[str] = []
    for run in range(KILLS):
        receiver, sender = context.Pipe(duplex=False)
        writer = context.Process(target=crash_writer.write_until_killed, args=(str(secure_path), key, run, sender))
        writer.start()
        sender.close()
        wanted = rng.randrange(0, 12)
        acked: list[str] = []
        while len(acked) < wanted and receiver.poll(10):
            acked.append(receiver.recv())
        if rng.random() < 0.5:
            receiver.poll(rng.random() * 0.004)  # sometimes mid-transaction rather than just after an ack
        writer.kill()
        writer.join()
        while True:  # acknowledgements already sent before the kill count too
            try:
                acked.append(receiver.recv())
            except EOFError:
                break
        receiver.close()
        writer.close()
        all_acked += acked
        lost, found = _check(secure_path, key, all_acked)
        lost_total += lost
        problems += found
    assert lost_total == 0
    assert problems == []
    assert len(all_acked) > KILLS  # the writers did get work done between kills


def test_a_full_disk_during_a_save_leaves_the_previous_state_and_says_so(admin_session: Session) -> None:
    db = admin_session.db
    save_row(db, admin_session.user, "IDS001MPI", {"LocalPatientId": "P1", "Postcode": "ZZ99 3CZ"})
    trail = len(list(audit_log.entries(db)))
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now full
    big = "x" * 20000
    with pytest.raises(SaveFailed, match=r"disk is full.*nothing was saved"):
        save_row(db, admin_session.user, "IDS001MPI", {"LocalPatientId": "P2", "Postcode": big})
    with pytest.raises(SaveFailed, match="disk is full"):
        save_row(db, admin_session.user, "app_patient", {"LocalPatientId": "P1", "address": big})
    assert get_row(db, "IDS001MPI", "P2") is None
    assert get_row(db, "app_patient", "P1") is None
    assert len(list(audit_log.entries(db))) == trail
    db.execute("PRAGMA max_page_count = 1073741823")  # space freed: the same save now works
    save_row(db, admin_session.user, "IDS001MPI", {"LocalPatientId": "P2", "Postcode": big})
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_other_database_errors_are_not_disguised_as_a_full_disk(admin_session: Session) -> None:
    with pytest.raises(sqlcipher3.IntegrityError):
        save_row(admin_session.db, admin_session.user, "IDS101Referral",
                 {"ServiceRequestId": "R1", "LocalPatientId": "nobody"})
