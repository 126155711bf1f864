"""Plausible synthetic outcome scores: PHQ-9 / GAD-7 trajectories, ADSMs, WSAS, PEQs and item answers.

A course of treatment is given an outcome class (recovered, improved,
unchanged, deteriorated) and first and last PHQ-9 / GAD-7 totals that
satisfy it under the programme's definitions (caseness PHQ-9 >= 10 or
GAD-7 >= 8; reliable change 6 and 4 points); scores in between move from
first to last with a little noise.  The ADSM follows GAD-7 through a
piecewise-linear map that keeps caseness the same on both scales.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

from iapt_desktop.domain import demo_catalogue as catalogue
from iapt_desktop.domain.assessment_scales import scale
from iapt_desktop.domain.demo_rows import Weighted

PHQ9_CASENESS, GAD7_CASENESS = 10, 8
PHQ9_RELIABLE, GAD7_RELIABLE = 6, 4
PHQ9_MAX, GAD7_MAX = 27, 21

RECOVERED, IMPROVED, UNCHANGED, DETERIORATED = "recovered", "improved", "unchanged", "deteriorated"
# Outcome mix for people at caseness who finish a course (EndCode 46) or end it early (47/48).
OUTCOMES_COMPLETED = Weighted((RECOVERED, 58), (IMPROVED, 24), (UNCHANGED, 13), (DETERIORATED, 5))
OUTCOMES_ENDED_EARLY = Weighted((RECOVERED, 32), (IMPROVED, 27), (UNCHANGED, 33), (DETERIORATED, 8))


def at_caseness(phq: int, gad: int) -> bool:
    return phq >= PHQ9_CASENESS or gad >= GAD7_CASENESS


def outcome_of(phq_first: int, gad_first: int, phq_last: int, gad_last: int) -> str:
    """The outcome class of a pair of first/last scores, as the programme defines them."""
    improved = phq_first - phq_last >= PHQ9_RELIABLE or gad_first - gad_last >= GAD7_RELIABLE
    worse = phq_last - phq_first >= PHQ9_RELIABLE or gad_last - gad_first >= GAD7_RELIABLE
    if worse:
        return DETERIORATED
    if at_caseness(phq_first, gad_first) and not at_caseness(phq_last, gad_last):
        return RECOVERED
    return IMPROVED if improved else UNCHANGED


@dataclass(frozen=True)
class Trajectory:
    """PHQ-9 and GAD-7 totals at the assessment (index 0) and each treatment session after it."""

    phq: tuple[int, ...]
    gad: tuple[int, ...]

    def at(self, index: int) -> tuple[int, int]:
        last = len(self.phq) - 1
        return self.phq[min(index, last)], self.gad[min(index, last)]


def baseline(rng: random.Random, depression_led: bool, caseness: bool) -> tuple[int, int]:
    """First PHQ-9 and GAD-7 totals."""
    if not caseness:
        return rng.randint(2, 9), rng.randint(1, 7)
    while True:
        phq = round(rng.triangular(8, 26, 17 if depression_led else 14))
        gad = round(rng.triangular(5, 21, 12 if depression_led else 15))
        if at_caseness(phq, gad):
            return min(phq, PHQ9_MAX), min(gad, GAD7_MAX)


def last_scores(rng: random.Random, phq: int, gad: int, outcome: str) -> tuple[int, int]:
    """Last totals that give ``outcome`` from (phq, gad); falls back to an unchanged pair."""
    for _ in range(60):
        if outcome == RECOVERED:
            candidate = rng.randint(1, 9), rng.randint(0, 7)
        elif outcome == IMPROVED:
            candidate = phq - rng.randint(2, 10), gad - rng.randint(1, 7)
        elif outcome == DETERIORATED:
            candidate = phq + rng.randint(3, 9), gad + rng.randint(2, 6)
        else:
            candidate = phq + rng.randint(-4, 3), gad + rng.randint(-3, 2)
        last = min(max(candidate[0], 0), PHQ9_MAX), min(max(candidate[1], 0), GAD7_MAX)
        if outcome_of(phq, gad, *last) == outcome:
            return last
    return phq, gad


def trajectory(rng: random.Random, first: tuple[int, int], last: tuple[int, int], sessions: int) -> Trajectory:
    """Totals from the assessment (first) over ``sessions`` treatment sessions ending exactly at ``last``."""
    phq, gad = [first[0]], [first[1]]
    for session in range(1, sessions + 1):
        if session == sessions:
            phq.append(last[0])
            gad.append(last[1])
            continue
        share = (session / sessions) ** 0.8
        phq.append(_between(rng, first[0], last[0], share, PHQ9_MAX))
        gad.append(_between(rng, first[1], last[1], share, GAD7_MAX))
    return Trajectory(tuple(phq), tuple(gad))


def unchanging(rng: random.Random, first: tuple[int, int], sessions: int) -> Trajectory:
    """Scores that wander a little around the first ones (for courses whose end is not planned)."""
    return trajectory(rng, first, last_scores(rng, *first, UNCHANGED), sessions)


def _between(rng: random.Random, start: int, end: int, share: float, maximum: int) -> int:
    value = round(start + (end - start) * share) + rng.randint(-2, 2)
    return min(max(value, 0), maximum)


def adsm_score(adsm_code: str, gad: int) -> int:
    """The ADSM total matching a GAD-7 total: below caseness on one means below on the other."""
    shape = catalogue.MEASURE_SHAPES[adsm_code]
    top = shape.items * shape.item_maximum
    if gad < GAD7_CASENESS:
        return round(gad * (shape.caseness - 1) / (GAD7_CASENESS - 1))
    return shape.caseness + round((gad - GAD7_CASENESS) * (top - shape.caseness) / (GAD7_MAX - GAD7_CASENESS))


def item_answers(rng: random.Random, code: str, total: int) -> list[int]:
    """Item answers (each 0..item maximum) that add up to ``total``."""
    shape = catalogue.MEASURE_SHAPES[code]
    answers = [0] * shape.items
    for index in rng.choices(range(shape.items), k=total):
        answers[index] += 1
    overflow = sum(max(0, a - shape.item_maximum) for a in answers)
    answers = [min(a, shape.item_maximum) for a in answers]
    while overflow:
        index = rng.choice([i for i, a in enumerate(answers) if a < shape.item_maximum])
        answers[index] += 1
        overflow -= 1
    return answers


def wsas_items(rng: random.Random, phq: int) -> list[int]:
    """Five WSAS item scores (0-8) loosely following depression severity."""
    centre = phq / PHQ9_MAX * 8 * 1.1
    return [min(max(round(centre + rng.uniform(-2.0, 2.0)), 0), 8) for _ in catalogue.WSAS_ITEMS]


def assessment_peq(rng: random.Random) -> list[tuple[str, str]]:
    answers = [(catalogue.ASSESSMENT_PEQ_CHOICE[0], "Y" if rng.random() < 0.9 else "N"),
               (catalogue.ASSESSMENT_PEQ_CHOICE[1], "Y" if rng.random() < 0.7 else "N"),
               (catalogue.ASSESSMENT_PEQ_CHOICE[2], rng.choice(("Y", "Y", "Y", "N", "NA"))),
               (catalogue.ASSESSMENT_PEQ_CHOICE[3], rng.choice(("Y", "Y", "N", "NA", "NA"))),
               (catalogue.ASSESSMENT_PEQ_SATISFACTION, str(rng.choice((2, 3, 3, 4, 4, 4))))]
    return answers


def treatment_peq(rng: random.Random, recovered: bool) -> list[tuple[str, str]]:
    choices = (3, 4, 4, 4) if recovered else (1, 2, 3, 3, 4)
    return [(code, str(rng.choice(choices))) for code in catalogue.TREATMENT_PEQ]


@functools.cache
def check_in_range(code: str, score: str) -> str:
    """``score`` unchanged, after making sure the tool accepts it (a generator bug otherwise)."""
    tool = scale(code)
    if tool is None or not tool.accepts(score):
        raise AssertionError(f"demo generated score {score!r} outside the range of {code}")
    return score
