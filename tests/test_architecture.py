"""House rules that keep the code base in shape."""

from __future__ import annotations

import ast
from pathlib import Path

from iapt_desktop.cli import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "iapt_desktop"


def python_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_grab_bag_modules() -> None:
    names = {p.stem for p in python_files()}
    assert not names & {"utils", "helpers", "misc", "common"}


def test_every_cli_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in COMMANDS if f"iapt-desktop {name}" not in readme]
    assert not missing, f"README does not document: {missing}"


def test_the_project_never_reads_the_shared_reference_at_run_time() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in [*python_files(), *(ROOT / "tests").rglob("*.py")]
        if "shared/reference" in p.read_text(encoding="utf-8") and p.name != "test_architecture.py"
    ]
    assert not offenders


def test_core_modules_do_no_work_at_import() -> None:
    """Module level holds definitions only: no calls that open files or databases."""
    suspicious = {"open", "open_database", "connect", "QApplication"}
    offenders = []
    for path in python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                func = node.value.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name in suspicious:
                    offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders
