"""Where things live: bundled resources and the user's data folder.

The one place that knows whether the app runs from source or frozen by
PyInstaller.
"""

from __future__ import annotations

import sys
from pathlib import Path

APP_DIR_NAME = "IAPT Desktop"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def resources_dir() -> Path:
    """The folder holding resources/ (data set tables, code lists, rules, icons)."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def user_data_dir() -> Path:
    """Per-user folder for databases, backups and logs (created on first use)."""
    import platformdirs

    path = Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return user_data_dir() / "iapt-desktop.iaptdb"


def log_dir() -> Path:
    path = user_data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path
