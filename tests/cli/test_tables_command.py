"""``iapt-desktop export-tables`` and ``import-tables`` on real, encrypted database files."""

from __future__ import annotations

from pathlib import Path

import pytest

from iapt_desktop.cli import main

PASSWORD = "tables command test passphrase 42"


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IAPT_DESKTOP_PASSWORD", PASSWORD)


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path), "--patients", "30", "--months", "4", "--seed", "7"]) == 0
    return path


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_demo_export_import_export_gives_byte_identical_csv(demo_db: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export-tables", "--db", str(demo_db), "--out", str(tmp_path / "first")]) == 0
    assert "Wrote 21 file(s)" in capsys.readouterr().out
    copy = tmp_path / "copy.db"
    assert main(["import-tables", str(tmp_path / "first"), "--db", str(copy)]) == 0
    assert "Imported" in capsys.readouterr().out
    assert main(["export-tables", "--db", str(copy), "--out", str(tmp_path / "second")]) == 0
    first = files(tmp_path / "first")
    assert len(first) == 21 and first == files(tmp_path / "second")
    assert first["IDS201CareContact.csv"].count(b"\r\n") > 30  # the demo has appointments


def test_demo_round_trip_through_a_workbook(demo_db: Path, tmp_path: Path) -> None:
    assert main(["export-tables", "--db", str(demo_db), "--out", str(tmp_path / "direct")]) == 0
    assert main(["export-tables", "--db", str(demo_db), "--out", str(tmp_path / "all.xlsx")]) == 0
    copy = tmp_path / "copy.db"
    assert main(["import-tables", str(tmp_path / "all.xlsx"), "--db", str(copy)]) == 0
    assert main(["export-tables", "--db", str(copy), "--out", str(tmp_path / "via_xlsx")]) == 0
    assert files(tmp_path / "via_xlsx") == files(tmp_path / "direct")


def test_a_bad_row_is_listed_nothing_changes_and_the_exit_code_is_1(
        demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "IDS001MPI.csv").write_text(
        "LocalPatientId,PersonBirthDate\r\nNEW1,1980-01-01\r\nNEW2,31/12/1980\r\n", encoding="utf-8")
    assert main(["import-tables", str(folder), "--db", str(demo_db)]) == 1
    err = capsys.readouterr().err
    assert "IDS001MPI\t3\tPersonBirthDate\t31/12/1980\tis not a date in the form YYYY-MM-DD" in err
    assert "Nothing was imported" in err
    assert main(["export-tables", "--db", str(demo_db), "--out", str(tmp_path / "after")]) == 0
    assert b"NEW1" not in (tmp_path / "after" / "IDS001MPI.csv").read_bytes()


def test_a_refused_import_into_a_new_file_leaves_no_database(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "IDS002GP.csv").write_text("LocalPatientId,GMPCodeReg\r\nNOBODY,B86001\r\n", encoding="utf-8")
    target = tmp_path / "new.db"
    assert main(["import-tables", str(folder), "--db", str(target)]) == 1
    assert "neither in the file nor in the database" in capsys.readouterr().err
    assert not target.exists() and not Path(f"{target}.keys").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]  # nor its lock file


def test_hostile_source_is_refused_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "IDS001MPI.csv"
    bad.write_bytes(b"\x00\x01\x02binary")
    assert main(["import-tables", str(bad), "--db", str(tmp_path / "x.db")]) == 1
    assert "IDS001MPI.csv is not a text file" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists() and not (tmp_path / "x.db.lock").exists()


def test_a_database_in_a_missing_folder_is_named_not_the_source(demo_db: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out1"
    assert main(["export-tables", "--db", str(demo_db), "--out", str(out)]) == 0
    capsys.readouterr()
    missing = tmp_path / "nonexist"
    assert main(["import-tables", str(out), "--db", str(missing / "q.db")]) == 1
    err = capsys.readouterr().err
    assert f"The folder {missing} does not exist" in err and "--db" in err
    assert "could not be read" not in err and "Traceback" not in err
    assert not missing.exists()


def test_pseudonymised_export_with_a_kept_key(demo_db: Path, tmp_path: Path) -> None:
    key = tmp_path / "pseudonym.key"
    for out in ("a", "b"):
        assert main(["export-tables", "--db", str(demo_db), "--out", str(tmp_path / out), "--pseudonymise",
                     "--pseudonym-key-file", str(key)]) == 0
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert main(["export-tables", "--db", str(demo_db), "--out", str(tmp_path / "plain")]) == 0
    plain = (tmp_path / "plain" / "IDS001MPI.csv").read_text(encoding="utf-8").splitlines()[1].split(",")
    hidden = (tmp_path / "a" / "IDS001MPI.csv").read_text(encoding="utf-8")
    assert plain[0] not in hidden and plain[2] not in hidden  # LocalPatientId, NHSNumber


def test_usage_errors_say_what_to_fix(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    assert main(["export-tables", "--db", str(demo_db), "--out", str(a_file)]) == 1
    assert "Give a folder for CSV files, or a name ending in .xlsx" in capsys.readouterr().err
    assert main(["export-tables", "--db", str(demo_db), "--out", str(tmp_path / "o"),
                 "--pseudonym-key-file", str(tmp_path / "k")]) == 1
    assert "only works with --pseudonymise" in capsys.readouterr().err
    assert main(["import-tables", str(tmp_path / "missing"), "--db", str(demo_db)]) == 1
    assert "There is no file or folder" in capsys.readouterr().err


def test_the_signed_in_users_role_is_checked_and_named_in_the_audit_trail(
        demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from iapt_desktop.domain.access import Role
    from iapt_desktop.storage.session import unlock
    from iapt_desktop.storage.users import add_user

    reader_password = "reader only passphrase 77"
    with unlock(demo_db, "admin", PASSWORD) as session:
        add_user(session, "reader", "Rita Reader", Role.READ_ONLY, reader_password, must_change_password=False)
    password_file = tmp_path / "reader.txt"
    password_file.write_text(reader_password + "\n", encoding="utf-8")
    assert main(["export-tables", "--db", str(demo_db), "--out", str(tmp_path / "out"), "--user", "reader",
                 "--password-file", str(password_file)]) == 1
    assert "may not export data" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    assert main(["export-tables", "--db", str(demo_db), "--out", str(tmp_path / "out")]) == 0
    with unlock(demo_db, "admin", PASSWORD) as session:
        last = session.db.execute("SELECT username, action FROM app_audit_log WHERE action = 'export' "
                                  "ORDER BY id DESC").fetchone()
    assert last == ("admin", "export")


def test_a_workbook_excel_cannot_hold_is_refused_with_csv_as_the_way(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from iapt_desktop.storage.database import open_database
    from tests.jobs.test_table_export import EXCEL_SHEET_ROWS, fill_rows

    path = tmp_path / "big.db"
    db = open_database(path)
    fill_rows(db, EXCEL_SHEET_ROWS)  # one more than a sheet holds below its header row
    db.close()
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export-tables", "--db", str(path), "--out", str(out / "all.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "Nothing was written." in err and f"IDS902CarePersQual has {EXCEL_SHEET_ROWS:,} rows" in err
    assert "Export them as CSV files (a folder) instead: CSV has no row limit" in err
    assert f"--out {out / 'all'}" in err
    assert list(out.iterdir()) == []
