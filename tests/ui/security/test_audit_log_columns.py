"""The audit trail dialog shows whole times, user names and actions when it opens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from iapt_desktop.storage.keyfile import KdfParameters
from iapt_desktop.storage.record_writes import save_row
from iapt_desktop.storage.session import Session, create_database
from iapt_desktop.ui.security.audit_log_dialog import AuditColumn, AuditLogDialog, shown_time

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen only

CHEAP_KDF = KdfParameters(time_cost=1, memory_cost_kib=8192, parallelism=1)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    opened, _recovery = create_database(tmp_path / "service.db", "admin", "Ada Admin", "audit columns pass 5",
                                        kdf=CHEAP_KDF)
    for number in range(1, 6):
        save_row(opened.db, opened.user, "app_care_personnel",
                 {"CarePersLocalId": f"C{number}", "display_name": f"Counsellor number {number}"})
    yield opened
    opened.close()


def test_times_users_and_actions_are_shown_whole_when_the_dialog_opens(qtbot, session: Session) -> None:
    dialog = AuditLogDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    model, table = dialog.model, dialog.table
    assert model.rowCount() > 5
    metrics = table.fontMetrics()
    for column in (AuditColumn.ID, AuditColumn.AT, AuditColumn.USER, AuditColumn.ACTION, AuditColumn.TABLE):
        widest = max(metrics.horizontalAdvance(model.data(model.index(r, column))) for r in range(model.rowCount()))
        assert table.columnWidth(column) > widest, column
    first = model.index(0, AuditColumn.AT)
    stored = str(model.entries[0].at)
    assert model.data(first) == shown_time(stored) and len(model.data(first)) == 19 and "T" not in model.data(first)
    assert model.data(first, Qt.ItemDataRole.ToolTipRole) == stored  # the tooltip keeps the stored value


def test_shown_time_keeps_date_and_seconds() -> None:
    assert shown_time("2026-11-24T15:20:10.995568Z") == "2026-11-24 15:20:10"
    assert shown_time("2026-11-24 15:20:10") == "2026-11-24 15:20:10"
    assert shown_time("odd") == "odd"
