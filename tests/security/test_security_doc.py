"""docs/security.md's role table says what domain/access.py's PERMISSIONS say, cell by cell."""

from __future__ import annotations

from pathlib import Path

from iapt_desktop.domain.access import PERMISSIONS, Action, Role

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def _role_table() -> dict[str, dict[str, str]]:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index("| Action | Administrator | Counsellor | Read only |")
    roles = [cell.strip() for cell in lines[start].strip("|").split("|")][1:]
    table: dict[str, dict[str, str]] = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        table[cells[0]] = dict(zip(roles, cells[1:], strict=True))
    return table


def test_the_documented_role_table_is_the_permission_matrix() -> None:
    expected = {action.value: {role.label: "yes" if action in PERMISSIONS[role] else "no" for role in Role}
                for action in Action}
    assert _role_table() == expected
