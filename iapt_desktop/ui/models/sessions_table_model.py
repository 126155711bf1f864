"""The care contacts (sessions) of a referral, read-only, with labels for the coded columns."""

from __future__ import annotations

from typing import Any

from iapt_desktop.storage.referral_records import SESSION_COLUMNS
from iapt_desktop.ui.models.child_rows_model import ChildRowsModel

SHOWN = tuple(c for c in SESSION_COLUMNS if c != "CareContactId")


class SessionsTableModel(ChildRowsModel):
    """Rows are IDS201CareContact dicts; ``care_contact_id(row)`` gives the key to open one."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__("IDS201CareContact", SHOWN, parent, editable=False)

    def care_contact_id(self, row: int) -> str | None:
        rows = self.rows()
        return str(rows[row]["CareContactId"]) if 0 <= row < len(rows) else None
