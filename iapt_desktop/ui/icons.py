"""Icons by name: resources/icons/<name>.svg, else the style's standard icon of that role.

"app" is the one application icon, resources/app/iapt-desktop.svg: the installers' .ico/.png files are
rendered from the same file (scripts/render_app_icons.py), so the window, the About box and the installed
app look alike."""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from iapt_desktop.paths import resource

# Names used by the app -> the style's standard pixmap when no SVG is bundled.
STANDARD: dict[str, QStyle.StandardPixmap] = {
    "new-patient": QStyle.StandardPixmap.SP_FileIcon,
    "open-database": QStyle.StandardPixmap.SP_DialogOpenButton,
    "save": QStyle.StandardPixmap.SP_DialogSaveButton,
    "delete": QStyle.StandardPixmap.SP_TrashIcon,
    "undo": QStyle.StandardPixmap.SP_ArrowBack,
    "refresh": QStyle.StandardPixmap.SP_BrowserReload,
    "about": QStyle.StandardPixmap.SP_MessageBoxInformation,
    "quit": QStyle.StandardPixmap.SP_DialogCloseButton,
}
APP_ICON_SOURCE = ("app", "iapt-desktop.svg")


def icon_path(name: str) -> Path:
    """The SVG file an icon name is drawn from (it may not exist: then the style's icon is used)."""
    return resource(*APP_ICON_SOURCE) if name == "app" else resource("icons", f"{name}.svg")


@functools.cache
def icon(name: str) -> QIcon:
    path = icon_path(name)
    if path.exists():
        return QIcon(str(path))
    style = QApplication.style()
    if name in STANDARD and style is not None:
        return style.standardIcon(STANDARD[name])
    return QIcon()
