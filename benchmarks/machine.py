"""What the numbers were measured on: CPU, cores, memory, load, and the versions that matter."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _versions() -> dict[str, str]:
    found = {"Python": sys.version.split()[0]}
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        found["PySide6"] = PySide6.__version__
        found["Qt"] = qVersion()
    except ImportError:
        found["PySide6"] = "not installed"
    import sqlcipher3

    conn = sqlcipher3.connect(":memory:")
    found["SQLite"] = conn.execute("SELECT sqlite_version()").fetchone()[0]
    row = conn.execute("PRAGMA cipher_version").fetchone()
    found["SQLCipher"] = row[0] if row else "unknown"
    conn.close()
    from importlib.metadata import version

    for package in ("sqlite-utils", "openpyxl", "argon2-cffi"):
        try:
            found[package] = version(package)
        except Exception:
            found[package] = "not installed"
    return found


def describe() -> dict[str, str]:
    memory = _memory_gb()
    return {
        "CPU": _cpu_model(),
        "Cores": str(os.cpu_count()),
        "RAM": f"{memory:.1f} GB" if memory is not None else "unknown",
        "OS": f"{platform.system()} {platform.release()}",
        **_versions(),
    }
