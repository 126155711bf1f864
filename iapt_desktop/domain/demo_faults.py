"""Faults the demo can plant on purpose (``demo --with-faults``), declared as data.

Each fault names the national rule that should catch it, the table and
column it breaks, and the function that breaks one row.  The validation
tests use the planted list to check that every fault is found under the
right rule id; everything else in the demo stays clean.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from iapt_desktop.domain.assessment_scales import PHQ9
from iapt_desktop.domain.demo_rows import DemoRows, DemoWindow, Row
from iapt_desktop.domain.field_checks import nhs_number_check_digit


@dataclass
class _Targets:
    """Picks rows to break: each fault in a different row, patient and referral, so that the
    consequences of one fault (rows dropped with their parent) do not hide another."""

    rows: DemoRows
    window: DemoWindow
    used: set[int] = field(default_factory=set)
    used_owners: set[object] = field(default_factory=set)

    def first(self, table: str, wanted: Callable[[Row], bool] = lambda row: True,
              prefer: Callable[[Row], bool] = lambda row: True) -> Row:
        for choosy in (True, False):
            for row in self.rows.rows(table):
                owners = {row.get("LocalPatientId"), row.get("ServiceRequestId")} - {None}
                if id(row) in self.used or owners & self.used_owners or not wanted(row):
                    continue
                if choosy and not prefer(row):
                    continue
                self.used.add(id(row))
                self.used_owners |= owners
                return row
        raise ValueError(f"The demo has no {table} row to plant a fault in; generate more patients.")

    def referral_received(self, service_request_id: object) -> dt.date:
        for row in self.rows.rows("IDS101Referral"):
            if row["ServiceRequestId"] == service_request_id:
                return dt.date.fromisoformat(str(row["ReferralRequestReceivedDate"]))
        raise KeyError(service_request_id)


def _not_attended(row: Row) -> bool:
    """Contacts without an activity: breaking them drops no scores along with them."""
    return row["AttendOrDNACode"] in {"3", "4", "7"}


Planter = Callable[[_Targets], tuple[Row, str]]  # breaks a row; returns it and a note for people


@dataclass(frozen=True)
class PlantedFault:
    rule_id: str
    table: str
    column: str
    key_column: str  # identifies the broken row in the report
    severity: str  # as the national rule: REJECT_FILE, REJECT_RECORD or WARNING
    description: str
    plant: Planter


@dataclass(frozen=True)
class PlantedFaultRecord:
    """A fault as planted: which row (by its key) carries it."""

    rule_id: str
    table: str
    column: str
    key_column: str
    key: str
    severity: str
    description: str
    detail: str


def _wrong_check_digit(targets: _Targets) -> tuple[Row, str]:
    row = targets.first("IDS001MPI", lambda r: bool(r["NHSNumber"]))
    number = str(row["NHSNumber"])
    check = nhs_number_check_digit(number[:9])
    row["NHSNumber"] = number[:9] + str(((check or 0) + 1) % 10)
    return row, "last digit changed"


def _postcode_without_space(targets: _Targets) -> tuple[Row, str]:
    row = targets.first("IDS001MPI", lambda r: bool(r["Postcode"]))
    row["Postcode"] = str(row["Postcode"]).replace(" ", "")
    return row, "space removed"


def _duplicate_nhs_number(targets: _Targets) -> tuple[Row, str]:
    source = targets.first("IDS001MPI", lambda r: bool(r["NHSNumber"]))
    row = targets.first("IDS001MPI", lambda r: bool(r["NHSNumber"]))
    row["NHSNumber"] = source["NHSNumber"]
    return row, f"same NHS number as {source['LocalPatientId']}"


def _short_gp_code(targets: _Targets) -> tuple[Row, str]:
    row = targets.first("IDS002GP")
    row["GMPCodeReg"] = str(row["GMPCodeReg"])[:5]
    return row, f"practice code {row['GMPCodeReg']}"


def _contact_before_referral(targets: _Targets) -> tuple[Row, str]:
    earliest = targets.window.start + dt.timedelta(days=10)
    row = targets.first(
        "IDS201CareContact", lambda r: targets.referral_received(r["ServiceRequestId"]) >= earliest, _not_attended)
    received = targets.referral_received(row["ServiceRequestId"])
    row["CareContDate"] = (received - dt.timedelta(days=3)).isoformat()
    return row, f"dated {row['CareContDate']}, referral received {received.isoformat()}"


def _attendance_out_of_list(targets: _Targets) -> tuple[Row, str]:
    row = targets.first("IDS201CareContact", lambda r: r["Cancellation"] is None, _not_attended)
    row["AttendOrDNACode"] = "9"
    return row, "AttendOrDNACode 9"


def _blank_appointment_type(targets: _Targets) -> tuple[Row, str]:
    row = targets.first("IDS201CareContact", prefer=_not_attended)
    row["AppType"] = None
    return row, "AppType left blank"


def _phq9_out_of_range(targets: _Targets) -> tuple[Row, str]:
    row = targets.first("IDS607CodedScoreAssessmentAct", lambda r: r["CodedAssToolType"] == PHQ9)
    row["PersScore"] = "30"
    return row, f"PHQ-9 total 30 on activity {row['CareActId']}"


PLANTED_FAULTS: tuple[PlantedFault, ...] = (
    PlantedFault("IDSREJ006", "IDS001MPI", "NHSNumber", "LocalPatientId", "REJECT_FILE",
                 "NHS number with a wrong check digit", _wrong_check_digit),
    PlantedFault("IDSREJ007", "IDS001MPI", "Postcode", "LocalPatientId", "REJECT_FILE",
                 "Postcode without the space before the inward code", _postcode_without_space),
    PlantedFault("IDSREJ009", "IDS001MPI", "NHSNumber", "LocalPatientId", "REJECT_FILE",
                 "One NHS number on two patients", _duplicate_nhs_number),
    PlantedFault("IDS00204", "IDS002GP", "GMPCodeReg", "LocalPatientId", "REJECT_RECORD",
                 "GP practice code of 5 characters instead of 6", _short_gp_code),
    PlantedFault("IDS20171", "IDS201CareContact", "CareContDate", "CareContactId", "REJECT_RECORD",
                 "Care contact dated before its referral was received", _contact_before_referral),
    PlantedFault("IDS20128", "IDS201CareContact", "AttendOrDNACode", "CareContactId", "REJECT_RECORD",
                 "Attendance code not in the code list", _attendance_out_of_list),
    PlantedFault("IDS20154", "IDS201CareContact", "AppType", "CareContactId", "REJECT_RECORD",
                 "Mandatory appointment type left blank", _blank_appointment_type),
    PlantedFault("IDS60707", "IDS607CodedScoreAssessmentAct", "PersScore", "app_row_id", "WARNING",
                 "PHQ-9 total of 30 (the scale ends at 27)", _phq9_out_of_range),
)


def plant_faults(rows: DemoRows, window: DemoWindow) -> tuple[PlantedFaultRecord, ...]:
    """Break one row per declared fault, each in a different row; returns where they are."""
    targets = _Targets(rows, window)
    planted = []
    for fault in PLANTED_FAULTS:
        row, detail = fault.plant(targets)
        planted.append(PlantedFaultRecord(fault.rule_id, fault.table, fault.column, fault.key_column,
                                          str(row[fault.key_column]), fault.severity, fault.description, detail))
    return tuple(planted)
