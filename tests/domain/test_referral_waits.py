from __future__ import annotations

import datetime as dt

from iapt_desktop.domain.circumstance_labels import (
    RELIGION,
    SEXUAL_ORIENTATION,
    circumstance_code,
    circumstance_code_list,
)
from iapt_desktop.domain.referral_waits import referral_waits


def contact(day: str, app_type: str, attended: str) -> dict[str, str]:
    return {"CareContDate": day, "AppType": app_type, "AttendOrDNACode": attended}


def test_first_assessment_and_treatment_count_only_attended_contacts_of_the_right_type() -> None:
    waits = referral_waits(
        {"ReferralRequestReceivedDate": "2025-04-01"},
        [
            contact("2025-04-05", "01", "3"),  # did not attend
            contact("2025-04-10", "01", "5"),
            contact("2025-04-20", "04", "5"),  # review, not treatment
            contact("2025-05-13", "02", "6"),
            contact("2025-05-20", "02", "5"),
        ],
        [{"PauseStartDate": "2025-04-25", "PauseEndDate": "2025-05-02"}],
    )
    assert waits.first_assessment == dt.date(2025, 4, 10) and waits.days_to_assessment == 9
    assert waits.first_treatment == dt.date(2025, 5, 13) and waits.days_to_treatment == 42
    assert waits.attended_sessions == 4 and waits.treatment_sessions == 2
    assert waits.paused_days_before_treatment == 7
    assert "within 6 weeks" in waits.describe_treatment_wait()


def test_assessment_and_treatment_appointment_counts_as_both() -> None:
    waits = referral_waits({"ReferralRequestReceivedDate": "2025-04-01"}, [contact("2025-06-01", "03", "5")])
    assert waits.first_assessment == waits.first_treatment == dt.date(2025, 6, 1)
    assert "over 18 weeks" not in waits.describe_treatment_wait()


def test_no_sessions_yet() -> None:
    waits = referral_waits({"ReferralRequestReceivedDate": "2025-04-01"}, [])
    assert waits.first_treatment is None and waits.describe_treatment_wait() == "Not yet started treatment"


def test_religion_and_orientation_have_words_and_unknown_codes_say_so() -> None:
    assert circumstance_code("160549006").label == "Christian"
    assert circumstance_code("20430005").label == "Heterosexual"
    fallback = circumstance_code("368001000000101")
    assert fallback.label == "Religion (SNOMED 368001000000101)" and fallback.unconfirmed
    religions = circumstance_code_list(RELIGION)
    assert len(religions.codes) == 147
    assert circumstance_code_list(SEXUAL_ORIENTATION).get("699042003").label == "Declined"
