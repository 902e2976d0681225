"""Shared fixtures: throw-away copies of the project, built with the real `doit`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_TEXT = SHARED / "seed" / "000_7f440afbe4fda36f.txt"
SEED_SOURCE = REPO / "sources" / "2018-11-23-china-online-crackdown.md"
SEED_SLUG = "china-online-crackdown"
SAMPLES = Path(__file__).parent / "samples"
_EXECUTED = re.compile(r"^\.  (\S+)$", re.MULTILINE)


def checkout_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """An environment running this checkout's `presskit`, whichever copy is installed."""
    env = dict(os.environ if env is None else env)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    return env


@dataclass
class Run:
    """What one `doit` run did."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def executed(self) -> list[str]:
        """Tasks doit reports it executed (lines `.  TASK`), in order."""
        return _EXECUTED.findall(self.stdout)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass
class Project:
    """A copy of the project in a temporary folder."""

    root: Path

    def doit(self, *args: str, env: dict[str, str] | None = None) -> Run:
        """Run `doit` in the project, as a user would."""
        proc = subprocess.run(
            [sys.executable, "-m", "doit", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            env=checkout_env(env),
            timeout=900,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr)

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def output(self, stem: str, suffix: str) -> Path:
        """The output of a statement, e.g. output('china-online-crackdown', '.pdf')."""
        return self.root / "build" / stem.split(".")[0] / f"{stem}{suffix}"


def make_project(root: Path, *, seed: bool = True) -> Project:
    """Copy dodo.py, layouts/ and (optionally) the seed statement into `root`."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "dodo.py", root / "dodo.py")
    shutil.copytree(REPO / "layouts", root / "layouts")
    (root / "sources").mkdir()
    if seed:
        shutil.copy2(SEED_SOURCE, root / "sources" / SEED_SOURCE.name)
    return Project(root)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A fresh project holding the seed statement, not yet built."""
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The seed and the rich sample statement, built once for the whole session."""
    proj = make_project(tmp_path_factory.mktemp("built") / "project")
    shutil.copy2(SAMPLES / "rich.md", proj.root / "sources" / "rich.md")
    run = proj.doit()
    assert run.returncode == 0, run.output
    return proj


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Headless Chromium, started once for a test module (`./setup test` installs it)."""
    from presskit.tasks import proof

    assert proof.chromium(), "Chromium is needed: ./setup test installs it"
    with proof.browser() as instance:
        yield instance
