"""The service dashboard: headline outcome figures for a period beside England's, the monthly trend,
a per-counsellor table for supervision and the reasons referrals ended; export to Excel.

Figures are worked out off the UI thread (``ui.workers.JobRunner``) with the job's own connection.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from iapt_desktop.domain.access import AccessDenied, Action, User
from iapt_desktop.domain.metrics.headlines import COUNSELLOR_COLUMNS, COUNT, HEADLINES, TREND_COLUMNS, Headline
from iapt_desktop.domain.metrics.national_figures import national_figure, target
from iapt_desktop.domain.metrics.period_presets import DEFAULT_PRESET, PRESETS, preset
from iapt_desktop.domain.metrics.service_metrics import CounsellorFigures, ServiceMetrics
from iapt_desktop.jobs.compute_metrics import MetricsProgress, compute_metrics_at
from iapt_desktop.jobs.export_audit import audited, metrics_scope
from iapt_desktop.jobs.metrics_reports import export_metrics_workbook_steps, metrics_visible_to, sees_every_caseload
from iapt_desktop.storage.database import DatabaseLocation
from iapt_desktop.ui.charts.trend_chart import TrendChart, TrendLine
from iapt_desktop.ui.dashboard.figures_table_model import FiguresTableModel
from iapt_desktop.ui.dashboard.figures_table_view import sortable_figures_view
from iapt_desktop.ui.dashboard.headline_cards import HeadlineCards
from iapt_desktop.ui.workers import JobRunner

CUSTOM = "Custom dates"
TREND_LINES = (
    ("recovery_rate", "Recovery"),
    ("reliable_improvement_rate", "Reliable improvement"),
    ("reliable_recovery_rate", "Reliable recovery"),
)
WAIT_BARS = (
    ("waited_6_weeks_rate", "Waited 6 weeks or less"),
    ("waited_18_weeks_rate", "Waited 18 weeks or less"),
)
ENDING_COLUMNS = (Headline("count", "Referrals", COUNT, ""),)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _target_reference(key: str) -> tuple[str, float]:
    goal = target(key)
    assert goal is not None
    mark = " (unconfirmed)" if goal.unconfirmed else ""
    return f"Target {goal.value * 100:.0f}%{mark}", goal.value


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


class ServiceDashboard(QWidget):
    """Outcome metrics of the service for a chosen period.

    ``ServiceDashboard(location, parent=None, *, today=None, user=None)``: ``location``
    (storage.database.DatabaseLocation) is where the database is; each calculation opens its own
    connection on a worker thread.  ``user`` is the signed-in user (the main window passes it): the
    rules are jobs.metrics_reports' — a user who may not view all caseloads (a counsellor) sees only their
    own row of the per-counsellor table, and only a user who may export data (an administrator) can save
    the workbook.  ``user=None`` (tests, screenshots) restricts nothing.  The figures are computed the first
    time the dashboard is shown, and again on "Calculate" or a preset.

    Signals: computed(object) — a ServiceMetrics is on show; failed(str) — a calculation or export
    failed (message for people); exported(object) — the Path of a workbook written.
    """

    computed = Signal(object)
    failed = Signal(str)
    exported = Signal(object)

    def __init__(
        self,
        location: DatabaseLocation,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
        user: User | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Service outcomes")
        self._location = location
        self._today = today or dt.date.today()
        self._user = user
        self._runner: JobRunner | None = None  # the calculation whose result will be shown
        self._running: set[JobRunner] = set()  # every worker thread not yet finished
        self._shown_once = False
        self.metrics: ServiceMetrics | None = None
        self._build()
        self.apply_preset(DEFAULT_PRESET, calculate=False)
        application = QCoreApplication.instance()
        if application is not None:
            # a window closed with its parent gets no closeEvent: stop the threads before the app goes
            application.aboutToQuit.connect(self.shutdown)

    # -- building -------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.preset_box = QComboBox(self)
        self.preset_box.addItems([p.label for p in PRESETS] + [CUSTOM])
        self.preset_box.setAccessibleName("Period")
        self.from_edit = self._date_edit("From")
        self.to_edit = self._date_edit("To")
        self.calculate_button = QPushButton("&Calculate", self)
        self.export_button = QPushButton("&Export to Excel…", self)
        self.export_button.setEnabled(False)
        self.include_counsellors = QCheckBox("with counsellor &breakdown", self)
        self.include_counsellors.setToolTip("Add the per-counsellor table to the workbook (staff names)")
        period_label = QLabel("&Period:", self)
        period_label.setBuddy(self.preset_box)
        from_label, to_label = QLabel("&from", self), QLabel("&to", self)
        from_label.setBuddy(self.from_edit)
        to_label.setBuddy(self.to_edit)
        bar = QHBoxLayout()
        for widget in (period_label, self.preset_box, from_label, self.from_edit, to_label, self.to_edit):
            bar.addWidget(widget)
        bar.addWidget(self.calculate_button)
        bar.addStretch(1)
        bar.addWidget(self.include_counsellors)
        self.include_counsellors.setVisible(self._may_export() and sees_every_caseload(self._user))
        if not self._may_export():
            self.export_button.setToolTip("Only a user who may export data (an administrator) can save the figures.")
        bar.addWidget(self.export_button)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(260)
        self.cancel_button = QPushButton("Cancel", self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.progress)
        status_row.addWidget(self.cancel_button)
        self._set_busy(False)

        self.cards = HeadlineCards(HEADLINES, columns=5, parent=self)
        self.trend_chart = TrendChart(self)
        self.trend_model = FiguresTableModel("Month", TREND_COLUMNS, self)
        self.counsellor_model = FiguresTableModel("Counsellor", COUNSELLOR_COLUMNS, self)
        self.ending_model = FiguresTableModel("Why the referral ended", ENDING_COLUMNS, self)
        trend = QSplitter(Qt.Orientation.Vertical, self)
        trend.addWidget(self.trend_chart)
        trend.addWidget(sortable_figures_view(self.trend_model, self))
        trend.setStretchFactor(0, 3)
        trend.setStretchFactor(1, 2)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(trend, "Monthly &trend")
        self.waits_chart = TrendChart(self, y_title="Share of those finishing treatment")
        self.tabs.addTab(self.waits_chart, "&Waits")
        self.counsellor_view = sortable_figures_view(self.counsellor_model, self)
        self.tabs.addTab(self.counsellor_view, "By &counsellor")
        self.tabs.addTab(sortable_figures_view(self.ending_model, self), "&Ending reasons")

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(status_row)
        layout.addWidget(self.cards)
        layout.addWidget(self.tabs, 1)

        self.preset_box.activated.connect(lambda _i: self._preset_chosen())
        self.from_edit.userDateChanged.connect(lambda _d: self._dates_edited())
        self.to_edit.userDateChanged.connect(lambda _d: self._dates_edited())
        self.calculate_button.clicked.connect(self.calculate)
        self.cancel_button.clicked.connect(self.cancel)
        self.export_button.clicked.connect(self._choose_export_file)

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setAccessibleName(name)
        return edit

    # -- period ---------------------------------------------------------------------------------------
    def period(self) -> tuple[dt.date, dt.date]:
        return _date(self.from_edit.date()), _date(self.to_edit.date())

    def set_period(self, start: dt.date, end: dt.date, *, calculate: bool = True) -> None:
        """Show [start, end] as custom dates, and work the figures out unless ``calculate`` is False."""
        self._put_dates(start, end)
        self.preset_box.setCurrentText(CUSTOM)
        if calculate:
            self.calculate()

    def apply_preset(self, label: str, *, calculate: bool = True) -> None:
        self._put_dates(*preset(label).dates(self._today))
        self.preset_box.setCurrentText(label)
        if calculate:
            self.calculate()

    def _put_dates(self, start: dt.date, end: dt.date) -> None:
        for edit, day in ((self.from_edit, start), (self.to_edit, end)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)

    def _preset_chosen(self) -> None:
        if self.preset_box.currentText() != CUSTOM:
            self.apply_preset(self.preset_box.currentText())

    def _dates_edited(self) -> None:
        self.preset_box.setCurrentText(CUSTOM)

    # -- calculating ----------------------------------------------------------------------------------
    def calculate(self) -> None:
        """Work the figures out for the period shown (cancelling a calculation under way)."""
        start, end = self.period()
        if end < start:
            self.status.setText("The period ends before it starts: put the earlier date in “from”.")
            return
        self.cancel()
        runner = JobRunner(partial(compute_metrics_at, self._location, start, end), self)
        runner.progressed.connect(partial(self._progressed, runner))
        runner.succeeded.connect(partial(self._computed, runner))
        runner.failed.connect(partial(self._failed, runner))
        runner.cancelled.connect(partial(self._cancelled, runner))
        self._runner = runner
        self._track(runner)
        self._set_busy(True)
        self.status.setText("Working out the figures…")
        runner.start()

    def cancel(self) -> None:
        if self._runner is not None:
            self._runner.cancel()
            self._runner = None
            self._set_busy(False)
            self.status.setText("Calculation cancelled.")

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.progress.setValue(0)

    def _progressed(self, runner: JobRunner, item: MetricsProgress) -> None:
        if runner is self._runner:
            self.progress.setValue(item.percent)
            self.status.setText(f"{item.message}…")

    def _computed(self, runner: JobRunner, metrics: ServiceMetrics) -> None:
        if runner is not self._runner:
            return
        self._runner = None
        self._set_busy(False)
        self.show_metrics(metrics)
        self.computed.emit(metrics)

    def _failed(self, runner: JobRunner, error: BaseException) -> None:
        if runner is not self._runner:
            return
        self._runner = None
        self._set_busy(False)
        message = f"The figures could not be worked out: {error}"
        self.status.setText(message)
        self.failed.emit(message)

    def _cancelled(self, runner: JobRunner) -> None:
        if runner is self._runner:
            self._runner = None
            self._set_busy(False)

    # -- showing --------------------------------------------------------------------------------------
    def show_metrics(self, metrics: ServiceMetrics) -> None:
        self.metrics = metrics
        figures = metrics.figures
        self.cards.show_figures(figures)
        months = [m.month for m in metrics.monthly]
        lines = [TrendLine(label, [m.figures[key] for m in metrics.monthly]) for key, label in TREND_LINES]
        references = []
        if (england := national_figure("recovery_rate")) is not None:
            references.append((f"England {england.period} recovery {england.value * 100:.1f}%", england.value))
        self.trend_chart.set_trend(months, lines, references)
        self.waits_chart.set_trend(
            months,
            [TrendLine(label, [m.figures[key] for m in metrics.monthly], bars=True) for key, label in WAIT_BARS],
            [_target_reference(key) for key, _ in WAIT_BARS if target(key) is not None],
        )
        self.trend_model.set_rows([(m.month, m.figures) for m in metrics.monthly])
        self.counsellor_model.set_rows([(c.name, c.figures) for c in self._visible_counsellors(metrics)])
        self.ending_model.set_rows(
            [(f"{r.code} – {r.label}" if r.code else r.label, {"count": r.count}) for r in metrics.ending_reasons]
        )
        self.export_button.setEnabled(self._may_export())
        self.status.setText(
            f"{_day(metrics.start)} to {_day(metrics.end)}: {figures['referrals_ended']} referrals ended, "
            f"{figures['finished_treatment']} finished a course of treatment "
            f"(recovery: {figures['recovered']} of {figures['recovery_denominator']} at caseness at the start)."
        )

    def _visible_counsellors(self, metrics: ServiceMetrics) -> list[CounsellorFigures]:
        """Everyone's figures for those who may see all caseloads; otherwise only the user's own."""
        return list(metrics_visible_to(metrics, self._user).by_counsellor)

    def _may_export(self) -> bool:
        return self._user is None or self._user.can(Action.EXPORT)

    # -- exporting ------------------------------------------------------------------------------------
    def _choose_export_file(self) -> None:
        if self.metrics is None:
            return
        suggested = f"outcomes-{self.metrics.start.isoformat()}-to-{self.metrics.end.isoformat()}.xlsx"
        name, _ = QFileDialog.getSaveFileName(self, "Export the figures to Excel", suggested, "Excel workbook (*.xlsx)")
        if name:
            self.export_to(Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx"))

    def export_to(self, path: Path) -> None:
        """Write the workbook of the figures on show, off the UI thread; emits exported(path) or failed."""
        if self.metrics is None:
            return
        metrics, user, location, by_counsellor = self.metrics, self._user, self._location, self._breakdown_in_workbook()
        scope = metrics_scope(metrics.start, metrics.end, by_counsellor=by_counsellor,
                              own_only=not sees_every_caseload(user))
        runner = JobRunner(  # the export is audited on the worker's own connection once the file is written
            lambda: audited(export_metrics_workbook_steps(metrics, path, actor=user, by_counsellor=by_counsellor),
                            location, user, "outcome metrics", scope),
            self,
        )
        runner.succeeded.connect(self._exported)
        runner.failed.connect(partial(self._export_failed, path))
        self._track(runner)
        self.export_button.setEnabled(False)
        self.status.setText("Writing the Excel workbook…")
        runner.start()

    def _breakdown_in_workbook(self) -> bool:
        return sees_every_caseload(self._user) and self.include_counsellors.isChecked()

    def _exported(self, path: Path) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(f"Saved {path.name}.")
        self.exported.emit(path)

    def _export_failed(self, path: Path, error: BaseException) -> None:
        self.export_button.setEnabled(self._may_export())
        if isinstance(error, AccessDenied):
            message = f"The workbook was not saved: {error}"
        else:
            message = (f"The workbook could not be saved as {path.name}: {error}. "
                       "Choose another folder or close it in Excel.")
        self.status.setText(message)
        self.failed.emit(message)

    # -- life -----------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if self.metrics is None and self._runner is None:
                self.calculate()

    def _track(self, runner: JobRunner) -> None:
        self._running.add(runner)
        runner.finished.connect(partial(self._running.discard, runner))

    def shutdown(self) -> None:
        """Stop work under way and wait for the worker threads (called on close)."""
        self._runner = None
        for runner in list(self._running):
            if runner.running:
                runner.cancel()
                runner.wait()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
