"""Where the main window opens when no remembered layout fits: a share of the screen, centred.

Pure arithmetic on rectangles (and reading the header of Qt's saved geometry), so it is tested
with any screen size, not only the one the tests run on.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QDataStream, QIODevice, QRect
from PySide6.QtGui import QGuiApplication

SCREEN_SHARE = 0.85  # of the available width and height
PREFERRED_MINIMUM = (1200, 760)  # when the screen allows
RECORD_MINIMUM_WIDTH = 860  # the patient record's two columns of fields without clipping
CASELOAD_SHARE_LIMIT = 0.45  # the list never takes more than this of the window by default
CASELOAD_MINIMUM_WIDTH = 300
ESSENTIAL_COLUMNS = 3  # the caseload's first columns shown whatever the width: name, referral, last session
VISIBLE_ENOUGH = (160, 80)  # a remembered window showing less than this on every screen is lost
_GEOMETRY_MAGIC = 0x1D9D0CB  # QWidget::saveGeometry's header


def default_window_rect(available: QRect) -> QRect:
    """About 85% of the available area, at least 1200 x 760 where the screen is that large, centred on it."""
    width = min(available.width(), max(round(available.width() * SCREEN_SHARE), PREFERRED_MINIMUM[0]))
    height = min(available.height(), max(round(available.height() * SCREEN_SHARE), PREFERRED_MINIMUM[1]))
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect


def default_splitter_sizes(window_width: int, column_widths: list[int], chrome: int) -> list[int]:
    """[caseload, record]: the caseload shows as many whole columns (in view order) as fit in 45% of the window
    while the record keeps room for its fields, but always the first few (who, and where their referral is);
    its edge falls between two columns, never through one.  ``chrome``: the list's frame and scroll bar."""
    budget = min(round(window_width * CASELOAD_SHARE_LIMIT), window_width - RECORD_MINIMUM_WIDTH)
    edges = [chrome + sum(column_widths[:count]) for count in range(1, len(column_widths) + 1)]
    essential = edges[min(ESSENTIAL_COLUMNS, len(edges)) - 1] if edges else CASELOAD_MINIMUM_WIDTH
    fitting = [edge for edge in edges if edge <= budget]
    caseload = max(fitting[-1] if fitting else 0, min(essential, window_width // 2), CASELOAD_MINIMUM_WIDTH)
    return [caseload, max(window_width - caseload, 1)]


def saved_frame(geometry: QByteArray) -> QRect | None:
    """The frame rectangle recorded by QWidget.saveGeometry, or None when the bytes are not such a record."""
    stream = QDataStream(geometry, QIODevice.OpenModeFlag.ReadOnly)
    stream.setVersion(QDataStream.Version.Qt_4_0)
    magic = stream.readUInt32()
    stream.readUInt16()  # major version
    stream.readUInt16()  # minor version
    frame = QRect()
    stream >> frame
    if magic != _GEOMETRY_MAGIC or stream.status() != QDataStream.Status.Ok or not frame.isValid():
        return None
    return frame


def visible_on(frame: QRect, screens: list[QRect]) -> bool:
    """Whether enough of ``frame`` lies on one of the screens to find and move the window."""
    for screen in screens:
        overlap = frame.intersected(screen)
        if overlap.width() >= VISIBLE_ENOUGH[0] and overlap.height() >= VISIBLE_ENOUGH[1]:
            return True
    return False


def frame_on_a_screen(geometry: QByteArray) -> bool:
    """Whether a saved geometry would put the window where the user can see it on the screens attached now."""
    frame = saved_frame(geometry)
    return frame is not None and visible_on(frame, [s.availableGeometry() for s in QGuiApplication.screens()])
