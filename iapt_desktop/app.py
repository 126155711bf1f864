"""Bootstrap: the CLI when given a command, otherwise the desktop app."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from iapt_desktop.cli import is_command
    from iapt_desktop.cli import main as cli_main

    if is_command(args):
        return cli_main(args)
    from iapt_desktop.ui.application import run_gui

    return run_gui(args)
