"""The --screenshot mode (a real subprocess on a demo database) and the generic job runner."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from iapt_desktop.cli.database_access import DEMO_PASSWORD as CLI_DEMO_PASSWORD
from iapt_desktop.ui.sign_in import DEMO_PASSWORD
from iapt_desktop.ui.workers import JobRunner, run_job

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


def run_app(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("IAPT_DESKTOP_PASSWORD", None)
    return subprocess.run([sys.executable, "-m", "iapt_desktop", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120, check=False)


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shot") / "demo.db"
    made = run_app("demo", "--db", str(path), "--patients", "25", "--months", "6")
    assert made.returncode == 0, made.stderr
    return path


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.mark.slow
@pytest.mark.parametrize("view", ["caseload", "patient", "referral"])
def test_screenshot_of_a_view_on_the_demo_database(demo_path: Path, tmp_path: Path, view: str) -> None:
    out = tmp_path / f"{view}.png"
    done = run_app("--db", str(demo_path), "--screenshot", str(out), "--view", view)
    assert done.returncode == 0, done.stderr
    assert png_size(out) == (1440, 900)
    assert out.stat().st_size > 40_000  # a rendered window, not a blank image


def test_an_unknown_view_is_a_clear_error(demo_path: Path, tmp_path: Path) -> None:
    done = run_app("--db", str(demo_path), "--screenshot", str(tmp_path / "x.png"), "--view", "everything")
    assert done.returncode == 2 and "invalid choice: 'everything'" in done.stderr
    assert not (tmp_path / "x.png").exists()


def test_a_missing_database_is_explained(tmp_path: Path) -> None:
    done = run_app("--db", str(tmp_path / "none.db"), "--screenshot", str(tmp_path / "x.png"))
    assert done.returncode == 1 and "There is no database" in done.stderr


def test_the_ui_and_the_cli_agree_on_the_demo_password() -> None:
    assert DEMO_PASSWORD == CLI_DEMO_PASSWORD


def counting_job(n: int) -> Iterator[int]:
    yield from range(n)
    return n * 10


def test_run_job_reports_progress_and_the_result(qtbot) -> None:
    seen: list[int] = []
    results: list[object] = []
    runner = run_job(lambda: counting_job(5), seen.append, results.append)
    with qtbot.waitSignal(runner.finished, timeout=5000):
        pass
    assert seen == [0, 1, 2, 3, 4] and results == [50]


def test_a_failing_job_reports_its_error(qtbot) -> None:
    def broken() -> Iterator[int]:
        yield 1
        raise ValueError("bad row")

    errors: list[BaseException] = []
    runner = JobRunner(broken)
    runner.failed.connect(errors.append)
    with qtbot.waitSignal(runner.finished, timeout=5000), qtbot.assertNotEmitted(runner.succeeded):
        runner.start()
    assert isinstance(errors[0], ValueError)


def test_cancel_closes_the_job_and_skips_done(qtbot) -> None:
    closed: list[bool] = []

    def endless() -> Iterator[int]:
        try:
            while True:
                yield 0
        finally:
            closed.append(True)

    runner = JobRunner(endless)
    runner.progressed.connect(lambda _item: runner.cancel())
    with qtbot.waitSignal(runner.cancelled, timeout=5000), qtbot.assertNotEmitted(runner.succeeded):
        runner.start()
    qtbot.waitUntil(lambda: not runner.running, timeout=5000)
    assert closed == [True]


RUN_GUI_SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from iapt_desktop.ui.application import make_application, run_gui
    from iapt_desktop.ui.main_window import MainWindow

    def look_then_quit():
        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow) and window.isVisible():
                print("window on", window.session.location.path.name)
                print("status:", window.statusBar().currentMessage())
                window.close()
        QApplication.quit()

    make_application()
    QTimer.singleShot(0, look_then_quit)
    sys.exit(run_gui(["--db", sys.argv[1]]))
""")


def test_run_gui_opens_the_main_window_on_a_database(db_path: Path, tmp_path: Path) -> None:
    """The interactive start (arguments, application, sign-in to a plain test database, window, event loop),
    in its own process: it restyles the application and runs its event loop."""
    from iapt_desktop.storage.database import open_database

    open_database(db_path).close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-c", RUN_GUI_SCRIPT, str(db_path)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert f"window on {db_path.name}" in done.stdout and "not encrypted" in done.stdout
    assert list((tmp_path / "config").rglob("*.conf"))  # the window layout was remembered there
