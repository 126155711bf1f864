"""installer/iapt_desktop.spec, run against stand-ins for PyInstaller's build steps on each target OS:
which executables go into the one bundle, with or without a console."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installer" / "iapt_desktop.spec"


@dataclass
class Step:
    """One PyInstaller build step (Analysis, PYZ, EXE, COLLECT, BUNDLE) as the spec called it."""

    kind: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    pure: list[Any] = field(default_factory=list)
    scripts: list[Any] = field(default_factory=list)
    binaries: list[Any] = field(default_factory=list)
    datas: list[Any] = field(default_factory=list)


def run_spec(platform: str, monkeypatch: pytest.MonkeyPatch) -> list[Step]:
    steps: list[Step] = []

    def step(kind: str):  # type: ignore[no-untyped-def]
        def make(*args: Any, **kwargs: Any) -> Step:
            steps.append(Step(kind, args, kwargs))
            return steps[-1]
        return make

    hooks = ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda package: [package]  # type: ignore[attr-defined]
    for name, module in (("PyInstaller", ModuleType("PyInstaller")), ("PyInstaller.utils",
                         ModuleType("PyInstaller.utils")), ("PyInstaller.utils.hooks", hooks)):
        monkeypatch.setitem(sys.modules, name, module)
    namespace = {"SPECPATH": str(SPEC.parent), "__file__": str(SPEC),
                 **{kind: step(kind) for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")}}
    code = compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec")
    with monkeypatch.context() as patched:
        patched.setattr(sys, "platform", platform)
        exec(code, namespace)  # noqa: S102 - our own build recipe
    return steps


def executables(steps: list[Step]) -> dict[str, dict[str, Any]]:
    return {s.kwargs["name"]: s.kwargs for s in steps if s.kind == "EXE"}


def test_windows_gets_a_console_executable_for_the_commands_in_the_same_bundle(
        monkeypatch: pytest.MonkeyPatch) -> None:
    steps = run_spec("win32", monkeypatch)
    exes = executables(steps)
    assert set(exes) == {"iapt-desktop", "iapt-desktop-cli"}
    assert exes["iapt-desktop"]["console"] is False  # the app: no console window behind it
    assert exes["iapt-desktop-cli"]["console"] is True  # commands print in cmd and PowerShell
    assert exes["iapt-desktop-cli"]["icon"].endswith("iapt-desktop.ico")
    (collect,) = [s for s in steps if s.kind == "COLLECT"]
    collected = [a for a in collect.args if isinstance(a, Step) and a.kind == "EXE"]
    assert [e.kwargs["name"] for e in collected] == ["iapt-desktop", "iapt-desktop-cli"]  # one folder, shared
    assert all(e.kwargs["exclude_binaries"] for e in collected)


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_linux_and_macos_have_one_executable_for_the_app_and_the_commands(
        platform: str, monkeypatch: pytest.MonkeyPatch) -> None:
    steps = run_spec(platform, monkeypatch)
    assert set(executables(steps)) == {"iapt-desktop"}
    bundles = [s for s in steps if s.kind == "BUNDLE"]
    if platform == "darwin":
        (bundle,) = bundles
        (document,) = bundle.kwargs["info_plist"]["CFBundleDocumentTypes"]
        assert document["CFBundleTypeExtensions"] == ["iaptdb"]  # opened through QFileOpenEvent
    else:
        assert bundles == []
