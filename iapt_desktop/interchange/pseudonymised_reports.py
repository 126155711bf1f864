"""Reports made pseudonymous on request: the validation findings and the outcome metrics.

The team's rule: every export other than the statutory submission can be pseudonymised.  The same
:class:`~iapt_desktop.interchange.pseudonymise.Pseudonymiser` as ``export-tables`` does the work, so one
key gives the same pseudonyms here as in a table export (findings can be matched to exported rows).

- Validation findings: the record key (``P0001``, or ``LocalPatientId=P0001, DisabCode=04``), the value
  at fault (an NHS number, a postcode, a date of birth, a local id) and the keys of rows carried along.
  Rule ids, tables, fields and messages stay: the messages are the rules' own words, never data.
- Outcome metrics: each referral's ServiceRequestId, each counsellor's CarePersLocalId, and the
  counsellor's name (replaced by the pseudonym of their id).
"""

from __future__ import annotations

import dataclasses
import re

from iapt_desktop.domain.dataset import table
from iapt_desktop.domain.metrics.service_metrics import CounsellorFigures, ServiceMetrics
from iapt_desktop.interchange.pseudonymise import Pseudonymiser
from iapt_desktop.validation.engine import DroppedRow
from iapt_desktop.validation.findings import Finding
from iapt_desktop.validation.report import ValidationReport
from iapt_desktop.validation.row_keys import IDENTITY_COLUMNS


def pseudonymised_value(pseudonymiser: Pseudonymiser, column: str, value: str | None) -> str | None:
    """The value of ``column`` as a pseudonymised export gives it (unchanged for columns that identify no one)."""
    if value is None or value == "" or not column:
        return value
    replaced = pseudonymiser.row({column: value})[column]
    return None if replaced is None else str(replaced)


def pseudonymised_row_key(pseudonymiser: Pseudonymiser, table_name: str, key: str) -> str:
    """A finding's record key (see validation.row_keys.row_key) with its identifiers replaced."""
    if not key:
        return key
    try:
        definition = table(table_name)
    except KeyError:
        return key
    if definition.has_own_key:
        return pseudonymised_value(pseudonymiser, definition.primary_key[0], key) or ""
    columns = IDENTITY_COLUMNS.get(table_name, (definition.parent_column,) if definition.parent_column else ())
    if not columns:
        return key
    parts = re.split(", (?=(?:" + "|".join(re.escape(c) for c in columns) + ")=)", key)
    named = []
    for part in parts:
        column, equals, value = part.partition("=")
        if not equals:  # not in the 'Column=value' form: nothing of it is kept
            return pseudonymiser.identifier("LocalPatientId", key)
        named.append(f"{column}={pseudonymised_value(pseudonymiser, column, value) or ''}")
    return ", ".join(named)


def pseudonymised_finding(pseudonymiser: Pseudonymiser, finding: Finding) -> Finding:
    return dataclasses.replace(
        finding,
        key=pseudonymised_row_key(pseudonymiser, finding.table, finding.key),
        value=pseudonymised_value(pseudonymiser, finding.field, finding.value),
        row_index=None,
        row_id=None,
    )


def _pseudonymised_dropped(pseudonymiser: Pseudonymiser, row: DroppedRow) -> DroppedRow:
    carried_by = row.carried_by
    if carried_by is not None:
        carried_by = (carried_by[0], pseudonymised_row_key(pseudonymiser, carried_by[0], carried_by[1]))
    return dataclasses.replace(row, key=pseudonymised_row_key(pseudonymiser, row.table, row.key), carried_by=carried_by)


def pseudonymised_report(report: ValidationReport, pseudonymiser: Pseudonymiser) -> ValidationReport:
    """The report as an export shows it, identifiers replaced; the surviving rows are left out."""
    return dataclasses.replace(
        report,
        findings=tuple(pseudonymised_finding(pseudonymiser, f) for f in report.findings),
        dropped=tuple(_pseudonymised_dropped(pseudonymiser, row) for row in report.dropped),
        surviving_rows={},
    )


def pseudonymised_metrics(metrics: ServiceMetrics, pseudonymiser: Pseudonymiser) -> ServiceMetrics:
    """The figures with referral and staff ids pseudonymised and counsellors named by their pseudonym."""

    def counsellor(figures: CounsellorFigures) -> CounsellorFigures:
        if not figures.counsellor:  # 'Not assigned': no one to hide
            return figures
        pseudonym = pseudonymiser.identifier("CarePersLocalId", figures.counsellor)
        return dataclasses.replace(figures, counsellor=pseudonym, name=pseudonym)

    return dataclasses.replace(
        metrics,
        by_counsellor=tuple(counsellor(c) for c in metrics.by_counsellor),
        referrals=tuple(
            dataclasses.replace(
                outcome,
                key=pseudonymiser.identifier("ServiceRequestId", outcome.key),
                counsellor=pseudonymiser.identifier("CarePersLocalId", outcome.counsellor)
                if outcome.counsellor else outcome.counsellor,
            )
            for outcome in metrics.referrals
        ),
    )
