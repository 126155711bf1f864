"""Opening a .iaptdb from the desktop: a path on the command line (Linux %f, Windows "%1") and, on macOS,
a QFileOpenEvent sent to the application."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from iapt_desktop.cli import is_command
from iapt_desktop.storage.database import open_database
from iapt_desktop.ui.application import parse_arguments
from iapt_desktop.ui.open_database import OpenDatabase, database_file_problem

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


def plain_database(path: Path) -> Path:
    """An unencrypted database (signs in without a dialog): enough to open a window on."""
    open_database(path).close()
    return path


# -- the command line
def test_a_database_path_is_accepted_as_the_only_argument(tmp_path: Path) -> None:
    path = tmp_path / "x" / "demo.iaptdb"
    assert not is_command([str(path)])  # so app.main hands it to the GUI
    assert is_command(["demo", "--db", str(path)])  # commands still win
    args = parse_arguments([str(path)])
    assert args.database == path and args.db is None
    assert parse_arguments(["--db", str(path)]).db == path
    assert parse_arguments([str(path), "--db", str(path)]).database == path  # the same file twice is fine


def test_two_different_databases_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        parse_arguments([str(tmp_path / "a.iaptdb"), "--db", str(tmp_path / "b.iaptdb")])
    assert stopped.value.code == 2
    assert "two databases given" in capsys.readouterr().err


def test_missing_files_and_other_files_are_explained(tmp_path: Path) -> None:
    missing = database_file_problem(tmp_path / "gone.iaptdb")
    assert missing is not None and "There is no file" in missing and "File menu" in missing
    other = tmp_path / "notes.txt"
    other.write_text("not a database", encoding="utf-8")
    problem = database_file_problem(other)
    assert problem is not None and "notes.txt is not an IAPT Desktop database" in problem and ".iaptdb" in problem
    assert database_file_problem(tmp_path) is not None  # a folder
    assert database_file_problem(plain_database(tmp_path / "ok.iaptdb")) is None


def run_app(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("IAPT_DESKTOP_PASSWORD", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120, check=False)


@pytest.mark.slow
def test_the_app_opens_a_database_given_as_a_bare_path(tmp_path: Path) -> None:
    """What the desktop entry's `Exec=iapt-desktop %f` runs (was: "unrecognized arguments", exit 2)."""
    (tmp_path / "x").mkdir()
    database = plain_database(tmp_path / "x" / "demo.iaptdb")
    picture = tmp_path / "shot.png"
    done = run_app(str(database), "--screenshot", str(picture))
    assert done.returncode == 0, done.stderr
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


DIALOG_SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    from iapt_desktop.ui.application import make_application, run_gui

    def read_and_close():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            print("dialog:", box.windowTitle(), "|", box.text().replace(chr(10), " "))
            box.accept()
        else:
            QTimer.singleShot(10, read_and_close)

    make_application()
    QTimer.singleShot(0, read_and_close)
    code = run_gui(sys.argv[1:])
    print("exit:", code)
""")


@pytest.mark.parametrize(("name", "expected"), [("gone.iaptdb", "There is no file at"),
                                                ("notes.txt", "notes.txt is not an IAPT Desktop database")])
def test_a_bad_file_from_the_desktop_is_explained_in_a_dialog(tmp_path: Path, name: str, expected: str) -> None:
    """The desktop entry has Terminal=false: nobody would see a message on stderr."""
    if name.endswith(".txt"):
        (tmp_path / name).write_text("text", encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-c", DIALOG_SCRIPT, str(tmp_path / name)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert f"dialog: Cannot open the database | {expected}" in done.stdout
    assert "exit: 1" in done.stdout


# -- macOS: QFileOpenEvent
@pytest.fixture
def opened(qapp: QApplication, tmp_path: Path) -> Iterator[OpenDatabase]:
    keeper = OpenDatabase(qapp, settings=QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat))
    yield keeper
    keeper.close()


def send_file_open(path: Path) -> None:
    QApplication.sendEvent(QApplication.instance(), QFileOpenEvent(str(path)))


def answer_next_dialog(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """Press ``button`` on the next message box (they are modal: answered from the event loop they run)."""
    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, press)
            return
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, press)


def test_a_file_opened_before_sign_in_is_the_one_signed_in_to(opened: OpenDatabase, tmp_path: Path) -> None:
    default = plain_database(tmp_path / "default.iaptdb")
    double_clicked = plain_database(tmp_path / "clinic.iaptdb")
    send_file_open(double_clicked)  # Finder launches the app with the file
    assert opened.requested == double_clicked and opened.window is None
    assert opened.start(default)
    assert opened.path == double_clicked
    assert opened.window.session.location.path == double_clicked and opened.window.isVisible()


def test_another_file_asks_before_replacing_the_open_database(opened: OpenDatabase, tmp_path: Path) -> None:
    first = plain_database(tmp_path / "first.iaptdb")
    second = plain_database(tmp_path / "second.iaptdb")
    assert opened.start(first)
    first_window = opened.window
    seen: list[str] = []
    answer_next_dialog(QMessageBox.StandardButton.No, seen)
    send_file_open(second)
    assert len(seen) == 1 and "first.iaptdb open" in seen[0] and "open second.iaptdb?" in seen[0]
    assert opened.path == first and opened.window is first_window  # "No": nothing changes

    answer_next_dialog(QMessageBox.StandardButton.Yes, seen)
    send_file_open(second)
    assert len(seen) == 2
    assert opened.path == second and opened.window.session.location.path == second
    assert opened.window.isVisible() and not first_window.isVisible()


def test_the_file_already_open_is_just_brought_forward(opened: OpenDatabase, tmp_path: Path) -> None:
    first = plain_database(tmp_path / "first.iaptdb")
    assert opened.start(first)
    window = opened.window
    send_file_open(tmp_path / "." / "first.iaptdb")  # no question: nothing to replace
    assert opened.window is window and window.isVisible()


def test_a_bad_file_sent_by_the_system_is_explained(opened: OpenDatabase, tmp_path: Path) -> None:
    first = plain_database(tmp_path / "first.iaptdb")
    assert opened.start(first)
    seen: list[str] = []
    answer_next_dialog(QMessageBox.StandardButton.Ok, seen)
    send_file_open(tmp_path / "gone.iaptdb")
    assert len(seen) == 1 and "There is no file at" in seen[0]
    assert opened.path == first


def test_a_file_opened_during_the_first_sign_in_replaces_it(opened: OpenDatabase, tmp_path: Path) -> None:
    """macOS launches the app, the sign-in dialog for the usual database comes up, then the file arrives."""
    from iapt_desktop.storage.keyfile import KdfParameters
    from iapt_desktop.storage.session import create_database
    from iapt_desktop.ui.security.login_dialog import LoginDialog

    usual = tmp_path / "usual.iaptdb"
    session, _recovery = create_database(usual, "admin", "Ada Admin", "usual database passphrase 7",
                                         kdf=KdfParameters(time_cost=1, memory_cost_kib=8192, parallelism=1))
    session.close()
    double_clicked = plain_database(tmp_path / "clinic.iaptdb")
    dialogs: list[str] = []

    def file_arrives_during_sign_in() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LoginDialog):
            QTimer.singleShot(10, file_arrives_during_sign_in)
            return
        dialogs.append(type(dialog).__name__)
        send_file_open(double_clicked)

    QTimer.singleShot(0, file_arrives_during_sign_in)
    assert opened.start(usual)
    assert dialogs == ["LoginDialog"]
    assert opened.path == double_clicked and opened.window.session.location.path == double_clicked
