"""Start the desktop app: arguments, QApplication, error dialog, sign-in, main window (or a screenshot).

The open database and its window are kept by ui/open_database.py (File ▸ Open, macOS file-open events)."""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from iapt_desktop.paths import default_database_path
from iapt_desktop.ui.icons import icon
from iapt_desktop.ui.open_database import CANNOT_OPEN, OpenDatabase, database_file_problem
from iapt_desktop.ui.open_database import start_security as _start_security  # noqa: F401 (benchmarks use it)

VIEWS = ("caseload", "patient", "referral", "session", "validation", "submission", "dashboard")
_log = logging.getLogger(__name__)


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="iapt-desktop", description="IAPT Desktop: the desktop app. (Commands: iapt-desktop --help.)")
    parser.add_argument("database", type=Path, nargs="?", default=None, metavar="DATABASE.iaptdb",
                        help="open this database (as the desktop does when you open a .iaptdb file)")
    parser.add_argument("--db", type=Path, default=None, metavar="PATH",
                        help="the database file (default: the one in your user data folder)")
    parser.add_argument("--user", metavar="NAME", default=None, help="sign in as this user")
    parser.add_argument("--password-file", type=Path, metavar="FILE", default=None,
                        help="read the password from FILE (or set IAPT_DESKTOP_PASSWORD)")
    parser.add_argument("--screenshot", type=Path, metavar="FILE.png", default=None,
                        help="open the app, save a picture of a view to FILE.png and exit (for docs and checks)")
    parser.add_argument("--view", choices=VIEWS, default="caseload",
                        help="the view to picture with --screenshot (default: caseload)")
    args = parser.parse_args(list(argv))
    if args.database is not None and args.db is not None and args.database != args.db:
        parser.error(f"two databases given ({args.database} and --db {args.db}): give one")
    return args


def apply_style(app: QApplication) -> None:
    """Fusion with a restrained light palette and a readable font."""
    app.setStyle("Fusion")
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#f5f7fa", QPalette.ColorRole.WindowText: "#1e293b",
        QPalette.ColorRole.Base: "#ffffff", QPalette.ColorRole.AlternateBase: "#f1f5f9",
        QPalette.ColorRole.Text: "#1e293b", QPalette.ColorRole.Button: "#eef2f6",
        QPalette.ColorRole.ButtonText: "#1e293b", QPalette.ColorRole.Highlight: "#005eb8",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#ffffff",
        QPalette.ColorRole.ToolTipText: "#1e293b", QPalette.ColorRole.PlaceholderText: "#94a3b8",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    app.setFont(font)
    app.setStyleSheet("QGroupBox { font-weight: 600; } QGroupBox QLabel, QGroupBox QLineEdit { font-weight: 400; }")


def make_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(["iapt-desktop"])
    app.setApplicationName("IAPT Desktop")
    app.setOrganizationName("IAPT Desktop")
    app.setApplicationDisplayName("IAPT Desktop")
    app.setWindowIcon(icon("app"))
    apply_style(app)
    return app


def show_error(kind: type[BaseException], _value: BaseException, trace: TracebackType | None) -> None:
    """The excepthook: a dialog and a log entry with where it happened, never the message (it may hold data)."""
    _log.error("Unexpected %s\n%s", kind.__name__, "".join(traceback.format_tb(trace)))
    if QApplication.instance() is not None:
        QMessageBox.critical(
            None, "Something went wrong",
            f"IAPT Desktop met an unexpected problem ({kind.__name__}).\n\n"
            "Everything you saved is safe. If this happens again, note what you were doing and tell your "
            "administrator; the details are in the app's log (without any patient data).",
        )


_unattended_errors: list[str] = []


def report_error_unattended(kind: type[BaseException], _value: BaseException, trace: TracebackType | None) -> None:
    """The excepthook for --screenshot runs: no dialog to block on; where it happened goes to stderr."""
    _unattended_errors.append(kind.__name__)
    print(f"iapt-desktop: unexpected {kind.__name__}\n{''.join(traceback.format_tb(trace))}", file=sys.stderr)


def _chain_excepthook(ui_hook: Callable[[type[BaseException], BaseException, TracebackType | None], None]) -> None:
    """Tell the user (``ui_hook``) after the hook already installed (the value-free crash report) has run."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], value: BaseException, trace: TracebackType | None) -> None:
        previous(kind, value, trace)
        ui_hook(kind, value, trace)

    sys.excepthook = hook


def run_gui(argv: Sequence[str]) -> int:
    args = parse_arguments(argv)
    app = make_application()
    _chain_excepthook(report_error_unattended if args.screenshot else show_error)
    problem = database_file_problem(args.database) if args.database is not None else None
    if problem is not None:  # a file given by the desktop (no terminal to read stderr): say so in a dialog
        if args.screenshot:
            print(f"iapt-desktop: {problem}", file=sys.stderr)
        else:
            QMessageBox.warning(None, CANNOT_OPEN, problem)
        return 1
    path: Path = args.database or args.db or default_database_path()
    if args.screenshot:
        return _take_screenshot(path, args)
    from iapt_desktop.ui.sign_in import SignInError

    opened = OpenDatabase(app, args.user)  # also opens files the system asks for (macOS QFileOpenEvent)
    try:
        try:
            if not opened.start(path):
                return 0
        except SignInError as error:
            QMessageBox.warning(None, CANNOT_OPEN, str(error))
            return 1
        return int(app.exec())
    finally:
        opened.close()


def _take_screenshot(path: Path, args: argparse.Namespace) -> int:
    """Sign in unattended, picture one view and exit; the user's remembered layout is left alone."""
    from iapt_desktop.ui.sign_in import SignInError, sign_in_unattended

    try:
        session = sign_in_unattended(path, args.user, args.password_file)
    except SignInError as error:
        print(f"iapt-desktop: {error}", file=sys.stderr)
        return 1
    from iapt_desktop.ui.main_window import MainWindow
    from iapt_desktop.ui.screenshots import ScreenshotError, save_screenshot

    with tempfile.TemporaryDirectory(prefix="iapt-desktop-screenshot-") as scratch:
        window = MainWindow(session, QSettings(str(Path(scratch) / "layout.ini"), QSettings.Format.IniFormat))
        try:
            save_screenshot(window, args.view, args.screenshot)
        except ScreenshotError as error:
            print(f"iapt-desktop: {error}", file=sys.stderr)
            return 2
        finally:
            window.deleteLater()
            session.close()
    return 3 if _unattended_errors else 0
