"""The command line: ``iapt-desktop <command> ...``.

Each command lives in its own module with ``register(subparsers)``, which adds
its parser and sets ``run(args) -> int`` as the handler.  Modules import
their heavy dependencies inside ``run`` so that ``--help`` stays quick.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from iapt_desktop import APP_NAME, __version__

# command name -> module that implements it
COMMANDS: dict[str, str] = {
    "demo": "iapt_desktop.cli.demo_command",
    "export-tables": "iapt_desktop.cli.tables_command",
    "import-tables": "iapt_desktop.cli.tables_command",
    "validate": "iapt_desktop.cli.validate_command",
    "submission": "iapt_desktop.cli.submission_command",
    "submissions": "iapt_desktop.cli.submission_command",
    "metrics": "iapt_desktop.cli.metrics_command",
    "settings": "iapt_desktop.cli.settings_command",
    "audit": "iapt_desktop.cli.audit_command",
    "backup": "iapt_desktop.cli.backup_command",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iapt-desktop",
        description=f"{APP_NAME} {__version__}: without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    registered: set[str] = set()
    for module_name in COMMANDS.values():
        if module_name in registered:
            continue
        registered.add(module_name)
        importlib.import_module(module_name).register(subparsers)
    return parser


def is_command(argv: Sequence[str]) -> bool:
    return bool(argv) and (argv[0] in COMMANDS or argv[0] in {"-h", "--help", "--version"})


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
