"""Checks that look across rows: duplicates, links between tables, file content.

Each factory turns a rule row into a function of the :class:`FileState` that
yields hits ``(table, row index or None, field, value)``.  Row indices are
positions in the input lists; ``None`` means the file as a whole.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from iapt_desktop.domain.dataset import ROW_ID, table, tables
from iapt_desktop.domain.discharged_follow_up import is_follow_up_appointment, is_peq_in_period, peq_tool_codes
from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.row_checks import allowed_values
from iapt_desktop.validation.row_environment import Row
from iapt_desktop.validation.rules import Rule
from iapt_desktop.validation.value_checks import as_text, is_blank, is_valid_date

Hit = tuple[str, int | None, str, str | None]
SetCheck = Callable[["FileState"], Iterator[Hit]]
APP_PREFIX = "app_"


@dataclass
class FileState:
    """The rows under validation and which of them are dropped so far."""

    rows: Mapping[str, Sequence[Row]]
    context: ValidationContext
    dropped: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def table_rows(self, name: str) -> Sequence[Row]:
        return self.rows.get(name, ())

    def surviving(self, name: str) -> Iterator[tuple[int, Row]]:
        gone = self.dropped.get(name, set())
        for index, row in enumerate(self.table_rows(name)):
            if index not in gone:
                yield index, row

    def surviving_values(self, name: str, column: str) -> set[Any]:
        return {row.get(column) for _, row in self.surviving(name)}


def _key_text(row: Row, fields: Sequence[str]) -> tuple[str, ...]:
    return tuple("" if is_blank(row.get(name)) else str(row.get(name)) for name in fields)


def row_structure(rule: Rule) -> SetCheck:
    def check(state: FileState) -> Iterator[Hit]:
        known = tables()
        for name, rows in state.rows.items():
            if name not in known:
                yield name, None, "", name
                continue
            expected = set(known[name].column_names)
            for index, row in enumerate(rows):
                present = {key for key in row if not key.startswith(APP_PREFIX) and key != ROW_ID}
                odd = sorted(expected ^ present)
                if odd:
                    yield name, index, odd[0], None
                    break  # one finding per table is enough to say the structure is wrong

    return check


def table_not_empty(rule: Rule) -> SetCheck:
    def check(state: FileState) -> Iterator[Hit]:
        if not state.table_rows(rule.table):
            yield rule.table, None, "", None

    return check


def _duplicates(rows: Sequence[Row], fields: Sequence[str], keep: Callable[[Row], bool]) -> Iterator[int]:
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        if keep(row):
            groups[_key_text(row, fields)].append(index)
    for indices in groups.values():
        if len(indices) > 1:
            yield from indices


def unique(rule: Rule) -> SetCheck:
    skip_blank = rule.params.get("skip_blank") == "yes"

    def keep(row: Row) -> bool:
        return not (skip_blank and any(is_blank(row.get(name)) for name in rule.fields))

    def check(state: FileState) -> Iterator[Hit]:
        rows = state.table_rows(rule.table)
        for index in _duplicates(rows, rule.fields, keep):
            yield rule.table, index, rule.field, as_text(rows[index].get(rule.field))

    return check


def unique_where_blank(rule: Rule) -> SetCheck:
    blank = rule.params["blank"]

    def check(state: FileState) -> Iterator[Hit]:
        rows = state.table_rows(rule.table)
        for index in _duplicates(rows, rule.fields, lambda row: is_blank(row.get(blank))):
            yield rule.table, index, blank, None

    return check


def unique_attended_contact(rule: Rule) -> SetCheck:
    attended = allowed_values(rule)

    def check(state: FileState) -> Iterator[Hit]:
        rows = state.table_rows(rule.table)
        keep = lambda row: str(row.get("AttendOrDNACode")) in attended  # noqa: E731
        for index in _duplicates(rows, rule.fields[:3], keep):
            yield rule.table, index, rule.field, as_text(rows[index].get(rule.field))

    return check


def listed_in(rule: Rule) -> SetCheck:
    target_table, target_column = rule.params["target"].split(".")

    def check(state: FileState) -> Iterator[Hit]:
        known = {str(v) for v in state.surviving_values(target_table, target_column) if not is_blank(v)}
        for index, row in state.surviving(rule.table):
            value = row.get(rule.field)
            if not is_blank(value) and str(value) not in known:
                yield rule.table, index, rule.field, as_text(value)

    return check


def parent_exists(rule: Rule) -> SetCheck:
    parent = table(rule.params["parent"])
    child = table(rule.table)
    assert child.parent_column is not None

    def check(state: FileState) -> Iterator[Hit]:
        keys = state.surviving_values(parent.name, parent.storage_key)
        for index, row in state.surviving(rule.table):
            value = row.get(child.parent_column)
            if value not in keys:
                yield rule.table, index, rule.field, as_text(value)

    return check


def has_child(rule: Rule) -> SetCheck:
    child = table(rule.params["child"])
    assert child.parent_column is not None

    def check(state: FileState) -> Iterator[Hit]:
        linked = state.surviving_values(child.name, child.parent_column)
        for index, row in state.surviving(rule.table):
            if row.get(rule.field) not in linked:
                yield rule.table, index, rule.field, as_text(row.get(rule.field))

    return check


def gp_registration_followed(rule: Rule) -> SetCheck:
    def check(state: FileState) -> Iterator[Hit]:
        rows = state.table_rows(rule.table)
        by_patient: dict[Any, list[Row]] = defaultdict(list)
        for row in rows:
            by_patient[row.get("LocalPatientId")].append(row)
        for index, row in enumerate(rows):
            end = row.get("EndDateGMPRegistration")
            if is_blank(end) or not is_valid_date(str(end)):
                continue
            next_day = (dt.date.fromisoformat(end) + dt.timedelta(days=1)).isoformat()
            followed = any(
                other.get("StartDateGMPRegistration") in (end, next_day)
                and other.get("GMPCodeReg") != row.get("GMPCodeReg")
                for other in by_patient[row.get("LocalPatientId")]
            )
            if not followed:
                yield rule.table, index, rule.field, as_text(end)

    return check


def discharged_needs_follow_up(rule: Rule) -> SetCheck:
    """IDS10129, with the follow-up and PEQ of domain.discharged_follow_up (the month's content uses the same)."""
    peq_codes = frozenset(peq_tool_codes())

    def check(state: FileState) -> Iterator[Hit]:
        start, end = state.context.period_start, state.context.period_end
        brought_in = {
            row.get("ServiceRequestId")
            for row in state.table_rows("IDS201CareContact")
            if is_follow_up_appointment(row, start, end)
        } | {
            row.get("ServiceRequestId")
            for row in state.table_rows("IDS606CodedScoreAssessmentRefer")
            if is_peq_in_period(row, start, end, peq_codes)
        }
        for index, row in enumerate(state.table_rows(rule.table)):
            discharged = row.get("ServDischDate")
            if is_blank(discharged) or not is_valid_date(str(discharged)) or discharged >= start:
                continue
            if row.get("ServiceRequestId") not in brought_in:
                yield rule.table, index, rule.field, as_text(discharged)

    return check


def attended_contact_has_activity(rule: Rule) -> SetCheck:
    attended = allowed_values(rule)

    def check(state: FileState) -> Iterator[Hit]:
        with_activity = state.surviving_values("IDS202CareActivity", "CareContactId")
        for index, row in state.surviving(rule.table):
            if str(row.get("AttendOrDNACode")) in attended and row.get("CareContactId") not in with_activity:
                yield rule.table, index, rule.field, as_text(row.get(rule.field))

    return check


# Activity rows and the date that places them in a month.
_DATED_ACTIVITY = (
    ("IDS201CareContact", "CareContDate"),
    ("IDS606CodedScoreAssessmentRefer", "AssToolCompDate"),
    ("IDS105OnwardReferral", "OnwardReferDate"),
    ("IDS205InternetTherLog", "EndDateIntEnabledTherLog"),
)


def period_has_records(rule: Rule) -> SetCheck:
    def check(state: FileState) -> Iterator[Hit]:
        start, end = state.context.period_start, state.context.period_end
        for row in state.table_rows("IDS101Referral"):
            received, discharged = row.get("ReferralRequestReceivedDate"), row.get("ServDischDate")
            if not is_blank(received) and str(received) <= end and (is_blank(discharged) or str(discharged) >= start):
                return
        for name, column in _DATED_ACTIVITY:
            for row in state.table_rows(name):
                value = row.get(column)
                if not is_blank(value) and start <= str(value) <= end:
                    return
        yield "", None, "", None

    return check


def single_valid_header(rule: Rule) -> SetCheck:
    def check(state: FileState) -> Iterator[Hit]:
        headers = state.table_rows(rule.table)
        if len(headers) > 1:
            for index in range(len(headers)):
                yield rule.table, index, "", None
        elif len(headers) == 1 and 0 in state.dropped.get(rule.table, set()):
            yield rule.table, 0, "", None

    return check


def all_records_failed(rule: Rule) -> SetCheck:
    def check(state: FileState) -> Iterator[Hit]:
        if state.table_rows(rule.table) and not any(True for _ in state.surviving(rule.table)):
            yield rule.table, None, "", None

    return check
