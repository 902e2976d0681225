"""The newsroom's tasks as last made: recalled only for the same sources, layouts, code and ended embargoes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from presskit import cache
from presskit.project import Project
from presskit.tasks import recall
from presskit.tasks.checker import config_changed
from tests.conftest import make_project

ROOTS = ("presskit.tasks.site",)
NOON = dt.datetime(2019, 3, 1, 12, tzinfo=dt.UTC)
ENDS = (dt.datetime(2019, 3, 1, 9, tzinfo=dt.UTC), dt.datetime(2019, 3, 2, 9, tzinfo=dt.UTC))
TASK = {"basename": "page", "name": "a", "file_dep": ["build/a/a.html"], "targets": ["build/site/a/a.html"],
        "uptodate": [config_changed({"title": "A"})], "actions": [(print, ["not kept"])]}  # fmt: skip


def _kept(tmp_path: Path) -> tuple[Project, str]:
    made = make_project(tmp_path / "project", seed=False)
    made.write("sources/2019-03-01-a.md", "---\ntitle: A\ndate: 2019-03-01\n---\n\nText.\n")
    project = Project(made.root)
    with cache.using(project.cache):
        inputs = recall.inputs(project, ROOTS, "pagefind 1")
        recall.keep(project, inputs, NOON, ENDS, [TASK])
    return project, inputs


def test_the_same_inputs_recall_each_task_without_its_action(tmp_path: Path) -> None:
    project, inputs = _kept(tmp_path)
    with cache.using(project.cache):
        assert recall.inputs(project, ROOTS, "pagefind 1") == inputs
    found = recall.recall(project, inputs, NOON + dt.timedelta(hours=6))
    assert found is not None
    [task] = found
    assert {k: task[k] for k in ("basename", "name", "file_dep", "targets")} == {
        k: TASK[k] for k in ("basename", "name", "file_dep", "targets")
    }
    assert task["uptodate"][0]._calc_digest() == TASK["uptodate"][0]._calc_digest()  # type: ignore[index]
    assert "actions" not in task


def test_a_changed_source_layout_or_tool_changes_the_inputs(tmp_path: Path) -> None:
    project, inputs = _kept(tmp_path)
    with cache.using(project.cache):
        assert recall.inputs(project, ROOTS, "pagefind 2") != inputs
        (project.sources / "2019-03-01-a.md").write_text("---\ntitle: B\ndate: 2019-03-01\n---\n\nText.\n")
        edited = recall.inputs(project, ROOTS, "pagefind 1")
        (project.layouts / "default" / "site" / "extra.html").write_text("<p>new</p>")
        laid_out = recall.inputs(project, ROOTS, "pagefind 1")
    assert len({inputs, edited, laid_out}) == 3
    assert recall.recall(project, edited, NOON) is None


def test_an_embargo_ending_since_forgets_them(tmp_path: Path) -> None:
    project, inputs = _kept(tmp_path)
    assert recall.recall(project, inputs, ENDS[1]) is None  # the second embargo ends: the site changes
    assert recall.recall(project, inputs, ENDS[0]) is not None  # still only the first one ended


def test_a_damaged_or_strange_file_is_as_good_as_none(tmp_path: Path) -> None:
    project, inputs = _kept(tmp_path)
    kept = project.cache / recall.FILE
    for text in ("{", "[]", '{"inputs": 1}', kept.read_text().replace('"page"', "7")):
        kept.write_text(text, encoding="utf-8")
        assert recall.recall(project, inputs, NOON) is None
