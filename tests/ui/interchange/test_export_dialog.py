"""File ▸ Export data set tables: pseudonymised unless unticked, every table written, the folder opened on request."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices
from sqlite_utils import Database

from iapt_desktop.domain.access import AccessDenied
from iapt_desktop.domain.dataset import tables
from iapt_desktop.storage.database import DatabaseLocation
from iapt_desktop.ui.interchange.export_dialog import ExportTablesDialog, open_export_tables
from iapt_desktop.ui.sign_in import PlainSession
from tests.ui.interchange.conftest import COUNSELLOR, EXPORT_TEXT, file_action

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen only


def open_dialog(window) -> ExportTablesDialog:
    file_action(window, EXPORT_TEXT).trigger()
    dialog = window.findChild(ExportTablesDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def run_export(qtbot, dialog: ExportTablesDialog, target: Path) -> None:
    dialog.target.setText(str(target))
    with qtbot.waitSignal(dialog.progress.finished, timeout=60000), qtbot.assertNotEmitted(dialog.progress.failed):
        dialog.export_button.click()
        assert not dialog.close_button.isEnabled() and not dialog.pseudonymise.isEnabled()


def nhs_numbers(db: Database) -> set[str]:
    return {row[0] for row in db.execute("SELECT NHSNumber FROM IDS001MPI WHERE NHSNumber IS NOT NULL")}


def test_a_pseudonymised_export_holds_no_nhs_number_of_the_database(qtbot, demo_admin_window, demo_db: Database,
                                                                    tmp_path: Path, monkeypatch) -> None:
    numbers = nhs_numbers(demo_db)
    assert len(numbers) > 20
    dialog = open_dialog(demo_admin_window)
    assert dialog.pseudonymise.isChecked()  # on unless the user unticks it
    assert "pseudonyms" in dialog.pseudonymise_note.text()
    out = tmp_path / "export"
    run_export(qtbot, dialog, out)
    files = sorted(out.glob("*.csv"))
    assert [f.stem for f in files] == sorted(tables())
    text = "".join(f.read_text(encoding="utf-8") for f in files)
    assert not [n for n in numbers if n in text]
    assert "pseudonymised" in dialog.summary.text() and str(out) in dialog.summary.text()
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)  # OS edge
    assert dialog.open_folder_button.isVisible()
    dialog.open_folder_button.click()
    assert opened == [str(out)]
    logged = demo_db.execute("SELECT username, changes FROM app_audit_log WHERE action = 'export' "
                             "ORDER BY id DESC LIMIT 1").fetchone()
    assert logged[0] == "admin" and '"pseudonymised": true' in logged[1]


def test_unticked_the_workbook_keeps_the_nhs_numbers_and_says_so(qtbot, demo_admin_window, demo_db: Database,
                                                                 tmp_path: Path) -> None:
    from openpyxl import load_workbook

    dialog = open_dialog(demo_admin_window)
    dialog.as_workbook.setChecked(True)
    assert dialog.target.text().endswith(".xlsx")
    dialog.pseudonymise.setChecked(False)
    assert "Not pseudonymised" in dialog.pseudonymise_note.text()
    out = tmp_path / "tables.xlsx"
    run_export(qtbot, dialog, out)
    book = load_workbook(out, read_only=True)
    rows = list(book["IDS001MPI"].iter_rows(values_only=True))
    book.close()
    column = rows[0].index("NHSNumber")
    exported = {row[column] for row in rows[1:]} - {None}
    assert exported == nhs_numbers(demo_db)
    assert "NHS numbers included" in dialog.summary.text() and "tables.xlsx" in dialog.summary.text()
    assert dialog.folder() == tmp_path


def test_a_file_where_a_folder_is_needed_is_explained(qtbot, admin_window, tmp_path: Path) -> None:
    dialog = open_dialog(admin_window)
    blocker = tmp_path / "a file"
    blocker.write_text("x", encoding="utf-8")
    dialog.target.setText(str(blocker))
    assert not dialog.start()
    assert "is a file" in dialog.summary.text()
    assert not dialog.progress.running


def test_a_counsellor_can_neither_open_nor_run_an_export(qtbot, counsellor_window, db: Database,
                                                         db_path: Path) -> None:
    assert not file_action(counsellor_window, EXPORT_TEXT).isEnabled()
    session = PlainSession(db, DatabaseLocation(db_path), COUNSELLOR)
    assert open_export_tables(counsellor_window, session) is None
    with pytest.raises(AccessDenied):
        ExportTablesDialog(session)


def pseudonymised_nhs_numbers(folder: Path) -> list[str]:
    import csv

    with open(folder / "IDS001MPI.csv", encoding="utf-8", newline="") as handle:
        return [row["NHSNumber"] for row in csv.DictReader(handle)]


def test_a_kept_key_gives_the_same_pseudonyms_each_time(qtbot, demo_admin_window, tmp_path: Path) -> None:
    dialog = open_dialog(demo_admin_window)
    assert not dialog.key_file.isEnabled()
    run_export(qtbot, dialog, tmp_path / "fresh")
    dialog.keep_key.setChecked(True)
    assert dialog.key_file.isEnabled()
    assert not dialog.start()
    assert "Choose the file that keeps the pseudonym key" in dialog.summary.text()
    key_file = tmp_path / "keys" / "pseudonyms.key"
    dialog.key_file.setText(str(key_file))
    run_export(qtbot, dialog, tmp_path / "first")
    run_export(qtbot, dialog, tmp_path / "second")
    assert key_file.exists()
    first = pseudonymised_nhs_numbers(tmp_path / "first")
    assert first == pseudonymised_nhs_numbers(tmp_path / "second")
    assert first != pseudonymised_nhs_numbers(tmp_path / "fresh")
    key_file.write_text("not a key\n", encoding="ascii")
    assert not dialog.start()
    assert "pseudonym key cannot be used" in dialog.summary.text()
    dialog.pseudonymise.setChecked(False)
    assert not dialog.keep_key.isEnabled() and not dialog.key_file.isEnabled()


def test_a_workbook_too_large_is_refused_and_csv_is_offered(qtbot, admin_window, db: Database,
                                                            tmp_path: Path) -> None:
    from tests.jobs.test_table_export import EXCEL_SHEET_ROWS, fill_rows

    fill_rows(db, EXCEL_SHEET_ROWS)
    dialog = open_dialog(admin_window)
    dialog.as_workbook.setChecked(True)
    out = tmp_path / "out"
    out.mkdir()
    dialog.target.setText(str(out / "tables.xlsx"))
    with qtbot.waitSignal(dialog.progress.failed, timeout=60000):
        dialog.export_button.click()
    text = dialog.summary.text()
    assert f"IDS902CarePersQual has {EXCEL_SHEET_ROWS:,} rows" in text and "CSV files" in text
    assert f"\u201c{dialog.as_csv.text()}\u201d" in text
    assert list(out.iterdir()) == []
