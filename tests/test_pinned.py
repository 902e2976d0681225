"""Every tool a build or a test runs is pinned, and what presskit borrows from doit's internals still holds."""

from __future__ import annotations

import importlib.metadata
import inspect
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from doit.dependency import Dependency, JSONCodec
from doit.task import Task
from packaging.requirements import Requirement

from presskit.tasks.checker import MD5Checker, config_changed
from presskit.tasks.journal import TaskByTaskDB
from tests.conftest import REPO
from tools import lock

REFRESH = "run `python3 tools/lock.py` and commit constraints.txt, then `./setup test`"


def test_the_lock_is_made_from_the_declared_dependencies() -> None:
    text = lock.LOCK.read_text(encoding="utf-8")
    assert lock.recorded_fingerprint(text) == lock.fingerprint(lock.declared()), (
        f"pyproject.toml's dependencies changed since constraints.txt was made: {REFRESH}"
    )


def test_every_declared_dependency_is_pinned_within_its_range() -> None:
    pinned = lock.pins(lock.LOCK.read_text(encoding="utf-8"))
    problems = []
    for line in lock.declared():
        requirement = Requirement(line)
        version = pinned.get(lock.normalise(requirement.name))
        if version is None:
            problems.append(f"{requirement.name} is not in constraints.txt")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name}: constraints.txt pins {version}, pyproject.toml asks {requirement}")
    assert problems == [], "; ".join(problems) + f": {REFRESH}"


def _needed_here() -> set[str]:
    """Packages this Python needs: the declared requirements whose markers hold here, and all they require."""
    needed: set[str] = set()
    stack = [(Requirement(line), frozenset[str]()) for line in lock.declared()]
    while stack:
        requirement, extras = stack.pop()
        if requirement.marker is not None and not any(
            requirement.marker.evaluate({"extra": extra}) for extra in ("", *extras)
        ):
            continue
        name = lock.normalise(requirement.name)
        if name in needed:
            continue
        needed.add(name)
        try:
            requires = importlib.metadata.requires(requirement.name) or []
        except importlib.metadata.PackageNotFoundError:
            continue  # reported missing by the test
        stack.extend((Requirement(line), frozenset(requirement.extras)) for line in requires)
    return needed


def test_installed_python_packages_are_the_pinned_versions() -> None:
    pinned = lock.pins(lock.LOCK.read_text(encoding="utf-8"))
    needed = _needed_here()
    wrong = []
    for name, version in pinned.items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            if lock.normalise(name) in needed:
                wrong.append(f"{name} missing (pinned {version})")
            continue  # otherwise needed on another Python or platform only
        if installed != version:
            wrong.append(f"{name} {installed} (pinned {version})")
    assert wrong == [], f"installed versions differ from constraints.txt: {', '.join(wrong)}; run ./setup test"


def _system_packages() -> list[tuple[str, str, str]]:
    rows = []
    for line in (REPO / "system-packages.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            package, version, kind, *_ = line.split()
            rows.append((package, version, kind))
    return rows


def test_system_packages_are_named_once_with_a_version() -> None:
    rows = _system_packages()
    assert len({p for p, _, _ in rows}) == len(rows)
    assert {kind for _, _, kind in rows} == {"build", "test"}
    assert "fonts-noto-color-emoji" in {p for p, _, _ in rows}


@pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="not a Debian system: ./setup names the packages")
def test_system_packages_that_change_outputs_are_the_pinned_versions() -> None:
    wrong = []
    for package, version, kind in _system_packages():
        if kind != "build":
            continue
        found = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, check=False
        ).stdout
        if found != version:
            wrong.append(f"{package} {found or 'missing'} (pinned {version})")
    assert wrong == [], f"system packages differ from system-packages.txt: {', '.join(wrong)}; run ./setup"


def test_npm_tools_are_locked_at_exact_versions() -> None:
    manifest = json.loads((REPO / "tests" / "package.json").read_text(encoding="utf-8"))
    locked = json.loads((REPO / "tests" / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    for name, version in manifest["dependencies"].items():
        assert version[0].isdigit(), f"tests/package.json: {name} {version} is a range; give an exact version"
        assert locked[f"node_modules/{name}"]["version"] == version, f"tests/package-lock.json: refresh {name}"
        installed = json.loads((REPO / "tests" / "node_modules" / name / "package.json").read_text(encoding="utf-8"))
        assert installed["version"] == version, f"{name} {installed['version']} is installed; run ./setup test"


def test_doit_still_stores_a_tasks_dependency_list_last(tmp_path: Path) -> None:
    """presskit.tasks.journal commits a task's record when doit stores `deps:`, which doit must store last."""
    source = tmp_path / "a.md"
    source.write_text("text", encoding="utf-8")
    deps = Dependency(TaskByTaskDB, str(tmp_path / ".doit.db"), checker_cls=MD5Checker, codec_cls=JSONCodec)
    task = Task("pdf:a", [], file_dep=[str(source)], uptodate=[config_changed({"layout": "default"})])
    task.execute_result = None  # as after a successful action
    task.save_extra_values()
    deps.save_success(task)
    with sqlite3.connect(tmp_path / ".doit.db") as conn:  # another connection: only what was committed
        (data,) = conn.execute("select task_data from doit where task_id = 'pdf:a'").fetchone()
    record = json.loads(data)
    assert str(source) in record and "deps:" in record and "_values_:" in record, (
        f"doit {importlib.metadata.version('doit')} stores a task's record differently: check presskit/journal.py "
        f"(committed keys: {sorted(record)})"
    )
    assert hasattr(deps.backend, "_conn") and hasattr(deps.backend, "_cache") and hasattr(deps.backend, "_dirty")


def test_doit_still_asks_the_signature_of_uptodate_checks(tmp_path: Path) -> None:
    """presskit.tasks.checker gives config_changed its signature up front because doit looks it up on every check."""
    from doit import dependency

    assert "inspect.signature(utd)" in inspect.getsource(dependency), (
        f"doit {importlib.metadata.version('doit')} no longer looks up uptodate signatures as presskit.tasks.checker "
        "expects: check config_changed.__signature__"
    )
    check = config_changed({"layout": "default"})
    assert list(inspect.signature(check).parameters) == list(inspect.signature(check.__call__).parameters)
    deps = Dependency(TaskByTaskDB, str(tmp_path / ".doit.db"), checker_cls=MD5Checker, codec_cls=JSONCodec)
    task = Task("txt:a", [], uptodate=[check])
    assert deps.get_status(task, {}).status == "run"
    task.execute_result = None
    task.save_extra_values()  # as doit's runner does after a task's actions
    deps.save_success(task)
    again = Task("txt:a", [], uptodate=[config_changed({"layout": "default"})])
    assert deps.get_status(again, {}).status == "up-to-date"
    changed = Task("txt:a", [], uptodate=[config_changed({"layout": "asia-pacific"})])
    assert deps.get_status(changed, {}).status == "run"
