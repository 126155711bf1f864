"""A submission package's CSV tables import back into an empty database and give the same package again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlite_utils import Database

from iapt_desktop.domain.demo_rows import DemoOptions
from iapt_desktop.interchange.submission_package import read_manifest
from iapt_desktop.jobs.demo_service import generate_demo
from iapt_desktop.jobs.table_import import import_tables
from iapt_desktop.storage.database import open_database
from iapt_desktop.storage.settings_store import get_setting, set_setting
from tests.submission_runs import run_submission

AS_OF = dt.date(2025, 7, 9)
CREATED = dt.datetime(2025, 7, 9, 11, 0, 0)


def _csv_files(package: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((package / "tables").glob("*.csv"))}


def test_package_imports_into_an_empty_database_and_re_exports_identically(db: Database, tmp_path: Path) -> None:
    for _ in generate_demo(db, DemoOptions(as_of=AS_OF, patients=50, months=4, seed=11)):
        pass
    first = run_submission(db, "2025-05", tmp_path / "first", created_at=CREATED, today=AS_OF)
    assert first.package is not None and first.counts["IDS201CareContact"] > 0

    copy = open_database(tmp_path / "copy.db")
    try:
        imported = import_tables(copy, first.package / "tables")
        assert imported.imported, [p.describe() for p in imported.problems]
        for key in ("provider_ods", "submitter_ods"):
            set_setting(copy, key, get_setting(db, key))
        again = run_submission(copy, "2025-05", tmp_path / "again", created_at=CREATED, today=AS_OF)
    finally:
        copy.close()
    assert again.package is not None
    assert _csv_files(again.package) == _csv_files(first.package)
    first_manifest, again_manifest = read_manifest(first.package), read_manifest(again.package)
    assert again_manifest["counts"] == first_manifest["counts"]
    assert again_manifest["validation"] == first_manifest["validation"]
