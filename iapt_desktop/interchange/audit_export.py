"""The audit trail as a CSV file or a workbook, for an administrator.

Entries may quote changed values (names, dates), so the file is as sensitive
as the database: it is written in one go to a temporary file beside the target
(never the system temp folder) and renamed into place.  Every text is
neutralised so that no cell becomes a formula (interchange/formula_guard.py).
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from iapt_desktop.interchange.formula_guard import escape_ooxml, neutralise

AUDIT_COLUMNS = ("id", "at", "username", "action", "table_name", "record_key", "changes", "previous_hash", "hash")
AUDIT_HEADINGS = ("Entry", "When (UTC)", "User", "Action", "Table", "Record", "Changes", "Previous hash", "Hash")


def audit_row(entry: Any) -> list[str]:
    """An AuditEntry (storage/audit_log.py) as the exported texts."""
    values = [entry.id, entry.at, entry.username, entry.action, entry.table_name, entry.record_key,
              json.dumps(entry.changes, ensure_ascii=False, sort_keys=True, default=str) if entry.changes else "",
              entry.previous_hash, entry.hash]
    return [neutralise(str(value)) for value in values]


def _temporary_beside(path: Path) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".part", dir=path.parent)
    os.close(handle)
    return Path(name)


def write_audit_csv(path: Path, entries: Iterable[Any]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary_beside(path)
    count = 0
    try:
        with open(temporary, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(AUDIT_HEADINGS)
            for entry in entries:
                writer.writerow(audit_row(entry))
                count += 1
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return count


def write_audit_xlsx(path: Path, entries: Iterable[Any]) -> int:
    import openpyxl

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Audit trail"
    sheet.append(list(AUDIT_HEADINGS))
    count = 0
    for entry in entries:
        row = sheet.max_row + 1
        for column, text in enumerate(audit_row(entry), start=1):
            cell = sheet.cell(row=row, column=column)
            cell.value = escape_ooxml(text)
            cell.data_type = "s"
        count += 1
    sheet.freeze_panes = "A2"
    temporary = _temporary_beside(path)
    try:
        workbook.save(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return count


def write_audit_file(path: Path, entries: Iterable[Any]) -> int:
    """CSV or xlsx by the file's extension; returns the number of entries written."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return write_audit_csv(path, entries)
    if suffix == ".xlsx":
        return write_audit_xlsx(path, entries)
    raise ValueError(f"Save the audit trail as .csv or .xlsx, not {suffix or 'a file without extension'}.")
