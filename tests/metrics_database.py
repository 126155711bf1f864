"""Writing hand-made metrics rows into a real database (synthetic data only)."""

from __future__ import annotations

from sqlite_utils import Database

from iapt_desktop.domain.metrics.rows import MetricsRows


def insert_metrics_rows(db: Database, rows: MetricsRows) -> None:
    """Insert referrals (with a patient each), contacts, activities, scores and complaints."""
    with db.atomic():
        counsellors = dict(rows.counsellor_names)
        for referral in rows.referrals:
            if referral.get("CarePersLocalId"):
                counsellors.setdefault(referral["CarePersLocalId"], referral["CarePersLocalId"])
        for activity in rows.activities:
            if activity.get("CarePersLocalId"):
                counsellors.setdefault(activity["CarePersLocalId"], activity["CarePersLocalId"])
        db.table("app_care_personnel").insert_all(
            [{"CarePersLocalId": key, "display_name": name} for key, name in counsellors.items()]
        )
        for referral in rows.referrals:
            key = referral["ServiceRequestId"]
            db.table("IDS001MPI").insert({"LocalPatientId": f"P-{key}"})
            values = {k: v for k, v in referral.items() if k != "CarePersLocalId"}
            db.table("IDS101Referral").insert({**values, "LocalPatientId": f"P-{key}"})
            db.table("app_referral").insert(
                {"ServiceRequestId": key, "CarePersLocalId": referral.get("CarePersLocalId")}
            )
        db.table("IDS201CareContact").insert_all([dict(c) for c in rows.contacts])
        db.table("IDS202CareActivity").insert_all([dict(a) for a in rows.activities])
        db.table("IDS606CodedScoreAssessmentRefer").insert_all([dict(s) for s in rows.referral_scores])
        db.table("IDS607CodedScoreAssessmentAct").insert_all([dict(s) for s in rows.activity_scores])
        db.table("IDS603PresentingComplaints").insert_all([dict(c) for c in rows.presenting_complaints])
        db.table("IDS108WaitingTimePauses").insert_all([dict(p) for p in rows.pauses])
