"""Docs, code and resources cite what a reader can follow: national rule ids, the NHS Data Dictionary or data
set specification by name, or the project's own files; never the developers' reference pack, which is not in
the project (only the derive scripts in scripts/ read it, when developers run them)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_FILES = re.compile(r"dataset\.md|validation-rules\.md|export-format\.md|measures-and-metrics\.md"
                             r"|shared[/]reference|\.\./shared")


def _project_files() -> list[Path]:
    found = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for folder, pattern in (("iapt_desktop", "*.py"), ("resources", "*.csv"), ("resources", "*.md"),
                            ("tests", "*.py")):
        found += sorted((ROOT / folder).rglob(pattern))
    checks = {Path(__file__).resolve(), ROOT / "tests" / "test_architecture.py"}  # these name it to forbid it
    return [path for path in found if path.is_file() and path not in checks]


def test_nothing_cites_the_reference_pack() -> None:
    citing = []
    for path in _project_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if REFERENCE_FILES.search(line):
                citing.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert citing == []
