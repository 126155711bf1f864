"""``iapt-desktop settings``: list the app's settings, or change them from a script (administrators).

    iapt-desktop settings --db PATH [--json]
    iapt-desktop settings --db PATH --set KEY=VALUE [--set KEY=VALUE ...] [--json]

Values are tidied and checked as the Settings dialog does (organisation codes in capitals, 3 to 6 letters and
digits, a commissioner 3 to 5, the inactivity lock 1 to 15 minutes).  If any value is refused nothing is
stored and the command exits with 1; otherwise the changes are stored in one transaction with one audit entry
(storage.staff_records.save_settings, which also checks the "change settings" permission of the --user).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iapt_desktop.cli.database_access import CommandError, add_database_arguments, report_error

if TYPE_CHECKING:
    from sqlite_utils import Database

    from iapt_desktop.domain.access import User

# The organisation code settings and the data set column whose length limits they take (OrgIDProv: 3 to 6 ...).
CODE_COLUMNS: dict[str, tuple[str, str]] = {
    "provider_ods": ("IDS000Header", "OrgIDProv"),
    "submitter_ods": ("IDS000Header", "OrgIDSubmit"),
    "default_commissioner": ("IDS101Referral", "OrgIDComm"),
}
LOCK_SETTING = "auto_lock_minutes"
TEMPLATE_SETTING = "idb_template_path"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "settings", help="list the settings, or change them with --set KEY=VALUE (administrators)",
        description="Without --set: list every setting with its label and value. With --set: check every value "
                    "as the Settings dialog does; if any is refused nothing is stored (exit code 1), otherwise "
                    "the changes are stored and recorded in the audit trail. Changing settings needs the "
                    "'change settings' permission (administrators).")
    add_database_arguments(parser)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="assignments",
                        help="a new value (repeat for several; an empty VALUE clears the setting)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(run=run)


def parse_assignments(assignments: list[str]) -> dict[str, str]:
    """{key: value as given}; unknown keys and missing '=' are refused with the list of keys."""
    from iapt_desktop.domain.settings import SETTINGS

    known = [s.key for s in SETTINGS]
    values: dict[str, str] = {}
    for assignment in assignments:
        key, equals, value = assignment.partition("=")
        key = key.strip()
        if not equals:
            raise CommandError(f"--set {assignment!r} has no '='. Write --set KEY=VALUE, for example "
                               "--set provider_ods=AB1.")
        if key not in known:
            raise CommandError(f"There is no setting {key!r}. The settings are: {', '.join(known)}.")
        if key in values:
            raise CommandError(f"{key} is given twice; give each setting once.")
        values[key] = value
    return values


def tidy(key: str, value: str) -> str:
    """The value as the Settings dialog stores it: trimmed; organisation codes in capitals."""
    text = value.strip()
    return text.upper() if key in CODE_COLUMNS else text


def setting_problem(key: str, value: str) -> str | None:
    """Why ``value`` (tidied) cannot be stored for ``key``, in words; None when it can."""
    from iapt_desktop.domain.dataset import table
    from iapt_desktop.domain.field_checks import ods_code_problem
    from iapt_desktop.domain.inactivity import MAX_MINUTES, MIN_MINUTES

    if key in CODE_COLUMNS:
        if not value:
            return None  # empty is allowed: the dialog explains what an empty code means
        table_name, column_name = CODE_COLUMNS[key]
        column = table(table_name).column(column_name)
        return ods_code_problem(value, column.min_length or 3, column.max_length or 6)
    whole_number = value.isascii() and value.isdigit()
    if key == LOCK_SETTING and not (whole_number and MIN_MINUTES <= int(value) <= MAX_MINUTES):
        return (f"is {value!r}: give a whole number of minutes from {MIN_MINUTES} to {MAX_MINUTES} (patient "
                "data must not stay on an unattended screen).")
    return None


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except CommandError as error:
        return report_error(error)


def _run(args: argparse.Namespace) -> int:
    from iapt_desktop.domain.access import AccessDenied
    from iapt_desktop.domain.settings import setting

    requested = {key: tidy(key, value) for key, value in parse_assignments(args.assignments).items()}
    problems = [f"{key} ({setting(key).label}){_as_sentence(problem)}"
                for key, value in requested.items() if (problem := setting_problem(key, value))]
    if problems:
        raise CommandError("Nothing was changed:\n  " + "\n  ".join(problems))
    db, user, close = _open(args)
    try:
        changed: dict[str, list[str]] = {}
        if requested:
            from iapt_desktop.storage.staff_records import save_settings

            try:
                changed = save_settings(db, user, requested)
            except AccessDenied as error:
                raise CommandError(f"Nothing was changed. {error}") from None
        _report(db, changed, requested, as_json=args.json)
    finally:
        close()
    return 0


def _as_sentence(problem: str) -> str:
    """Field checks say 'An organisation (ODS) code ...'; after the setting's name: ': An ...'."""
    return f" {problem}" if problem.startswith("is ") else f": {problem}"


def _open(args: argparse.Namespace) -> tuple[Database, User, Any]:
    """The database, the signed-in user and how to close them."""
    from iapt_desktop.storage.keyfile import keyfile_path

    if keyfile_path(args.db).exists() or not args.db.exists():
        from iapt_desktop.cli.database_access import open_existing_session

        session = open_existing_session(args)
        return session.db, session.user, session.close
    from iapt_desktop.cli.database_access import open_existing
    from iapt_desktop.domain.access import SYSTEM_USER
    from iapt_desktop.storage.users import first_administrator, get_user

    db = open_existing(args)  # made before encryption (or by tests); it warns. Users as the app finds them:
    name = args.user or first_administrator(db)
    user = (get_user(db, name) if name else None) or SYSTEM_USER
    if args.user and user is SYSTEM_USER:
        db.close()
        raise CommandError(f"There is no active user '{args.user}' in {args.db.name}.")
    return db, user, db.close


def _report(db: Database, changed: dict[str, list[str]], requested: dict[str, str], *, as_json: bool) -> None:
    from iapt_desktop.domain.settings import SETTINGS
    from iapt_desktop.storage.settings_store import all_settings

    values = all_settings(db)
    template_note = _template_note(db, values) if TEMPLATE_SETTING in changed else None
    if as_json:
        listing = [{"key": s.key, "label": s.label, "value": values[s.key], "default": s.default, "help": s.help}
                   for s in SETTINGS]
        document: dict[str, Any] = {"settings": listing}
        if requested:
            document["changed"] = changed
        print(json.dumps(document, indent=2, ensure_ascii=False))
    elif requested:
        if not changed:
            print("No setting changed: every value was already as given.")
        for key, (old, new) in changed.items():
            print(f"{key}: {_shown(old)} -> {_shown(new)}")
    else:
        width = max(len(s.key) for s in SETTINGS)
        label_width = max(len(s.label) for s in SETTINGS)
        for s in SETTINGS:
            print(f"{s.key:<{width}}  {s.label:<{label_width}}  {_shown(values[s.key])}")
    if template_note:
        print(f"iapt-desktop: note: {template_note} The path was stored all the same.", file=sys.stderr)


def _shown(value: str) -> str:
    return value if value else "(empty)"


def _template_note(db: Database, values: dict[str, str]) -> str | None:
    """As the dialog: a template path that cannot be used here now is stored, with a note saying why."""
    from iapt_desktop.jobs.write_submission import idb_problem_here

    text = values.get(TEMPLATE_SETTING, "").strip()
    return idb_problem_here(db, Path(text)) if text else None
