"""``export-tables`` and ``import-tables``: the data set's own tables as CSV files or one workbook.

    iapt-desktop export-tables --db PATH --out DIR|FILE.xlsx [--pseudonymise [--pseudonym-key-file FILE]]
    iapt-desktop import-tables SOURCE --db PATH

Import is all or nothing: when anything cannot be stored, every problem is
listed (table, row, column, value, reason), nothing is changed, and the
command exits with 1.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iapt_desktop.cli.database_access import (
    CommandError,
    add_database_arguments,
    open_existing,
    open_existing_session,
    open_new_session,
    report_error,
)
from iapt_desktop.cli.output_paths import check_output_file, check_output_folder, write_failure
from iapt_desktop.cli.pseudonym_options import add_pseudonym_arguments, pseudonym_key

if TYPE_CHECKING:
    from sqlite_utils import Database

    from iapt_desktop.domain.access import User

FILE_SUFFIXES = (".csv", ".json", ".txt", ".xls", ".ods", ".zip")  # not a folder's name: a mistake for .xlsx


def register(subparsers: Any) -> None:
    export_parser = subparsers.add_parser(
        "export-tables",
        help="write every IDS table as CSV files or one .xlsx workbook, in the data set's own layout",
        description="Write all 21 IDS tables: a folder of CSV files (IDS101Referral.csv ...) or, when --out "
                    "ends in .xlsx, one workbook with a sheet per table. App-only data (names, contact "
                    "details) is never exported.",
    )
    add_database_arguments(export_parser)
    export_parser.add_argument("--out", type=Path, required=True, metavar="DIR|FILE.xlsx",
                               help="folder for the CSV files, or a workbook name ending in .xlsx")
    add_pseudonym_arguments(export_parser, "NHS numbers and local ids (keep only the postcode district and the "
                                           "year and month of birth; not for the statutory submission)")
    export_parser.set_defaults(run=run_export)

    import_parser = subparsers.add_parser(
        "import-tables",
        help="read IDS tables (a folder of CSV files, one CSV file or an .xlsx workbook), all or nothing",
        description="Read tables in the data set's own layout into the database (created if missing). "
                    "Nothing is stored unless every row can be; every problem is listed.",
    )
    import_parser.add_argument("source", type=Path, metavar="SOURCE",
                               help="a folder of CSV files, one CSV file named after its table, or an .xlsx workbook")
    add_database_arguments(import_parser)
    import_parser.set_defaults(run=run_import)


def run_export(args: argparse.Namespace) -> int:
    from iapt_desktop.interchange.table_files import is_workbook_target
    from iapt_desktop.jobs.table_export import WorkbookTooLarge, export_tables_steps

    try:
        out: Path = args.out
        if is_workbook_target(out):
            check_output_file(out)
        elif out.suffix.lower() in FILE_SUFFIXES and not out.is_dir():
            raise CommandError(f"--out {out.name} names a file, not a folder. Give a folder for CSV files, or a "
                               "name ending in .xlsx.")
        else:
            check_output_folder(out)
        key = pseudonym_key(args)
        with _opened(args, create=False) as (db, actor):
            try:
                steps = export_tables_steps(db, out, pseudonymise_key=key, actor=actor)
                while True:
                    try:
                        next(steps)
                    except StopIteration as finished:
                        written: list[Path] = finished.value
                        break
            except OSError as error:
                raise write_failure(out, error) from None
            except WorkbookTooLarge as error:
                folder = out.with_suffix("")
                raise CommandError(f"Nothing was written. {error} For example: --out {folder}") from None
    except CommandError as error:
        return report_error(error)
    where = written[0] if len(written) == 1 else out
    print(f"Wrote {len(written)} file(s) to {where}" + (" (pseudonymised)" if key else "") + ".")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from iapt_desktop.interchange.hostile_files import SourceRefused
    from iapt_desktop.jobs.table_import import ImportResult, import_tables_steps

    result: ImportResult | None = None
    try:
        source: Path = args.source
        if not source.exists():
            raise CommandError(f"There is no file or folder at {source}.")
        created = not args.db.exists()
        try:
            with _opened(args, create=created) as (db, actor):
                steps = import_tables_steps(db, source, actor=actor)
                while True:
                    try:
                        next(steps)
                    except StopIteration as finished:
                        result = finished.value
                        break
        except SourceRefused as error:
            raise CommandError(f"Nothing was imported. {error}") from error
        except OSError as error:
            if not _about(error, source):  # the database's side (its folder, the disk), not the source
                raise CommandError(f"Nothing was imported: the database {args.db} could not be used "
                                   f"({error.strerror or error}).") from error
            raise CommandError(f"Nothing was imported: {source} could not be read "
                               f"({error.strerror or error}).") from error
        finally:
            if created and args.db.exists() and (result is None or not result.imported):
                _remove_database_file(args.db)
                print(f"iapt-desktop: the new database {args.db.name} was not kept.", file=sys.stderr)
    except CommandError as error:
        return report_error(error)
    if not result.imported:
        print(f"Nothing was imported: {result.problem_count:,} problem(s) must be fixed first.", file=sys.stderr)
        print("table\trow\tcolumn\tvalue\treason", file=sys.stderr)
        for problem in result.problems:
            row = "" if problem.row is None else str(problem.row)
            print(f"{problem.table}\t{row}\t{problem.column}\t{problem.value}\t{problem.reason}", file=sys.stderr)
        if result.problem_count > len(result.problems):
            print(f"... and {result.problem_count - len(result.problems):,} more.", file=sys.stderr)
        print(f"Nothing was imported: fix the {result.problem_count:,} problem(s) listed above and import again.",
              file=sys.stderr)
        return 1
    counts = ", ".join(f"{name} {n:,}" for name, n in result.rows_by_table.items() if n)
    print(f"Imported {result.rows_imported:,} rows" + (f" ({counts})" if counts else "") + ".")
    return 0


@contextlib.contextmanager
def _opened(args: argparse.Namespace, *, create: bool) -> Iterator[tuple[Database, User | None]]:
    """The database and the signed-in user (None for an unencrypted database, which has no users).

    The user's role is checked by the jobs and named in the audit trail.
    """
    from iapt_desktop.domain.access import AccessDenied
    from iapt_desktop.storage.keyfile import keyfile_path

    if create:
        session, _recovery_key = open_new_session(args)
    elif keyfile_path(args.db).exists():
        session = open_existing_session(args)
    else:
        db = open_existing(args)  # made before encryption (or by tests); open_existing warns
        try:
            yield db, None
        except AccessDenied as error:
            raise CommandError(str(error)) from None
        finally:
            db.close()
        return
    try:
        yield session.db, session.user
    except AccessDenied as error:
        raise CommandError(str(error)) from None
    finally:
        session.close()


def _about(error: OSError, source: Path) -> bool:
    """Whether a failed read or write concerns the source (a file in it) rather than the database."""
    if not error.filename:
        return True  # the reader's own errors (a truncated workbook) name no file
    failed = Path(str(error.filename)).resolve()
    return failed == source.resolve() or source.resolve() in failed.parents


def _remove_database_file(path: Path) -> None:
    """Remove a database this command created for an import that stored nothing (and its lock file)."""
    from iapt_desktop.storage import instance_lock
    from iapt_desktop.storage.keyfile import keyfile_path

    for leftover in [*(Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")), keyfile_path(path)]:
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)
    instance_lock.discard(path)
