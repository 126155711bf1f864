"""Render the one app icon, resources/app/iapt-desktop.svg, to the PNG and ICO files the installers use.

    QT_QPA_PLATFORM=offscreen python scripts/render_app_icons.py

The window and About box draw the same SVG (iapt_desktop/ui/icons.py), so everything looks alike.
The .ico holds 16, 32, 48 and 256 pixel images (PNG-compressed entries, Windows Vista and later).
(macOS .icns is made on a Mac with iconutil; see docs/release.md.)
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

APP = Path(__file__).resolve().parent.parent / "resources" / "app"
SOURCE = APP / "iapt-desktop.svg"
ICO_SIZES = (16, 32, 48, 256)


def render(size: int, source: Path = SOURCE) -> QImage:
    image = QImage(QSize(size, size), QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    QSvgRenderer(str(source)).render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO file with one PNG entry per size (a 256 pixel side is written as 0, as the format asks)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, bodies = b"", b""
    for size, body in images.items():
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(body), offset + len(bodies))
        bodies += body
    return header + entries + bodies


def main() -> int:
    QGuiApplication(sys.argv)
    for size in (16, 32, 48, 256):
        render(size).save(str(APP / f"iapt-desktop-{size}.png"))
    render(256).save(str(APP / "iapt-desktop.png"))
    (APP / "iapt-desktop.ico").write_bytes(ico_bytes({size: png_bytes(render(size)) for size in ICO_SIZES}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
