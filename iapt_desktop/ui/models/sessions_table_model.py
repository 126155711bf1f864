"""The care contacts (sessions) of a referral, read-only, with labels for the coded columns."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from iapt_desktop.storage.referral_records import SESSION_COLUMNS
from iapt_desktop.ui.models.child_rows_model import ChildRowsModel

SHOWN = tuple(c for c in SESSION_COLUMNS if c != "CareContactId")
SHORT_HEADINGS = {"AppType": "Type"}  # the table is narrow; the session form says it in full


class SessionsTableModel(ChildRowsModel):
    """Rows are IDS201CareContact dicts; ``care_contact_id(row)`` gives the key to open one."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__("IDS201CareContact", SHOWN, parent, editable=False)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.columns) and self.columns[section] in SHORT_HEADINGS:
            return SHORT_HEADINGS[self.columns[section]]
        return super().headerData(section, orientation, role)

    def care_contact_id(self, row: int) -> str | None:
        rows = self.rows()
        return str(rows[row]["CareContactId"]) if 0 <= row < len(rows) else None
