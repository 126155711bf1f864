"""The named checks a rule row may use, with the phase each runs in.

Phases, in order: ``row`` (one row at a time; also what the forms run),
``structure`` (tables and columns present), ``set`` (duplicates and other
looks across rows), ``cascade`` (links between tables, repeated until nothing
more drops) and ``final`` (checks on what survived).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from iapt_desktop.validation import row_checks, set_checks
from iapt_desktop.validation.rules import Rule

ROW, STRUCTURE, SET, CASCADE, FINAL = "row", "structure", "set", "cascade", "final"
PHASES: tuple[str, ...] = (STRUCTURE, ROW, SET, CASCADE, FINAL)


def _always(rule: Rule) -> bool:
    return True


def _file_only(rule: Rule) -> bool:
    return False


def _not_from_period_start(rule: Rule) -> bool:
    """Rules comparing with the period start only say what belongs in a month's file."""
    return rule.params.get("other") != "period.start"


def _not_period_header(rule: Rule) -> bool:
    return rule.params.get("key") not in {"period_start", "period_end"}


def _not_referral_presence(rule: Rule) -> bool:
    """A stored patient without a referral is simply not sent (IDS00146 is about files)."""
    return rule.params.get("child") != "IDS101Referral"


@dataclass(frozen=True)
class CheckType:
    name: str
    phase: str
    factory: Callable[[Rule], Any]
    in_whole_database: Callable[[Rule], bool] = _always  # whether it runs when validating all stored rows
    description: str = ""


def _row(name: str, description: str, in_database: Callable[[Rule], bool] = _always) -> CheckType:
    return CheckType(name, ROW, getattr(row_checks, name), in_database, description)


def _set(name: str, phase: str, description: str, in_database: Callable[[Rule], bool] = _always) -> CheckType:
    return CheckType(name, phase, getattr(set_checks, name), in_database, description)


CHECKS: dict[str, CheckType] = {
    check.name: check
    for check in (
        _row("not_blank", "The field must be filled in."),
        _row("text_length", "Text length within min..max (any characters, as DSP's 'alphanumeric')."),
        _row("digits", "Digits only, length within min..max."),
        _row("matches", "The value must match a pattern."),
        _row("must_not_match", "The value must not match a pattern."),
        _row("in_code_list", "The value must be in a code list."),
        _row("valid_date", "A real date."),
        _row("valid_time", "A time of day."),
        _row("valid_datetime", "A date and time."),
        _row("snomed_ct", "A SNOMED CT id: digits, Verhoeff check digit, partition 00/10; or a post-coordinated one."),
        _row("coded_entry", "A coded clinical entry fitting its scheme (ICD-10 4-6 characters; SNOMED CT id)."),
        _row("date_on_or_after", "A date not before another date.", _not_from_period_start),
        _row("date_on_or_before", "A date not after another date (with an optional offset)."),
        _row("not_after_now", "A date-time not after the time of validation."),
        _row("onset_not_before_birth", "The onset month not before the birth month."),
        _row("nhs_number", "A valid NHS number (10 digits, modulus 11, not a mirrored number)."),
        _row("birth_date_plausible", "Birth date not after the period end; age at period start at most 120."),
        _row("both_blank", "Two fields must not both be blank."),
        _row("blank_when_other_in", "The field must be filled in when another field has given values."),
        _row("blank_when_other_present", "The field must be filled in when another field is."),
        _row("present_when_other_in", "The field must be blank when another field has given values."),
        _row("present_when_other_not_in", "The field must be blank unless another field has given values."),
        _row("equals_context", "The value must equal Settings or the chosen period.", _not_period_header),
        _row("assessment_tool_known", "The assessment tool is one NHS England accepts."),
        _row("score_format", "The score has the tool's format."),
        _row("score_in_range", "The score lies in the tool's range or value set."),
        _set("row_structure", STRUCTURE, "Only the data set's tables and columns."),
        _set("table_not_empty", STRUCTURE, "The table has at least one row.", _file_only),
        _set("unique", SET, "No two rows share these fields."),
        _set("unique_where_blank", SET, "At most one row per key where a field is blank."),
        _set("unique_attended_contact", SET, "No two attended contacts share referral, date and time."),
        _set("gp_registration_followed", SET, "An ended GP registration is followed by the next one."),
        _set("discharged_needs_follow_up", SET, "A referral discharged before the period needs follow-up activity.",
             _file_only),
        _set("parent_exists", CASCADE, "The row's parent is in the file and valid."),
        _set("has_child", CASCADE, "The patient has a valid child row of the given table.", _not_referral_presence),
        _set("listed_in", FINAL, "The value appears in another table."),
        _set("attended_contact_has_activity", FINAL, "An attended contact has a valid care activity."),
        _set("single_valid_header", FINAL, "Exactly one valid header.", _file_only),
        _set("all_records_failed", FINAL, "Some referral survives validation.", _file_only),
        _set("period_has_records", FINAL, "The file carries something for the period.", _file_only),
    )
}
NOT_RUN = frozenset({"national_reference_data", "not_applicable"})  # declared rules that are never run


def check_type(name: str) -> CheckType:
    try:
        return CHECKS[name]
    except KeyError:
        raise KeyError(f"Unknown check {name!r}: add it to CHECKS or correct the rule table") from None
