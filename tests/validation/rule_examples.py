"""For every check type, changes to a valid month that break a rule and near misses that do not.

``examples(rule)`` returns (label, change, fires) triples; a change mutates a
copy of :func:`month_rows.valid_month` in place.  The generator works from the
rule row (table, fields, params) alone, so each rule of the table is exercised
through its own declaration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from iapt_desktop.domain.assessment_scales import scale
from iapt_desktop.domain.codes import code_list
from iapt_desktop.domain.dataset import table
from iapt_desktop.validation.row_checks import allowed_values
from iapt_desktop.validation.row_environment import parent_path
from iapt_desktop.validation.rules import Rule
from iapt_desktop.validation.value_checks import add_offset
from tests.validation.month_rows import NOW, PERIOD, PROVIDER, full_row, nhs_number

Month = dict[str, list[dict[str, Any]]]
Change = Callable[[Month], None]
Example = tuple[str, Change, bool]

PERIOD_START, PERIOD_END = f"{PERIOD}-01", "2025-04-30"
# Values that are valid on their own, for fields the valid month leaves blank.
SAMPLE = {
    "EmpSupportReferral": "2025-04-03", "ServDischDate": "2025-04-25", "EndCode": "10", "ObsValue": "72",
    "UnitMeasure": "kg", "Cancellation": "N", "NHSNumber": nhs_number(5), "EmpSupportInd": "Y",
    "QualPlannedCompletionDate": "2026-01-01", "QualAwardedDate": "2015-06-01", "CodeFind": "F320",
    "FindSchemeInUse": "01", "EmpSupportDischargeDate": "2025-04-20", "AccommodationTypeStartDate": "2024-01-01",
}


def _set(table_name: str, **values: Any) -> Change:
    def change(month: Month) -> None:
        month[table_name][0].update(values)

    return change


def _both(*changes: Change) -> Change:
    def change(month: Month) -> None:
        for item in changes:
            item(month)

    return change


def _day(text: str, days: int) -> str:
    return (dt.date.fromisoformat(text) + dt.timedelta(days=days)).isoformat()


def _value_outside(column: str, allowed: frozenset[str]) -> str | None:
    codes = code_list(column)
    outside = sorted(codes.values() - allowed) if codes else []
    return outside[0] if outside else None


def _other_value(rule: Rule, month: Month) -> str:
    """The date a comparison rule compares with, as the valid month has it."""
    if "date" in rule.params:
        return rule.params["date"]
    other = rule.params["other"]
    if other.startswith("period."):
        base = PERIOD_START if other == "period.start" else PERIOD_END
        return add_offset(base, rule.params["offset"]) if rule.params.get("offset") else base
    if "." in other:
        target, column = other.split(".")
        row: dict[str, Any] | None = month[rule.table][0]
        for parent, link in parent_path(rule.table, target):
            row = next(r for r in month[parent] if r[table(parent).storage_key] == row[link])
        return row[column]
    return month[rule.table][0][other] or SAMPLE[other]


def _comparison(rule: Rule, after: bool) -> list[Example]:
    def shifted(days: int) -> Change:
        def change(month: Month) -> None:
            other = rule.params.get("other", "")
            if other and "." not in other and not month[rule.table][0][other]:
                month[rule.table][0][other] = SAMPLE[other]
            month[rule.table][0][rule.field] = _day(_other_value(rule, month), days)

        return change

    return [("one day over", shifted(-1 if after else 1), True), ("on the boundary", shifted(0), False)]


def _duplicate(rule: Rule, vary: str | None = None, **values: Any) -> Change:
    def change(month: Month) -> None:
        copy = dict(month[rule.table][0])
        copy.update(values)
        if vary:
            copy[vary] = _variant(vary, copy[vary])
        month[rule.table].append(copy)

    return change


def _variant(column: str, value: Any) -> Any:
    if column == "NHSNumber":
        return nhs_number(7)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return _day(value, -1)
    codes = code_list(column)
    if codes and value in codes.values():
        return sorted(codes.values() - {value})[0]
    return f"{value}2"


def examples(rule: Rule) -> list[Example]:
    t, f, p = rule.table, rule.field, rule.params
    check = rule.check
    if check == "not_blank":
        return [("blank", _set(t, **{f: "  "}), True), ("missing", _set(t, **{f: None}), True),
                ("filled", _set(t), False)]
    if check == "text_length":
        low, high = int(p["min"]), int(p["max"])
        cases: list[Example] = [("too long", _set(t, **{f: "7" * (high + 1)}), True),
                                ("longest allowed", _set(t, **{f: "7" * high}), False)]
        if low > 1:
            cases.append(("too short", _set(t, **{f: "7" * (low - 1)}), True))
        return cases
    if check == "digits":
        high = int(p["max"])
        return [("not digits", _set(t, **{f: "1a"}), True), ("too many digits", _set(t, **{f: "9" * (high + 1)}), True),
                ("most digits allowed", _set(t, **{f: "9" * high}), False)]
    if check in {"matches", "must_not_match"}:
        pairs = {"Postcode": ("LS14AP", "ls1  4ap"), "DatSetVer": ("2.1.0", "12.10"),
                 "OnsetDate": ("2024-13", "2024-12")} if check == "matches" else {"OnsetDate": ("2024/11", "2024-11")}
        bad, good = pairs[f]
        return [("bad format", _set(t, **{f: bad}), True), ("good format", _set(t, **{f: good}), False)]
    if check == "in_code_list":
        return [("not in the list", _set(t, **{f: "~"}), True),
                ("in the list", _set(t, **{f: sorted(allowed_values(rule))[-1]}), False)]
    if check in {"valid_date", "valid_time", "valid_datetime"}:
        bad, good = {"valid_date": ("2025-02-29", "2024-02-29"), "valid_time": ("24:00:00", "23:59:59"),
                     "valid_datetime": ("2025-05-02", "2025-05-02 23:59:59")}[check]
        return [("not real", _set(t, **{f: bad}), True), ("real", _set(t, **{f: good}), False)]
    if check == "snomed_ct":
        return [("wrong check digit", _set(t, **{f: "15167006"}), True),
                ("checked id", _set(t, **{f: "15167005"}), False)]
    if check == "coded_entry":
        scheme = p["scheme"]
        return [("ICD-10 code under SNOMED CT", _set(t, **{scheme: "04", f: "F320"}), True),
                ("ICD-10 too short", _set(t, **{scheme: "01", f: "F3"}), True),
                ("SNOMED CT id under SNOMED CT", _set(t, **{scheme: "04", f: "35489007"}), False),
                ("ICD-10 of 6 characters", _set(t, **{scheme: "01", f: "F32.10"}), False)]
    if check in {"date_on_or_after", "date_on_or_before"}:
        return _comparison(rule, after=check == "date_on_or_after")
    if check == "not_after_now":
        later = (NOW + dt.timedelta(minutes=1)).isoformat(sep=" ")
        return [("after now", _set(t, **{f: later}), True), ("now", _set(t, **{f: NOW.isoformat(sep=" ")}), False)]
    if check == "onset_not_before_birth":
        return [("month before birth", _set(t, OnsetDate="1980-04"), True),
                ("birth month", _set(t, OnsetDate="1980/05"), False)]
    if check == "nhs_number":
        good = nhs_number(3)
        bad = good[:9] + str((int(good[9]) + 1) % 10)
        return [("wrong check digit", _set(t, NHSNumber=bad), True), ("9 digits", _set(t, NHSNumber=good[:9]), True),
                ("valid", _set(t, NHSNumber=good), False)]
    if check == "birth_date_plausible":
        return [("born after the period", _set(t, **{f: "2025-05-01"}), True),
                ("born on the last day", _set(t, **{f: PERIOD_END}), False),
                ("121 at period start", _set(t, **{f: "1904-03-31"}), True),
                ("120 at period start", _set(t, **{f: "1905-04-01"}), False)]
    if check == "both_blank":
        second = rule.fields[1]
        return [("both blank", _set(t, **{f: None, second: None}), True),
                ("second filled", _set(t, **{f: None, second: SAMPLE.get(second) or "01"}), False)]
    if check in {"blank_when_other_in", "present_when_other_in", "present_when_other_not_in"}:
        other, inside = p["other"], allowed_values(rule)
        outside = _value_outside(other, inside) or "~"
        present = SAMPLE.get(f, "1")
        if check == "blank_when_other_in":
            return [("blank, other in set", _set(t, **{f: None, other: sorted(inside)[0]}), True),
                    ("blank, other outside", _set(t, **{f: None, other: outside}), False)]
        if check == "present_when_other_in":
            return [("present, other in set", _set(t, **{f: present, other: sorted(inside)[0]}), True),
                    ("present, other outside", _set(t, **{f: present, other: outside}), False)]
        blank_fires = p.get("other_blank_fires") == "yes"
        return [("present, other outside", _set(t, **{f: present, other: outside}), True),
                ("present, other blank", _set(t, **{f: present, other: None}), blank_fires),
                ("present, other in set", _set(t, **{f: present, other: sorted(inside)[0]}), False)]
    if check == "blank_when_other_present":
        other = p["other"]
        other_value = SAMPLE.get(other, "01")
        return [("blank, other present", _set(t, **{f: None, other: other_value}), True),
                ("both present", _set(t, **{f: SAMPLE.get(f, "01"), other: other_value}), False)]
    if check == "equals_context":
        expected = {"provider_code": PROVIDER, "submitter_code": PROVIDER, "period_start": PERIOD_START,
                    "period_end": PERIOD_END}[p["key"]]
        different = "2025-03-01" if p["key"].startswith("period") else "RX9"
        return [("different", _set(t, **{f: different}), True), ("equal", _set(t, **{f: expected}), False)]
    if check == "assessment_tool_known":
        return [("unknown tool", _set(t, CodedAssToolType="35489007"), True),
                ("PHQ-9", _set(t, CodedAssToolType="720433000", PersScore="5"), False)]
    if check in {"score_format", "score_in_range"}:
        tool = rule_tool(t)
        found = scale(tool)
        assert found is not None and found.maximum is not None
        top = str(int(found.maximum))
        if check == "score_format":
            return [("decimal", _set(t, CodedAssToolType=tool, PersScore="1.5"), True),
                    ("whole number", _set(t, CodedAssToolType=tool, PersScore=top), False)]
        return [("above the maximum", _set(t, CodedAssToolType=tool, PersScore=str(int(top) + 1)), True),
                ("the maximum", _set(t, CodedAssToolType=tool, PersScore=top), False)]
    return set_examples(rule)


def rule_tool(table_name: str) -> str:
    return "720433000" if table_name.startswith("IDS606") else "445455005"


def set_examples(rule: Rule) -> list[Example]:
    t, f, p = rule.table, rule.field, rule.params
    check = rule.check
    if check == "row_structure":
        return [("unknown column", _set("IDS201CareContact", Bogus="1"), True),
                ("app column", _set("IDS201CareContact", app_row_id=3), False),
                ("unknown table", lambda m: m.update(IDS999Bogus=[{"x": 1}]), True)]
    if check == "table_not_empty":
        return [("empty", lambda m: m.update({t: []}), True), ("one row", lambda m: None, False)]
    if check == "unique":
        vary = rule.fields[-1]
        if t == "IDS001MPI":
            same = {"NHSNumber": nhs_number(9)} if vary == "LocalPatientId" else {"LocalPatientId": "P2"}
            return [("duplicate", _duplicate(rule, **same), True),
                    ("near duplicate", _duplicate(rule, vary, **same), False)]
        if t == "IDS201CareContact":
            return [("duplicate", _duplicate(rule), True), ("other id", _duplicate(rule, "CareContactId"), False)]
        return [("duplicate", _duplicate(rule), True), (f"differs in {vary}", _duplicate(rule, vary), False)]
    if check == "unique_where_blank":
        blank = p["blank"]
        distinct = {"IDS002GP": {"StartDateGMPRegistration": "2011-01-01"},
                    "IDS004EmpStatus": {"EmployStatus": "02"},
                    "IDS803CareCluster": {"StartDateCareClust": "2025-04-02"}}[t]
        end = {blank: PERIOD_END if blank != "EmployStatusRecDate" else "2025-04-03"}
        return [("two open", _both(_set(t, **{blank: None}), _duplicate(rule, **distinct)), True),
                ("one open", _both(_set(t, **{blank: None}), _duplicate(rule, **distinct, **end)), False)]
    if check == "unique_attended_contact":
        return [("two attended", _duplicate(rule, CareContactId="C2"), True),
                ("second not attended", _duplicate(rule, CareContactId="C2", AttendOrDNACode="3"), False)]
    if check == "parent_exists":
        return [("unknown parent", _set(t, **{f: "NOPE"}), True), ("known parent", _set(t), False)]
    if check == "has_child":
        child = p["child"]
        return [("no child", lambda m: m.update({child: []}), True), ("child present", _set(t), False)]
    if check == "gp_registration_followed":
        next_row = full_row("IDS002GP", LocalPatientId="P1", GMPCodeReg="A81001", StartDateGMPRegistration="2025-04-11")
        return [("ended", _set(t, EndDateGMPRegistration="2025-04-10"), True),
                ("ended and followed", _both(_set(t, EndDateGMPRegistration="2025-04-10"),
                                             lambda m: m["IDS002GP"].append(next_row)), False)]
    if check == "discharged_needs_follow_up":
        discharged = _set(t, ServDischDate="2025-03-20", EndCode="10")
        no_contacts = lambda m: m.update(IDS201CareContact=[], IDS202CareActivity=[],  # noqa: E731
                                         IDS607CodedScoreAssessmentAct=[])
        return [("discharged before, nothing after", _both(discharged, no_contacts), True),
                ("discharged before, contact last month", _both(discharged, _set("IDS201CareContact",
                                                                                CareContDate="2025-03-25")), True),
                ("treatment appointment in the period, no follow-up", discharged, True),
                ("with a follow-up appointment", _both(discharged, _set("IDS201CareContact", AppType="06")), False),
                ("with PEQ", _both(discharged, no_contacts, _set("IDS606CodedScoreAssessmentRefer",
                                                                 CodedAssToolType="747901000000107",
                                                                 PersScore="3")), False)]
    if check == "attended_contact_has_activity":
        no_activity = lambda m: m.update(IDS202CareActivity=[], IDS607CodedScoreAssessmentAct=[])  # noqa: E731
        return [("attended without activity", no_activity, True),
                ("not attended", _both(no_activity, _set(t, AttendOrDNACode="3")), False)]
    if check == "listed_in":
        return [("unlisted", _set("IDS902CarePersQual", CarePersLocalId="CP9"), True), ("listed", _set(t), False)]
    if check == "single_valid_header":
        return [("two headers", _duplicate(rule), True), ("invalid header", _set(t, DatSetVer="2.0"), True),
                ("one valid header", _set(t), False)]
    if check == "all_records_failed":
        return [("referral rejected", _set(t, ReferralRequestReceivedDate="2025-05-01"), True),
                ("referral kept", _set(t), False)]
    if check == "period_has_records":
        emptied = _both(_set("IDS101Referral", ServDischDate="2025-03-20", EndCode="10"),
                        lambda m: m.update(IDS105OnwardReferral=[], IDS205InternetTherLog=[],
                                           IDS606CodedScoreAssessmentRefer=[]))
        return [("nothing in the period", _both(emptied, _set("IDS201CareContact", CareContDate="2025-03-20")), True),
                ("a contact in the period", emptied, False)]
    raise AssertionError(f"No examples for check {check!r} (rule {rule.id}): add them here")
