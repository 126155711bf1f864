"""Schema migration 0010: a referral's care contacts by date in one index.

The caseload shows each listed patient's last session (``max(CareContDate)`` of
their referral's contacts) and the record lists a referral's sessions by date.
With contacts indexed by referral alone, each of those reads every contact row of
the referral from the table; with the date in the index they are answered from
the index.  The new index starts with ``ServiceRequestId``, so it also serves
every lookup the single-column index served (parent links, cascades), which is
dropped.
"""

CONTACT_DATES_SQL = """
CREATE INDEX idx_IDS201CareContact_ServiceRequestId_CareContDate
    ON IDS201CareContact (ServiceRequestId, CareContDate);

DROP INDEX idx_IDS201CareContact_ServiceRequestId;
"""
