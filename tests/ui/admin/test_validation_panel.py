"""The validation panel: find a planted fault, open its record at the field, fix it, check again."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDockWidget
from sqlite_utils import Database

from iapt_desktop.storage.audit_log import entries
from iapt_desktop.storage.database import DatabaseLocation
from iapt_desktop.ui.admin.findings_tree_model import FINDING_ROLE, FindingsTreeModel
from iapt_desktop.ui.admin.validation_panel import ValidationPanel, open_validation, period_choices
from iapt_desktop.validation.findings import REJECT_FILE
from tests.ui.admin.conftest import ADMIN, COUNSELLOR, DEMO_TODAY, LAST_MONTH, patient_in_month

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen only


def _check(qtbot, panel: ValidationPanel):
    with qtbot.waitSignal(panel.checked, timeout=60000) as blocker:
        panel.run_check()
    return blocker.args[0]


def _double_click(qtbot, panel: ValidationPanel, index) -> None:
    panel.view.scrollTo(index)
    rect = panel.view.visualRect(index)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_default_scope_is_the_primary_month_and_the_refresh_one_follows() -> None:
    choices = period_choices(DEMO_TODAY)
    assert choices[0][0] == "September 2026 (Primary now)"
    assert choices[1][0] == "August 2026 (Refresh now)"
    assert choices[-1] == ("Every stored record", None)


def test_planted_postcode_fault_found_opened_fixed_and_gone(qtbot, admin_window, demo_db: Database) -> None:
    patient, _referral = patient_in_month(demo_db)
    demo_db.execute("UPDATE IDS001MPI SET Postcode = 'XD32GG' WHERE LocalPatientId = ?", [patient])
    demo_db.conn.commit()
    dock = open_validation(admin_window, admin_window.session)
    assert isinstance(dock, QDockWidget) and dock.isVisible()
    panel = dock.widget()
    assert isinstance(panel, ValidationPanel)
    panel.set_period(LAST_MONTH)
    report = _check(qtbot, panel)
    assert report.rejects_file
    assert "REJECT THE WHOLE FILE" in panel.summary.text()

    index = panel.model.index_of_finding(lambda f: f.rule == "IDSREJ007" and f.key == patient)
    assert index.isValid()
    assert panel.model.finding(index).severity == REJECT_FILE
    panel.view.setCurrentIndex(index)
    assert "What to do" in panel.explanation.toPlainText()
    assert "outward code, space, inward code" in panel.explanation.toPlainText()

    _double_click(qtbot, panel, index)
    record = admin_window.record
    assert record.local_patient_id == patient
    assert admin_window.stack.currentWidget() is record
    qtbot.waitUntil(lambda: QApplication.focusWidget() is record.form.person.postcode)

    postcode = record.form.person.postcode
    postcode.selectAll()
    qtbot.keyClicks(postcode, "XD3 2GG")
    assert record.is_dirty()
    with qtbot.waitSignal(panel.checked, timeout=60000) as blocker:  # saving re-runs the check
        assert record.save()
    after = blocker.args[0]
    assert not [f for f in after.findings if f.rule == "IDSREJ007"]
    assert not panel.model.index_of_finding(lambda f: f.rule == "IDSREJ007").isValid()
    stored = demo_db.execute("SELECT Postcode FROM IDS001MPI WHERE LocalPatientId = ?", [patient]).fetchone()[0]
    assert stored == "XD3 2GG"


def test_session_fault_opens_the_session_form_at_the_field(qtbot, admin_window, demo_db: Database) -> None:
    contact = demo_db.execute("SELECT CareContactId FROM IDS201CareContact WHERE substr(CareContDate, 1, 7) = ? "
                              "ORDER BY CareContactId LIMIT 1", [LAST_MONTH]).fetchone()[0]
    demo_db.execute("UPDATE IDS201CareContact SET AppType = NULL WHERE CareContactId = ?", [contact])
    demo_db.conn.commit()
    panel = open_validation(admin_window, admin_window.session).widget()
    panel.set_period(LAST_MONTH)
    _check(qtbot, panel)
    index = panel.model.index_of_finding(lambda f: f.key == contact and f.field == "AppType")
    assert index.isValid()
    _double_click(qtbot, panel, index)
    dialog = admin_window.findChild(QDialog, "sessionDialog")
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and (QApplication.focusWidget() is dialog.fields.widget_for("AppType")
                         or dialog.fields.widget_for("AppType").isAncestorOf(QApplication.focusWidget())))
    dialog.close()


def test_filters_search_and_export(qtbot, demo_db: Database, demo_path: Path, tmp_path: Path) -> None:
    patient, _referral = patient_in_month(demo_db)
    demo_db.execute("UPDATE IDS001MPI SET Postcode = NULL WHERE LocalPatientId = ?", [patient])
    demo_db.execute("UPDATE IDS001MPI SET NHSNumber = '9999999990' WHERE LocalPatientId = ?", [patient])
    demo_db.conn.commit()
    panel = ValidationPanel(DatabaseLocation(demo_path), ADMIN, today=DEMO_TODAY, db=demo_db)
    qtbot.addWidget(panel)
    report = _check(qtbot, panel)
    assert len(report.findings) >= 2
    total = len(panel.model.shown_findings())
    assert total == len(report.findings)
    panel.severity.setCurrentIndex(panel.severity.findData("warning"))
    assert {f.severity for f in panel.model.shown_findings()} == {"warning"}
    panel.severity.setCurrentIndex(0)
    panel.search.setText("postcode")
    assert panel.model.shown_findings()
    assert all("postcode" in (f.message + f.field).lower() for f in panel.model.shown_findings())
    panel.search.clear()
    panel.table_filter.setCurrentIndex(panel.table_filter.findData("IDS201CareContact"))
    assert all(f.table == "IDS201CareContact" for f in panel.model.shown_findings())
    panel.table_filter.setCurrentIndex(0)
    assert len(panel.model.shown_findings()) == total
    assert panel.export_button.isEnabled()
    written = panel.export(tmp_path / "findings.xlsx")
    from openpyxl import load_workbook

    workbook = load_workbook(written, read_only=True)
    assert "Findings" in workbook.sheetnames
    workbook.close()
    exported = [e for e in entries(demo_db) if e.action == "export"]
    assert exported[-1].changes == {"file": "findings.xlsx", "rows": len(report.findings),
                                    "what": "validation findings", "pseudonymised": False}


def test_counsellor_sees_no_values_and_cannot_export(qtbot, demo_db: Database, demo_path: Path) -> None:
    patient, referral = patient_in_month(demo_db)
    demo_db.execute("UPDATE IDS001MPI SET Postcode = 'XD32GG' WHERE LocalPatientId = ?", [patient])
    # a counsellor's report covers their own caseload (jobs.validate_period): put the patient on it
    demo_db.execute("INSERT OR IGNORE INTO app_care_personnel (CarePersLocalId, display_name) VALUES (?, ?)",
                    [COUNSELLOR.care_personnel_id, COUNSELLOR.display_name])
    demo_db.execute("INSERT OR REPLACE INTO app_referral (ServiceRequestId, CarePersLocalId) VALUES (?, ?)",
                    [referral, COUNSELLOR.care_personnel_id])
    demo_db.conn.commit()
    panel = ValidationPanel(DatabaseLocation(demo_path), COUNSELLOR, today=DEMO_TODAY)
    qtbot.addWidget(panel)
    _check(qtbot, panel)
    index = panel.model.index_of_finding(lambda f: f.rule == "IDSREJ007")
    assert index.siblingAtColumn(4).data() == "(hidden)"
    assert not panel.export_button.isEnabled()


def test_findings_model_passes_the_model_tester(qtmodeltester, demo_db: Database, demo_path: Path, qtbot) -> None:
    demo_db.execute("UPDATE IDS001MPI SET Postcode = NULL")
    demo_db.execute("UPDATE IDS201CareContact SET AppType = NULL WHERE CareContactId IN "
                    "(SELECT CareContactId FROM IDS201CareContact LIMIT 3)")
    demo_db.conn.commit()
    from iapt_desktop.domain.access import SYSTEM_USER
    from iapt_desktop.jobs.validate_period import run_to_report, validate_database

    report = run_to_report(validate_database(demo_db, actor=SYSTEM_USER))
    model = FindingsTreeModel()
    model.set_report(report)
    assert model.rowCount() >= 2
    leaf = model.index_of_finding(lambda f: True)
    assert leaf.data(FINDING_ROLE) is not None
    qtmodeltester.check(model)
    for top in range(model.rowCount()):
        severity = model.index(top, 0)
        rules = [model.index(r, 0, severity) for r in range(model.rowCount(severity))]
        assert int(model.index(top, 1).data().replace(",", "")) == sum(model.rowCount(r) for r in rules)
        for rule_index in rules:
            assert int(rule_index.siblingAtColumn(1).data().replace(",", "")) == model.rowCount(rule_index)
    assert sum(int(model.index(t, 1).data().replace(",", "")) for t in range(model.rowCount())) == len(
        report.findings)
    model.set_filter(severity="warning", text="postcode")
    qtmodeltester.check(model)
    assert {f.severity for f in model.shown_findings()} == {"warning"}


def test_administration_menu_by_role(qtbot, admin_window, demo_db: Database, demo_path: Path, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    from iapt_desktop.ui.main_window import MainWindow
    from iapt_desktop.ui.sign_in import PlainSession

    def entries_of(window) -> dict[str, bool]:
        return {a.text(): a.isEnabled() for a in window.menus["Administration"].actions() if a.text()}

    admin = entries_of(admin_window)
    for text in ("Settings…", "Staff…", "Check the data…", "Monthly submission…", "Submission log…"):
        assert admin[text], text
    counsellor_window = MainWindow(PlainSession(demo_db, DatabaseLocation(demo_path), COUNSELLOR),
                                   QSettings(str(tmp_path / "c.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(counsellor_window)
    counsellor = entries_of(counsellor_window)
    assert counsellor["Check the data…"]
    assert not counsellor["Settings…"] and not counsellor["Staff…"]
    assert not counsellor["Monthly submission…"] and not counsellor["Submission log…"]


def test_screenshots_of_the_administrators_views(qtbot, admin_window, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    from iapt_desktop.ui.screenshots import save_screenshot

    for view in ("validation", "submission"):
        path = tmp_path / f"{view}.png"
        save_screenshot(admin_window, view, path)
        picture = QImage(str(path))
        assert not picture.isNull() and picture.width() >= 900, view
    panel = admin_window.validation_dock.widget()
    assert panel.report() is not None and panel.report().findings  # a month without findings: every record


def test_staff_and_header_findings_open_staff_and_settings(qtbot, admin_window, demo_db: Database) -> None:
    from iapt_desktop.ui.admin.settings_dialog import SettingsDialog
    from iapt_desktop.ui.admin.staff_dialog import StaffDialog

    # levels that are not in the code list
    demo_db.execute("UPDATE IDS902CarePersQual SET QualAttainLevelIAPT = printf('%02d', 90 + app_row_id)")
    demo_db.execute("UPDATE app_setting SET value = '' WHERE key IN ('provider_ods', 'submitter_ods')")
    demo_db.conn.commit()
    panel = open_validation(admin_window, admin_window.session).widget()
    panel.set_period(LAST_MONTH)
    _check(qtbot, panel)
    staff_index = panel.model.index_of_finding(lambda f: f.rule == "IDS90205")
    assert staff_index.isValid()
    person = panel.model.finding(staff_index).key.split(",")[0].split("=")[1]
    _double_click(qtbot, panel, staff_index)
    dialog = admin_window.findChild(StaffDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.local_id.text() == person
    assert "not in the national list" in dialog.problems.text()
    assert not dialog.save_button.isEnabled()
    model = dialog.qualifications.model
    for row in range(model.rowCount()):  # fix the levels: saving checks again
        model.setData(model.index(row, 0), f"1{row}")
    with qtbot.waitSignal(panel.checked, timeout=60000) as blocker:
        assert dialog.save()
    assert not [f for f in blocker.args[0].findings if f.rule == "IDS90205" and person in f.key]
    dialog.close()
    header_index = panel.model.index_of_finding(lambda f: f.table == "IDS000Header")
    assert header_index.isValid()
    _double_click(qtbot, panel, header_index)
    settings = admin_window.findChild(SettingsDialog)
    assert settings is not None and settings.isVisible()
    settings.close()


def test_listed_row_finding_selects_the_row_and_cell(qtbot, admin_window, demo_db: Database) -> None:
    patient, _referral = patient_in_month(demo_db)
    demo_db.execute("UPDATE IDS002GP SET GMPCodeReg = 'X8100' WHERE LocalPatientId = ?", [patient])
    demo_db.conn.commit()
    panel = open_validation(admin_window, admin_window.session).widget()
    panel.set_period(LAST_MONTH)
    _check(qtbot, panel)
    index = panel.model.index_of_finding(lambda f: f.table == "IDS002GP" and f.field == "GMPCodeReg"
                                         and patient in f.key)
    assert index.isValid()
    _double_click(qtbot, panel, index)
    editor = admin_window.record.form.editors["IDS002GP"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.view)
    current = editor.view.currentIndex()
    assert editor.model.column_name(current.column()) == "GMPCodeReg"
    assert editor.model.rows()[current.row()]["GMPCodeReg"] == "X8100"
    assert admin_window.record.form.currentWidget().isAncestorOf(editor)


def test_wizard_review_opens_the_findings_for_its_month(qtbot, admin_window, demo_db: Database,
                                                        tmp_path: Path) -> None:
    from iapt_desktop.ui.admin.submission_wizard import SubmissionWizard

    patient, _referral = patient_in_month(demo_db)
    demo_db.execute("UPDATE IDS001MPI SET Postcode = 'XD32GG' WHERE LocalPatientId = ?", [patient])
    demo_db.conn.commit()
    wizard = SubmissionWizard(admin_window.session, admin_window, today=DEMO_TODAY, out_dir=tmp_path / "out")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    with qtbot.waitSignal(wizard.review.runner.finished, timeout=60000):
        pass
    assert wizard.review.findings_button.isVisible()
    wizard.review.findings_button.click()
    panel = admin_window.validation_dock.widget()
    with qtbot.waitSignal(panel.checked, timeout=60000) as blocker:
        pass
    assert blocker.args[0].scope == LAST_MONTH
    assert panel.model.index_of_finding(lambda f: f.rule == "IDSREJ007").isValid()
    wizard.close()
