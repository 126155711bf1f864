"""Where a command writes: checked before any work is done, and a failed write told in words.

Every command that writes a file or a folder goes through here, so they all behave alike:

- a file (``--out FILE``) goes into a folder that exists: a missing folder is named, with how to fix it
  (nothing is created on a mistyped path);
- a folder (``--out DIR``: the tables as CSV files, the submission package) may be new, but the folder it
  goes in must exist;
- the file's extension must agree with the format.  When ``--format`` is not given, the extension chooses it
  (``m.xlsx`` is a workbook, ``m.json`` JSON, ``m.txt`` text); when it is given and the extension belongs to
  another format (``--format json --out m.xlsx``) the command refuses;
- a write that fails says which file and why, never the name of a temporary file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from iapt_desktop.cli.database_access import CommandError

SUFFIXES: dict[str, tuple[str, ...]] = {
    "json": (".json",),
    "text": (".txt", ".text"),
    "xlsx": (".xlsx",),
    "csv": (".csv",),
}
NEEDS_SUFFIX = frozenset({"xlsx"})  # a workbook named otherwise does not open in Excel


def _format_of_suffix(path: Path, choices: Sequence[str]) -> str | None:
    suffix = path.suffix.lower()
    return next((name for name in choices if suffix in SUFFIXES.get(name, ())), None)


def _missing_folder(folder: Path, option: str) -> CommandError:
    return CommandError(
        f"The folder {folder} does not exist. Create it first (for example: mkdir -p \"{folder}\"), "
        f"or give {option} a path in a folder that exists.")


def output_format(requested: str | None, out: Path | None, choices: Sequence[str], default: str,
                  *, option: str = "--out") -> str:
    """The format to write: ``requested`` (checked against the file's extension), else the extension's, else
    ``default``."""
    implied = _format_of_suffix(out, choices) if out is not None else None
    if requested is None:
        return implied or default
    if out is not None:
        known_suffix = any(out.suffix.lower() in SUFFIXES.get(name, ()) for name in SUFFIXES)
        if (implied is not None and implied != requested) or (known_suffix and implied is None) or (
                requested in NEEDS_SUFFIX and implied != requested):
            expected = " or ".join(SUFFIXES.get(requested, ()))
            raise CommandError(
                f"{option} {out.name} does not fit --format {requested}: name the file with {expected}"
                + (f", or leave out --format to write {implied} as the name says." if implied else "."))
    return requested


def check_output_file(out: Path, *, option: str = "--out") -> None:
    """Refuse, before any work, a file whose folder is missing, or a name that is a folder."""
    if out.is_dir():
        raise CommandError(f"{out} is a folder. Give {option} a file name in it, e.g. {out / 'report'}.")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        if folder.exists():
            raise CommandError(f"{folder} is a file, not a folder: give {option} a path in a folder.")
        raise _missing_folder(folder, option)


def check_output_folder(out: Path, *, option: str = "--out") -> None:
    """Refuse a folder target that is a file, or that would go in a folder that does not exist."""
    if out.exists() and not out.is_dir():
        raise CommandError(f"{out} is a file. Give {option} a folder to write in.")
    if not out.exists():
        parent = out.parent if str(out.parent) else Path(".")
        if not parent.is_dir():
            raise _missing_folder(parent, option)


def write_failure(out: Path, error: OSError) -> CommandError:
    """A CommandError for a write that failed, naming ``out`` (not a temporary file) and what to do."""
    if isinstance(error, PermissionError):
        return CommandError(f"{out} could not be written: permission denied. If it is open in another program "
                            "(a spreadsheet), close it; or choose a folder you may write in.")
    if isinstance(error, FileNotFoundError):
        return _missing_folder(out.parent, "--out")
    reason = error.strerror or type(error).__name__
    return CommandError(f"{out} could not be written: {reason}. Check the disk has room, or choose another place.")


@contextlib.contextmanager
def writing_to(out: Path) -> Iterator[None]:
    """Turn an OSError while writing ``out`` into a CommandError from :func:`write_failure`."""
    try:
        yield
    except OSError as error:
        raise write_failure(out, error) from None
