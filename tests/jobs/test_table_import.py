"""import_tables: all or nothing, every problem listed, only what cannot be stored refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from iapt_desktop.interchange.hostile_files import SourceRefused
from iapt_desktop.jobs.table_import import import_tables, import_tables_steps
from iapt_desktop.storage.table_rows import count_rows

MPI = "LocalPatientId,OrgIDLocalPatientId,NHSNumber,PersonBirthDate,Postcode\r\n"
REFERRAL = "ServiceRequestId,LocalPatientId,ReferralRequestReceivedDate,EndCode\r\n"
CONTACT = "CareContactId,ServiceRequestId,CareContDate,CareContTime,ClinContDurOfCareCont\r\n"


def write(folder: Path, **files: str) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8", newline="")
    return folder


def good_files(folder: Path) -> Path:
    return write(
        folder,
        IDS001MPI=MPI + "P1,AB1,9990000018,1980-05-17,LS1 4AP\r\nP2,AB1,9990000026,1991-01-02,SW1A 1AA\r\n",
        IDS101Referral=REFERRAL + "R1,P1,2025-04-01,\r\nR2,P2,2025-04-03,10\r\n",
        IDS201CareContact=CONTACT + "C1,R1,2025-04-08,09:30:00,50\r\nC2,R2,2025-04-09,,\r\n",
    )


def snapshot(db: Database) -> dict[str, int]:
    names = ["IDS001MPI", "IDS101Referral", "IDS201CareContact", "IDS002GP", "IDS108WaitingTimePauses"]
    counts = {name: count_rows(db, name) for name in names}
    counts["audit"] = db.execute("SELECT count(*) FROM app_audit_log").fetchone()[0]
    return counts


def problems_of(db: Database, source: Path) -> list[tuple[str, int | None, str, str]]:
    before = snapshot(db)
    result = import_tables(db, source)
    assert not result.imported
    assert snapshot(db) == before, "a refused import changed the database"
    assert result.rows_imported == 0
    return [(p.table, p.row, p.column, p.value) for p in result.problems]


def test_good_files_are_stored_and_audited(db: Database, tmp_path: Path) -> None:
    result = import_tables(db, good_files(tmp_path / "in"))
    assert result.imported
    assert result.rows_by_table == {"IDS001MPI": 2, "IDS101Referral": 2, "IDS201CareContact": 2}
    contact = db.execute("SELECT CareContTime, ClinContDurOfCareCont FROM IDS201CareContact "
                         "WHERE CareContactId = 'C1'").fetchone()
    assert contact == ("09:30:00", 50)
    assert db.execute("SELECT CareContTime FROM IDS201CareContact WHERE CareContactId = 'C2'").fetchone() == (None,)
    audit = db.execute("SELECT action, changes FROM app_audit_log").fetchall()
    assert audit[-1][0] == "import" and "IDS201CareContact" in audit[-1][1]


def test_one_bad_row_changes_nothing_and_names_row_column_and_reason(db: Database, tmp_path: Path) -> None:
    folder = good_files(tmp_path / "in")
    write(folder, IDS201CareContact=CONTACT + "C1,R1,2025-04-08,09:30:00,50\r\nC2,R2,2025-31-04,,\r\n")
    result = import_tables(db, folder)
    assert not result.imported
    assert [(p.table, p.row, p.column, p.value) for p in result.problems] == [
        ("IDS201CareContact", 3, "CareContDate", "2025-31-04")
    ]
    assert "not a date in the form YYYY-MM-DD" in result.problems[0].reason or "real date" in \
        result.problems[0].reason
    assert count_rows(db, "IDS001MPI") == 0


def test_every_problem_is_listed_not_just_the_first(db: Database, tmp_path: Path) -> None:
    folder = write(
        tmp_path / "in",
        IDS001MPI=MPI + "P1,AB1,x,17/05/1980,\r\nP2,AB1,,1980-02-30,\r\nP3,AB1,,1980-01-01,\r\n",
        IDS201CareContact=CONTACT + "C1,R9,2025-04-08,9am,fifty\r\n",
    )
    assert problems_of(db, folder) == [
        ("IDS001MPI", 2, "PersonBirthDate", "17/05/1980"),
        ("IDS001MPI", 3, "PersonBirthDate", "1980-02-30"),
        ("IDS201CareContact", 2, "CareContTime", "9am"),
        ("IDS201CareContact", 2, "ClinContDurOfCareCont", "fifty"),
    ]


def test_unknown_table_and_unknown_columns_are_refused(db: Database, tmp_path: Path) -> None:
    folder = write(tmp_path / "in", Patients="a,b\r\n1,2\r\n",
                   IDS001MPI="LocalPatientId,FirstName,app_row_id,localpatientid\r\nP1,Ann,1,x\r\n")
    listed = problems_of(db, folder)
    assert listed[0] == ("Patients", None, "", "")
    assert [row[2] for row in listed[1:]] == ["FirstName", "app_row_id", "localpatientid"]
    result = import_tables(db, folder)
    reasons = [p.reason for p in result.problems]
    assert "not a table of the IAPT data set" in reasons[0]
    assert "app-only columns are never imported" in reasons[2]
    assert "did you mean LocalPatientId" in reasons[3]


def test_duplicate_keys_in_the_file_are_refused(db: Database, tmp_path: Path) -> None:
    folder = write(tmp_path / "in", IDS001MPI=MPI + "P1,AB1,,,\r\nP2,AB1,,,\r\nP1,AB1,,,\r\n")
    assert problems_of(db, folder) == [("IDS001MPI", 4, "LocalPatientId", "P1")]
    result = import_tables(db, folder)
    assert "row 2 of this file has the same LocalPatientId" in result.problems[0].reason


def test_duplicate_keys_against_the_database_are_refused(db: Database, tmp_path: Path) -> None:
    assert import_tables(db, good_files(tmp_path / "first")).imported
    folder = write(tmp_path / "again", IDS001MPI=MPI + "P3,AB1,,,\r\nP2,AB1,,,\r\n")
    assert problems_of(db, folder) == [("IDS001MPI", 3, "LocalPatientId", "P2")]
    assert "already in the database" in import_tables(db, folder).problems[0].reason


def test_duplicate_unique_pairs_are_refused(db: Database, tmp_path: Path) -> None:
    folder = good_files(tmp_path / "in")
    write(folder, IDS108WaitingTimePauses="PauseID,ServiceRequestId,PauseStartDate\r\n"
                                          "1,R1,2025-04-10\r\n1,R2,2025-04-10\r\n1,R1,2025-05-10\r\n")
    assert problems_of(db, folder) == [("IDS108WaitingTimePauses", 4, "PauseID", "1")]


def test_children_without_a_parent_are_refused(db: Database, tmp_path: Path) -> None:
    folder = good_files(tmp_path / "in")
    write(folder, IDS002GP="LocalPatientId,GMPCodeReg\r\nP1,B86001\r\nP9,B86001\r\n")
    assert problems_of(db, folder) == [("IDS002GP", 3, "LocalPatientId", "P9")]
    assert "neither in the file nor in the database" in import_tables(db, folder).problems[0].reason


def test_a_child_of_a_refused_parent_row_says_so(db: Database, tmp_path: Path) -> None:
    folder = good_files(tmp_path / "in")
    write(folder, IDS101Referral=REFERRAL + "R1,P1,yesterday,\r\nR2,P2,2025-04-03,10\r\n")
    result = import_tables(db, folder)
    assert [(p.table, p.row, p.column) for p in result.problems] == [
        ("IDS101Referral", 2, "ReferralRequestReceivedDate"), ("IDS201CareContact", 2, "ServiceRequestId")]
    assert "its IDS101Referral row (row 2) has problems" in result.problems[1].reason


def test_an_empty_key_or_link_is_refused(db: Database, tmp_path: Path) -> None:
    folder = good_files(tmp_path / "in")
    write(folder, IDS002GP="LocalPatientId,GMPCodeReg\r\n,B86001\r\n")
    assert problems_of(db, folder) == [("IDS002GP", 2, "LocalPatientId", "")]


def test_parents_already_in_the_database_are_found(db: Database, tmp_path: Path) -> None:
    assert import_tables(db, good_files(tmp_path / "first")).imported
    folder = write(tmp_path / "second", IDS201CareContact=CONTACT + "C3,R1,2025-05-01,,\r\n")
    assert import_tables(db, folder).imported
    assert count_rows(db, "IDS201CareContact") == 3


def test_data_quality_faults_are_imported_for_validation_to_report(db: Database, tmp_path: Path) -> None:
    folder = write(
        tmp_path / "in",
        IDS001MPI=MPI + "P1,AB1,9990000019,1980-05-17,LS14AP\r\n",  # bad check digit, no space
        IDS101Referral=REFERRAL + "R1,P1,2025-04-01,ZZ\r\n",  # EndCode not in its list
    )
    assert import_tables(db, folder).imported
    assert db.execute("SELECT NHSNumber, Postcode FROM IDS001MPI").fetchone() == ("9990000019", "LS14AP")
    assert db.execute("SELECT EndCode FROM IDS101Referral").fetchone() == ("ZZ",)


def test_columns_in_any_order_missing_columns_are_null_and_missing_files_are_empty(
        db: Database, tmp_path: Path) -> None:
    folder = write(tmp_path / "in", IDS001MPI="Postcode,LocalPatientId\r\nLS1 4AP,P1\r\n")
    assert import_tables(db, folder).imported
    assert db.execute("SELECT LocalPatientId, Postcode, NHSNumber FROM IDS001MPI").fetchone() == \
        ("P1", "LS1 4AP", None)


def test_rows_of_tables_without_a_key_are_appended(db: Database, tmp_path: Path) -> None:
    assert import_tables(db, good_files(tmp_path / "first")).imported
    gp = write(tmp_path / "gp", IDS002GP="LocalPatientId,GMPCodeReg\r\nP1,B86001\r\n")
    assert import_tables(db, gp).imported
    assert import_tables(db, gp).imported
    assert count_rows(db, "IDS002GP") == 2


def test_a_cancelled_import_stores_nothing(db: Database, tmp_path: Path) -> None:
    steps = import_tables_steps(db, good_files(tmp_path / "in"))
    next(steps)  # the first table is stored inside the open transaction
    steps.close()
    assert snapshot(db)["IDS001MPI"] == 0
    assert not db.conn.in_transaction


def test_a_source_that_cannot_be_read_at_all_is_refused_before_anything_is_stored(
        db: Database, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceRefused, match=r"holds no \.csv files"):
        import_tables(db, tmp_path / "empty")


def test_a_file_refused_half_way_through_rolls_back_what_was_stored(db: Database, tmp_path: Path) -> None:
    folder = good_files(tmp_path / "in")
    (folder / "IDS201CareContact.csv").write_bytes(CONTACT.encode() + b"C1,R1,2025-04-08,,\r\n"
                                                   + b"C2," + b"x" * (2 * 1024 * 1024) + b"\r\n")
    with pytest.raises(SourceRefused, match="line 3 is longer than"):
        import_tables(db, folder)
    assert snapshot(db)["IDS001MPI"] == 0 and not db.conn.in_transaction


def test_the_job_for_the_app_opens_and_closes_its_own_connection(db_path: Path, db: Database,
                                                                 tmp_path: Path) -> None:
    from iapt_desktop.jobs.table_import import import_tables_job
    from iapt_desktop.storage.database import DatabaseLocation

    steps = import_tables_job(DatabaseLocation(db_path), good_files(tmp_path / "in"))
    progress = []
    while True:
        try:
            progress.append(next(steps))
        except StopIteration as finished:
            result = finished.value
            break
    assert result.imported
    assert [(p.table, p.done) for p in progress] == [("IDS001MPI", 1), ("IDS101Referral", 2),
                                                      ("IDS201CareContact", 3), ("", 21)]
    assert progress[-1].total == 21 and progress[-1].message == "Done: 6 rows"
    assert count_rows(db, "IDS201CareContact") == 2  # seen through the test's own connection
