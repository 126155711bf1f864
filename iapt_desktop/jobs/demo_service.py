"""Fill a new, empty database with a realistic synthetic provider (the demo service).

``generate_demo(db, options)`` is a generator yielding :class:`DemoProgress`;
the last one carries the :class:`DemoResult` (row counts and any planted
faults).  Rows are generated in memory by ``domain.demo_generator`` and
written in bulk, one transaction per batch of patients.  Closing the
generator early stops after the current batch (the batches already written
stay).  A database that already holds records is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlite_utils import Database

from iapt_desktop.domain.dataset import parent_first_order
from iapt_desktop.domain.demo_faults import PlantedFaultRecord
from iapt_desktop.domain.demo_generator import DEFAULT_BATCH_PATIENTS, demo_settings, generate_batches
from iapt_desktop.domain.demo_rows import APP_TABLE_COLUMNS, DemoOptions, DemoRows
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.settings_store import set_setting

DEMO_USER = "demo generator"
INSERT_CHUNK = 2000  # rows per INSERT statement batch
# Tables whose rows mean "this database is in use": the demo never writes into those.
RECORD_TABLES = ("IDS001MPI", "IDS101Referral", "IDS201CareContact", "IDS902CarePersQual",
                 "app_patient", "app_care_personnel")


class DemoRefused(Exception):
    """The database already holds records; the demo only fills an empty database."""


@dataclass(frozen=True)
class DemoResult:
    rows_by_table: dict[str, int] = field(default_factory=dict)
    planted: tuple[PlantedFaultRecord, ...] = ()

    @property
    def patients(self) -> int:
        return self.rows_by_table.get("IDS001MPI", 0)


@dataclass(frozen=True)
class DemoProgress:
    done: int  # patients written
    total: int
    message: str
    result: DemoResult | None = None  # set on the last progress only


def write_order() -> tuple[str, ...]:
    """The data set's parents before children, then the app tables (staff before caseloads)."""
    return (*parent_first_order(), *APP_TABLE_COLUMNS)


def holds_records(db: Database) -> bool:
    """True when any patient, referral, contact or staff record is stored."""
    return any(db.execute(f"SELECT 1 FROM [{name}] LIMIT 1").fetchone() for name in RECORD_TABLES)


def generate_demo(db: Database, options: DemoOptions,
                  batch_patients: int = DEFAULT_BATCH_PATIENTS) -> Iterator[DemoProgress]:
    """Generate and store the demo provider, yielding progress after every batch of patients."""
    problems = options.problems()
    if problems:
        raise ValueError(" ".join(problems))
    if holds_records(db):
        raise DemoRefused("This database already holds records; the demo only fills a new, empty database.")
    order = write_order()
    counts: dict[str, int] = dict.fromkeys(order, 0)
    planted: tuple[PlantedFaultRecord, ...] = ()
    yield DemoProgress(0, options.patients, "Starting")
    with db.atomic():
        for key, value in demo_settings().items():
            set_setting(db, key, value)
    for batch in generate_batches(options, batch_patients):
        with db.atomic():
            _write(db, batch.rows, order, counts)
        planted = planted or batch.planted
        if batch.patients_done < batch.patients_total:
            yield DemoProgress(batch.patients_done, batch.patients_total,
                               f"{batch.patients_done:,} of {batch.patients_total:,} patients")
    with db.atomic():
        audit_log.append(db, DEMO_USER, "demo_generated", changes={
            "patients": options.patients, "months": options.months, "seed": options.seed,
            "as_of": options.as_of.isoformat(), "with_faults": options.with_faults,
        })
    result = DemoResult({name: count for name, count in counts.items() if count}, planted)
    yield DemoProgress(options.patients, options.patients, "Done", result)


def run_demo(db: Database, options: DemoOptions) -> DemoResult:
    """Generate the demo to the end; returns the result."""
    result = None
    for progress in generate_demo(db, options):
        result = progress.result or result
    assert result is not None
    return result


def _write(db: Database, rows: DemoRows, order: tuple[str, ...], counts: dict[str, int]) -> None:
    for name in order:
        batch = rows.rows(name)
        if batch:
            db.table(name).insert_all(batch, batch_size=INSERT_CHUNK)
            counts[name] += len(batch)
