"""What the suite measures: each measurement, its same-run baseline and its aim.

A :class:`Measurement` pairs a case with a baseline case run in the same
repeat loop, on the same machine, in turn (baseline, case, baseline, case, ...),
so load from other work on the machine falls on both.  The ratio of the medians
is the figure the aims are about; absolute seconds are given for reference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from benchmarks.measure import Result, Sample, run_child

LARGE_SIZES = ("large", "busy")  # the memory aim holds for these
MEMORY_AIM_MB = 300.0  # peak RSS with the large database open
KEYSTROKE_AIM_SECONDS = 0.030
MONTH_VALIDATION_AIM_SECONDS = 1.0  # one month of a ~5,000-referral service


@dataclass(frozen=True)
class Measurement:
    key: str
    title: str
    case: str
    baseline: str | None = None  # case name of the baseline, None when the aim is absolute
    baseline_title: str = ""
    ratio_aim: float | None = None  # case / baseline at most
    seconds_aim: float | None = None  # case median at most
    launch_time: bool = False  # start-up cases: timed from process launch
    what: str = ""  # exactly what is timed


@dataclass
class Outcome:
    measurement: Measurement
    size: str  # "small" or "large"
    case: Result
    baseline: Result | None = None
    notes: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline.median_seconds <= 0:
            return None
        return self.case.median_seconds / self.baseline.median_seconds

    @property
    def cpu_ratio(self) -> float | None:
        """The same ratio in CPU seconds: less sensitive to other work on the machine than wall time."""
        if self.baseline is None:
            return None
        case, base = self.case.median_extra("cpu_seconds"), self.baseline.median_extra("cpu_seconds")
        return case / base if base > 0 else None

    @property
    def peak_rss_mb(self) -> float:
        peaks = [self.case.peak_rss_mb]
        if "generator_peak_rss_mb" in self.case.samples[0].extra:
            peaks.append(max(s.extra["generator_peak_rss_mb"] for s in self.case.samples))
        return max(peaks)

    @property
    def time_aim_met(self) -> bool | None:
        m = self.measurement
        if m.ratio_aim is not None and self.ratio is not None:
            return self.ratio <= m.ratio_aim
        if m.seconds_aim is not None:
            return self.case.median_seconds <= m.seconds_aim
        return None

    @property
    def memory_aim_met(self) -> bool | None:
        return self.peak_rss_mb <= MEMORY_AIM_MB if self.size in LARGE_SIZES else None


def measurements(size: str) -> list[Measurement]:
    """The measurements for a database size: "small" ~1,000 referrals and "large" ~100,000 over five years;
    "medium" ~5,000 referrals over five years, for the month's validation aim (under a second); "busy"
    100,000 patients in 18 months, where a year holds most referrals (the metrics' hardest year)."""
    startup_aim = 1.5 if size == "small" else 2.0
    every = _every_measurement(startup_aim)
    if size == "busy":
        return [m for m in every if m.key == "metrics"]
    if size == "medium":
        return [replace(m, seconds_aim=MONTH_VALIDATION_AIM_SECONDS) for m in every if m.key == "month_validation"]
    return every


def _every_measurement(startup_aim: float) -> list[Measurement]:
    return [
        Measurement(
            "startup", "Start-up to the caseload", "startup_app", "startup_floor", "empty QMainWindow start-up",
            ratio_aim=startup_aim, launch_time=True,
            what="process launch to the first paint of the main window showing the caseload (offscreen): "
                 "imports, QApplication and style, sign-in with the password from the environment (Argon2id, "
                 "open, login audit), MainWindow with the first caseload page, auto-lock and sign-in checks. "
                 "The floor: process launch to the first paint of an empty 1440x900 QMainWindow."),
        Measurement(
            "unlock", "Unlock and first caseload page", "unlock", "key_derivation", "Argon2id key derivation alone",
            what="unlock(): key file, Argon2id, SQLCipher open, user check, login audit entry; then the count and "
                 "first page (200 rows) of all patients. The baseline is the key derivation alone."),
        Measurement(
            "search", "Search as you type (per keystroke)", "search", seconds_aim=KEYSTROKE_AIM_SECONDS,
            what="a family name typed letter by letter then an NHS number digit by digit, then cleared: per "
                 "keystroke setText + apply_filter (query, count, model reset) + repaint of the table; the "
                 "median keystroke (slowest in the notes). The 150 ms typing pause of the real view is left out."),
        Measurement(
            "validation", "Full validation", "validation", "scan_validation_tables", "SELECT * of the same tables",
            ratio_aim=3.0,
            what="validate_database: read every stored row, run every rule, build the report."),
        Measurement(
            "month_validation", "A month's validation", "month_validation", "read_month_rows",
            "reading the month's rows alone",
            what="validate_period for October 2026, as the administrator runs it before submitting: the month's "
                 "rows (month_rows) and every rule. Aim: under a second for a ~5,000-referral service (the medium "
                 "database); the baseline shows what the rules add."),
        Measurement(
            "submission", "One month's submission package", "submission", "write_same_cells",
            "openpyxl write-only + CSV of the same cells", ratio_aim=1.5,
            what="write_submission for October 2026 (forced): collect the month's rows, validate them, write 21 CSV "
                 "files and the workbook, report, manifest and hashes, log it (rolled back). The baseline writes "
                 "the same cells with openpyxl write-only and csv (rows read untimed). Both import openpyxl before "
                 "their clock starts."),
        Measurement(
            "metrics", "Outcome metrics for a year", "metrics", "scan_metrics_tables",
            "SELECT * of the tables read", ratio_aim=3.0,
            what="compute_metrics for November 2025 to October 2026: read, work out every referral's outcome, "
                 "tally. The baseline reads every row of the same tables (all years)."),
    ]


def run_pair(measurement: Measurement, size: str, database: str, repeats: int,
             log: Callable[[str], None] = print) -> Outcome:
    """Baseline and case in turn, ``repeats`` times each."""
    cases: list[Sample] = []
    baselines: list[Sample] = []
    for index in range(repeats):
        if measurement.baseline is not None:
            baselines.append(run_child(measurement.baseline, [database], launch_time=measurement.launch_time))
        cases.append(run_child(measurement.case, [database], launch_time=measurement.launch_time))
        log(f"  {size} {measurement.key} {index + 1}/{repeats}: {cases[-1].seconds:.3f} s"
            + (f" (baseline {baselines[-1].seconds:.3f} s)" if baselines else ""))
    return Outcome(measurement, size, Result(measurement.case, cases),
                   Result(measurement.baseline, baselines) if baselines else None)


def run_demo_generation(patients: int, repeats: int, log: Callable[[str], None] = print) -> Result:
    samples = []
    for index in range(repeats):
        samples.append(run_child("demo_generation", [str(patients)]))
        log(f"  demo generation {index + 1}/{repeats}: {samples[-1].extra['rows_per_second']:,.0f} rows/s")
    return Result("demo_generation", samples)
