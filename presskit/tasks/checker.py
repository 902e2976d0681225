"""Whether a task is up to date: doit's checks, made cheap enough for thousands of tasks."""

from __future__ import annotations

import hashlib
import inspect
import json
import os
from collections.abc import Callable
from typing import Any, ClassVar

from doit import dependency, tools


class _Stats(dict[str, os.stat_result]):
    """The status of files by path, a layout file's kept for the run: every statement's outputs read them, no task
    writes them."""

    STABLE = ("layouts" + os.sep,)

    def __missing__(self, path: str) -> os.stat_result:
        found = os.stat(path)
        if path.startswith(self.STABLE):
            self[path] = found
        return found


class MD5Checker(dependency.MD5Checker):
    """doit's MD5 checker, remembering the hash of each file version it has read in this run.

    doit hashes every dependency of a task when it records the task, so a font file that 300 outputs
    depend on is read 300 times in a cold build. The class keeps doit's name and stored state, so a
    dependency database written with doit's checker stays valid.
    """

    _hashes: ClassVar[dict[tuple[str, int, int, int], str]] = {}
    """MD5 by (path, inode, size, modification time in nanoseconds)."""

    def __init__(self) -> None:
        super().__init__()
        # doit's `info` gives a file's status. It asks for every file_dep of every task: a dictionary's own
        # lookup answers for the layout files, most of them, without a call into Python code.
        self.info = _Stats().__getitem__

    def md5(self, path: str, stat: os.stat_result) -> str:
        """The MD5 of a file, read only the first time this version of it is seen."""
        key = (os.path.abspath(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
        found = self._hashes.get(key)
        if found is None:
            found = self._hashes[key] = dependency.get_file_md5(path)
        return found

    def check_modified(self, file_path: str, file_stat: os.stat_result, state: Any) -> bool:
        """True if the file differs from the recorded (modification time, size, MD5)."""
        timestamp, size, file_md5 = state
        if file_stat.st_mtime == timestamp:
            return False
        if file_stat.st_size != size:
            return True
        return bool(file_md5 != self.md5(file_path, file_stat))

    def get_state(self, dep: str, current_state: Any) -> tuple[float, int, str] | None:
        """The state to record for a dependency; None when the recorded one is still current."""
        stat = os.stat(dep)
        if current_state and current_state[0] == stat.st_mtime:
            return None
        return stat.st_mtime, stat.st_size, self.md5(dep, stat)


_SORTED = json.JSONEncoder(sort_keys=True)
"""The encoder doit's `config_changed` makes for each digest: the same settings give the same text."""


class config_changed(tools.config_changed):  # doit's name: task dicts read as in its documentation
    """doit's `config_changed`, cheap to share between the tasks of a thousand statements.

    doit asks `inspect.signature` of each uptodate callable of each task on every run; for an instance
    that walks to its `__call__` and costs as much as checking three file dependencies, so the signature
    is given up front. The digest of the configuration (doit's, so that recorded values stay valid) is
    worked out once per instance, and every task sharing the instance shares one value saver.
    """

    __signature__ = inspect.Signature(
        [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for name in ("task", "values")]
    )

    def __init__(self, config: str | dict[str, Any], encoder: Any = None) -> None:
        super().__init__(config, encoder)
        self._digest: str | None = None
        self._saver = self._saved  # one bound method for every task, not a new closure per task

    def _calc_digest(self) -> str:
        if self._digest is None and isinstance(self.config, dict) and self.encoder is None:
            # doit's digest, with one encoder for every configuration rather than a new one for each
            self._digest = hashlib.md5(_SORTED.encode(self.config).encode("utf-8")).hexdigest()
        elif self._digest is None:
            self._digest = str(super()._calc_digest())
        return self._digest

    def _saved(self) -> dict[str, Any]:
        return {"_config_changed": self._calc_digest()}

    def configure_task(self, task: Any) -> None:
        """Record the digest when the task succeeds, as doit's own does."""
        task.value_savers.append(self._saver)


def settled(tasks: list[dict[str, Any]], record: Callable[[str], dict[str, Any]]) -> set[str]:
    """The names of the tasks doit would find up to date by its own rules, known without handing it the tasks.

    `record` gives a task's stored record. A task is settled when its `config_changed` digests are those
    recorded, its file dependencies are those recorded with the same modification times, its targets exist,
    and no file it reads is a target of a task that is not settled (that task may rewrite it first). Anything
    else (another kind of uptodate check, a file changed only in time, an ignored task) is left to doit.
    Tasks are judged in the order given: a task's inputs come before it.
    """
    made: dict[str, str] = {}  # target: the task making it, for every task not settled
    times = _Times()  # a page's templates and stylesheet are read by a thousand pages, its copy by every feed
    found: set[str] = set()
    for task in tasks:
        name = task_name(task)
        if _settled(task, record(name), times) and not any(dep in made for dep in task.get("file_dep", ())):
            found.add(name)
        else:
            made.update(dict.fromkeys(task.get("targets", ()), name))
    return found


def task_name(task: dict[str, Any]) -> str:
    """The name doit gives a task dict: `basename:name`, or the basename alone."""
    return f"{task['basename']}:{task['name']}" if task.get("name") else str(task["basename"])


class _Times(dict[str, float | None]):
    """Modification times by path, None for a missing file: each file asked for once."""

    def __init__(self) -> None:
        super().__init__()
        self._folders: dict[str, frozenset[str]] = {}

    def __missing__(self, path: str) -> float | None:
        try:
            found: float | None = os.stat(path).st_mtime
        except OSError:
            found = None
        self[path] = found
        return found

    def exists(self, path: str) -> bool:
        """Whether a file exists, from one listing of its folder: a statement's page and copies share one."""
        folder, _, name = path.rpartition(os.sep)
        names = self._folders.get(folder)
        if names is None:
            try:
                names = frozenset(os.listdir(folder or "."))
            except OSError:
                names = frozenset()
            self._folders[folder] = names
        return name in names


def _settled(task: dict[str, Any], stored: dict[str, Any], times: _Times) -> bool:
    checks = task.get("uptodate") or []
    deps = task.get("file_dep") or []
    if not stored or "ignore:" in stored or stored.get("checker:") != MD5Checker.__name__ or not (deps or checks):
        return False
    values = stored.get("_values_:") or {}
    for check in checks:
        if not isinstance(check, config_changed) or values.get("_config_changed") != check._calc_digest():
            return False
    if set(stored.get("deps:") or ()) != set(deps):
        return False
    for dep in deps:
        state = stored.get(dep)
        if not state or times[dep] != state[0]:
            return False
    return all(times.exists(target) for target in task.get("targets", ()))
