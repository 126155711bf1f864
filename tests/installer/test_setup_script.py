"""scripts/setup.sh on a stock Debian: python3 without ensurepip gets python3-venv installed first.

The script runs for real, from a copy of the project's scripts folder, with stand-ins on PATH for the
system commands it calls (dpkg-query, apt-get, sudo, id, python3), which record what they were asked.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _command(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _project(tmp_path: Path, *, uid: int, has_ensurepip: bool, has_sudo: bool) -> tuple[Path, dict[str, str]]:
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "setup.sh", project / "scripts" / "setup.sh")
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    stand_ins = tmp_path / "bin"
    stand_ins.mkdir()
    log = tmp_path / "calls.log"
    _command(stand_ins, "dpkg-query", "echo 'install ok installed'\n")  # every Qt library present
    _command(stand_ins, "id", f"echo {uid}\n")
    _command(stand_ins, "apt-get", f'echo "apt-get $*" >> "{log}"\n')
    if has_sudo:
        _command(stand_ins, "sudo", f'echo "sudo $1" >> "{log}"\n"$@"\n')
    venv_python = '#!/bin/sh\\nexit 0\\n'
    _command(stand_ins, "python3", f"""case "$*" in
  *ensurepip*) exit {0 if has_ensurepip else 1} ;;
  "-m venv .venv") mkdir -p .venv/bin && printf '{venv_python}' > .venv/bin/python && chmod +x .venv/bin/python
     echo "venv created" >> "{log}" ;;
esac
""")
    tools = tmp_path / "tools"  # only the ordinary tools the script needs, so a real sudo is not found
    tools.mkdir()
    for tool in ("bash", "sh", "grep", "sha256sum", "cut", "rm", "touch", "dirname", "mkdir", "chmod", "printf",
                 "cat", "env"):
        found = shutil.which(tool)
        if found:
            (tools / tool).symlink_to(found)
    environment = {**os.environ, "PATH": f"{stand_ins}{os.pathsep}{tools}"}
    environment.pop("PYTHON", None)
    return project, environment


def _run(project: Path, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([shutil.which("bash") or "bash", str(project / "scripts" / "setup.sh")],
                          cwd=project, env=environment, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.skipif(os.name == "nt", reason="a Debian/Ubuntu script")
def test_python3_venv_is_installed_through_sudo_when_ensurepip_is_missing(tmp_path: Path) -> None:
    project, environment = _project(tmp_path, uid=1000, has_ensurepip=False, has_sudo=True)
    done = _run(project, environment)
    assert done.returncode == 0, done.stderr
    calls = (tmp_path / "calls.log").read_text(encoding="utf-8").splitlines()
    assert "sudo apt-get" in calls
    installs = [c for c in calls if c.startswith("apt-get") and " install " in c]
    assert installs and installs[0].endswith("python3-venv")
    assert calls.index(installs[0]) < calls.index("venv created")


@pytest.mark.skipif(os.name == "nt", reason="a Debian/Ubuntu script")
def test_nothing_is_installed_when_venv_works_and_root_needs_no_sudo(tmp_path: Path) -> None:
    project, environment = _project(tmp_path, uid=1000, has_ensurepip=True, has_sudo=False)
    assert _run(project, environment).returncode == 0
    assert (tmp_path / "calls.log").read_text(encoding="utf-8").splitlines() == ["venv created"]
    project2, environment2 = _project(tmp_path / "root", uid=0, has_ensurepip=False, has_sudo=False)
    done = _run(project2, environment2)
    assert done.returncode == 0, done.stderr
    calls = (tmp_path / "root" / "calls.log").read_text(encoding="utf-8").splitlines()
    assert any(c.startswith("apt-get install") and c.endswith("python3-venv") for c in calls)
    assert not any(c.startswith("sudo") for c in calls)


@pytest.mark.skipif(os.name == "nt", reason="a Debian/Ubuntu script")
def test_without_root_or_sudo_it_says_what_to_install(tmp_path: Path) -> None:
    project, environment = _project(tmp_path, uid=1000, has_ensurepip=False, has_sudo=False)
    done = _run(project, environment)
    assert done.returncode == 1
    assert "python3-venv" in done.stderr and "as root" in done.stderr
    assert not (project / ".venv").exists()
