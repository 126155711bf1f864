"""The whole synthetic provider, generated patient by patient in batches.

Deterministic: the same options (seed, as_of, sizes) give the same rows in
the same order; nothing reads the clock.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from iapt_desktop.domain import demo_catalogue as catalogue
from iapt_desktop.domain.demo_faults import PlantedFaultRecord, plant_faults
from iapt_desktop.domain.demo_pathways import PathwayGenerator
from iapt_desktop.domain.demo_people import add_patient, add_staff, nhs_numbers
from iapt_desktop.domain.demo_rows import DemoIds, DemoOptions, DemoRows, DemoWindow, days_between

DEFAULT_BATCH_PATIENTS = 1000
RE_REFERRAL_SHARE = 0.06


@dataclass(frozen=True)
class DemoBatch:
    """Rows for the next patients; the first batch also holds the staff (and any planted faults)."""

    rows: DemoRows
    patients_done: int
    patients_total: int
    planted: tuple[PlantedFaultRecord, ...] = ()


def staff_count(patients: int) -> int:
    """4 to 8 care personnel, more for larger services."""
    return min(len(catalogue.STAFF), max(4, 4 + patients // 150))


def demo_settings() -> dict[str, str]:
    return {
        "provider_ods": catalogue.PROVIDER_ODS,
        "submitter_ods": catalogue.PROVIDER_ODS,
        "default_commissioner": catalogue.COMMISSIONER_ODS,
    }


def generate_batches(options: DemoOptions, batch_patients: int = DEFAULT_BATCH_PATIENTS) -> Iterator[DemoBatch]:
    """Generate the demo provider; each batch holds whole patients with all their referrals."""
    problems = options.problems()
    if problems:
        raise ValueError(" ".join(problems))
    rng = random.Random(options.seed)
    window = options.window
    ids = DemoIds()
    rows = DemoRows()
    staff = add_staff(rows, staff_count(options.patients), window, rng)
    numbers = nhs_numbers(rng, options.patients)
    first_referrals = _first_referral_days(rng, window, options.patients)
    pathways = PathwayGenerator(rng, ids, window, staff)
    first_batch = True
    for index, (number, referred) in enumerate(zip(numbers, first_referrals, strict=True)):
        patient = add_patient(rows, rng, ids.next_patient(), number, referred)
        discharged = pathways.add_referral(rows, patient, referred)
        if discharged is not None and rng.random() < RE_REFERRAL_SHARE:
            again = discharged + dt.timedelta(days=rng.randint(30, 150))
            if again <= window.end:
                pathways.add_referral(rows, patient, again)
        done = index + 1
        if done % batch_patients == 0 or done == options.patients:
            planted: tuple[PlantedFaultRecord, ...] = ()
            if first_batch and options.with_faults:
                planted = plant_faults(rows, window)
            yield DemoBatch(rows, done, options.patients, planted)
            rows = DemoRows()
            first_batch = False


def _first_referral_days(rng: random.Random, window: DemoWindow, patients: int) -> list[dt.date]:
    """Referral days spread over the window, with at least one in every month when there are enough
    patients (a service whose month has no records at all cannot submit that month)."""
    days = [days_between(rng, first, last) for first, last in window.months()[:patients]]
    days += [window.start + dt.timedelta(days=rng.randrange(window.days)) for _ in range(patients - len(days))]
    return sorted(days)
