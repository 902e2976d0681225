"""doit's database as presskit keeps it: every finished task committed, no state of files it no longer reads."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from doit.dependency import JSONCodec

from presskit.tasks.journal import TaskByTaskDB


def _stored(path: Path, task: str) -> dict[str, object]:
    with sqlite3.connect(path) as conn:
        (data,) = conn.execute("select task_data from doit where task_id = ?", (task,)).fetchone()
    return dict(json.loads(data))


def test_a_finished_task_is_committed_without_the_files_it_no_longer_reads(tmp_path: Path) -> None:
    db = TaskByTaskDB(str(tmp_path / ".doit.db"), JSONCodec())
    db.set("pdf:a", "_values_:", {})
    db.set("pdf:a", "sources/a.md", [1.0, 10, "md5-a"])
    db.set("pdf:a", "presskit/pdf.py", [1.0, 20, "md5-pdf"])
    db.set("pdf:a", "deps:", ["sources/a.md", "presskit/pdf.py"])
    assert set(_stored(tmp_path / ".doit.db", "pdf:a")) == {"_values_:", "sources/a.md", "presskit/pdf.py", "deps:"}

    db.set("pdf:a", "sources/a.md", [2.0, 11, "md5-a2"])
    db.set("pdf:a", "deps:", ["sources/a.md"])  # the next build reads one file fewer
    stored = _stored(tmp_path / ".doit.db", "pdf:a")  # committed at once, before doit closes the database
    assert set(stored) == {"_values_:", "sources/a.md", "deps:"}
    assert stored["sources/a.md"] == [2.0, 11, "md5-a2"]


def test_records_read_in_one_query_are_doits_own_with_shared_file_states(tmp_path: Path) -> None:
    from doit.dependency import SqliteDB

    from presskit.tasks import journal

    path = str(tmp_path / ".doit.db")
    db = TaskByTaskDB(path, JSONCodec())
    tasks = [f"pdf:s{i}" for i in range(journal._ONE_BY_ONE * 3)]
    for task in tasks:
        db.set(task, "_values_:", {"_config_changed": "abc"})
        db.set(task, "layouts/default/print.css", [1.5, 10, "md5-css"])
        db.set(task, f"sources/{task[4:]}.md", [2.5, 20, f"md5-{task}"])
        db.set(task, "deps:", ["layouts/default/print.css", f"sources/{task[4:]}.md"])
    db.dump()

    ours, doits = TaskByTaskDB(path, JSONCodec()), SqliteDB(path, JSONCodec())
    for task in tasks:
        for key in ("_values_:", "layouts/default/print.css", f"sources/{task[4:]}.md", "deps:"):
            value = ours.get(task, key)
            assert (list(value) if isinstance(value, tuple) else value) == doits.get(task, key)
    assert ours.get("pdf:none", "deps:") is None
    states = {id(ours.get(task, "layouts/default/print.css")) for task in tasks}
    assert len(states) == 1  # one object for the state every record repeats


def test_a_damaged_record_read_in_one_query_fails_as_doits_own_read_fails(tmp_path: Path) -> None:
    from doit.dependency import SqliteDB

    from presskit.tasks import journal

    path = str(tmp_path / ".doit.db")
    db = TaskByTaskDB(path, JSONCodec())
    tasks = [f"pdf:s{i}" for i in range(journal._ONE_BY_ONE * 2)]
    for task in tasks:
        db.set(task, "deps:", [])
    db.dump()
    with sqlite3.connect(path) as conn:  # two values where one record belongs: read together, they would shift
        conn.execute("update doit set task_data = ? where task_id = ?", ('{"deps:": []}, {"x": 1}', tasks[-1]))
    with pytest.raises(json.JSONDecodeError):
        SqliteDB(path, JSONCodec()).get(tasks[-1], "deps:")
    ours = TaskByTaskDB(path, JSONCodec())
    with pytest.raises(json.JSONDecodeError):
        for task in tasks:
            ours.get(task, "deps:")


def test_an_install_naming_another_module_falls_back_to_doits_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    from presskit.tasks import journal

    ours = metadata.EntryPoint("presskit", "presskit.tasks.journal:TaskByTaskDB", "doit.BACKEND")
    stale = metadata.EntryPoint("presskit", "presskit.journal:TaskByTaskDB", "doit.BACKEND")
    monkeypatch.setattr(metadata, "entry_points", lambda **_: metadata.EntryPoints([ours]))
    assert journal.backend() == "presskit"
    monkeypatch.setattr(metadata, "entry_points", lambda **_: metadata.EntryPoints([stale, ours]))
    assert journal.backend() == "sqlite3"
    monkeypatch.setattr(metadata, "entry_points", lambda **_: metadata.EntryPoints([]))
    assert journal.backend() == "sqlite3"
