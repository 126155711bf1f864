"""Reading the metrics rows of a period from a real database."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlite_utils import Database

from iapt_desktop.domain.assessment_scales import PHQ9
from iapt_desktop.domain.metrics.referral_outcome import ReferralOutcome, iter_referral_outcomes
from iapt_desktop.domain.metrics.rows import MetricsRows
from iapt_desktop.domain.metrics.score_pairs import ScorePair
from iapt_desktop.domain.metrics.service_metrics import service_metrics
from iapt_desktop.storage.metrics_rows import STEPS, read_metrics_rows, read_metrics_rows_steps
from tests.domain.metrics.referral_rows import contact, referral, small_service
from tests.metrics_database import insert_metrics_rows

START, END = dt.date(2025, 4, 1), dt.date(2025, 6, 30)


def test_only_referrals_touching_the_period_are_read_with_their_whole_history(db: Database) -> None:
    insert_metrics_rows(db, small_service())
    rows = read_metrics_rows(db, START, END)
    assert [r["ServiceRequestId"] for r in rows.referrals] == ["R1", "R2", "R3", "R4", "R5", "R7"]
    assert {c["CareContactId"] for c in rows.contacts if c["ServiceRequestId"] == "R1"} >= {"R1-A", "R1-T0"}
    assert not any(c["ServiceRequestId"] == "R6" for c in rows.contacts)
    assert rows.counsellor_names == {"C1": "Alex", "C2": "Sam"}
    assert next(r for r in rows.referrals if r["ServiceRequestId"] == "R1")["CarePersLocalId"] == "C1"


def test_no_patient_identifier_is_read(db: Database) -> None:
    insert_metrics_rows(db, small_service())
    rows = read_metrics_rows(db, START, END)
    columns = {key for table in (rows.referrals, rows.contacts, rows.referral_scores) for row in table for key in row}
    assert not columns & {"LocalPatientId", "NHSNumber", "PersonBirthDate", "Postcode"}


def test_figures_from_the_database_equal_those_from_the_rows(db: Database) -> None:
    source = small_service()
    insert_metrics_rows(db, source)
    from_db = service_metrics(iter_referral_outcomes(read_metrics_rows(db, START, END)), START, END)
    from_rows = service_metrics(iter_referral_outcomes(source), START, END)
    assert from_db.figures == from_rows.figures
    assert from_db.figures["recovered"] == 1


def test_session_scores_are_read_through_their_activity_and_contact(db: Database) -> None:
    rows = MetricsRows(
        [referral("S1", "2025-04-01", None)],
        [contact("S1-C1", "S1", "2025-04-08"), contact("S1-C2", "S1", "2025-04-15")],
        activities=[
            {"CareActId": "S1-A1", "CareContactId": "S1-C1", "CarePersLocalId": "C1"},
            {"CareActId": "S1-A2", "CareContactId": "S1-C2", "CarePersLocalId": "C1"},
        ],
        activity_scores=[
            {"CareActId": "S1-A1", "CodedAssToolType": PHQ9, "PersScore": "14"},
            {"CareActId": "S1-A2", "CodedAssToolType": PHQ9, "PersScore": "9"},
        ],
    )
    insert_metrics_rows(db, rows)
    read = read_metrics_rows(db, START, END)
    assert len(read.activities) == 2 and [s["PersScore"] for s in read.activity_scores] == ["14", "9"]
    (outcome,) = iter_referral_outcomes(read)
    assert (outcome.phq9.first_value, outcome.phq9.last_value) == (14, 9)


def test_reading_reports_each_table(db: Database) -> None:
    insert_metrics_rows(db, small_service())
    steps = read_metrics_rows_steps(db, START, END)
    seen = [step for step, _ in steps]
    assert tuple(seen) == STEPS


def test_batches_hold_the_same_rows_as_one_read_and_give_the_same_outcomes(db: Database) -> None:
    from iapt_desktop.storage.metrics_rows import read_metrics_row_batches

    insert_metrics_rows(db, small_service())
    whole = read_metrics_rows(db, START, END)
    batches = list(read_metrics_row_batches(db, START, END, batch_referrals=1))
    assert len(batches) == len(whole.referrals) > 1
    assert [b.done for b in batches] == list(range(1, len(batches) + 1))
    assert {b.total for b in batches} == {len(whole.referrals)}
    for step in STEPS:
        in_batches = [row for b in batches for row in getattr(b.rows, step)]
        assert sorted(map(repr, in_batches)) == sorted(map(repr, getattr(whole, step))), step
    batched = [outcome for b in batches for outcome in iter_referral_outcomes(b.rows)]
    # a score's input order only breaks ties within its referral: compare without it
    assert list(map(_without_order, batched)) == list(map(_without_order, iter_referral_outcomes(whole)))
    assert service_metrics(batched, START, END).figures == service_metrics(
        iter_referral_outcomes(whole), START, END).figures
    assert not db.execute("SELECT name FROM temp.sqlite_master WHERE name LIKE 'metrics_%'").fetchall()


def _without_order(outcome: ReferralOutcome) -> ReferralOutcome:
    def pair(scores: ScorePair) -> ScorePair:
        return ScorePair(*(record._replace(order=0) if record else None for record in (scores.first, scores.last)))

    return replace(outcome, phq9=pair(outcome.phq9), anxiety=pair(outcome.anxiety))
