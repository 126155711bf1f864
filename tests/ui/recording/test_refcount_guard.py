"""The bindings' reference-count bug is real here, and the guard keeps the app alive through it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent("""
    import sys
    {guard}
    from PySide6.QtWidgets import QApplication, QWidget
    app = QApplication(["x"])
    widget = QWidget()
    for _ in range(20000):
        widget.update()
    print("survived")
""")


def run(guard: str) -> subprocess.CompletedProcess[str]:
    env_script = SCRIPT.format(guard=guard)
    return subprocess.run([sys.executable, "-c", env_script], capture_output=True, text=True, timeout=60,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""}, check=False)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_void_calls_take_references_from_none_without_the_guard() -> None:
    """If this starts failing, the bindings are fixed and ui/refcount_guard.py can go."""
    crashed = run("")
    assert crashed.returncode != 0 and "none_dealloc" in crashed.stderr


def test_with_the_guard_the_process_survives() -> None:
    guarded = run("from iapt_desktop.ui.refcount_guard import protect_singletons; protect_singletons()")
    assert guarded.returncode == 0 and "survived" in guarded.stdout
