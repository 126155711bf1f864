"""docs/release.md and docs/install.md state what the project really pins and needs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def documented_glibc() -> tuple[int, ...]:
    """The glibc docs/install.md promises the Linux bundle runs on ("glibc 2.36 or later")."""
    found = re.search(r"glibc (2\.[0-9]+) or later", (ROOT / "docs" / "install.md").read_text(encoding="utf-8"))
    assert found is not None, "docs/install.md no longer says which glibc the Linux bundle needs"
    return tuple(int(part) for part in found.group(1).split("."))


def test_the_release_notes_name_the_pyside6_pin_in_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (pin,) = [d.split(";")[0].strip() for d in project["dependencies"] if d.startswith("PySide6")]
    release = (ROOT / "docs" / "release.md").read_text(encoding="utf-8")
    assert f"`{pin}`" in release
    assert "tests/ui/test_qt_bindings.py" in release  # and why it is pinned


def test_install_and_release_docs_agree_on_the_glibc_needed() -> None:
    release = (ROOT / "docs" / "release.md").read_text(encoding="utf-8")
    needed = ".".join(map(str, documented_glibc()))
    assert f"glibc {needed} or later" in release and "oldest supported base" in release
