"""File ▸ Import data set tables: every problem listed and nothing stored, or rows stored and the caseload refreshed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from sqlite_utils import Database

from iapt_desktop.domain.access import AccessDenied
from iapt_desktop.storage.database import DatabaseLocation
from iapt_desktop.storage.table_rows import count_rows
from iapt_desktop.ui.interchange.import_dialog import ImportTablesDialog, open_import_tables
from iapt_desktop.ui.interchange.problems_table_model import ProblemColumn, ProblemsTableModel
from iapt_desktop.ui.sign_in import PlainSession
from tests.ui.interchange.conftest import COUNSELLOR, IMPORT_TEXT, file_action

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen only

MPI = ("LocalPatientId", "OrgIDLocalPatientId", "NHSNumber", "PersonBirthDate", "Postcode")
REFERRAL = ("ServiceRequestId", "LocalPatientId", "ReferralRequestReceivedDate")
PATIENTS = [("P1", "AB1", "9990000018", "1980-05-17", "LS1 4AP"), ("P2", "AB1", "9990000026", "1991-01-02",
                                                                    "SW1A 1AA")]


def write_csv_folder(folder: Path) -> Path:
    folder.mkdir()
    for name, header, rows in (("IDS001MPI", MPI, PATIENTS),
                               ("IDS101Referral", REFERRAL, [("R1", "P1", "2025-04-01"), ("R2", "P2", "2025-04-03")])):
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    return folder


def write_workbook_with_a_bad_row(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    patients = book.create_sheet("IDS001MPI")
    patients.append(MPI)
    for row in PATIENTS:
        patients.append(row)
    referrals = book.create_sheet("IDS101Referral")
    referrals.append(REFERRAL)
    referrals.append(("R1", "P1", "2025-04-01"))
    referrals.append(("R2", "P2", "2025-31-04"))  # row 3: no 31st month
    book.save(path)
    return path


def open_dialog(qtbot, window) -> ImportTablesDialog:
    file_action(window, IMPORT_TEXT).trigger()
    dialog = window.findChild(ImportTablesDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def run_import(qtbot, dialog: ImportTablesDialog, source: Path) -> None:
    dialog.set_source(source)
    with qtbot.waitSignal(dialog.progress.finished, timeout=30000), qtbot.assertNotEmitted(dialog.progress.failed):
        dialog.import_button.click()
        assert dialog.progress.isVisible() and not dialog.close_button.isEnabled()


def test_a_workbook_with_one_bad_row_lists_it_and_stores_nothing(qtbot, admin_window, db: Database,
                                                                  tmp_path: Path) -> None:
    workbook = write_workbook_with_a_bad_row(tmp_path / "tables.xlsx")
    audit_before = db.table("app_audit_log").count
    dialog = open_dialog(qtbot, admin_window)
    with qtbot.assertNotEmitted(dialog.imported):
        run_import(qtbot, dialog, workbook)
    model = dialog.problems
    assert model.rowCount() == 1
    cells = [model.index(0, c).data() for c in ProblemColumn]
    assert cells[:4] == ["IDS101Referral", "3", "ReferralRequestReceivedDate", "2025-31-04"]
    assert "date" in cells[4]
    assert dialog.problem_view.isVisible() and dialog.copy_button.isVisible()
    assert "Nothing was imported: 1 problem must be fixed first" in dialog.summary.text()
    assert count_rows(db, "IDS001MPI") == 0 and count_rows(db, "IDS101Referral") == 0
    assert db.table("app_audit_log").count == audit_before
    assert dialog.import_button.isEnabled() and dialog.close_button.isEnabled()

    copied = dialog.copy_problems()
    assert QGuiApplication.clipboard().text() == copied
    assert copied.splitlines() == ["Table\tRow\tColumn\tValue\tReason", "\t".join(cells)]
    saved = tmp_path / "problems.csv"
    assert dialog.save_problems(saved)
    with open(saved, encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [["Table", "Row", "Column", "Value", "Reason"], cells]
    assert "saved to" in dialog.list_note.text()


def test_a_good_csv_folder_is_stored_and_the_caseload_refreshes(qtbot, admin_window, db: Database,
                                                               tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "tables")
    caseload = admin_window.caseload
    assert caseload.model.total == 0
    dialog = open_dialog(qtbot, admin_window)
    with qtbot.waitSignal(dialog.imported) as imported:
        run_import(qtbot, dialog, folder)
    assert imported.args[0].rows_by_table == {"IDS001MPI": 2, "IDS101Referral": 2}
    assert count_rows(db, "IDS001MPI") == 2 and count_rows(db, "IDS101Referral") == 2
    assert caseload.model.total == 2 and caseload.model.rowCount() == 2
    text = dialog.summary.text()
    assert "Imported 4 rows" in text and "IDS001MPI (Patients): 2 rows" in text
    assert "IDS101Referral (Referrals): 2 rows" in text
    assert not dialog.problem_view.isVisible()
    logged = db.execute("SELECT username, action FROM app_audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert logged == ("admin", "import")

    with qtbot.assertNotEmitted(dialog.imported):  # the same rows again: every key is already there
        run_import(qtbot, dialog, folder)
    assert dialog.problems.rowCount() == 4
    assert "already in the database" in dialog.problems.index(0, ProblemColumn.REASON).data()
    assert count_rows(db, "IDS001MPI") == 2


def test_an_unreadable_source_is_explained(qtbot, admin_window, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, admin_window)
    assert not dialog.import_button.isEnabled()  # nothing chosen yet
    dialog.set_source(tmp_path / "missing")
    assert not dialog.start()
    assert "There is no file or folder" in dialog.summary.text()
    old_excel = tmp_path / "old.xls"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)
    dialog.set_source(old_excel)
    with qtbot.waitSignal(dialog.progress.failed, timeout=30000):
        dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.close_button.isEnabled())
    assert dialog.summary.text().startswith("Nothing was imported.")


def test_a_counsellor_can_neither_open_nor_run_an_import(qtbot, counsellor_window, db: Database, db_path: Path,
                                                         tmp_path: Path) -> None:
    action = file_action(counsellor_window, IMPORT_TEXT)
    assert not action.isEnabled()
    session = PlainSession(db, DatabaseLocation(db_path), COUNSELLOR)
    assert open_import_tables(counsellor_window, session) is None
    with pytest.raises(AccessDenied):
        ImportTablesDialog(session)


def test_the_problems_model_passes_the_model_tester(qtmodeltester) -> None:
    from iapt_desktop.interchange.table_source import RowProblem

    model = ProblemsTableModel()
    model.set_problems([RowProblem("IDS001MPI", None, "", "", "not a table"),
                        RowProblem("IDS101Referral", 7, "EndCode", "=1+1", "too long")])
    qtmodeltester.check(model)
    assert model.index(0, ProblemColumn.ROW).data() == ""


def test_cancel_stops_the_job_and_says_nothing_was_stored(qtbot, admin_window, tmp_path: Path) -> None:
    import threading

    from iapt_desktop.interchange.table_source import TableProgress

    release = threading.Event()
    closed = threading.Event()

    def slow_job():
        try:
            yield TableProgress("IDS001MPI", 2000, 0, 21)
            release.wait(30)
            yield TableProgress("IDS001MPI", 4000, 0, 21)
        finally:
            closed.set()

    dialog = open_dialog(qtbot, admin_window)
    progress = dialog.progress
    with qtbot.waitSignal(progress.cancelled, timeout=30000), qtbot.assertNotEmitted(progress.succeeded):
        runner = progress.start(slow_job)
        with qtbot.waitSignal(runner.progressed, timeout=30000):
            pass  # progress arrives through the event loop, which runs only while waiting here
        assert "IDS001MPI (Patients): 2,000 rows" in progress.status.text()
        progress.cancel_button.click()
        assert progress.status.text() == "Stopping…" and not progress.cancel_button.isEnabled()
        release.set()
    assert closed.is_set()
    qtbot.waitUntil(lambda: not progress.isVisible())
    assert dialog.summary.text() == "The import was stopped; nothing was stored."


def test_a_folder_dropped_on_the_dialog_is_chosen(qtbot, admin_window, tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    folder = write_csv_folder(tmp_path / "dropped")
    dialog = open_dialog(qtbot, admin_window)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    dialog.dropEvent(drop)
    assert dialog.source.text() == str(folder) and dialog.import_button.isEnabled()
    two = QMimeData()
    two.setUrls([QUrl.fromLocalFile(str(folder)), QUrl.fromLocalFile(str(tmp_path))])
    dialog.dropEvent(QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, two, Qt.MouseButton.NoButton,
                                Qt.KeyboardModifier.NoModifier))
    assert dialog.source.text() == str(folder)  # several at once: which one is meant is unclear, so none
