"""Pseudonymised exports: identifiers replaced consistently, links kept, nothing identifying left."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from iapt_desktop.interchange.pseudonymise import (
    Pseudonymiser,
    PseudonymKeyError,
    load_or_create_key,
    new_key,
)
from iapt_desktop.jobs.table_export import export_tables
from iapt_desktop.jobs.table_import import import_tables
from iapt_desktop.storage.database import open_database
from tests.interchange.table_data import fill_every_table, nhs_number


def test_identifiers_are_replaced_consistently_for_one_key_and_differently_for_another() -> None:
    key = new_key()
    one, same, other = Pseudonymiser(key), Pseudonymiser(key), Pseudonymiser(new_key())
    assert one.identifier("LocalPatientId", "P1") == same.identifier("LocalPatientId", "P1")
    assert one.identifier("LocalPatientId", "P1") != other.identifier("LocalPatientId", "P1")
    assert one.identifier("LocalPatientId", "P1") != one.identifier("LocalPatientId", "P2")
    assert one.identifier("NHSNumber", "999 000 0018") == one.identifier("NHSNumber", "9990000018")
    pseudonym = one.identifier("NHSNumber", "9990000018")
    assert len(pseudonym) == 10 and pseudonym.startswith("N") and not pseudonym.isdigit()
    assert len(one.identifier("ServiceRequestId", "R1")) <= 20


@pytest.mark.parametrize(("postcode", "district"), [("LS1 4AP", "LS1"), ("sw1a1aa", "SW1A"),
                                                    ("B33 8TH", "B33"), ("nonsense", None), ("AB", None)])
def test_postcode_keeps_only_the_district(postcode: str, district: str | None) -> None:
    assert Pseudonymiser.postcode(postcode) == district


def test_birth_date_keeps_year_and_month() -> None:
    assert Pseudonymiser.birth_date("1980-05-17") == "1980-05-01"


def test_row_replaces_only_identifying_columns() -> None:
    row = {"LocalPatientId": "P1", "NHSNumber": "9990000018", "Postcode": "LS1 4AP",
           "PersonBirthDate": "1980-05-17", "Gender": "2", "EthnicCategory": None}
    result = Pseudonymiser(new_key()).row(row)
    assert result["Gender"] == "2" and result["EthnicCategory"] is None
    assert result["LocalPatientId"] != "P1" and result["Postcode"] == "LS1"
    assert result["PersonBirthDate"] == "1980-05-01"


def test_pseudonymised_export_keeps_links_and_drops_identifiers(db: Database, tmp_path: Path) -> None:
    fill_every_table(db)
    key = new_key()
    export_tables(db, tmp_path / "out", pseudonymise_key=key)
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir())
    assert nhs_number(0) not in text and "IDS00-000" not in text and "IDS10-000" not in text
    assert "LS1 4AP" not in text
    copy = open_database(tmp_path / "copy.db")
    try:
        result = import_tables(copy, tmp_path / "out")  # parents and children still join
        assert result.imported, result.problems[:3]
        assert copy.execute("SELECT count(*) FROM IDS201CareContact").fetchone()[0] == 12
    finally:
        copy.close()
    export_tables(db, tmp_path / "again", pseudonymise_key=key)
    assert (tmp_path / "again" / "IDS101Referral.csv").read_bytes() == \
        (tmp_path / "out" / "IDS101Referral.csv").read_bytes()


def test_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "pseudonym.key"
    first = load_or_create_key(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_or_create_key(path) == first
    path.write_text("not hex", encoding="ascii")
    with pytest.raises(PseudonymKeyError, match="hex digits"):
        load_or_create_key(path)
    path.write_text("abcd", encoding="ascii")
    with pytest.raises(PseudonymKeyError, match="too short"):
        load_or_create_key(path)
