"""The submission wizard writes what the CLI writes, refuses file rejects unless forced, and logs every package."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWizard

from iapt_desktop.cli import main
from iapt_desktop.domain.reporting_period import ReportingPeriod, Window
from iapt_desktop.jobs.write_submission import ACCESS_TESTING_NOTE, SubmissionResult, write_submission
from iapt_desktop.storage.database import DatabaseLocation, open_database
from iapt_desktop.ui.admin.submission_log_dialog import SubmissionLogDialog
from iapt_desktop.ui.admin.submission_wizard import SubmissionWizard
from iapt_desktop.ui.sign_in import PlainSession
from tests.ui.admin.conftest import ADMIN, DEMO_TODAY, LAST_MONTH, patient_in_month

CREATED = dt.datetime(2026, 10, 15, 9, 30)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen only


def _copy(demo_db, demo_path: Path, name: str) -> Path:
    demo_db.conn.commit()
    demo_db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copy is of the file alone
    target = demo_path.parent / name
    shutil.copyfile(demo_path, target)
    return target


def _wizard(qtbot, path: Path, out_dir: Path, created_at: dt.datetime | None = CREATED):
    db = open_database(path)
    wizard = SubmissionWizard(PlainSession(db, DatabaseLocation(path), ADMIN), None, today=DEMO_TODAY,
                              created_at=created_at, out_dir=out_dir)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard, db


def _to_review(qtbot, wizard: SubmissionWizard) -> None:
    assert wizard.choose.chosen_period() == ReportingPeriod.parse(LAST_MONTH)
    assert wizard.choose.chosen_window() is Window.PRIMARY
    wizard.next()
    assert wizard.currentPage() is wizard.review
    with qtbot.waitSignal(wizard.review.runner.finished, timeout=60000):
        pass


def _write(qtbot, wizard: SubmissionWizard) -> SubmissionResult:
    wizard.next()
    assert wizard.currentPage() is wizard.write
    with qtbot.waitSignal(wizard.write.runner.finished, timeout=60000):
        pass
    assert wizard.write.result is not None
    return wizard.write.result


def _header_without_time(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row.pop("DateTimeDatSetCreate")
    return rows


def test_wizard_writes_the_same_files_as_the_cli(qtbot, demo_db, demo_path: Path, tmp_path: Path, capsys,
                                                 monkeypatch) -> None:
    cli_db, gui_db = _copy(demo_db, demo_path, "cli.db"), _copy(demo_db, demo_path, "gui.db")
    assert main(["submission", "--db", str(cli_db), "--period", LAST_MONTH, "--out", str(tmp_path / "cli"),
                 "--window", "primary"]) == 0
    capsys.readouterr()
    wizard, db = _wizard(qtbot, gui_db, tmp_path / "gui")
    _to_review(qtbot, wizard)
    review = wizard.review
    assert review.isComplete()
    assert review.table.rowCount() == 21
    assert review.table.item(1, 0).text() == "IDS001MPI"
    assert "Nothing has been sent for this month yet" in review.verdict.text()
    result = _write(qtbot, wizard)
    assert result.written and not result.forced
    assert wizard.write.open_folder.isVisible()
    assert str(result.package) in wizard.write.where.text()
    assert "SDCS Cloud" in wizard.write.upload.text()
    assert wizard.write.access_note.text() == ACCESS_TESTING_NOTE
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)  # the OS edge
    qtbot.mouseClick(wizard.write.open_folder, Qt.MouseButton.LeftButton)
    assert [Path(url.toLocalFile()) for url in opened] == [result.package]

    (cli_package,) = (tmp_path / "cli").iterdir()
    assert cli_package.name == result.package.name
    cli_manifest = json.loads((cli_package / "manifest.json").read_text(encoding="utf-8"))
    gui_manifest = result.manifest
    for key in ("period", "window", "provider", "submitter", "counts", "validation", "forced"):
        assert gui_manifest[key] == cli_manifest[key], key
    different = {name for name, digest in gui_manifest["files"].items() if cli_manifest["files"][name] != digest}
    assert different <= {f"{result.package.name}.xlsx", "tables/IDS000Header.csv"}
    assert _header_without_time(cli_package / "tables/IDS000Header.csv") == _header_without_time(
        result.package / "tables/IDS000Header.csv")
    db.close()


def test_wizard_and_the_shared_job_agree_for_the_same_creation_time(qtbot, demo_db, demo_path: Path,
                                                                      tmp_path: Path) -> None:
    job_db_path, gui_db = _copy(demo_db, demo_path, "job.db"), _copy(demo_db, demo_path, "gui.db")
    job_db = open_database(job_db_path)
    items = list(write_submission(job_db, LAST_MONTH, None, tmp_path / "job", actor=ADMIN, created_at=CREATED,
                                  today=DEMO_TODAY))
    job_db.close()
    expected = items[-1].manifest
    wizard, db = _wizard(qtbot, gui_db, tmp_path / "gui")
    _to_review(qtbot, wizard)
    manifest = dict(_write(qtbot, wizard).manifest)
    xlsx = f"{manifest['package']}.xlsx"
    assert {k: v for k, v in manifest["files"].items() if k != xlsx} == {
        k: v for k, v in expected["files"].items() if k != xlsx}
    manifest.pop("files")
    assert manifest == {k: v for k, v in expected.items() if k != "files"}
    db.close()


def test_file_reject_blocks_until_forced_and_the_log_shows_it(qtbot, demo_db, demo_path: Path,
                                                               tmp_path: Path) -> None:
    patient, _referral = patient_in_month(demo_db)
    demo_db.execute("UPDATE IDS001MPI SET Postcode = 'XD32GG' WHERE LocalPatientId = ?", [patient])
    path = _copy(demo_db, demo_path, "faulty.db")
    wizard, db = _wizard(qtbot, path, tmp_path / "out")
    assert "Provider organisation code: " in wizard.choose.provider_note.text()
    _to_review(qtbot, wizard)
    review = wizard.review
    assert not review.isComplete()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    assert review.force.isVisible()
    assert "REJECT THE WHOLE FILE" in review.verdict.text()
    review.force.setChecked(True)
    assert review.isComplete()
    result = _write(qtbot, wizard)
    assert result.written and result.forced
    assert "do not upload it" in wizard.write.upload.text()
    log = SubmissionLogDialog(db)
    qtbot.addWidget(log)
    assert log.table.rowCount() == 1
    assert "FORCED" in log.table.item(0, 6).text()
    assert log.table.item(0, 4).text() == "admin"
    assert log.table.item(0, 2).text() == "Primary"  # the first package for the month
    db.close()


def test_second_package_shows_what_changed(qtbot, demo_db, demo_path: Path, tmp_path: Path) -> None:
    path = _copy(demo_db, demo_path, "twice.db")
    wizard, db = _wizard(qtbot, path, tmp_path / "out")
    _to_review(qtbot, wizard)
    _write(qtbot, wizard)
    patient, _referral = patient_in_month(db)
    db.execute("UPDATE IDS001MPI SET Postcode = 'XD9 9ZZ' WHERE LocalPatientId = ?", [patient])
    db.conn.commit()
    again, _db2 = _wizard(qtbot, path, tmp_path / "out", created_at=CREATED + dt.timedelta(hours=1))
    _to_review(qtbot, again)
    row = next(r for r in range(again.review.table.rowCount()) if again.review.table.item(r, 0).text() == "IDS001MPI")
    assert again.review.table.item(row, 4).text() == "1"  # changed
    assert "Last package for this month" in again.review.verdict.text()
    result = _write(qtbot, again)
    assert result.is_resubmission and "re-submission" in again.write.outcome.text()
    log = SubmissionLogDialog(db)
    qtbot.addWidget(log)
    assert log.table.rowCount() == 2
    first, second = log.records[1].id, log.records[0].id
    assert log.table.item(0, 0).text() == str(second) and log.table.item(1, 0).text() == str(first)
    assert re.fullmatch(rf"Primary · re-submission of #{first}: 0 added, [1-9]\d* changed, 0 removed",
                        log.table.item(0, 2).text()), log.table.item(0, 2).text()
    assert log.table.item(1, 2).text() == "Primary"
    changed = log.show_changes(0)
    assert f"Re-submission of #{first}" in log.changes_title.text()
    assert changed is not None and changed["IDS001MPI"].changed == 1
    assert log.show_changes(1) is None
    db.close()
    _db2.close()


def test_closing_while_writing_never_leaves_half_a_package(qtbot, demo_db, demo_path: Path, tmp_path: Path) -> None:
    path = _copy(demo_db, demo_path, "closing.db")
    wizard, db = _wizard(qtbot, path, tmp_path / "out")
    _to_review(qtbot, wizard)
    wizard.next()
    runner = wizard.write.runner
    with qtbot.waitSignal(runner.finished, timeout=60000):
        wizard.reject()  # cancels the write and waits for its thread
    out = tmp_path / "out"
    left = [p.name for p in out.iterdir()] if out.exists() else []
    assert not [name for name in left if name.endswith(".partial")]
    logged = db.execute("SELECT count(*) FROM app_submission_log").fetchone()[0]
    assert logged == len(left) <= 1  # either cancelled (nothing) or finished just before (one whole package)
    db.close()


def test_missing_provider_code_is_said_before_anything_runs(qtbot, db, db_path: Path, tmp_path: Path) -> None:
    wizard = SubmissionWizard(PlainSession(db, DatabaseLocation(db_path), ADMIN), None, today=DEMO_TODAY,
                              out_dir=tmp_path)
    qtbot.addWidget(wizard)
    assert "No provider organisation code is set" in wizard.choose.provider_note.text()
    assert "Administration ▸ Settings" in wizard.choose.provider_note.text()
    assert not wizard.choose.idb.isEnabled() and "IDB" in wizard.choose.idb_note.text()


def test_a_month_that_has_not_ended_is_not_offered(qtbot, demo_db, demo_path: Path, tmp_path: Path) -> None:
    wizard, db = _wizard(qtbot, demo_path, tmp_path / "out")
    offered = [wizard.choose.period.itemData(i) for i in range(wizard.choose.period.count())]
    assert offered and all(period.end < DEMO_TODAY for period in offered)
    running = ReportingPeriod.containing(DEMO_TODAY)
    why = wizard.choose.set_period(running)
    assert why is not None and "has not ended" in why and "31 October 2026" in why
    assert wizard.choose.chosen_period() == ReportingPeriod.parse(LAST_MONTH)
    assert wizard.choose.period.findData(running) < 0
    assert "has not ended" in wizard.choose.window_note.text()
    assert wizard.choose.set_period(ReportingPeriod(2026, 8)) is None
    assert wizard.choose.chosen_period() == ReportingPeriod(2026, 8)
    db.close()
