"""First and last scores of a referral, as the national metrics pair them.

First = the earliest valid total in the referral.  Last = the latest valid total from a later occasion
(another care contact, or another completion date/time for referral-level scores), up to the end date.
A referral is *paired* on a measure when it has a last score.  [META-M M180, M199-M201]
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple


class ScoreRecord(NamedTuple):
    """One valid total of one tool, placed in time (a named tuple: there are millions)."""

    tool_code: str  # SNOMED CT code (CodedAssToolType)
    value: Decimal
    date: dt.date
    time: str  # 'HH:MM:SS' or '' when not recorded
    occasion: tuple[str, ...]  # same occasion = same contact, or same referral-level completion date/time
    order: int  # input order, the last tie-breaker


@dataclass(frozen=True, slots=True)
class ScorePair:
    first: ScoreRecord | None
    last: ScoreRecord | None

    @property
    def paired(self) -> bool:
        return self.first is not None and self.last is not None

    @property
    def first_value(self) -> Decimal | None:
        return self.first.value if self.first else None

    @property
    def last_value(self) -> Decimal | None:
        return self.last.value if self.last else None


NO_SCORES = ScorePair(None, None)


def score_pair(records: Iterable[ScoreRecord], tool_code: str, end: dt.date | None) -> ScorePair:
    """First and last scores of one tool; scores after the end date are ignored."""
    chosen = [r for r in records if r.tool_code == tool_code and (end is None or r.date <= end)]
    if not chosen:
        return NO_SCORES
    chosen.sort(key=_TIME_ORDER)
    first = chosen[0]
    for record in reversed(chosen):  # the latest from another occasion (the first's own never qualifies)
        if record.occasion != first.occasion:
            return ScorePair(first, record)
    return ScorePair(first, None)


_TIME_ORDER = operator.itemgetter(2, 3, 5)  # (date, time, order) of a ScoreRecord
