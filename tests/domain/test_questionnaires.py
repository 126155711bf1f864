"""Questionnaires as data: totals only when complete, bands, caseness, risk, typed totals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iapt_desktop.domain.assessment_scales import GAD7, PHQ9, assessment_scales, scale
from iapt_desktop.domain.questionnaires import Entry, questionnaire, questionnaire_for_code, questionnaires


def all_answers(key: str, value: str) -> dict[int, str]:
    return {item.number: value for item in questionnaire(key).items}


def test_phq9_and_gad7_are_summed_under_their_snomed_codes() -> None:
    phq, gad = questionnaire("PHQ9"), questionnaire("GAD7")
    assert (phq.code, len(phq.items), phq.maximum_total()) == (PHQ9, 9, 27)
    assert (gad.code, len(gad.items), gad.maximum_total()) == (GAD7, 7, 21)
    assert [o.caption for o in phq.item(1).options] == [
        "0 · Not at all", "1 · Several days", "2 · More than half the days", "3 · Nearly every day"]
    answers = {1: "3", 2: "2", 3: "1", 4: "0", 5: "3", 6: "2", 7: "1", 8: "0", 9: "0"}
    assert phq.total(answers) == 12
    assert [(s.code, s.score) for s in phq.scores(answers)] == [(PHQ9, "12")]


@pytest.mark.parametrize(("total", "band"), [
    (0, "None–minimal"), (4, "None–minimal"), (5, "Mild"), (9, "Mild"), (10, "Moderate"), (14, "Moderate"),
    (15, "Moderately severe"), (19, "Moderately severe"), (20, "Severe"), (27, "Severe")])
def test_phq9_severity_bands(total: int, band: str) -> None:
    assert questionnaire("PHQ9").band(total).label == band


@pytest.mark.parametrize(("total", "band"), [(4, "Minimal"), (5, "Mild"), (10, "Moderate"), (15, "Severe"),
                                             (21, "Severe")])
def test_gad7_bands(total: int, band: str) -> None:
    assert questionnaire("GAD7").band(total).label == band


def test_caseness_thresholds_are_the_programmes() -> None:
    assert questionnaire("PHQ9").is_case(9) is False and questionnaire("PHQ9").is_case(10) is True
    assert questionnaire("GAD7").is_case(7) is False and questionnaire("GAD7").is_case(8) is True
    assert questionnaire("WSAS").is_case(30) is None  # no caseness for WSAS


def test_no_total_unless_every_item_is_answered() -> None:
    phq = questionnaire("PHQ9")
    answers = all_answers("PHQ9", "1")
    del answers[4]
    assert phq.total(answers) is None
    assert phq.missing_items(answers) == [4]
    assert phq.scores(answers) == []


def test_item9_above_zero_is_a_risk_and_zero_is_not() -> None:
    phq = questionnaire("PHQ9")
    answers = all_answers("PHQ9", "0")
    assert phq.risks(answers) == []
    answers[9] = "1"
    [risk] = phq.risks(answers)
    assert (risk.questionnaire, risk.item, risk.answer) == ("PHQ9", 9, "1")
    assert "item 9" in risk.message and "answered 1 (several days)" in risk.message
    assert questionnaire("GAD7").risks(all_answers("GAD7", "3")) == []


def test_wsas_items_each_carry_their_own_code_and_the_total_is_only_shown() -> None:
    wsas = questionnaire("WSAS")
    assert wsas.entry is Entry.ITEM_CODES and wsas.code is None
    answers = {1: "4", 2: "2", 3: "8", 4: "0", 5: "6"}
    assert wsas.total(answers) == 20 and wsas.band(20).label == "Significant impairment"
    scores = wsas.scores(answers)
    assert [s.score for s in scores] == ["4", "2", "8", "0", "6"]
    assert all(scale(s.code).tool == "WSAS" and scale(s.code).accepts(s.score) for s in scores)
    # Work not applicable (9): items still submitted, no total
    answers[1] = "9"
    assert wsas.total(answers) is None and len(wsas.scores(answers)) == 5
    # a partly answered WSAS submits the answered items
    assert len(wsas.scores({2: "1", 3: "1", 4: "1", 5: "1"})) == 4


def test_peq_answers_are_rows_under_each_questions_code() -> None:
    apeq = questionnaire("APEQ")
    assert apeq.item(1).option_for_key("y").value == "Y"
    assert apeq.item(3).option_for_key("a").value == "NA"
    assert apeq.item(1).option_for_key("a") is None
    scores = apeq.scores({1: "Y", 3: "NA", 5: "4"})
    assert [(s.code, s.score) for s in scores] == [
        ("747861000000100", "Y"), ("747881000000109", "NA"), ("747891000000106", "4")]
    assert all(scale(s.code).accepts(s.score) for s in scores)
    assert apeq.total({1: "Y"}) is None


def test_typed_totals_are_checked_against_the_scale() -> None:
    oci = questionnaire("OCI")
    assert oci.total_problem("40") is None
    assert "0 to 168" in oci.total_problem("169")
    assert oci.scores({}, "169") == [] and oci.scores({}, "40")[0].score == "40"
    mobility = questionnaire("MI_473354003")
    assert mobility.total_problem("2.35") is None and mobility.total_problem("3") is not None


def test_every_accepted_tool_belongs_to_exactly_one_questionnaire_and_maxima_fit_the_scales() -> None:
    for code, accepted in assessment_scales().items():
        form, item = questionnaire_for_code(code)
        if form.entry is Entry.SUM:
            assert form.maximum_total() == accepted.maximum, form.key
        if item is not None:
            assert all(accepted.accepts(o.value) for o in item.options), (form.key, item.number)
    codes = [c for form in questionnaires().values() for c in form.codes()]
    assert len(codes) == len(set(codes)) == len(assessment_scales())


def test_unconfirmed_wording_is_carried() -> None:
    assert questionnaire("PHQ9").wording_unconfirmed and "unconfirmed" in questionnaire("PHQ9").note.lower()
    assert "unconfirmed" in questionnaire("WSAS").note


def test_an_item_coded_answer_off_the_scale_is_kept_not_dropped() -> None:
    """An imported PEQ answer that is not on the scale stays, for validation to report."""
    assert [s.score for s in questionnaire("TPEQ").scores({1: "7", 2: "3"})] == ["7", "3"]


@given(st.data())
def test_the_total_is_the_sum_when_every_item_is_answered_and_none_otherwise(data: st.DataObject) -> None:
    key = data.draw(st.sampled_from(["PHQ9", "GAD7", "SPIN", "PDSS", "HAI", "PCL5", "PHQ15"]))
    form = questionnaire(key)
    answers = {item.number: data.draw(st.sampled_from([o.value for o in item.options])) for item in form.items}
    total = form.total(answers)
    assert total == sum(int(a) for a in answers.values())
    assert scale(form.code).accepts(str(total))
    assert form.band(total) is not None or not form.bands
    dropped = data.draw(st.sampled_from([item.number for item in form.items]))
    del answers[dropped]
    assert form.total(answers) is None and form.scores(answers) == []


def test_every_typed_total_says_why_it_is_not_entered_item_by_item() -> None:
    typed = [q for q in questionnaires().values() if q.entry is Entry.TOTAL]
    assert {"OCI", "MI_473354003", "MI_473355002", "BIQ", "IBS_SSS"} <= {q.key for q in typed}
    for form in typed:
        assert len(form.total_only_reason) > 40, form.key
    for key in ("OCI", "MI_473354003", "BIQ", "IBS_SSS"):
        assert "reference" in questionnaire(key).total_only_reason  # the reason is what the reference lacks
    assert "OCI-R" in questionnaire("OCI").total_only_reason
    assert all(not q.total_only_reason for q in questionnaires().values() if q.entry is not Entry.TOTAL)


def test_the_recording_guide_lists_every_typed_total_measure_under_its_heading() -> None:
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[2] / "docs" / "recording.md").read_text(encoding="utf-8")
    heading = "### Questionnaires entered as a typed total (not item by item), and why"
    assert heading in guide
    section = guide.split(heading, 1)[1].split("\n## ", 1)[0]
    for form in questionnaires().values():
        if form.entry is Entry.TOTAL:
            assert form.code in section, form.key
