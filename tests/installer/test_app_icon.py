"""One app icon: the window (and so the About box) and every installer draw resources/app/iapt-desktop.svg."""

from __future__ import annotations

import importlib.util
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from iapt_desktop.ui.icons import icon_path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "resources" / "app"
SOURCE = APP / "iapt-desktop.svg"


def render_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("render_app_icons", ROOT / "scripts" / "render_app_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mean_difference(a: QImage, b: QImage) -> float:
    a = a.convertToFormat(QImage.Format.Format_ARGB32)
    b = b.convertToFormat(QImage.Format.Format_ARGB32)
    assert a.size() == b.size()
    total = 0
    for y in range(0, a.height(), 4):
        for x in range(0, a.width(), 4):
            pa, pb = a.pixelColor(x, y), b.pixelColor(x, y)
            total += sum(abs(p - q) for p, q in zip(pa.getRgb(), pb.getRgb(), strict=True))
    return total / ((a.width() // 4) * (a.height() // 4) * 4)


WINDOW_ICON_SCRIPT = (
    "import sys\n"
    "from iapt_desktop.ui.application import make_application\n"
    "make_application().windowIcon().pixmap(256, 256).save(sys.argv[1])\n"
)


def test_the_window_icon_is_drawn_from_the_file_the_installers_are_rendered_from(qapp, tmp_path: Path) -> None:
    assert icon_path("app") == SOURCE
    assert not (ROOT / "resources" / "icons" / "app.svg").exists()  # no second app icon
    picture = tmp_path / "window-icon.png"
    # In its own process: make_application restyles the whole application.
    subprocess.run([sys.executable, "-c", WINDOW_ICON_SCRIPT, str(picture)], cwd=ROOT, check=True, timeout=120,
                   env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert mean_difference(QImage(str(picture)), QImage(str(APP / "iapt-desktop-256.png"))) < 2.0


def test_the_installers_use_the_icon_files_rendered_from_that_source() -> None:
    spec = (ROOT / "installer" / "iapt_desktop.spec").read_text(encoding="utf-8")
    assert '"resources" / "app" / ("iapt-desktop.ico"' in spec
    nsis = (ROOT / "installer" / "windows" / "iapt-desktop.nsi").read_text(encoding="utf-8")
    assert set(re.findall(r'MUI_UN?ICON "([^"]+)"', nsis)) == {"..\\..\\resources\\app\\iapt-desktop.ico"}
    # The Linux menu icons: test_linux_install.py checks the staged copies are these files.


def test_the_rendered_files_are_up_to_date_with_the_svg(qapp) -> None:
    script = render_script()
    for size in (16, 32, 48, 256):
        stored = QImage(str(APP / f"iapt-desktop-{size}.png"))
        assert mean_difference(script.render(size), stored) < 1.0, size
    ico = (APP / "iapt-desktop.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind) == (0, 1)
    sides = [struct.unpack_from("<B", ico, 6 + 16 * i)[0] or 256 for i in range(count)]
    assert sides == [16, 32, 48, 256]  # Windows picks the size it needs (taskbar, Start menu, Explorer)
