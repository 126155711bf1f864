"""The plain rows the metrics are computed from, as read from the database or any other source."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Row = Mapping[str, Any]


@dataclass(frozen=True)
class MetricsRows:
    """Rows keyed by the data set's technical column names.

    - ``referrals``: IDS101Referral rows plus ``CarePersLocalId`` (the counsellor holding the referral,
      from app_referral; may be missing or None)
    - ``contacts``: IDS201CareContact rows (CareContactId, ServiceRequestId, CareContDate, CareContTime,
      AttendOrDNACode, AppType)
    - ``activities``: IDS202CareActivity rows (CareActId, CareContactId, CarePersLocalId)
    - ``referral_scores``: IDS606CodedScoreAssessmentRefer rows
    - ``activity_scores``: IDS607CodedScoreAssessmentAct rows
    - ``presenting_complaints``: IDS603PresentingComplaints rows
    - ``pauses``: IDS108WaitingTimePauses rows
    - ``internet_therapy_logs``: IDS205InternetTherLog rows (ServiceRequestId, StartDateIntEnabledTherLog)
    - ``counsellor_names``: CarePersLocalId -> display name (staff, for the supervision table)
    """

    referrals: Sequence[Row]
    contacts: Sequence[Row] = ()
    activities: Sequence[Row] = ()
    referral_scores: Sequence[Row] = ()
    activity_scores: Sequence[Row] = ()
    presenting_complaints: Sequence[Row] = ()
    pauses: Sequence[Row] = ()
    internet_therapy_logs: Sequence[Row] = ()
    counsellor_names: Mapping[str, str] = field(default_factory=dict)
