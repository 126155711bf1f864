"""Store the valid test month in a real database (as the app would hold it)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.dataset import parent_first_order
from iapt_desktop.storage.settings_store import set_setting
from tests.validation.month_rows import PROVIDER


def store_month(db: Database, month: dict[str, list[dict[str, Any]]]) -> None:
    set_setting(db, "provider_ods", PROVIDER)
    set_setting(db, "submitter_ods", PROVIDER)
    with db.atomic():
        for name in parent_first_order():
            if name != "IDS000Header" and month.get(name):
                db.table(name).insert_all(month[name])
