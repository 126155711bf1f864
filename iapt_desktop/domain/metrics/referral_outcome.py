"""One referral's path through the service: key dates, scores and the national outcome flags.

The outcome of a referral does not depend on the reporting period: the period only decides in which
counts it appears (see service_metrics).  Definitions: docs/metrics.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from iapt_desktop.domain.assessment_scales import PHQ9
from iapt_desktop.domain.metrics.definitions import (
    ATTENDED_CODES,
    EMPLOYMENT_SUPPORT_APPOINTMENT_TYPES,
    FINISHED_MINIMUM_TREATMENT_APPOINTMENTS,
    FOLLOW_UP_APPOINTMENT_TYPES,
    TREATMENT_APPOINTMENT_TYPES,
)
from iapt_desktop.domain.metrics.measures import Measure, adsm_for_complaint, gad7, measure, parse_score, phq9
from iapt_desktop.domain.metrics.rows import MetricsRows, Row
from iapt_desktop.domain.metrics.score_pairs import NO_SCORES, ScorePair, ScoreRecord, score_pair


@dataclass(frozen=True, slots=True)
class ReferralOutcome:
    """Slotted: a year of a large service holds ~100,000 of these at once (see docs/performance.md)."""

    key: str  # ServiceRequestId: the only identifier that leaves this module
    counsellor: str | None  # CarePersLocalId of the counsellor holding the referral
    received: dt.date | None
    ended: dt.date | None
    end_code: str | None
    first_assessment: dt.date | None
    first_treatment: dt.date | None
    second_treatment: dt.date | None
    treatment_appointments: int  # attended treatment appointments up to the end
    attended_appointments: int
    internet_therapy: bool  # an IDS205 log counts as treatment for "ended before treatment"
    anxiety_measure: str  # tool used as the anxiety measure (GAD7 or an ADSM)
    matched_adsm: str | None  # the ADSM the presenting complaint calls for, paired or not
    phq9: ScorePair
    anxiety: ScorePair
    paused_days_before_treatment: int
    appointments: tuple[tuple[dt.date, str], ...]  # (CareContDate, AttendOrDNACode) of every contact
    case_start: bool
    case_end: bool | None
    _change_flags: tuple[bool, bool] | None = field(default=None, init=False, repr=False, compare=False)
    _tally_flags: tuple[bool, ...] | None = field(default=None, init=False, repr=False, compare=False)

    # -- the national flags ------------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        return self.ended is not None and self.treatment_appointments >= FINISHED_MINIMUM_TREATMENT_APPOINTMENTS

    @property
    def first_scores_present(self) -> bool:
        return self.phq9.first is not None and self.anxiety.first is not None

    @property
    def not_at_caseness(self) -> bool:
        return self.finished and self.first_scores_present and not self.case_start

    @property
    def at_caseness(self) -> bool:
        return self.finished and self.case_start

    @property
    def paired_both(self) -> bool:
        return self.phq9.paired and self.anxiety.paired

    @property
    def recovered(self) -> bool:
        return self.at_caseness and self.paired_both and self.case_end is False

    @property
    def _changes(self) -> tuple[bool, bool]:
        """(reliable fall on a measure, reliable rise on a measure), for paired referrals; worked out once."""
        if self._change_flags is None:
            anxiety = measure(self.anxiety_measure)
            pairs = ((phq9(), self.phq9), (anxiety, self.anxiety))
            fall = any(m.reliable_fall(p.first_value, p.last_value) for m, p in pairs)  # type: ignore[arg-type]
            rise = any(m.reliable_rise(p.first_value, p.last_value) for m, p in pairs)  # type: ignore[arg-type]
            object.__setattr__(self, "_change_flags", (fall, rise))  # a cache on a frozen, slotted record
        return self._change_flags  # type: ignore[return-value]

    @property
    def reliably_improved(self) -> bool:
        if not (self.finished and self.paired_both):
            return False
        fall, rise = self._changes
        return fall and not rise

    @property
    def reliably_deteriorated(self) -> bool:
        if not (self.finished and self.paired_both):
            return False
        return self._changes[1]

    @property
    def no_reliable_change(self) -> bool:
        if not (self.finished and self.paired_both):
            return False
        fall, rise = self._changes
        return not fall and not rise

    @property
    def reliably_recovered(self) -> bool:
        return self.recovered and self.reliably_improved

    @property
    def adsm_paired(self) -> bool:
        return self.matched_adsm is not None and self.anxiety_measure == self.matched_adsm

    @property
    def tally_flags(self) -> tuple[bool, ...]:
        """The flags a tally adds up for a finished referral, worked out once (an outcome is counted in the
        period, its month and its counsellor): at_caseness, not_at_caseness, recovered, reliably_improved,
        reliably_deteriorated, no_reliable_change, reliably_recovered, phq9 paired, anxiety paired,
        paired_both, adsm_paired."""
        if self._tally_flags is None:
            flags = (self.at_caseness, self.not_at_caseness, self.recovered, self.reliably_improved,
                     self.reliably_deteriorated, self.no_reliable_change, self.reliably_recovered,
                     self.phq9.paired, self.anxiety.paired, self.paired_both, self.adsm_paired)
            object.__setattr__(self, "_tally_flags", flags)  # a cache on a frozen, slotted record
        return self._tally_flags  # type: ignore[return-value]

    # -- waits --------------------------------------------------------------------------------------
    @property
    def wait_first_treatment_days(self) -> int | None:
        if self.received is None or self.first_treatment is None:
            return None
        return (self.first_treatment - self.received).days

    @property
    def wait_first_treatment_days_excluding_pauses(self) -> int | None:
        wait = self.wait_first_treatment_days
        return None if wait is None else wait - self.paused_days_before_treatment

    @property
    def wait_first_assessment_days(self) -> int | None:
        if self.received is None or self.first_assessment is None:
            return None
        return (self.first_assessment - self.received).days


def parse_date(value: object) -> dt.date | None:
    """A date from a date or an ISO text ('YYYY-MM-DD', longer text cut to its date); None otherwise."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value:
        return None
    return _iso_date(value[:10])


@functools.lru_cache(maxsize=16384)
def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _primary_complaint(complaints: Sequence[Row]) -> str | None:
    """The primary presenting complaint (PresCompCodSig 1) most recently recorded, else the latest one."""
    if not complaints:
        return None

    def rank(indexed: tuple[int, Row]) -> tuple[bool, str, int]:
        index, row = indexed
        return (str(row.get("PresCompCodSig") or "") == "1", str(row.get("PresCompDate") or ""), index)

    return max(enumerate(complaints), key=rank)[1].get("PresComp")


def _paused_days(pauses: Sequence[Row], start: dt.date | None, stop: dt.date | None) -> int:
    """Days of waiting-time pauses that fall between referral and first treatment (overlaps counted once)."""
    if start is None or stop is None or stop <= start:
        return 0
    days: set[dt.date] = set()
    for pause in pauses:
        pause_start = parse_date(pause.get("PauseStartDate"))
        if pause_start is None:
            continue
        pause_end = parse_date(pause.get("PauseEndDate")) or stop
        first, last = max(pause_start, start), min(pause_end, stop)
        days.update(first + dt.timedelta(days=n) for n in range((last - first).days))
    return len(days)


_DATE_AND_TIME = operator.itemgetter(0, 1)


def build_outcome(
    referral: Row,
    contacts: Sequence[Row],
    scores: Sequence[ScoreRecord],
    complaints: Sequence[Row] = (),
    pauses: Sequence[Row] = (),
    internet_therapy_starts: Sequence[dt.date] = (),
    counsellor: str | None = None,
) -> ReferralOutcome:
    """The outcome of one referral from its own rows."""
    received = parse_date(referral.get("ReferralRequestReceivedDate"))
    ended = parse_date(referral.get("ServDischDate"))
    dated = sorted(
        ((d, str(c.get("CareContTime") or ""), c) for c in contacts if (d := parse_date(c.get("CareContDate")))),
        key=_DATE_AND_TIME,
    )
    in_referral = [(d, c) for d, _, c in dated if ended is None or d <= ended]
    attended = [(d, c) for d, c in in_referral if str(c.get("AttendOrDNACode") or "") in ATTENDED_CODES]
    treatments = [d for d, c in attended if str(c.get("AppType") or "") in TREATMENT_APPOINTMENT_TYPES]
    not_assessment = FOLLOW_UP_APPOINTMENT_TYPES | EMPLOYMENT_SUPPORT_APPOINTMENT_TYPES
    assessments = [d for d, c in attended if str(c.get("AppType") or "") not in not_assessment]
    first_treatment = treatments[0] if treatments else None

    matched = adsm_for_complaint(_primary_complaint(complaints))
    phq9_pair = score_pair(scores, PHQ9, ended)
    adsm_pair = score_pair(scores, matched.snomed_code, ended) if matched else NO_SCORES
    if matched is not None and adsm_pair.paired:
        anxiety_measure, anxiety_pair = matched, adsm_pair
    else:
        anxiety_measure = gad7()
        anxiety_pair = score_pair(scores, anxiety_measure.snomed_code, ended)

    return ReferralOutcome(
        key=str(referral["ServiceRequestId"]),
        counsellor=counsellor,
        received=received,
        ended=ended,
        end_code=referral.get("EndCode") or None,
        first_assessment=assessments[0] if assessments else None,
        first_treatment=first_treatment,
        second_treatment=treatments[1] if len(treatments) > 1 else None,
        treatment_appointments=len(treatments),
        attended_appointments=len(attended),
        internet_therapy=any(ended is None or start <= ended for start in internet_therapy_starts),
        anxiety_measure=anxiety_measure.tool,
        matched_adsm=matched.tool if matched else None,
        phq9=phq9_pair,
        anxiety=anxiety_pair,
        paused_days_before_treatment=_paused_days(pauses, received, first_treatment),
        appointments=tuple((d, str(c.get("AttendOrDNACode") or "")) for d, _, c in dated),
        case_start=_at_caseness(phq9_pair.first_value, anxiety_pair.first_value, anxiety_measure),
        case_end=(
            _at_caseness(phq9_pair.last_value, anxiety_pair.last_value, anxiety_measure)
            if phq9_pair.paired and anxiety_pair.paired
            else None
        ),
    )


def _at_caseness(phq9_score: Decimal | None, anxiety_score: Decimal | None, anxiety: Measure) -> bool:
    return (phq9_score is not None and phq9().at_caseness(phq9_score)) or (
        anxiety_score is not None and anxiety.at_caseness(anxiety_score)
    )


def iter_referral_outcomes(rows: MetricsRows) -> Iterator[ReferralOutcome]:
    """The outcome of every referral in ``rows``, in input order (rows are grouped once: linear time)."""
    contacts_by_referral: dict[str, list[Row]] = defaultdict(list)
    contact_by_id: dict[str, Row] = {}
    for contact in rows.contacts:
        contacts_by_referral[contact["ServiceRequestId"]].append(contact)
        contact_by_id[contact["CareContactId"]] = contact

    contact_of_activity: dict[str, Row] = {}
    counsellors_of_referral: dict[str, Counter[str]] = defaultdict(Counter)
    for activity in rows.activities:
        found = contact_by_id.get(activity["CareContactId"])
        if found is None:
            continue
        contact_of_activity[activity["CareActId"]] = found
        if activity.get("CarePersLocalId"):
            counsellors_of_referral[found["ServiceRequestId"]][activity["CarePersLocalId"]] += 1

    scores_by_referral = _scores_by_referral(rows, contact_of_activity)
    complaints = _group(rows.presenting_complaints)
    pauses = _group(rows.pauses)
    internet_starts: dict[str, list[dt.date]] = defaultdict(list)
    for log in rows.internet_therapy_logs:
        if (start := parse_date(log.get("StartDateIntEnabledTherLog"))) is not None:
            internet_starts[log["ServiceRequestId"]].append(start)

    for referral in rows.referrals:
        key = referral["ServiceRequestId"]
        holder = referral.get("CarePersLocalId")
        seen_by = counsellors_of_referral.get(key)
        yield build_outcome(
            referral,
            contacts_by_referral.get(key, ()),
            scores_by_referral.get(key, ()),
            complaints.get(key, ()),
            pauses.get(key, ()),
            internet_starts.get(key, ()),
            counsellor=str(holder) if holder else (seen_by.most_common(1)[0][0] if seen_by else None),
        )


def _scores_by_referral(rows: MetricsRows, contact_of_activity: Mapping[str, Row]) -> dict[str, list[ScoreRecord]]:
    """Valid scores placed in time: referral-level ones by their completion date, session ones by their
    contact's date (scores taken at follow-up appointments are left out)."""
    grouped: dict[str, list[ScoreRecord]] = defaultdict(list)
    for order, row in enumerate(rows.referral_scores):
        value = parse_score(row.get("CodedAssToolType"), row.get("PersScore"))
        day = parse_date(row.get("AssToolCompDate"))
        if value is not None and day is not None:
            time = row.get("AssToolCompTime") or ""
            occasion = ("referral", day.isoformat(), time)
            grouped[row["ServiceRequestId"]].append(
                ScoreRecord(row["CodedAssToolType"], value, day, time, occasion, order)
            )
    for order, row in enumerate(rows.activity_scores, start=len(rows.referral_scores)):
        contact = contact_of_activity.get(row["CareActId"])
        if contact is None or contact.get("AppType") in FOLLOW_UP_APPOINTMENT_TYPES:
            continue
        value = parse_score(row.get("CodedAssToolType"), row.get("PersScore"))
        day = parse_date(contact.get("CareContDate"))
        if value is not None and day is not None:
            grouped[contact["ServiceRequestId"]].append(
                ScoreRecord(
                    row["CodedAssToolType"],
                    value,
                    day,
                    contact.get("CareContTime") or "",
                    ("contact", contact["CareContactId"]),
                    order,
                )
            )
    return grouped


def _group(rows: Sequence[Row]) -> Mapping[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row["ServiceRequestId"]].append(row)
    return grouped
