"""The validation panel: Enter opens a finding; "Export to Excel…" asks where and whether to pseudonymise."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from sqlite_utils import Database

from iapt_desktop.storage.audit_log import entries
from iapt_desktop.storage.database import DatabaseLocation
from iapt_desktop.ui.admin.findings_export_dialog import FindingsExportDialog
from iapt_desktop.ui.admin.validation_panel import ValidationPanel
from tests.ui.admin.conftest import ADMIN, DEMO_TODAY, LAST_MONTH, patient_in_month

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen only
BAD_NHS_NUMBER = "9999999990"  # fails the check digit: IDSREJ006 names it


@pytest.fixture
def checked_panel(qtbot, demo_db: Database, demo_path: Path) -> tuple[ValidationPanel, str]:
    patient, _referral = patient_in_month(demo_db)
    demo_db.execute("UPDATE IDS001MPI SET NHSNumber = ?, Postcode = 'XD32GG' WHERE LocalPatientId = ?",
                    [BAD_NHS_NUMBER, patient])
    demo_db.conn.commit()
    panel = ValidationPanel(DatabaseLocation(demo_path), ADMIN, today=DEMO_TODAY, db=demo_db)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_period(LAST_MONTH)
    with qtbot.waitSignal(panel.checked, timeout=60000):
        panel.run_check()
    return panel, patient


def test_enter_on_a_finding_opens_it(qtbot, checked_panel) -> None:
    panel, patient = checked_panel
    index = panel.model.index_of_finding(lambda f: f.rule == "IDSREJ006" and f.key == patient)
    assert index.isValid()
    panel.view.setCurrentIndex(index)
    panel.view.setFocus()
    with qtbot.waitSignal(panel.open_requested, timeout=2000) as blocker:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert blocker.args[0].rule == "IDSREJ006" and blocker.args[0].key == patient


def _export_through_the_dialog(qtbot, panel: ValidationPanel, target: Path, *, pseudonymise: bool) -> None:
    assert panel.export_button.isEnabled()
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    dialog = panel.export_dialog  # the one the button opened
    assert isinstance(dialog, FindingsExportDialog) and dialog.isVisible() and not dialog.pseudonymise.isChecked()
    dialog.target.setText(str(target))
    if pseudonymise:
        qtbot.mouseClick(dialog.pseudonymise, Qt.MouseButton.LeftButton)
        assert "replaced by pseudonyms" in dialog.note.text()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert target.exists()


def _cells(path: Path) -> list[str]:
    book = load_workbook(path, read_only=True)
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    book.close()
    return cells


def test_the_dialog_pseudonymises_on_request(qtbot, checked_panel, demo_db: Database, tmp_path: Path) -> None:
    panel, patient = checked_panel
    plain, hidden = tmp_path / "plain.xlsx", tmp_path / "hidden.xlsx"
    _export_through_the_dialog(qtbot, panel, plain, pseudonymise=False)
    assert BAD_NHS_NUMBER in _cells(plain) and patient in _cells(plain)
    _export_through_the_dialog(qtbot, panel, hidden, pseudonymise=True)
    cells = _cells(hidden)
    assert not any(BAD_NHS_NUMBER in c or "XD32GG" in c for c in cells)
    assert patient not in cells and not any(f"LocalPatientId={patient}," in c for c in cells)
    nhs_rows = [row for row in load_workbook(hidden)["Findings"].iter_rows(min_row=2, values_only=True)
                if row[0] == "IDSREJ006"]
    assert nhs_rows and all(row[5].startswith("N") and len(row[5]) == 10 for row in nhs_rows)
    exported = [e for e in entries(demo_db) if e.action == "export"]
    assert [e.changes["pseudonymised"] for e in exported[-2:]] == [False, True]


def test_a_folder_that_does_not_exist_is_explained_in_the_dialog(qtbot, checked_panel, tmp_path: Path) -> None:
    panel, _patient = checked_panel
    dialog = panel.choose_export()
    assert dialog is not None
    dialog.target.setText(str(tmp_path / "missing" / "f.xlsx"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "does not exist" in dialog.problem.text()
    assert not (tmp_path / "missing").exists()
