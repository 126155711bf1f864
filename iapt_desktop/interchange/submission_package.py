"""The monthly submission package on disk: tables, validation report, optional IDB, manifest.

Layout of ``<out>/<name>/`` (``name`` e.g. ``IAPT_v2.1_AB1_202504_P``, a
naming convention of ours, not a national rule (unconfirmed)):

- ``tables/IDS000Header.csv`` ... ``IDS902CarePersQual.csv``: one CSV per table
  (the interchange writers: technical column names in data set order)
- ``<name>.xlsx``: the same tables, one sheet each
- ``validation_report.json`` and ``validation_report.txt``: the findings
- ``<name>.accdb``: the filled IDB, when it was written (Windows only)
- ``manifest.json``: what the package is, counts per table, the SHA-256 of
  every other file, the validation summary

Everything is written into a hidden ``.<name>.partial`` folder that is renamed
to its final name only when complete; a failed or cancelled run leaves nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iapt_desktop.domain.dataset import DATASET_VERSION
from iapt_desktop.interchange.private_files import write_private_text
from iapt_desktop.interchange.table_files import TableProgress, write_tables_csv_steps, write_tables_xlsx_steps

MANIFEST_NAME = "manifest.json"
TABLES_FOLDER = "tables"
REPORT_JSON = "validation_report.json"
REPORT_TEXT = "validation_report.txt"
MANIFEST_FORMAT = "iapt-desktop-submission-package"
MANIFEST_FORMAT_VERSION = 1
WINDOW_LETTERS = {"primary": "P", "refresh": "R"}


def package_name(provider: str, period: str, window: str) -> str:
    """``IAPT_v2.1_<ODS>_<YYYYMM>_<P|R>`` (our naming convention, not a national rule (unconfirmed))."""
    ods = "".join(ch for ch in provider.upper() if ch.isalnum()) or "NOODS"
    return f"IAPT_v{DATASET_VERSION}_{ods}_{period.replace('-', '')}_{WINDOW_LETTERS[window]}"


def free_package_folder(out_dir: Path, name: str) -> Path:
    """``out_dir/name``, or ``name_2``, ``name_3`` ... when that folder already exists."""
    candidate, number = out_dir / name, 1
    while candidate.exists():
        number += 1
        candidate = out_dir / f"{name}_{number}"
    return candidate


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class ReportFiles:
    """What goes into the validation report files."""

    summary: Mapping[str, Any]  # counts per severity and anything else for the manifest
    findings: Sequence[Mapping[str, Any]]  # each as Finding.as_json()
    text: str  # the report for people


class PackageWriter:
    """Writes one package into a partial folder; :meth:`finish` renames it into place.

    Use as a context manager: leaving it without :meth:`finish` removes the partial folder.
    """

    def __init__(self, out_dir: Path, name: str) -> None:
        self.out_dir = Path(out_dir)
        self.final = free_package_folder(self.out_dir, name)
        self.name = self.final.name
        self.folder = self.out_dir / f".{self.name}.partial"
        self._finished = False

    def __enter__(self) -> PackageWriter:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir()
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._finished:
            shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def workbook_path(self) -> Path:
        return self.folder / f"{self.name}.xlsx"

    @property
    def idb_path(self) -> Path:
        return self.folder / f"{self.name}.accdb"

    def write_tables(
        self, rows_by_table: Mapping[str, Iterable[Mapping[str, Any]]]
    ) -> Generator[TableProgress, None, None]:
        """CSV files, then the workbook; progress counts the tables of both (42 steps)."""
        for step in write_tables_csv_steps(self.folder / TABLES_FOLDER, rows_by_table):
            yield TableProgress(f"{step.table}.csv", step.rows, step.tables_done, step.tables_total * 2)
        for step in write_tables_xlsx_steps(self.workbook_path, rows_by_table):
            yield TableProgress(f"{step.table} sheet", step.rows, step.tables_total + step.tables_done,
                                step.tables_total * 2)

    def write_report(self, report: ReportFiles) -> None:
        document = {"summary": dict(report.summary), "findings": [dict(f) for f in report.findings]}
        _write_text(self.folder / REPORT_JSON, json.dumps(document, indent=1, ensure_ascii=False, default=str))
        _write_text(self.folder / REPORT_TEXT, report.text)

    def file_hashes(self) -> dict[str, str]:
        """SHA-256 of every file written so far, by path relative to the package folder (/-separated)."""
        return {
            path.relative_to(self.folder).as_posix(): sha256_of(path)
            for path in sorted(self.folder.rglob("*"))
            if path.is_file() and path.name != MANIFEST_NAME
        }

    def write_manifest(self, manifest: Mapping[str, Any]) -> None:
        _write_text(self.folder / MANIFEST_NAME, json.dumps(manifest, indent=1, ensure_ascii=False, default=str))

    def finish(self) -> Path:
        os.replace(self.folder, self.final)
        self._finished = True
        return self.final


def _write_text(path: Path, text: str) -> None:
    """The report and the manifest hold NHS numbers, postcodes and dates: owner-only, as the tables."""
    write_private_text(path, text, final_newline=True)


def read_manifest(package: Path) -> dict[str, Any]:
    with open(Path(package) / MANIFEST_NAME, encoding="utf-8") as handle:
        return dict(json.load(handle))


def verify_package(package: Path) -> list[str]:
    """Files whose SHA-256 differs from the manifest, or that are missing or not listed; [] when intact."""
    package = Path(package)
    listed: dict[str, str] = read_manifest(package)["files"]
    problems = []
    for relative, digest in listed.items():
        path = package / relative
        if not path.is_file():
            problems.append(f"{relative} is missing")
        elif sha256_of(path) != digest:
            problems.append(f"{relative} has changed since the package was written")
    present = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}
    problems += [f"{name} is not listed in the manifest" for name in sorted(present - set(listed) - {MANIFEST_NAME})]
    return problems

