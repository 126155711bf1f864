"""Demo databases for the benchmarks, built once and kept in ``benchmarks/.cache/``.

A cached database is a folder named after the demo parameters and a hash of
the demo generator's source (``domain/demo_*.py``, ``jobs/demo_service.py``,
``cli/demo_command.py``), so a change to the generator builds a new one.  The
database is made exactly as a user would make it: ``iapt-desktop demo`` in a
child process, encrypted with the documented demo password.  It is built in a
temporary folder and renamed into place, so an interrupted build leaves no
half-made cache entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
DEMO_PASSWORD = "iapt-desktop-demo-only"  # noqa: S105 (the documented public demo password)
AS_OF = dt.date(2026, 11, 1)  # fixed, so the same parameters always give the same data
MONTHS = 60  # five years
SEED = 7
DATABASE_NAME = "demo.db"


def generator_sources() -> list[Path]:
    package = ROOT / "iapt_desktop"
    return sorted([*(package / "domain").glob("demo_*.py"), package / "jobs" / "demo_service.py",
                   package / "cli" / "demo_command.py"])


def generator_hash() -> str:
    digest = hashlib.sha256()
    for path in generator_sources():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class DemoSpec:
    patients: int
    months: int = MONTHS
    seed: int = SEED
    as_of: dt.date = AS_OF

    def cache_key(self) -> str:
        return f"demo-p{self.patients}-m{self.months}-s{self.seed}-{self.as_of:%Y%m%d}-{generator_hash()}"


@dataclass(frozen=True)
class DemoDatabase:
    path: Path
    spec: DemoSpec
    rows: int  # rows in every table together
    referrals: int
    build_seconds: float  # how long the demo command took when the cache entry was made

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.build_seconds


def demo_environment() -> dict[str, str]:
    return dict(os.environ, IAPT_DESKTOP_PASSWORD=DEMO_PASSWORD, QT_QPA_PLATFORM="offscreen")


def build_demo(spec: DemoSpec, folder: Path) -> float:
    """Run ``iapt-desktop demo`` into ``folder/demo.db``; returns the seconds it took."""
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "iapt_desktop", "demo", "--db", str(folder / DATABASE_NAME),
               "--patients", str(spec.patients), "--months", str(spec.months), "--seed", str(spec.seed),
               "--as-of", spec.as_of.isoformat()]
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=ROOT, env=demo_environment(), capture_output=True, text=True,
                               check=False)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(f"the demo command failed:\n{completed.stderr[-3000:]}")
    return seconds


def count_rows(path: Path) -> tuple[int, int]:
    """(rows in all tables, referrals) of a demo database, opened with the demo password."""
    from iapt_desktop.storage.session import unlock

    session = unlock(path, "admin", DEMO_PASSWORD)
    try:
        db = session.db
        names = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '_sqlite%'").fetchall()]
        total = sum(db.execute(f"SELECT count(*) FROM [{name}]").fetchone()[0] for name in names)
        referrals = db.execute("SELECT count(*) FROM IDS101Referral").fetchone()[0]
    finally:
        session.close()
    return total, referrals


def keep_backup_fresh(path: Path) -> None:
    """Signing in makes an automatic backup when the newest is over 12 hours old; the first sign-in (counting
    rows) made one, and touching it keeps that copy of the whole file out of the timed sign-ins."""
    from iapt_desktop.storage.backups import list_backups

    for backup in list_backups(path)[:1]:
        backup.touch()


def cached_demo(spec: DemoSpec, *, cache: Path = CACHE, log: Callable[[str], None] = print) -> DemoDatabase:
    """The cached demo database for ``spec``, built first when missing or stale."""
    entry = cache / spec.cache_key()
    info_path = entry / "info.json"
    if not info_path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        for stale in cache.glob(f"demo-p{spec.patients}-m{spec.months}-s{spec.seed}-*"):
            if stale != entry:
                shutil.rmtree(stale, ignore_errors=True)
        building = cache / f"building-{spec.cache_key()}-{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        log(f"building the demo database with {spec.patients:,} patients over {spec.months} months "
            f"(cached in {entry}) ...")
        seconds = build_demo(spec, building)
        rows, referrals = count_rows(building / DATABASE_NAME)
        (building / "info.json").write_text(json.dumps(
            {"rows": rows, "referrals": referrals, "build_seconds": seconds}), encoding="utf-8")
        (building / f"{DATABASE_NAME}.lock").unlink(missing_ok=True)
        building.rename(entry)
        log(f"  built in {seconds:.1f} s: {referrals:,} referrals, {rows:,} rows")
    keep_backup_fresh(entry / DATABASE_NAME)
    info = json.loads(info_path.read_text(encoding="utf-8"))
    return DemoDatabase(entry / DATABASE_NAME, spec, info["rows"], info["referrals"], info["build_seconds"])
