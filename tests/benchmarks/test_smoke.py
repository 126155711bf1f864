"""The benchmark suite runs end to end on a tiny database (smoke mode): every case gives a number and the
report renders.  No timing is asserted: speed is measured by ``python -m benchmarks``, not by the tests."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import demo_cache
from benchmarks.demo_cache import DemoSpec, generator_sources
from benchmarks.suite import measurements

ROOT = Path(__file__).resolve().parents[2]
NUMBER = r"\d[\d,]*(?:\.\d+)?"


@pytest.mark.slow
def test_smoke_run_measures_every_case_and_writes_the_report(tmp_path: Path) -> None:
    report = tmp_path / "performance.md"
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke", "--cache", str(tmp_path / "cache"), "--output", str(report)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    text = report.read_text(encoding="utf-8")
    for heading in ("## Machine", "## Databases", "## Results", "## Demo generation", "## What exactly is measured"):
        assert heading in text
    for measurement in measurements("small"):
        row = next((line for line in text.splitlines() if line.startswith(f"| {measurement.title} |")), None)
        assert row is not None, f"no result row for {measurement.title}"
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert re.fullmatch(rf"{NUMBER} m?s", cells[1]), row  # the median
        if measurement.baseline is not None:
            assert re.fullmatch(rf"{NUMBER} m?s", cells[3]), row  # the baseline median
            assert re.fullmatch(rf"{NUMBER}×", cells[4]), row  # the ratio
            assert re.fullmatch(rf"{NUMBER}×", cells[5]), row  # the ratio in CPU time
        assert re.fullmatch(rf"{NUMBER} MB", cells[8]), row  # peak memory
    assert re.search(rf"median {NUMBER} rows/s", text)
    assert "| small | 25 | 60 |" in text
    cached = list((tmp_path / "cache").glob("demo-p25-*/demo.db"))
    assert len(cached) == 1


def test_cache_key_follows_the_parameters_and_the_generator_source() -> None:
    keys = {DemoSpec(25).cache_key(), DemoSpec(26).cache_key(), DemoSpec(25, months=12).cache_key(),
            DemoSpec(25, seed=8).cache_key()}
    assert len(keys) == 4
    names = {path.name for path in generator_sources()}
    assert {"demo_generator.py", "demo_service.py", "demo_command.py"} <= names


def test_a_change_to_the_generator_source_changes_the_cache_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "demo_generator.py"
    source.write_text("PATIENTS = 1\n", encoding="utf-8")
    monkeypatch.setattr(demo_cache, "generator_sources", lambda: [source])
    before = DemoSpec(25).cache_key()
    source.write_text("PATIENTS = 2\n", encoding="utf-8")
    assert DemoSpec(25).cache_key() != before
