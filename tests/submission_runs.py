"""Running the submission job in tests, and reading a package back."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from iapt_desktop.jobs.write_submission import SubmissionResult, write_submission
from iapt_desktop.paths import resource

CREATED = dt.datetime(2025, 5, 3, 9, 15, 42)
TODAY = dt.date(2025, 5, 3)


def run_submission(db: Database, period: str, out: Path, **options: Any) -> SubmissionResult:
    options.setdefault("created_at", CREATED)
    options.setdefault("today", TODAY)
    window = options.pop("window", None)
    results = [item for item in write_submission(db, period, window, out, **options)
               if isinstance(item, SubmissionResult)]
    assert len(results) == 1
    return results[0]


def expected_headers() -> dict[str, list[str]]:
    """Table -> column names in data set order, read straight from resources/dataset/columns.csv."""
    headers: dict[str, list[tuple[int, str]]] = {}
    with open(resource("dataset", "columns.csv"), newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            headers.setdefault(row["table"], []).append((int(row["ordinal"]), row["column"]))
    return {name: [column for _, column in sorted(columns)] for name, columns in headers.items()}


def read_package_csv(package: Path) -> tuple[dict[str, list[str]], dict[str, list[dict[str, str]]]]:
    """(headers, rows) per table as the package's CSV files hold them (empty text for nulls)."""
    headers: dict[str, list[str]] = {}
    rows: dict[str, list[dict[str, str]]] = {}
    for path in sorted((package / "tables").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            headers[path.stem] = header
            rows[path.stem] = [dict(zip(header, values, strict=True)) for values in reader]
    return headers, rows
