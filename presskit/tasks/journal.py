"""doit's dependency database, committed after every task, so that a killed build loses no finished work."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from doit.dependency import SqliteDB

from presskit.tasks import collector

_LAST_KEY = "deps:"
"""doit's `save_success` stores this key last, once per task: the moment the task's record is complete."""
_CHUNK = 1000
"""Records decoded together: a few megabytes of text at most, however large the archive."""
_ONE_BY_ONE = 32
"""Records read one query each before the rest are read in one: `doit pdf:x` reads a few, `doit` all of them."""


class TaskByTaskDB(SqliteDB):
    """doit's sqlite3 backend, but each finished or failed task is written and committed at once.

    doit's own backends write only when the run ends, so a build killed with SIGKILL (a closed laptop, an
    out-of-memory killer) forgot every task it had finished and rebuilt them all. SQLite commits are atomic:
    the database stays intact whenever the process dies.
    """

    desc = "sqlite3, committed after every task"
    opened: ClassVar[TaskByTaskDB | None] = None
    """The database this process's doit run opened last: tasks made during the run read its records."""

    def __init__(self, name: str, codec: Any, **kwargs: Any) -> None:
        super().__init__(name, codec, **kwargs)
        TaskByTaskDB.opened = self
        self._conn.execute("pragma journal_mode=wal")  # a commit without rewriting the whole file
        self._conn.execute("pragma synchronous=normal")  # durable across a killed process, which is the point
        self._states: dict[Any, Any] = {}
        self._names: dict[str, str] = {}
        self._read = 0
        self._all_read = False

    def _get_task_data(self, task_id: str) -> dict[str, Any]:
        """A task's record, decoded with the file states and names it shares with other records kept once.

        A no-op over ten thousand statements decodes fifty thousand records, each repeating the state of
        the same dozen layout files: held apart, they were a third of the memory the run needed.
        """
        if self._all_read:
            return {}  # every stored record is in the cache already: this task has none
        self._read += 1
        if self._read < _ONE_BY_ONE:
            return self._shared(super()._get_task_data(task_id))
        with collector.held():  # records are plain data, never in a cycle
            # As text (a cast has no declared type, so sqlite3 runs no converter), a thousand records decoded
            # in one call: a call of doit's decoder for each record took as long as reading them all.
            rows = self._conn.execute("select task_id, cast(task_data as text) as data from doit")
            while chunk := rows.fetchmany(_CHUNK):
                known = [(row["task_id"], row["data"] or "{}") for row in chunk if row["task_id"] not in self._cache]
                for (name, _), record in zip(known, self._decoded([data for _, data in known]), strict=True):
                    self._cache[name] = self._shared(record or {})
        self._all_read = True
        return self._cache.get(task_id, {})

    def record(self, task_id: str) -> dict[str, Any]:
        """A task's stored record as doit reads it (empty when it has none): file states, `deps:`, `_values_:`."""
        found = self._cache.get(task_id)
        if found is None:
            found = self._cache[task_id] = self._get_task_data(task_id)  # kept as doit's own read keeps it
        return found

    def _decoded(self, texts: list[str]) -> list[Any]:
        """Records decoded together; one by one, as doit decodes them, when they are not one JSON value each."""
        try:
            found = json.loads("[" + ",".join(texts) + "]")
        except ValueError:
            found = None
        if not isinstance(found, list) or len(found) != len(texts):
            found = [self.codec.decode(text) for text in texts]  # a damaged record fails as doit's own read fails
        return found

    def _shared(self, record: dict[str, Any]) -> dict[str, Any]:
        states, names = self._states, self._names
        for key, value in record.items():
            if type(value) is list and key[-1:] != ":":  # a file's (modification time, size, MD5)
                state = tuple(value)
                record[key] = states.setdefault(state, state)
            elif key == _LAST_KEY and type(value) is list:
                record[key] = [names.setdefault(v, v) for v in value]
        return {names.setdefault(key, key): value for key, value in record.items()}

    def set(self, task_id: str, dependency: str, value: Any) -> None:
        """Store a value; the task's record is committed once doit has stored all of it."""
        super().set(task_id, dependency, value)
        if dependency == _LAST_KEY:
            # doit keeps the state of a file the task no longer depends on; read again on every run, the
            # records of a thousand statements would grow with each change of what their outputs read.
            record, current = self._cache[task_id], set(value)
            for key in [k for k in record if not k.endswith(":") and k not in current]:
                del record[key]
            self._commit(task_id)

    def remove(self, task_id: str) -> None:
        """Forget a task (doit does so when it fails), committed at once."""
        super().remove(task_id)
        self._conn.commit()

    def _commit(self, task_id: str) -> None:
        self._conn.execute(
            "insert or replace into doit values (?,?)", (task_id, self.codec.encode(self._cache[task_id]))
        )
        self._conn.commit()
        self._dirty.discard(task_id)


def backend() -> str:
    """The doit backend for dodo.py: this one when presskit is installed, else doit's own sqlite3.

    Every registration must name this class: an install made before the code moved still names the old
    module, and doit would load that one and stop with `Plugin BACKEND module ... not found`.
    """
    from importlib.metadata import entry_points

    registered = {point.value for point in entry_points(group="doit.BACKEND", name="presskit")}
    return "presskit" if registered == {f"{__name__}:{TaskByTaskDB.__name__}"} else "sqlite3"
