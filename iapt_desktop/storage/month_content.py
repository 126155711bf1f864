"""What one month's submission file carries: the rows per table for a reporting period.

The inclusion rules are read off the national date rules of the data set (the v2.0
rules, cited by id in each rule's ``sources``; the national inclusion rule itself is
not published, so this reading is (unconfirmed)).  They are
declared once below as :data:`CONTENT_RULES` (one entry per table: which rows,
which values are shown "as at the end of the period", and the rules behind it);
docs/submission.md explains each in words.

The work is one SQL statement per table.  The set of referrals, patients,
contacts and activities in the file is computed once into temporary tables with
primary keys, so that every child table is a single indexed join, also on
100,000 referrals.

"As at the end of the period": a date that lies after the period end describes
something that had not yet happened at that time (a discharge recorded in May
when the March file is refreshed).  The file is the picture at the period end,
so such end dates - and the values that only make sense with them, such as the
referral's EndCode - are sent empty.  Otherwise values are sent as stored.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlite_utils import Database

from iapt_desktop.domain.dataset import DATASET_VERSION, ROW_ID, table, tables
from iapt_desktop.domain.discharged_follow_up import FOLLOW_UP_APPOINTMENT_TYPES, peq_tool_codes
from iapt_desktop.domain.reporting_period import ReportingPeriod
from iapt_desktop.storage.settings_store import get_setting

PRIMARY_SYSTEM_IN_USE = "IAPT Desktop"  # PrimSystemInUse, at most 20 characters (IDS00013)
HEADER_TABLE = "IDS000Header"

# Scopes: which set of parents a table's rows hang from.
PATIENTS = "patients"  # LocalPatientId in temp.month_patient
REFERRALS = "referrals"  # ServiceRequestId in temp.month_referral
CONTACTS = "contacts"  # CareContactId in temp.month_contact
ACTIVITIES = "activities"  # CareActId in temp.month_activity
STAFF = "staff"  # CarePersLocalId in temp.month_staff


@dataclass(frozen=True)
class ContentRule:
    """Which rows of ``table`` a month's file carries.

    ``condition`` is an SQL expression over the table's columns (alias ``t``)
    with the named parameters :start, :end, :end_plus_1 and :end_plus_2y.
    ``as_at_end`` maps a date column to the columns sent empty when that date
    lies after the period end (the first of them is the date itself).
    """

    table: str
    scope: str
    condition: str
    as_at_end: tuple[tuple[str, tuple[str, ...]], ...]
    sources: str
    explanation: str


CONTENT_RULES: tuple[ContentRule, ...] = (
    ContentRule("IDS001MPI", PATIENTS, "1", (),
                "IDS00146",
                "Every patient with at least one referral in the file, and no one else."),
    ContentRule("IDS002GP", PATIENTS,
                "(t.StartDateGMPRegistration IS NULL OR t.StartDateGMPRegistration <= :end_plus_1)"
                " AND (t.EndDateGMPRegistration IS NULL OR t.EndDateGMPRegistration >= :start)",
                (("EndDateGMPRegistration", ("EndDateGMPRegistration",)),),
                "IDS00211, IDS00214, IDS00215, IDS00145",
                "Registrations started by the day after the period end and not ended before the period "
                "start; an end after the period end is sent empty (still registered at the period end)."),
    ContentRule("IDS003AccommStatus", PATIENTS,
                "(t.AccommodationTypeDate IS NULL OR t.AccommodationTypeDate <= :end)"
                " AND (t.AccommodationTypeStartDate IS NULL OR t.AccommodationTypeStartDate <= :end)",
                (("AccommodationTypeEndDate", ("AccommodationTypeEndDate",)),),
                "as the recorded-date rules, e.g. IDS01107 (no v2.0 rule exists for this v2.1 table)",
                "Accommodation recorded (and started) on or before the period end; an end after the "
                "period end is sent empty."),
    ContentRule("IDS004EmpStatus", PATIENTS,
                "(t.EmployStatusRecDate IS NULL OR t.EmployStatusRecDate <= :end)",
                (("EmpSupportReferral", ("EmpSupportReferral", "EmpSupportDischargeDate")),
                 ("EmpSupportDischargeDate", ("EmpSupportDischargeDate",))),
                "IDS00436, IDS00437",
                "Employment status recorded on or before the period end; an employment-support referral "
                "or discharge after the period end is sent empty."),
    ContentRule("IDS007DisabilityType", PATIENTS, "1", (),
                "IDS00701 (no date in the table)",
                "Every disability row of every patient in the file."),
    ContentRule("IDS011SocPerCircumstances", PATIENTS,
                "(t.SocPerCircumstanceRecDate IS NULL OR t.SocPerCircumstanceRecDate <= :end)", (),
                "IDS01107",
                "Circumstances recorded on or before the period end."),
    ContentRule("IDS012OverseasVisitorChargCat", PATIENTS,
                "(t.OvsVisChCatAppDate IS NULL OR t.OvsVisChCatAppDate <= :end)", (),
                "IDS01209",
                "Charging categories applicable from a date on or before the period end."),
    ContentRule("IDS101Referral", REFERRALS, "1",
                (("ServDischDate", ("ServDischDate", "EndCode")),),
                "IDS10113, IDS10139, IDS10129",
                "Referrals received on or before the period end and not discharged before the period "
                "start, plus referrals discharged earlier that have a follow-up appointment (a care contact "
                "of AppType 06) or a PEQ dated in the period, as IDS10129 accepts them; a discharge after the "
                "period end is sent empty, with its EndCode (the referral was open at the period end)."),
    ContentRule("IDS105OnwardReferral", REFERRALS,
                "t.OnwardReferDate BETWEEN :start AND :end", (),
                "IDS10522, IDS10505",
                "Onward referrals dated in the period."),
    ContentRule("IDS108WaitingTimePauses", REFERRALS,
                "t.PauseStartDate <= :end AND (t.PauseEndDate IS NULL OR t.PauseEndDate >= :start)",
                (("PauseEndDate", ("PauseEndDate",)),),
                "IDS10809, IDS10811, IDS10812",
                "Pauses started by the period end and not ended before the period start; an end after "
                "the period end is sent empty (still paused at the period end)."),
    ContentRule("IDS201CareContact", REFERRALS,
                "t.CareContDate BETWEEN :start AND :end", (),
                "IDS20170, IDS20108",
                "Care contacts dated in the period."),
    ContentRule("IDS202CareActivity", CONTACTS, "1", (),
                "IDS20224",
                "Every activity of a care contact in the file."),
    ContentRule("IDS205InternetTherLog", REFERRALS,
                "(t.EndDateIntEnabledTherLog BETWEEN :start AND :end AND t.StartDateIntEnabledTherLog <= :end)"
                " OR (t.EndDateIntEnabledTherLog IS NULL AND t.StartDateIntEnabledTherLog BETWEEN :start AND :end)",
                (),
                "IDS20506, IDS20509, IDS20510",
                "Internet-enabled therapy logs ending in the period (a log without an end date: starting "
                "in the period)."),
    ContentRule("IDS601MedHistPrevDiag", PATIENTS,
                "(t.DiagDate IS NULL OR t.DiagDate <= :end)", (),
                "as the recorded-date rules, e.g. IDS01107 (no v2.0 rule exists for this v2.1 table)",
                "Previous diagnoses dated on or before the period end."),
    ContentRule("IDS602LongTermCondition", REFERRALS, "1", (),
                "IDS60201 (no date in the table)",
                "Every long-term condition of a referral in the file."),
    ContentRule("IDS603PresentingComplaints", REFERRALS,
                "(t.PresCompDate IS NULL OR t.PresCompDate <= :end)", (),
                "IDS60314",
                "Presenting complaints dated on or before the period end."),
    ContentRule("IDS606CodedScoreAssessmentRefer", REFERRALS,
                "t.AssToolCompDate BETWEEN :start AND :end", (),
                "IDS60618, IDS60610",
                "Referral-level scores completed in the period."),
    ContentRule("IDS607CodedScoreAssessmentAct", ACTIVITIES, "1", (),
                "IDS60708",
                "Every score of a care activity in the file."),
    ContentRule("IDS803CareCluster", PATIENTS,
                "t.StartDateCareClust <= :end AND (t.EndDateCareClust IS NULL OR t.EndDateCareClust >= :start)",
                (("EndDateCareClust", ("EndDateCareClust", "EndTimeCareClust")),),
                "IDS80306, IDS80315, IDS80316",
                "Care clusters started by the period end and not ended before the period start; an end "
                "after the period end is sent empty."),
    ContentRule("IDS902CarePersQual", STAFF,
                "(t.QualAwardedDate IS NULL OR t.QualAwardedDate >= '2005-01-01')"
                " AND (t.QualPlannedCompletionDate IS NULL"
                " OR t.QualPlannedCompletionDate BETWEEN :start AND :end_plus_2y)",
                (("QualAwardedDate", ("QualAwardedDate",)),),
                "IDS90207, IDS90209, IDS90212, IDS90215",
                "Qualifications of the care personnel named on activities and internet therapy logs in "
                "the file, awarded on or after 2005-01-01, with a planned completion (if any) from the "
                "period start to two years after the period end; an award after the period end is sent "
                "empty (still in training at the period end)."),
)

_SCOPE_KEY = {
    PATIENTS: ("LocalPatientId", "month_patient"),
    REFERRALS: ("ServiceRequestId", "month_referral"),
    CONTACTS: ("CareContactId", "month_contact"),
    ACTIVITIES: ("CareActId", "month_activity"),
    STAFF: ("CarePersLocalId", "month_staff"),
}

# Referrals in the file (IDS10113, IDS10139/IDS10129).  A referral discharged before the period is brought
# in by a follow-up appointment or a PEQ in the period, exactly as the rule IDS10129 accepts it: both use
# domain.discharged_follow_up (follow-up AppType codes, PEQ tools).
# Written as a union of index walks (open referrals, discharged from the period start, follow-ups dated in
# the period, PEQs): 0.2 s instead of 1.1 s on 100,000 referrals (docs/performance.md).
_REFERRALS_SQL = """
INSERT OR IGNORE INTO temp.month_referral (ServiceRequestId)
SELECT r.ServiceRequestId FROM IDS101Referral r
WHERE r.ServDischDate IS NULL
  AND (r.ReferralRequestReceivedDate IS NULL OR r.ReferralRequestReceivedDate <= :end)
UNION
SELECT r.ServiceRequestId FROM IDS101Referral r
WHERE r.ServDischDate >= :start
  AND (r.ReferralRequestReceivedDate IS NULL OR r.ReferralRequestReceivedDate <= :end)
UNION
SELECT r.ServiceRequestId FROM IDS201CareContact c JOIN IDS101Referral r ON r.ServiceRequestId = c.ServiceRequestId
WHERE c.CareContDate BETWEEN :start AND :end AND c.AppType IN (SELECT value FROM json_each(:follow_up_types))
  AND (r.ReferralRequestReceivedDate IS NULL OR r.ReferralRequestReceivedDate <= :end)
UNION
SELECT r.ServiceRequestId FROM IDS606CodedScoreAssessmentRefer s
JOIN IDS101Referral r ON r.ServiceRequestId = s.ServiceRequestId
WHERE s.AssToolCompDate BETWEEN :start AND :end AND s.CodedAssToolType IN (SELECT value FROM json_each(:peq_codes))
  AND (r.ReferralRequestReceivedDate IS NULL OR r.ReferralRequestReceivedDate <= :end)
"""
_PATIENTS_SQL = """
INSERT OR IGNORE INTO temp.month_patient (LocalPatientId)
SELECT r.LocalPatientId FROM IDS101Referral r JOIN temp.month_referral m USING (ServiceRequestId)
"""
_CONTACTS_SQL = """
INSERT INTO temp.month_contact (CareContactId)
SELECT c.CareContactId FROM IDS201CareContact c JOIN temp.month_referral m USING (ServiceRequestId)
WHERE c.CareContDate BETWEEN :start AND :end
"""
# CROSS JOIN keeps the month's (few) contacts as the outer loop: SQLite would otherwise scan every activity.
_ACTIVITIES_SQL = """
INSERT INTO temp.month_activity (CareActId)
SELECT a.CareActId FROM temp.month_contact m CROSS JOIN IDS202CareActivity a ON a.CareContactId = m.CareContactId
"""


def _staff_sql() -> str:
    log = _rule("IDS205InternetTherLog")
    return f"""
INSERT OR IGNORE INTO temp.month_staff (CarePersLocalId)
SELECT a.CarePersLocalId FROM temp.month_activity m CROSS JOIN IDS202CareActivity a ON a.CareActId = m.CareActId
WHERE a.CarePersLocalId IS NOT NULL
UNION
SELECT t.CarePersLocalId FROM temp.month_referral m
CROSS JOIN IDS205InternetTherLog t ON t.ServiceRequestId = m.ServiceRequestId
WHERE t.CarePersLocalId IS NOT NULL AND ({log.condition})
"""


def _rule(table_name: str) -> ContentRule:
    for rule in CONTENT_RULES:
        if rule.table == table_name:
            return rule
    raise KeyError(table_name)


def period_parameters(period: ReportingPeriod) -> dict[str, str]:
    end = period.end
    try:
        end_plus_2y = end.replace(year=end.year + 2)
    except ValueError:  # 29 February
        end_plus_2y = end.replace(year=end.year + 2, day=28)
    return {
        "start": period.start.isoformat(),
        "end": end.isoformat(),
        "end_plus_1": (end + dt.timedelta(days=1)).isoformat(),
        "end_plus_2y": end_plus_2y.isoformat(),
        "follow_up_types": json.dumps(sorted(FOLLOW_UP_APPOINTMENT_TYPES)),
        "peq_codes": json.dumps(peq_tool_codes()),
    }


def header_row(db: Database, period: ReportingPeriod, created_at: dt.datetime) -> dict[str, object]:
    """The one IDS000Header row (the data set's header; IDSREJ002, IDSREJ015)."""
    values: dict[str, object] = {
        "DatSetVer": DATASET_VERSION,
        "OrgIDProv": get_setting(db, "provider_ods").strip().upper() or None,
        "OrgIDSubmit": (get_setting(db, "submitter_ods").strip() or get_setting(db, "provider_ods").strip()).upper()
        or None,
        "PrimSystemInUse": PRIMARY_SYSTEM_IN_USE,
        "ReportingPeriodStartDate": period.start.isoformat(),
        "ReportingPeriodEndDate": period.end.isoformat(),
        "DateTimeDatSetCreate": created_at.replace(microsecond=0, tzinfo=None).isoformat(sep=" "),
    }
    return {name: values[name] for name in table(HEADER_TABLE).column_names}


def _select_sql(rule: ContentRule) -> str:
    definition = table(rule.table)
    blanked: dict[str, list[str]] = {}
    for date_column, columns in rule.as_at_end:
        for column in columns:
            blanked.setdefault(column, []).append(date_column)
    expressions = []
    for name in definition.column_names:
        if name in blanked:
            tests = " OR ".join(f"t.{date_column} > :end" for date_column in blanked[name])
            expressions.append(f"CASE WHEN {tests} THEN NULL ELSE t.{name} END AS {name}")
        else:
            expressions.append(f"t.{name}")
    key_column, temp_table = _SCOPE_KEY[rule.scope]
    if definition.has_own_key:
        order = f"t.{definition.primary_key[0]}"
    elif definition.unique_together:
        order = ", ".join(f"t.{c}" for c in definition.unique_together) + f", t.{ROW_ID}"
    else:
        order = f"t.{key_column}, t.{ROW_ID}"
    return (
        f"SELECT {', '.join(expressions)} FROM {rule.table} t "
        f"WHERE t.{key_column} IN (SELECT {key_column} FROM temp.{temp_table}) AND ({rule.condition}) "
        f"ORDER BY {order}"
    )


def _create_temp_tables(db: Database) -> None:
    for key_column, temp_table in _SCOPE_KEY.values():
        db.execute(f"DROP TABLE IF EXISTS temp.{temp_table}")
        db.execute(f"CREATE TEMP TABLE {temp_table} ({key_column} TEXT PRIMARY KEY) WITHOUT ROWID")


def _drop_temp_tables(db: Database) -> None:
    for _key_column, temp_table in _SCOPE_KEY.values():
        db.execute(f"DROP TABLE IF EXISTS temp.{temp_table}")


def month_rows(
    db: Database, period: ReportingPeriod | str, *, created_at: dt.datetime | None = None
) -> dict[str, list[dict[str, object]]]:
    """The rows of every IDS table that the file for ``period`` carries.

    Keys are the 21 table names in submission order; each row is a dict of the
    data set's technical column names in data set order.  ``created_at`` is the
    header's DateTimeDatSetCreate (default: now, local time, whole seconds).
    """
    return month_content(db, period, created_at=created_at, left_out=False).rows


@dataclass(frozen=True)
class MonthContent:
    """A month's rows (as :func:`month_rows`) and, when asked for, :func:`activity_left_out`'s counts."""

    rows: dict[str, list[dict[str, object]]]
    left_out: dict[str, int]


def month_content(
    db: Database, period: ReportingPeriod | str, *, created_at: dt.datetime | None = None, left_out: bool = True
) -> MonthContent:
    """:func:`month_rows` and :func:`activity_left_out` from one snapshot, finding the month's referrals once."""
    if isinstance(period, str):
        period = ReportingPeriod.parse(period)
    created_at = created_at or dt.datetime.now()
    parameters = period_parameters(period)
    result: dict[str, list[dict[str, object]]] = {name: [] for name in tables()}
    result[HEADER_TABLE] = [header_row(db, period, created_at)]
    counts: dict[str, int] = {}
    conn = db.conn
    own_transaction = not conn.in_transaction
    if own_transaction:
        conn.execute("BEGIN")  # one consistent snapshot for all the tables
    try:
        _create_temp_tables(db)
        db.execute(_REFERRALS_SQL, parameters)
        db.execute(_PATIENTS_SQL)
        db.execute(_CONTACTS_SQL, parameters)
        db.execute(_ACTIVITIES_SQL)
        db.execute(_staff_sql(), parameters)
        for rule in CONTENT_RULES:
            cursor = db.execute(_select_sql(rule), parameters)
            names = [d[0] for d in cursor.description]
            result[rule.table] = [dict(zip(names, row, strict=True)) for row in cursor]
        if left_out:
            counts = _count_left_out(db, parameters)
    finally:
        _drop_temp_tables(db)
        if own_transaction:
            conn.execute("COMMIT")
    return MonthContent(result, counts)


# Activity dated in the period, by the table's date column (for rows left out of the file).
_ACTIVITY_DATE_COLUMNS = {
    "IDS201CareContact": "CareContDate",
    "IDS606CodedScoreAssessmentRefer": "AssToolCompDate",
    "IDS105OnwardReferral": "OnwardReferDate",
}


def activity_left_out(db: Database, period: ReportingPeriod | str) -> dict[str, int]:
    """Rows dated in the period that the file cannot carry because their referral is not in it.

    E.g. a contact before the referral was received, or an onward referral of a
    referral discharged before the period.  Table -> count (only tables with any).
    """
    if isinstance(period, str):
        period = ReportingPeriod.parse(period)
    parameters = period_parameters(period)
    conn = db.conn
    own_transaction = not conn.in_transaction
    if own_transaction:
        conn.execute("BEGIN")
    try:
        _create_temp_tables(db)
        db.execute(_REFERRALS_SQL, parameters)
        return _count_left_out(db, parameters)
    finally:
        _drop_temp_tables(db)
        if own_transaction:
            conn.execute("COMMIT")


def _count_left_out(db: Database, parameters: dict[str, str]) -> dict[str, int]:
    """With temp.month_referral filled: per table, the rows dated in the period whose referral is not in it."""
    counts: dict[str, int] = {}
    for name, column in _ACTIVITY_DATE_COLUMNS.items():
        found = db.execute(
            f"SELECT count(*) FROM {name} t WHERE t.{column} BETWEEN :start AND :end "
            "AND t.ServiceRequestId NOT IN (SELECT ServiceRequestId FROM temp.month_referral)",
            parameters,
        ).fetchone()[0]
        if found:
            counts[name] = int(found)
    return counts


def month_row_counts(rows_by_table: dict[str, list[dict[str, object]]]) -> dict[str, int]:
    return {name: len(rows) for name, rows in rows_by_table.items()}
