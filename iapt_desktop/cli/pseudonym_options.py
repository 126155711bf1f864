"""``--pseudonymise`` and ``--pseudonym-key-file``: the same two options on every command whose output can
identify people (exports other than the statutory submission are pseudonymised on request)."""

from __future__ import annotations

import argparse
from pathlib import Path

from iapt_desktop.cli.database_access import CommandError


def add_pseudonym_arguments(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--pseudonymise", action="store_true",
                        help=f"replace {what} by keyed pseudonyms (as export-tables --pseudonymise does)")
    parser.add_argument("--pseudonym-key-file", type=Path, metavar="FILE",
                        help="with --pseudonymise: keep the key in FILE (created if missing) so that later "
                             "exports give the same pseudonyms; without it each run uses a new key")


def pseudonym_key(args: argparse.Namespace) -> bytes | None:
    """The key to pseudonymise with, or None when --pseudonymise was not given."""
    from iapt_desktop.interchange.pseudonymise import PseudonymKeyError, load_or_create_key, new_key

    if args.pseudonym_key_file and not args.pseudonymise:
        raise CommandError("--pseudonym-key-file only works with --pseudonymise.")
    if not args.pseudonymise:
        return None
    try:
        return load_or_create_key(args.pseudonym_key_file) if args.pseudonym_key_file else new_key()
    except (PseudonymKeyError, OSError) as error:
        raise CommandError(f"The pseudonym key cannot be used: {error}") from error
