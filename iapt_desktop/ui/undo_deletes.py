"""Deleted records kept for undo (snapshots from ``record_writes.delete_row``), newest last."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from sqlite_utils import Database

from iapt_desktop.domain.access import User
from iapt_desktop.storage.record_writes import restore_rows

MAX_KEPT = 20


@dataclass(frozen=True)
class DeletedRecord:
    description: str  # "patient P000012", never a name
    patient_id: str
    snapshot: dict[str, list[dict[str, Any]]]


class DeleteUndoStack(QObject):
    """Signals: changed() — something was pushed or undone; restored(str) — the patient id put back."""

    changed = Signal()
    restored = Signal(str)

    def __init__(self, db: Database, user: User, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.user = user
        self._items: list[DeletedRecord] = []

    def push(self, patient_id: str, snapshot: dict[str, list[dict[str, Any]]]) -> DeletedRecord:
        table = next(iter(snapshot))
        what = "patient" if table == "IDS001MPI" else "referral"
        key = snapshot[table][0].get("ServiceRequestId" if what == "referral" else "LocalPatientId")
        item = DeletedRecord(f"{what} {key}", patient_id, snapshot)
        self._items = [*self._items[-(MAX_KEPT - 1):], item]
        self.changed.emit()
        return item

    def can_undo(self) -> bool:
        return bool(self._items)

    def last_description(self) -> str:
        return self._items[-1].description if self._items else ""

    def undo(self) -> str | None:
        """Put back the most recent delete; returns the patient id (AccessDenied propagates)."""
        if not self._items:
            return None
        item = self._items[-1]
        restore_rows(self.db, self.user, item.snapshot)
        self._items.pop()
        self.changed.emit()
        self.restored.emit(item.patient_id)
        return item.patient_id
