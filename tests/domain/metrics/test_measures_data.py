"""The thresholds and national figures kept as data agree with the data set and with each other."""

from __future__ import annotations

from decimal import Decimal

import pytest

from iapt_desktop.domain.assessment_scales import scale
from iapt_desktop.domain.metrics.headlines import HEADLINES, format_figure
from iapt_desktop.domain.metrics.measures import (
    adsm_for_complaint,
    gad7,
    measures,
    normalise_complaint_code,
    phq9,
    problem_descriptor,
    problem_descriptors,
)
from iapt_desktop.domain.metrics.national_figures import latest_year, national_figure, national_figures, target


def test_phq9_and_gad7_carry_the_confirmed_national_thresholds() -> None:
    assert (phq9().caseness_threshold, phq9().reliable_change, phq9().unconfirmed) == (10, 6, False)
    assert (gad7().caseness_threshold, gad7().reliable_change, gad7().unconfirmed) == (8, 4, False)
    assert phq9().at_caseness(Decimal(10)) and not phq9().at_caseness(Decimal(9))
    assert gad7().at_caseness(Decimal(8)) and not gad7().at_caseness(Decimal(7))


def test_every_measure_is_a_tool_the_data_set_accepts_and_adsms_are_marked_unconfirmed() -> None:
    for item in measures().values():
        assert scale(item.snomed_code) is not None, item.tool
        if item.role == "adsm":
            assert item.unconfirmed, item.tool


def test_every_descriptor_names_a_known_measure_or_none() -> None:
    known = set(measures()) | {"CFQ"}  # the Chalder Fatigue Questionnaire has no confirmed v2.1 code
    assert all(d.adsm_tool in known for d in problem_descriptors() if d.adsm_tool)


@pytest.mark.parametrize(
    ("code", "tool"),
    [
        ("F40.1", "SPIN"),
        ("f401", "SPIN"),
        ("F400", "MI"),
        ("F410", "PDSS"),
        ("F429", "OCI"),
        ("F431", "PCL5"),
        ("F452", "HAI"),
        ("F411", None),
        ("F32", None),
        ("83482000", None),
        ("G933", None),
        ("", None),
        (None, None),
    ],
)
def test_the_anxiety_measure_for_a_complaint(code: str | None, tool: str | None) -> None:
    found = adsm_for_complaint(code)
    assert (found.tool if found else None) == tool


def test_descriptors_match_icd10_by_prefix_and_snomed_exactly() -> None:
    assert normalise_complaint_code(" f40.1 ") == "F401"
    assert problem_descriptor("K580").descriptor == "Irritable bowel syndrome"
    assert problem_descriptor("834820001") is None
    assert problem_descriptor("83482000").adsm_tool == "BIQ"


def test_national_figures_are_fractions_or_counts_and_cover_the_headlines() -> None:
    for figure in national_figures():
        if figure.measure.endswith("_rate"):
            assert 0 < figure.value < 1, figure
        else:
            assert figure.value == int(figure.value) > 0, figure
    assert latest_year() == "2024-25"
    assert national_figure("recovery_rate").value == 0.505
    assert target("recovery_rate").value == 0.5 and not target("recovery_rate").unconfirmed
    assert target("waited_6_weeks_rate").unconfirmed
    assert national_figure("recovered", "2023-24").value == 318013
    assert {h.key for h in HEADLINES if national_figure(h.key)} >= {"recovery_rate", "waited_6_weeks_rate"}


def test_figures_are_formatted_for_people() -> None:
    assert format_figure(0.5051, "rate") == "50.5%"
    assert format_figure(None, "rate") == "–"
    assert format_figure(1813432, "count") == "1,813,432"
    assert format_figure(31.25, "days") == "31.2 days"
