"""``iapt-desktop settings``: list, set (checked as the Settings dialog checks, audited), refuse bad values whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iapt_desktop.cli import main
from iapt_desktop.cli.settings_command import setting_problem, tidy
from iapt_desktop.domain.access import Role
from iapt_desktop.domain.settings import SETTINGS
from iapt_desktop.storage import keyfile
from iapt_desktop.storage.audit_log import entries
from iapt_desktop.storage.record_writes import save_row
from iapt_desktop.storage.session import create_database, unlock
from iapt_desktop.storage.settings_store import all_settings
from iapt_desktop.storage.users import add_user

ADMIN_PASSWORD = "settings command admin passphrase 7"
COUNSELLOR_PASSWORD = "settings command counsellor phrase 9"
CHEAP_KDF = keyfile.KdfParameters(1, 8192, 1)  # the cost is not under test here


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An encrypted database with an administrator (admin) and a counsellor (casey)."""
    path = tmp_path / "service.db"
    session, _recovery = create_database(path, "admin", "Ada Admin", ADMIN_PASSWORD, kdf=CHEAP_KDF)
    with session:
        save_row(session.db, session.user, "app_care_personnel", {"CarePersLocalId": "C1",
                                                                   "display_name": "Casey Counsellor"})
        add_user(session, "casey", "Casey Counsellor", Role.COUNSELLOR, COUNSELLOR_PASSWORD, "C1",
                 must_change_password=False)
    monkeypatch.setenv("IAPT_DESKTOP_PASSWORD", ADMIN_PASSWORD)
    return path


def stored(path: Path) -> dict[str, str]:
    with unlock(path, "admin", ADMIN_PASSWORD) as session:
        return all_settings(session.db)


def settings_audit(path: Path) -> list[dict[str, list[str]]]:
    with unlock(path, "admin", ADMIN_PASSWORD) as session:
        return [e.changes for e in entries(session.db) if e.action == "change settings"]


def test_lists_every_setting_with_label_and_value(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["settings", "--db", str(database)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(SETTINGS)
    assert lines[0].split()[0] == "provider_ods" and "Provider organisation code" in lines[0]
    assert lines[0].endswith("(empty)")
    assert next(line for line in lines if line.startswith("auto_lock_minutes")).endswith(" 10")
    assert main(["settings", "--db", str(database), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [s["key"] for s in document["settings"]] == [s.key for s in SETTINGS]
    assert document["settings"][0] == {"key": "provider_ods", "label": "Provider organisation code", "value": "",
                                       "default": "", "help": SETTINGS[0].help}


def test_set_tidies_stores_and_audits(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["settings", "--db", str(database), "--set", "provider_ods= ab1 ",
                 "--set", "default_commissioner=xyz01", "--set", "auto_lock_minutes=5"]) == 0
    out = capsys.readouterr().out
    assert "provider_ods: (empty) -> AB1" in out and "auto_lock_minutes: 10 -> 5" in out
    values = stored(database)
    assert values["provider_ods"] == "AB1" and values["default_commissioner"] == "XYZ01"
    assert values["auto_lock_minutes"] == "5"
    assert settings_audit(database)[-1] == {"provider_ods": ["", "AB1"], "default_commissioner": ["", "XYZ01"],
                                            "auto_lock_minutes": ["10", "5"]}
    assert main(["settings", "--db", str(database), "--set", "provider_ods=AB1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["changed"] == {}  # already so: nothing to audit
    assert len(settings_audit(database)) == 1


def test_a_bad_value_stores_nothing_and_says_why(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["settings", "--db", str(database), "--set", "provider_ods=AB1",
                 "--set", "default_commissioner=ABCDEF", "--set", "auto_lock_minutes=60"])
    assert code == 1
    err = capsys.readouterr().err
    assert "Nothing was changed" in err
    assert "default_commissioner (Default commissioner code): An organisation (ODS) code here has 3 to 5" in err
    assert "auto_lock_minutes (Lock after inactivity (minutes)) is '60': give a whole number of minutes from 1 to 15" \
        in err
    assert stored(database)["provider_ods"] == ""  # the good value was not stored either
    assert settings_audit(database) == []


@pytest.mark.parametrize(("assignment", "message"), [
    ("colour=blue", "There is no setting 'colour'. The settings are: provider_ods"),
    ("provider_ods", "has no '='"),
])
def test_unknown_keys_and_malformed_assignments_are_explained(database: Path, capsys: pytest.CaptureFixture[str],
                                                              assignment: str, message: str) -> None:
    assert main(["settings", "--db", str(database), "--set", assignment]) == 1
    assert message in capsys.readouterr().err


def test_a_counsellor_may_list_but_not_change(database: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    password_file = tmp_path / "casey.txt"
    password_file.write_text(COUNSELLOR_PASSWORD + "\n", encoding="utf-8")
    signed_in = ["--db", str(database), "--user", "casey", "--password-file", str(password_file)]
    assert main(["settings", *signed_in]) == 0
    assert main(["settings", *signed_in, "--set", "provider_ods=AB1"]) == 1
    assert "may not change settings" in capsys.readouterr().err
    assert stored(database)["provider_ods"] == ""


def test_a_template_that_cannot_be_used_here_is_stored_with_a_note(database: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["settings", "--db", str(database), "--set", "idb_template_path=/nowhere/IDB.accdb"]) == 0
    assert "was not found" in capsys.readouterr().err
    assert stored(database)["idb_template_path"] == "/nowhere/IDB.accdb"


@pytest.mark.parametrize("key", ["provider_ods", "submitter_ods", "default_commissioner"])
@pytest.mark.parametrize("typed", ["", "ab1", "AB-1", "A1", "ABCDE", "ABCDEF", "ABCDEFG", "  rr8 "])
def test_codes_are_refused_exactly_when_the_settings_dialog_refuses_them(key: str, typed: str) -> None:
    from iapt_desktop.ui.admin.settings_dialog import code_check

    _message, dialog_blocks = code_check(key)(typed)
    assert (setting_problem(key, tidy(key, typed)) is not None) == dialog_blocks
