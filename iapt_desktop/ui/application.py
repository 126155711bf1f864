"""Start the desktop app: arguments, QApplication, error dialog, sign-in, main window (or a screenshot)."""

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
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox

from iapt_desktop.paths import default_database_path
from iapt_desktop.ui.icons import icon

VIEWS = ("caseload", "patient", "referral", "session", "validation", "submission", "dashboard")
_log = logging.getLogger(__name__)


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="iapt-desktop", description="IAPT Desktop: the desktop app.")
    parser.add_argument("--db", type=Path, default=None, metavar="PATH",
                        help="the database file (default: the one in your user data folder)")
    parser.add_argument("--user", metavar="NAME", default=None, help="sign in as this user")
    parser.add_argument("--password-file", type=Path, metavar="FILE", default=None,
                        help="read the password from FILE (or set IAPT_DESKTOP_PASSWORD)")
    parser.add_argument("--screenshot", type=Path, metavar="FILE.png", default=None,
                        help="open the app, save a picture of a view to FILE.png and exit (for docs and checks)")
    parser.add_argument("--view", choices=VIEWS, default="caseload",
                        help="the view to picture with --screenshot (default: caseload)")
    return parser.parse_args(list(argv))


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


def _start_security(window: QMainWindow, session: object) -> None:
    """The inactivity lock and the sign-in checks (encrypted databases only)."""
    from iapt_desktop.ui.sign_in import PlainSession

    if isinstance(session, PlainSession):
        window.statusBar().showMessage("This database is not encrypted: make a new one and import the data.")
        return
    from iapt_desktop.ui.security.auto_lock import install_auto_lock
    from iapt_desktop.ui.security.startup_warnings import show_startup_warnings

    window.auto_lock = install_auto_lock(window, session)  # type: ignore[attr-defined]
    show_startup_warnings(window, session)


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
    path: Path = args.db or default_database_path()
    app = make_application()
    _chain_excepthook(report_error_unattended if args.screenshot else show_error)
    from iapt_desktop.ui.sign_in import SignInError, sign_in_interactive, sign_in_unattended

    try:
        if args.screenshot:
            session = sign_in_unattended(path, args.user, args.password_file)
        else:
            session = sign_in_interactive(path, args.user)
    except SignInError as error:
        if args.screenshot:
            print(f"iapt-desktop: {error}", file=sys.stderr)
        else:
            QMessageBox.warning(None, "Cannot open the database", str(error))
        return 1
    if session is None:
        return 0
    from iapt_desktop.ui.main_window import MainWindow

    # Screenshots start from the default layout and leave the user's remembered layout alone.
    scratch = tempfile.TemporaryDirectory(prefix="iapt-desktop-screenshot-") if args.screenshot else None
    settings = QSettings(str(Path(scratch.name) / "layout.ini"), QSettings.Format.IniFormat) if scratch else None
    window = MainWindow(session, settings)
    current = {"window": window, "session": session}

    def open_other(old: MainWindow) -> None:
        chosen, _ = QFileDialog.getOpenFileName(old, "Open an IAPT Desktop database", str(path.parent),
                                                "IAPT Desktop databases (*.db);;All files (*)")
        if not chosen:
            return
        try:
            new_session = sign_in_interactive(Path(chosen), None, old)
        except SignInError as error:
            QMessageBox.warning(old, "Cannot open the database", str(error))
            return
        if new_session is None:
            return
        new_window = MainWindow(new_session)
        new_window.open_database_requested = open_other  # type: ignore[attr-defined]
        old.save_window_state()
        old.hide()
        current["session"].close()
        current.update(window=new_window, session=new_session)
        new_window.show()
        _start_security(new_window, new_session)
        old.deleteLater()

    window.open_database_requested = open_other  # type: ignore[attr-defined]
    try:
        if args.screenshot:
            from iapt_desktop.ui.screenshots import ScreenshotError, save_screenshot

            try:
                save_screenshot(window, args.view, args.screenshot)
            except ScreenshotError as error:
                print(f"iapt-desktop: {error}", file=sys.stderr)
                return 2
            return 3 if _unattended_errors else 0
        window.show()
        _start_security(window, session)
        return int(app.exec())
    finally:
        current["window"].deleteLater()
        current["session"].close()
        if scratch is not None:
            scratch.cleanup()
