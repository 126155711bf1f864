"""The GUI's error dialog comes after the value-free crash report, never instead of it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from iapt_desktop.app_logging import install_crash_handler
from iapt_desktop.ui.application import _chain_excepthook


def test_the_ui_hook_runs_after_the_crash_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(sys, "excepthook", lambda *_: calls.append("default"))
    monkeypatch.setattr("threading.excepthook", lambda *_: None)
    install_crash_handler(tmp_path)
    _chain_excepthook(lambda kind, _value, _trace: calls.append(f"dialog:{kind.__name__}"))
    try:
        raise ValueError("NHS 9990000018 Canarywhistle")
    except ValueError as error:
        sys.excepthook(type(error), error, error.__traceback__)
    assert calls == ["default", "dialog:ValueError"]
    reports = list(tmp_path.iterdir())
    assert len(reports) == 1
    text = reports[0].read_text(encoding="utf-8")
    assert "ValueError" in text and "Canarywhistle" not in text and "9990000018" not in text
