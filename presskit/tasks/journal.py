"""doit's dependency database, committed after every task, so that a killed build loses no finished work."""

from __future__ import annotations

from typing import Any

from doit.dependency import SqliteDB

_LAST_KEY = "deps:"
"""doit's `save_success` stores this key last, once per task: the moment the task's record is complete."""


class TaskByTaskDB(SqliteDB):
    """doit's sqlite3 backend, but each finished or failed task is written and committed at once.

    doit's own backends write only when the run ends, so a build killed with SIGKILL (a closed laptop, an
    out-of-memory killer) forgot every task it had finished and rebuilt them all. SQLite commits are atomic:
    the database stays intact whenever the process dies.
    """

    desc = "sqlite3, committed after every task"

    def __init__(self, name: str, codec: Any, **kwargs: Any) -> None:
        super().__init__(name, codec, **kwargs)
        self._conn.execute("pragma journal_mode=wal")  # a commit without rewriting the whole file
        self._conn.execute("pragma synchronous=normal")  # durable across a killed process, which is the point

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
    """The doit backend for dodo.py: this one when presskit is installed, else doit's own sqlite3."""
    from importlib.metadata import entry_points

    registered = {point.value for point in entry_points(group="doit.BACKEND", name="presskit")}
    return "presskit" if f"{__name__}:{TaskByTaskDB.__name__}" in registered else "sqlite3"
