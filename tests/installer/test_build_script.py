"""installer/build.py's helpers: the glibc a Linux bundle needs, and building from a fresh clone."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("installer_build", ROOT / "installer" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def elf(path: Path, *versions: str) -> Path:
    path.write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"".join(f"GLIBC_{v}\x00".encode() for v in versions))
    return path


def test_the_newest_glibc_version_is_found_numerically_with_the_files_that_need_it(tmp_path: Path) -> None:
    build = build_script()
    libs = tmp_path / "_internal"
    libs.mkdir()
    stdcpp = elf(libs / "libstdc++.so.6", "2.4", "2.17", "2.36")
    expat = elf(libs / "libexpat.so.1", "2.2.5", "2.36")
    elf(libs / "libcairo.so.2", "2.35", "2.9")  # "2.9" < "2.35": compared as numbers, not text
    (libs / "notes.txt").write_bytes(b"GLIBC_2.99\x00 is only text here")  # not an ELF file: ignored
    (libs / "libexpat.so").symlink_to("libexpat.so.1")  # counted once
    assert build.required_glibc(tmp_path) == ("2.36", [expat, stdcpp])
    assert build.required_glibc(tmp_path / "_internal" / "none") is None


@pytest.mark.skipif(shutil.which("objdump") is None, reason="objdump (binutils) is not installed")
def test_the_reading_agrees_with_objdump_on_a_real_library(tmp_path: Path) -> None:
    library = Path(sys.executable).resolve()
    shutil.copy(library, tmp_path / library.name)
    dynamic = subprocess.run(["objdump", "-T", str(library)], capture_output=True, text=True, check=True).stdout
    versions = {tuple(int(p) for p in v.split(".")) for v in re.findall(r"\(GLIBC_(2\.[0-9.]+)\)", dynamic)}
    assert versions, "the Python executable refers to no glibc symbol version"
    assert build_script().required_glibc(tmp_path)[0] == ".".join(map(str, max(versions)))


def test_the_version_is_read_from_the_tree_being_built(tmp_path: Path) -> None:
    (tmp_path / "iapt_desktop").mkdir()
    (tmp_path / "iapt_desktop" / "__init__.py").write_text('"""x"""\n__version__ = "9.8.7"\n', encoding="utf-8")
    assert build_script().version(tmp_path) == "9.8.7"


def test_a_fresh_clone_holds_the_committed_tree_only(tmp_path: Path) -> None:
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    source = build_script().fresh_clone("HEAD", tmp_path)
    cloned = subprocess.run(["git", "-C", str(source), "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert cloned == head
    assert (source / "installer" / "iapt_desktop.spec").is_file() and (source / "main.py").is_file()
    assert not (source / ".venv").exists() and not (source / "dist").exists()  # nothing ignored or built
    assert subprocess.run(["git", "-C", str(source), "status", "--porcelain"], capture_output=True, text=True,
                          check=True).stdout == ""
