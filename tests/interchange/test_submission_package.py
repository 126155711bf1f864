"""The package folder: its name, all-or-nothing writing, checksums."""

from __future__ import annotations

from pathlib import Path

import pytest

from iapt_desktop.interchange.submission_package import (
    PackageWriter,
    ReportFiles,
    package_name,
    read_manifest,
    verify_package,
)


def test_package_names_follow_the_convention() -> None:
    assert package_name("ab1", "2025-04", "primary") == "IAPT_v2.1_AB1_202504_P"
    assert package_name("R1A", "2024-12", "refresh") == "IAPT_v2.1_R1A_202412_R"
    assert package_name("", "2024-12", "refresh") == "IAPT_v2.1_NOODS_202412_R"


def _fail_half_way(out: Path) -> None:
    with PackageWriter(out, "IAPT_X") as writer:
        list(writer.write_tables({"IDS000Header": [{"DatSetVer": "2.1"}]}))
        raise RuntimeError("disk full")


def test_a_failure_leaves_no_folder_behind(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="disk full"):
        _fail_half_way(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_finished_package_is_renamed_into_place_and_verifiable(tmp_path: Path) -> None:
    with PackageWriter(tmp_path, "IAPT_X") as writer:
        list(writer.write_tables({"IDS000Header": [{"DatSetVer": "2.1"}]}))
        writer.write_report(ReportFiles({"findings": 0}, [], "No problems found."))
        writer.write_manifest({"files": writer.file_hashes()})
        package = writer.finish()
    assert package == tmp_path / "IAPT_X" and sorted(p.name for p in tmp_path.iterdir()) == ["IAPT_X"]
    assert len(read_manifest(package)["files"]) == 21 + 1 + 2
    assert verify_package(package) == []
    (package / "extra.txt").write_text("x", encoding="utf-8")
    (package / "validation_report.txt").unlink()
    assert verify_package(package) == ["validation_report.txt is missing", "extra.txt is not listed in the manifest"]
    with PackageWriter(tmp_path, "IAPT_X") as second:
        assert second.name == "IAPT_X_2"
