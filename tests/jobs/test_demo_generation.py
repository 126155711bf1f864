"""The demo generator's rows: valid identifiers, clean values, consistent dates, realistic mixes."""

from __future__ import annotations

import collections
import datetime as dt
import re

import pytest

from iapt_desktop.domain import demo_catalogue as catalogue
from iapt_desktop.domain.assessment_scales import GAD7, PHQ9, scale
from iapt_desktop.domain.codes import code_list, social_circumstances_in
from iapt_desktop.domain.dataset import ColumnType, tables
from iapt_desktop.domain.demo_faults import PLANTED_FAULTS
from iapt_desktop.domain.demo_generator import generate_batches
from iapt_desktop.domain.demo_rows import DemoOptions, DemoRows, DemoWindow
from iapt_desktop.domain.demo_scores import GAD7_CASENESS, PHQ9_CASENESS, at_caseness, outcome_of
from iapt_desktop.domain.field_checks import is_valid_nhs_number, postcode_problem
from iapt_desktop.domain.questionnaires import Entry, questionnaire_for_code

AS_OF = dt.date(2026, 10, 15)
OPTIONS = DemoOptions(as_of=AS_OF, patients=400, months=18, seed=3)
ATTENDED = {"5", "6"}
# Columns whose code list is not the whole truth (ISO language codes; the scales list decides tools).
FREE_CODED = {"LanguageCodePreferred", "LanguageCodeTreat", "CodedAssToolType"}  # tools: see the scales test


def generate(options: DemoOptions, batch_patients: int = 500) -> DemoRows:
    merged = DemoRows()
    for batch in generate_batches(options, batch_patients):
        for name, rows in batch.rows.tables.items():
            merged.tables.setdefault(name, []).extend(rows)
    return merged


@pytest.fixture(scope="module")
def rows() -> DemoRows:
    return generate(OPTIONS)


def day(value: object) -> dt.date:
    return dt.date.fromisoformat(str(value))


def by(rows: list[dict], column: str) -> dict[object, list[dict]]:
    grouped: dict[object, list[dict]] = collections.defaultdict(list)
    for row in rows:
        grouped[row[column]].append(row)
    return grouped


def test_window_is_whole_months_ending_last_month() -> None:
    assert DemoWindow.ending_before(AS_OF, 12) == DemoWindow(dt.date(2025, 10, 1), dt.date(2026, 9, 30))
    assert DemoWindow.ending_before(dt.date(2026, 1, 10), 1) == DemoWindow(dt.date(2025, 12, 1), dt.date(2025, 12, 31))


def test_options_say_what_is_wrong() -> None:
    assert DemoOptions(as_of=AS_OF).problems() == []
    assert "at least 1" in DemoOptions(as_of=AS_OF, patients=0).problems()[0]
    assert "months" in DemoOptions(as_of=AS_OF, months=0).problems()[0]
    assert "20 patients" in DemoOptions(as_of=AS_OF, patients=5, with_faults=True).problems()[0]
    with pytest.raises(ValueError, match="at least 1"):
        next(generate_batches(DemoOptions(as_of=AS_OF, patients=0)))


def test_nhs_numbers_are_valid_test_numbers_and_unique(rows: DemoRows) -> None:
    patients = rows.rows("IDS001MPI")
    numbers = [p["NHSNumber"] for p in patients if p["NHSNumber"]]
    assert len(numbers) >= 0.97 * len(patients)
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        assert number.startswith("999") and is_valid_nhs_number(number), number
        assert number[:5] != number[5:][::-1]
    for patient in patients:
        # status 01 with a number; without one, never 01/02 (IDS00161) and never blank (IDS00118)
        assert patient["NHSNumberStatus"] == ("01" if patient["NHSNumber"] else "03")


def test_demographics_are_plausible(rows: DemoRows) -> None:
    patients = rows.rows("IDS001MPI")
    first_referral = {pid: min(day(r["ReferralRequestReceivedDate"]) for r in refs)
                      for pid, refs in by(rows.rows("IDS101Referral"), "LocalPatientId").items()}
    ages = []
    for patient in patients:
        birth = day(patient["PersonBirthDate"])
        referred = first_referral[patient["LocalPatientId"]]
        ages.append((referred - birth).days // 365)
        if patient["Postcode"]:
            assert postcode_problem(patient["Postcode"]) is None
            assert patient["Postcode"].startswith(catalogue.POSTCODE_AREA)
        assert patient["OrgIDLocalPatientId"] == catalogue.PROVIDER_ODS
        assert patient["EthnicCategory2021"] is None
    assert min(ages) >= 18 and max(ages) <= 91
    assert 30 <= sum(ages) / len(ages) <= 50
    languages = collections.Counter(p["LanguageCodePreferred"] for p in patients)
    assert languages["en"] / len(patients) > 0.85
    genders = collections.Counter(p["Gender"] for p in patients)
    assert 0.5 < genders["2"] / len(patients) < 0.75
    # "do not wish to say" answers appear where the code list has one
    assert any(p["ExBAFIndicator"] == code_list("ExBAFIndicator").declined_code for p in patients)
    assert any(p["EduEstabTypeIAPT"] is None for p in patients)


def test_every_patient_has_one_open_gp_registration_and_a_referral(rows: DemoRows) -> None:
    patient_ids = {p["LocalPatientId"] for p in rows.rows("IDS001MPI")}
    gp = by(rows.rows("IDS002GP"), "LocalPatientId")
    referrals = by(rows.rows("IDS101Referral"), "LocalPatientId")
    assert set(gp) == patient_ids and set(referrals) == patient_ids
    for registrations in gp.values():
        assert len(registrations) == 1 and registrations[0]["EndDateGMPRegistration"] is None
        assert registrations[0]["GMPCodeReg"] in catalogue.GP_PRACTICES
    assert {p["LocalPatientId"] for p in rows.rows("app_patient")} == patient_ids
    assert any(len(refs) > 1 for refs in referrals.values())  # some people are referred again


def test_local_identifiers_are_unique_and_well_formed(rows: DemoRows) -> None:
    patterns = {"IDS001MPI": r"P\d{6}", "IDS101Referral": r"R\d{6}", "IDS201CareContact": r"C\d{7}",
                "IDS202CareActivity": r"A\d{7}"}
    for table_name, pattern in patterns.items():
        key = tables()[table_name].primary_key[0]
        values = [row[key] for row in rows.rows(table_name)]
        assert len(set(values)) == len(values)
        assert all(re.fullmatch(pattern, value) for value in values)
    for table_name in ("IDS606CodedScoreAssessmentRefer", "IDS607CodedScoreAssessmentAct"):
        row_ids = [row["app_row_id"] for row in rows.rows(table_name)]
        assert row_ids == list(range(1, len(row_ids) + 1))


def test_values_fit_the_code_lists_types_and_lengths(rows: DemoRows) -> None:
    for table_name, table in tables().items():
        for row in rows.rows(table_name):
            for column in table.columns:
                value = row[column.name]
                if value is None:
                    continue
                if column.type is ColumnType.INTEGER:
                    assert isinstance(value, int) and len(str(value)) <= (column.max_length or 4)
                    continue
                assert isinstance(value, str) and value == value.strip()
                if column.type is ColumnType.DATE:
                    dt.date.fromisoformat(value)
                elif column.type is ColumnType.TIME:
                    assert re.fullmatch(r"\d\d:\d\d:\d\d", value), (column.name, value)
                if column.max_length:
                    assert len(value) <= column.max_length, (table_name, column.name, value)
                if column.min_length:
                    assert len(value) >= column.min_length, (table_name, column.name, value)
                codes = code_list(column.name)
                if codes and column.name not in FREE_CODED:
                    assert value in codes.values(), (table_name, column.name, value)


def test_dates_are_consistent_and_inside_the_window(rows: DemoRows) -> None:
    window = OPTIONS.window
    births = {p["LocalPatientId"]: day(p["PersonBirthDate"]) for p in rows.rows("IDS001MPI")}
    referrals = {r["ServiceRequestId"]: r for r in rows.rows("IDS101Referral")}
    received = {key: day(r["ReferralRequestReceivedDate"]) for key, r in referrals.items()}
    contacts = by(rows.rows("IDS201CareContact"), "ServiceRequestId")
    for key, referral in referrals.items():
        assert births[referral["LocalPatientId"]] < received[key] <= window.end
        assert window.start <= received[key]
        if referral["OnsetDate"]:
            assert referral["OnsetDate"] >= births[referral["LocalPatientId"]].strftime("%Y-%m")
            assert referral["OnsetDate"] <= received[key].strftime("%Y-%m")
        dates = sorted(day(c["CareContDate"]) for c in contacts.get(key, []))
        assert all(received[key] <= d <= window.end and d.weekday() < 5 for d in dates)
        assert (referral["EndCode"] is None) == (referral["ServDischDate"] is None)
        if referral["ServDischDate"]:
            discharged = day(referral["ServDischDate"])
            assert (dates[-1] if dates else received[key]) <= discharged <= window.end
    for table_name, column in (("IDS105OnwardReferral", "OnwardReferDate"),
                               ("IDS108WaitingTimePauses", "PauseStartDate"),
                               ("IDS205InternetTherLog", "StartDateIntEnabledTherLog"),
                               ("IDS606CodedScoreAssessmentRefer", "AssToolCompDate"),
                               ("IDS603PresentingComplaints", "PresCompDate")):
        for row in rows.rows(table_name):
            assert received[row["ServiceRequestId"]] <= day(row[column]) <= window.end, (table_name, row)
    for pause in rows.rows("IDS108WaitingTimePauses"):
        assert pause["PauseEndDate"] is None or pause["PauseStartDate"] <= pause["PauseEndDate"] <= str(window.end)
    for log in rows.rows("IDS205InternetTherLog"):
        assert log["StartDateIntEnabledTherLog"] <= log["EndDateIntEnabledTherLog"] <= str(window.end)
    for qualification in rows.rows("IDS902CarePersQual"):
        assert "2005-01-01" <= qualification["QualAwardedDate"] < str(window.start)
    for table_name, column in (("IDS004EmpStatus", "EmployStatusRecDate"), ("IDS011SocPerCircumstances",
                               "SocPerCircumstanceRecDate"), ("IDS002GP", "StartDateGMPRegistration")):
        for row in rows.rows(table_name):
            if row[column]:
                assert births[row["LocalPatientId"]] <= day(row[column]) <= window.end


def test_pathways_are_varied(rows: DemoRows) -> None:
    end_codes = collections.Counter(r["EndCode"] for r in rows.rows("IDS101Referral"))
    assert end_codes["50"] > 0 and end_codes[None] > 0  # never seen; still open
    assert sum(end_codes[c] for c in ("10", "11", "12", "13", "14", "16")) > 0
    assert sum(end_codes[c] for c in ("46", "47", "48")) > 0.3 * sum(end_codes.values())
    sources = collections.Counter(r["SourceOfReferralIAPT"] for r in rows.rows("IDS101Referral"))
    assert sources.most_common(2)[0][0] == "B1" and sources.most_common(2)[1][0] == "A1"
    assert {r["OrgIDComm"] for r in rows.rows("IDS101Referral")} == {catalogue.COMMISSIONER_ODS}
    for table_name in ("IDS105OnwardReferral", "IDS108WaitingTimePauses", "IDS205InternetTherLog",
                       "IDS602LongTermCondition", "IDS603PresentingComplaints", "IDS606CodedScoreAssessmentRefer",
                       "IDS003AccommStatus", "IDS601MedHistPrevDiag"):
        assert rows.rows(table_name), table_name
    assert not rows.rows("IDS803CareCluster")  # legacy table
    assert {c["AppType"] for c in rows.rows("IDS201CareContact")} == {"01", "02", "06"}
    for complaint in rows.rows("IDS603PresentingComplaints"):
        assert complaint["FindSchemeInUse"] == "01" and re.fullmatch(r"F\d\d\.\d", complaint["PresComp"])


def test_attendance_mix_and_cancellation_indicator(rows: DemoRows) -> None:
    contacts = rows.rows("IDS201CareContact")
    codes = collections.Counter(c["AttendOrDNACode"] for c in contacts)
    assert 0.72 <= (codes["5"] + codes["6"]) / len(contacts) <= 0.83
    assert 0.07 <= codes["3"] / len(contacts) <= 0.14
    assert codes["2"] and codes["4"]
    for contact in contacts:
        assert (contact["Cancellation"] is not None) == (contact["AttendOrDNACode"] == "2")
        assert contact["IAPTLTCServiceInd"] in {"Y", "N"} and contact["AppType"]


def test_attended_contacts_have_an_activity_and_others_none(rows: DemoRows) -> None:
    activities = by(rows.rows("IDS202CareActivity"), "CareContactId")
    staff = {s["CarePersLocalId"] for s in rows.rows("app_care_personnel")}
    for contact in rows.rows("IDS201CareContact"):
        found = activities.get(contact["CareContactId"], [])
        assert len(found) == (1 if contact["AttendOrDNACode"] in ATTENDED else 0)
        for activity in found:
            assert activity["CarePersLocalId"] in staff
    assert {r["CarePersLocalId"] for r in rows.rows("app_referral")} <= staff


def test_therapy_codes_follow_the_staff_role(rows: DemoRows) -> None:
    kind = {s.display_name: s.kind for s in catalogue.STAFF}
    staff_kind = {s["CarePersLocalId"]: kind[s["display_name"]] for s in rows.rows("app_care_personnel")}
    allowed = {"low": {c for c, _ in catalogue.LOW_INTENSITY_THERAPIES},
               "high": {c for c, _ in catalogue.HIGH_INTENSITY_THERAPIES},
               "counselling": {c for c, _ in catalogue.COUNSELLING_THERAPIES}}
    contacts = {c["CareContactId"]: c for c in rows.rows("IDS201CareContact")}
    for activity in rows.rows("IDS202CareActivity"):
        if contacts[activity["CareContactId"]]["AppType"] == "02":
            assert activity["CodeProcAndProcStatus"] in allowed[staff_kind[activity["CarePersLocalId"]]]


def test_staff_and_qualifications(rows: DemoRows) -> None:
    staff = rows.rows("app_care_personnel")
    assert 4 <= len(staff) <= 8
    assert {s["professional_role"] for s in staff} == {"PWP", "High intensity therapist", "Counsellor"}
    qualified = {q["CarePersLocalId"] for q in rows.rows("IDS902CarePersQual")}
    assert qualified == {s["CarePersLocalId"] for s in staff}


def test_contact_details_are_fictional(rows: DemoRows) -> None:
    for patient in rows.rows("app_patient"):
        assert re.fullmatch(r"07700 900\d{3}|0113 496 0\d{3}", patient["phone"])
        assert patient["email"] == "" or patient["email"].endswith("@example.org")
        assert patient["given_name"] and patient["family_name"] and patient["address"]


def test_social_circumstances_use_trustworthy_codes(rows: DemoRows) -> None:
    usable = {c.code for group in ("Religion", "Sexual Orientation", "Perinatal")
              for c in social_circumstances_in(group) if not c.suspect_precision_loss}
    circumstances = rows.rows("IDS011SocPerCircumstances")
    assert circumstances
    assert {c["SocPerCircumstance"] for c in circumstances} <= usable
    religions = {c.code for c in social_circumstances_in("Religion")}
    assert any(c["SocPerCircumstance"] in religions for c in circumstances)
    assert any(c["SocPerCircumstance"] == "20430005" for c in circumstances)


def test_every_score_is_within_its_scale(rows: DemoRows) -> None:
    for table_name in ("IDS606CodedScoreAssessmentRefer", "IDS607CodedScoreAssessmentAct"):
        for row in rows.rows(table_name):
            tool = scale(row["CodedAssToolType"])
            assert tool is not None and tool.accepts(row["PersScore"]), row


def test_item_answers_add_up_to_the_totals(rows: DemoRows) -> None:
    answers = by(rows.rows("app_questionnaire_answer"), "score_row_id")
    checked = 0
    for score in rows.rows("IDS607CodedScoreAssessmentAct"):
        found = questionnaire_for_code(score["CodedAssToolType"])
        if found is None or found[0].entry is not Entry.SUM:
            assert score["app_row_id"] not in answers
            continue
        form = found[0]
        items = answers[score["app_row_id"]]
        assert sorted(a["item"] for a in items) == list(range(1, len(form.items) + 1))
        assert {a["score_table"] for a in items} == {"IDS607CodedScoreAssessmentAct"}
        assert form.total({a["item"]: a["answer"] for a in items}) == int(score["PersScore"])
        checked += 1
    assert checked > 1000


def test_phq9_and_gad7_at_every_attended_assessment_and_treatment(rows: DemoRows) -> None:
    contacts = {c["CareContactId"]: c for c in rows.rows("IDS201CareContact")}
    scores = by(rows.rows("IDS607CodedScoreAssessmentAct"), "CareActId")
    for activity in rows.rows("IDS202CareActivity"):
        codes = [s["CodedAssToolType"] for s in scores.get(activity["CareActId"], [])]
        assert len(codes) == len(set(codes))  # IDS60709: one row per tool per activity
        if contacts[activity["CareContactId"]]["AppType"] in {"01", "02"}:
            assert PHQ9 in codes and GAD7 in codes
        else:
            assert not codes


def test_disorder_specific_measures_match_the_presenting_complaint(rows: DemoRows) -> None:
    adsm_codes = {c.adsm for c in catalogue.COMPLAINTS if c.adsm}
    primary = {p["ServiceRequestId"]: p["PresComp"] for p in rows.rows("IDS603PresentingComplaints")
               if p["PresCompCodSig"] == "1"}
    expected = {c.code: c.adsm for c in catalogue.COMPLAINTS}
    contacts = {c["CareContactId"]: c["ServiceRequestId"] for c in rows.rows("IDS201CareContact")}
    activity_referral = {a["CareActId"]: contacts[a["CareContactId"]] for a in rows.rows("IDS202CareActivity")}
    seen = set()
    for score in rows.rows("IDS607CodedScoreAssessmentAct"):
        if score["CodedAssToolType"] in adsm_codes:
            referral = activity_referral[score["CareActId"]]
            assert expected[primary[referral]] == score["CodedAssToolType"]
            seen.add(score["CodedAssToolType"])
    assert len(seen) >= 3


def _course_scores(rows: DemoRows) -> list[tuple[int, int, int, int]]:
    """First and last PHQ-9/GAD-7 of referrals that finished a course (46-49, two or more treatment sessions)."""
    contacts = {c["CareContactId"]: c for c in rows.rows("IDS201CareContact")}
    totals: dict[str, dict[str, str]] = collections.defaultdict(dict)
    for score in rows.rows("IDS607CodedScoreAssessmentAct"):
        totals[score["CareActId"]][score["CodedAssToolType"]] = score["PersScore"]
    sessions = collections.defaultdict(list)
    for activity in rows.rows("IDS202CareActivity"):
        contact = contacts[activity["CareContactId"]]
        sessions[contact["ServiceRequestId"]].append((contact["CareContDate"], contact["AppType"],
                                                      totals[activity["CareActId"]]))
    pairs = []
    for referral in rows.rows("IDS101Referral"):
        if referral["EndCode"] not in {"46", "47", "48", "49"}:
            continue
        scored = sorted(s for s in sessions[referral["ServiceRequestId"]] if PHQ9 in s[2])
        if sum(1 for s in scored if s[1] == "02") < 2:
            continue
        first, last = scored[0][2], scored[-1][2]
        pairs.append((int(first[PHQ9]), int(first[GAD7]), int(last[PHQ9]), int(last[GAD7])))
    return pairs


def test_outcomes_are_realistic(rows: DemoRows) -> None:
    pairs = _course_scores(rows)
    at_case = [p for p in pairs if at_caseness(p[0], p[1])]
    assert len(at_case) > 100
    assert len(at_case) / len(pairs) > 0.75  # most start at caseness
    recovered = [p for p in at_case if p[2] < PHQ9_CASENESS and p[3] < GAD7_CASENESS]
    assert 0.35 <= len(recovered) / len(at_case) <= 0.65
    outcomes = collections.Counter(outcome_of(*p) for p in at_case)
    assert outcomes["improved"] > 0 and outcomes["deteriorated"] > 0 and outcomes["unchanged"] > 0


def test_same_seed_same_rows_other_seed_other_rows() -> None:
    options = DemoOptions(as_of=AS_OF, patients=60, months=6, seed=11)
    first = generate(options)
    assert generate(options).tables == first.tables
    assert generate(options, batch_patients=7).tables == first.tables  # batching does not change the data
    assert generate(DemoOptions(as_of=AS_OF, patients=60, months=6, seed=12)).tables != first.tables


def test_planted_faults_change_only_their_own_cells() -> None:
    clean = generate(DemoOptions(as_of=AS_OF, patients=40, months=12, seed=5))
    options = DemoOptions(as_of=AS_OF, patients=40, months=12, seed=5, with_faults=True)
    planted = next(generate_batches(options)).planted
    faulty = generate(options)
    assert [p.rule_id for p in planted] == [f.rule_id for f in PLANTED_FAULTS]
    changed = set()
    for name, clean_rows in clean.tables.items():
        assert len(faulty.tables[name]) == len(clean_rows)
        for before, after in zip(clean_rows, faulty.tables[name], strict=True):
            for column, value in before.items():
                if after[column] != value:
                    key_column = next(p.key_column for p in planted if p.table == name)
                    changed.add((name, column, str(after[key_column])))
    assert changed == {(p.table, p.column, p.key) for p in planted}


def test_every_month_has_a_referral_when_there_are_enough_patients() -> None:
    options = DemoOptions(as_of=dt.date(2025, 6, 15), patients=18, months=5, seed=365)
    received = {r["ReferralRequestReceivedDate"][:7] for r in generate(options).rows("IDS101Referral")}
    assert {f"{first:%Y-%m}" for first, _ in options.window.months()} <= received
    assert [m[0].month for m in DemoWindow.ending_before(dt.date(2026, 3, 1), 3).months()] == [12, 1, 2]
