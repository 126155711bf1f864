"""What the rules compare against besides the rows: the period, our codes, the time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from iapt_desktop.domain.reporting_period import ReportingPeriod


def _code(text: str) -> str:
    """Organisation codes as the header carries them: trimmed, upper case."""
    return (text or "").strip().upper()


@dataclass(frozen=True)
class ValidationContext:
    """The reporting period, provider and submitter codes (from Settings) and the current time.

    The factories upper-case the codes and use the provider code as the
    submitter code when none is set, as the header does.

    ``whole_database`` means the rows are not one month's file but everything
    stored: rules that only say which rows belong in a month's file (dates on
    or after the period start, header and file-content rules) are skipped, and
    "on or before the period end" means "not after the end of the current
    month", which catches dates in the future.
    """

    period: ReportingPeriod
    provider_code: str = ""
    submitter_code: str = ""
    now: dt.datetime = dt.datetime(2000, 1, 1)
    whole_database: bool = False

    @classmethod
    def for_month(
        cls,
        period: ReportingPeriod | str,
        provider_code: str = "",
        submitter_code: str = "",
        now: dt.datetime | None = None,
    ) -> ValidationContext:
        """Context for one month's submission file."""
        if isinstance(period, str):
            period = ReportingPeriod.parse(period)
        return cls(period, _code(provider_code), _code(submitter_code) or _code(provider_code),
                   now or dt.datetime.now().replace(microsecond=0))

    @classmethod
    def for_database(
        cls, provider_code: str = "", submitter_code: str = "", now: dt.datetime | None = None
    ) -> ValidationContext:
        """Context for whole-database checks and for the forms (rows not tied to one month's file)."""
        moment = now or dt.datetime.now().replace(microsecond=0)
        return cls(ReportingPeriod.containing(moment.date()), _code(provider_code),
                   _code(submitter_code) or _code(provider_code), moment, True)

    @property
    def period_start(self) -> str:
        return self.period.start.isoformat()

    @property
    def period_end(self) -> str:
        return self.period.end.isoformat()

    def value(self, key: str) -> str:
        """A context value named by a rule: provider_code, submitter_code, period_start, period_end."""
        return str(getattr(self, key))
