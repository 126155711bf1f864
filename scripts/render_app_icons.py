"""Render resources/app/iapt-desktop.svg to the PNG and ICO files the installers use.

    QT_QPA_PLATFORM=offscreen python scripts/render_app_icons.py

(macOS .icns is made on a Mac with iconutil; see docs/release.md.)
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

APP = Path(__file__).resolve().parent.parent / "resources" / "app"


def render(size: int) -> QImage:
    image = QImage(QSize(size, size), QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    QSvgRenderer(str(APP / "iapt-desktop.svg")).render(painter)
    painter.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv)
    for size in (16, 32, 48, 256):
        render(size).save(str(APP / f"iapt-desktop-{size}.png"))
    render(256).save(str(APP / "iapt-desktop.png"))
    render(256).save(str(APP / "iapt-desktop.ico"), "ICO")
    return 0


if __name__ == "__main__":
    sys.exit(main())
