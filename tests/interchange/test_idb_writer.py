"""The IDB writer with SQLite standing in for Access: structure check, conversions, SQL, clean failure.

Nothing here runs against real Microsoft Access (see docs/submission.md).
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import sys
from pathlib import Path

import pytest

from iapt_desktop.domain.dataset import tables
from iapt_desktop.interchange.idb_types import IdbValueError
from iapt_desktop.interchange.idb_writer import (
    IdbTemplateError,
    IdbUnavailable,
    access_driver_problem,
    columns_from_catalogue,
    write_idb,
)
from tests.interchange.idb_stand_in import SqliteStandInDialect, make_template, read_table, schema_of

DIALECT = SqliteStandInDialect()


def _rows() -> dict[str, list[dict[str, object]]]:
    rows: dict[str, list[dict[str, object]]] = {name: [] for name in tables()}
    rows["IDS000Header"] = [{"DatSetVer": "2.1", "OrgIDProv": "AB1", "OrgIDSubmit": "AB1",
                             "PrimSystemInUse": "IAPT Desktop", "ReportingPeriodStartDate": "2025-04-01",
                             "ReportingPeriodEndDate": "2025-04-30", "DateTimeDatSetCreate": "2025-05-03 09:15:42"}]
    rows["IDS001MPI"] = [{"LocalPatientId": "P1", "NHSNumber": "9990000018", "PersonBirthDate": "1980-05-17"}]
    rows["IDS101Referral"] = [{"ServiceRequestId": "R1", "LocalPatientId": "P1",
                               "ReferralRequestReceivedDate": "2025-03-10"}]
    rows["IDS201CareContact"] = [{"CareContactId": "C1", "ServiceRequestId": "R1", "CareContDate": "2025-04-30",
                                  "CareContTime": "14:30:00", "AttendOrDNACode": "5", "AppType": "02",
                                  "ClinContDurOfCareCont": 50}]
    return {name: [{c: row.get(c) for c in tables()[name].column_names} for row in table_rows]
            for name, table_rows in rows.items()}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_fills_a_copy_with_converted_values_and_leaves_template_and_structure_alone(tmp_path: Path) -> None:
    template = make_template(tmp_path / "blank.accdb")
    before = _digest(template)
    out = tmp_path / "out" / "IAPT.accdb"
    out.parent.mkdir()
    progress = list(write_idb(_rows(), template, out, dialect=DIALECT))
    assert _digest(template) == before
    assert schema_of(out) == schema_of(template)
    assert [p.table for p in progress if p.done == p.total] == list(tables())
    (contact,) = read_table(out, "IDS201CareContact")
    names = tables()["IDS201CareContact"].column_names
    values = dict(zip(names, contact, strict=True))
    assert values["CareContDate"] == "2025-04-30 00:00:00"
    assert values["CareContTime"] == "1899-12-30 14:30:00"
    assert values["AppType"] == "02" and values["ClinContDurOfCareCont"] == 50
    (header,) = read_table(out, "IDS000Header")
    assert header[-1] == "2025-05-03 09:15:42" and header[0] == "2.1"
    assert read_table(out, "IDS902CarePersQual") == []
    assert not list(tmp_path.glob("out/*.partial*"))


def test_over_long_text_is_refused_naming_the_place_but_not_the_value(tmp_path: Path) -> None:
    template = make_template(tmp_path / "blank.accdb", overrides={("IDS201CareContact", "AppType"): "VARCHAR(1)"})
    out = tmp_path / "IAPT.accdb"
    with pytest.raises(IdbValueError, match=r"IDS201CareContact row 1 \(CareContactId C1\), AppType: "
                                            r"2 characters, but the template's field holds at most 1") as error:
        list(write_idb(_rows(), template, out, dialect=DIALECT))
    assert "02" not in str(error.value)
    assert not out.exists() and list(tmp_path.iterdir()) == [template]


def test_integers_are_range_checked_against_the_template_type(tmp_path: Path) -> None:
    template = make_template(tmp_path / "blank.accdb",
                             overrides={("IDS201CareContact", "ClinContDurOfCareCont"): "BYTE"})
    rows = _rows()
    rows["IDS201CareContact"][0]["ClinContDurOfCareCont"] = 300
    with pytest.raises(IdbValueError, match="300 is outside the template field's range 0 to 255"):
        list(write_idb(rows, template, tmp_path / "IAPT.accdb", dialect=DIALECT))


@pytest.mark.parametrize(
    ("overrides", "extra", "message"),
    [
        ({("IDS001MPI", "Postcode"): None}, (), r"IDS001MPI\.Postcode is missing"),
        ({("IDS201CareContact", "CareContDate"): "VARCHAR(10)"}, (),
         r"IDS201CareContact\.CareContDate is Text\(10\) in the template; expected Date/Time"),
        ({("IDS202CareActivity", "ClinContactDurOfCareAct"): "DOUBLE"}, (),
         r"ClinContactDurOfCareAct is DOUBLE in the template; expected Byte or Integer or Long Integer"),
        ({}, ("Scratch",), "a table the data set does not: Scratch"),
    ],
)
def test_a_template_that_is_not_the_expected_structure_is_refused(
    tmp_path: Path, overrides: dict[tuple[str, str], str | None], extra: tuple[str, ...], message: str
) -> None:
    template = make_template(tmp_path / "blank.accdb", overrides=overrides, extra_tables=extra)
    with pytest.raises(IdbTemplateError, match=message):
        list(write_idb(_rows(), template, tmp_path / "IAPT.accdb", dialect=DIALECT))
    assert not (tmp_path / "IAPT.accdb").exists()


def test_a_template_that_already_holds_rows_is_refused(tmp_path: Path) -> None:
    template = make_template(tmp_path / "blank.accdb")
    list(write_idb(_rows(), template, tmp_path / "filled.accdb", dialect=DIALECT))
    with pytest.raises(IdbTemplateError, match="IDS001MPI already holds rows"):
        list(write_idb(_rows(), tmp_path / "filled.accdb", tmp_path / "again.accdb", dialect=DIALECT))


def test_missing_template_and_existing_output_are_refused(tmp_path: Path) -> None:
    with pytest.raises(IdbUnavailable, match=r"Download IAPTMasterIDB_2\.1 from TRUD"):
        list(write_idb(_rows(), tmp_path / "nowhere.accdb", tmp_path / "IAPT.accdb", dialect=DIALECT))
    template = make_template(tmp_path / "blank.accdb")
    (tmp_path / "IAPT.accdb").write_bytes(b"keep me")
    with pytest.raises(FileExistsError):
        list(write_idb(_rows(), template, tmp_path / "IAPT.accdb", dialect=DIALECT))
    assert (tmp_path / "IAPT.accdb").read_bytes() == b"keep me"


@pytest.mark.skipif(sys.platform == "win32", reason="explains the missing Windows driver")
def test_off_windows_the_access_route_says_why_it_cannot_run() -> None:
    problem = access_driver_problem()
    assert problem is not None and "Windows" in problem


def test_odbc_catalogue_rows_become_template_columns() -> None:
    row = collections.namedtuple("row", "column_name type_name column_size")
    columns = columns_from_catalogue([row("Postcode", "VARCHAR", 8), row("CareContDate", "DATETIME", 19),
                                      row("ClinContDurOfCareCont", "INTEGER", 10)])
    assert [c.describe() for c in columns] == ["Text(8)", "Date/Time", "Long Integer"]


def test_a_datetime_object_is_written_as_is() -> None:
    from iapt_desktop.interchange.idb_types import TemplateColumn, to_access

    column = tables()["IDS000Header"].column("DateTimeDatSetCreate")
    moment = dt.datetime(2025, 5, 3, 9, 15, 42, 123)
    assert to_access(column, TemplateColumn("x", "DATETIME", None), moment, "here") == moment.replace(microsecond=0)


def test_names_are_matched_without_regard_to_case_and_written_in_the_templates_spelling(tmp_path: Path) -> None:
    template = make_template(tmp_path / "blank.accdb", upper_case=True)
    out = tmp_path / "IAPT.accdb"
    list(write_idb(_rows(), template, out, dialect=DIALECT))
    assert schema_of(out) == schema_of(template)
    (contact,) = read_table(out, "IDS201CARECONTACT")
    assert contact[tables()["IDS201CareContact"].column_names.index("CareContTime")] == "1899-12-30 14:30:00"
