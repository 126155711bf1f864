"""Reading and writing app settings (declared in domain/settings.py) in app_setting."""

from __future__ import annotations

from sqlite_utils import Database

from iapt_desktop.domain.settings import SETTINGS, setting


def get_setting(db: Database, key: str) -> str:
    declared = setting(key)
    row = db.execute("SELECT value FROM app_setting WHERE key = ?", [key]).fetchone()
    return row[0] if row else declared.default


def all_settings(db: Database) -> dict[str, str]:
    stored = dict(db.execute("SELECT key, value FROM app_setting").fetchall())
    return {item.key: stored.get(item.key, item.default) for item in SETTINGS}


def set_setting(db: Database, key: str, value: str) -> None:
    setting(key)  # refuses unknown keys
    with db.atomic():
        db.execute(
            "INSERT INTO app_setting (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
