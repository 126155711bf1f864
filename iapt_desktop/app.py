"""Bootstrap: the CLI when given a command, otherwise the desktop app."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from iapt_desktop.app_logging import configure_logging, install_crash_handler

    configure_logging()
    install_crash_handler()
    from iapt_desktop.cli import is_command
    from iapt_desktop.cli import main as cli_main

    if is_command(args):
        return cli_main(args)
    from iapt_desktop.interchange.hostile_files import SourceRefused, ensure_safe_xml

    try:
        ensure_safe_xml()  # workbooks are parsed through defusedxml, or not at all
    except SourceRefused as error:
        print(f"iapt-desktop: {error}", file=sys.stderr)
        return 1
    from iapt_desktop.ui.application import run_gui

    return run_gui(args)
