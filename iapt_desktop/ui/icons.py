"""Icons by name: resources/icons/<name>.svg, else the style's standard icon of that role."""

from __future__ import annotations

import functools

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


@functools.cache
def icon(name: str) -> QIcon:
    path = resource("icons", f"{name}.svg")
    if path.exists():
        return QIcon(str(path))
    style = QApplication.style()
    if name in STANDARD and style is not None:
        return style.standardIcon(STANDARD[name])
    return QIcon()
