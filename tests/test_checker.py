"""The file checker: doit's decisions and stored state, with each file version hashed once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from doit import dependency

from presskit.tasks import checker


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths whose content was read to hash it, in order."""
    calls: list[str] = []
    real = dependency.get_file_md5

    def counting(path: str) -> str:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(dependency, "get_file_md5", counting)
    monkeypatch.setattr(checker.MD5Checker, "_hashes", {})
    return calls


def test_state_is_doits_own(tmp_path: Path, hashed: list[str]) -> None:
    font = tmp_path / "font.ttf"
    font.write_bytes(b"\x00glyphs" * 1000)
    ours, doits = checker.MD5Checker(), dependency.MD5Checker()
    assert ours.get_state(str(font), None) == doits.get_state(str(font), None)
    assert checker.MD5Checker.__name__ == dependency.MD5Checker.__name__  # databases stay valid


def test_a_shared_file_is_read_once_for_all_tasks(tmp_path: Path, hashed: list[str]) -> None:
    font = tmp_path / "font.ttf"
    font.write_bytes(b"\x00glyphs" * 1000)
    states = [checker.MD5Checker().get_state(str(font), None) for _ in range(300)]
    assert len(set(states)) == 1
    assert hashed == [str(font)]
    assert checker.MD5Checker().get_state(str(font), states[0]) is None  # already recorded: nothing to read


def test_changes_are_seen_and_touches_are_not(tmp_path: Path, hashed: list[str]) -> None:
    css = tmp_path / "print.css"
    css.write_text("h1 { color: red; }", encoding="utf-8")
    check = checker.MD5Checker()
    state = check.get_state(str(css), None)
    assert state is not None
    assert not check.check_modified(str(css), css.stat(), state)

    os.utime(css, ns=(css.stat().st_mtime_ns + 10**9,) * 2)  # touched, same bytes
    assert not check.check_modified(str(css), css.stat(), state)

    css.write_text("h1 { color: tan; }", encoding="utf-8")  # same size, other bytes
    os.utime(css, ns=(css.stat().st_mtime_ns + 2 * 10**9,) * 2)
    assert check.check_modified(str(css), css.stat(), state)
    new = check.get_state(str(css), state)
    assert new is not None and new[2] == dependency.get_file_md5(str(css)) != state[2]

    css.write_text("h1 { color: darkred; }", encoding="utf-8")  # another size
    assert check.check_modified(str(css), css.stat(), state)


def test_config_changed_records_doits_digest_once_for_all_tasks_sharing_it() -> None:
    from doit import tools
    from doit.task import Task

    config = {"format": "pdf", "languages": {"versions": [["fr", "s.fr"]], "stale_since": None}, "code": "c"}
    shared = checker.config_changed(config)
    tasks = [Task(f"pdf:{n}", [], uptodate=[shared]) for n in ("a", "b")]
    assert shared(tasks[0], {}) is False  # never built: not up to date
    digest = tools.config_changed(config)._calc_digest()
    assert [saver() for task in tasks for saver in task.value_savers] == [{"_config_changed": digest}] * 2
    assert shared(tasks[1], {"_config_changed": digest}) is True


def test_a_layout_file_is_stated_once_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "print.css").write_text("a")
    (tmp_path / "a.md").write_text("a")
    stated: list[str] = []
    real = os.stat

    def counting(path: str, *args: object, **kwargs: object) -> os.stat_result:
        stated.append(str(path))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    check = checker.MD5Checker()
    monkeypatch.setattr(os, "stat", counting)
    for _ in range(3):
        check.info(os.path.join("layouts", "print.css"))
        check.info("a.md")
    assert stated == [os.path.join("layouts", "print.css"), "a.md", "a.md", "a.md"]


def _task(tmp_path: Path, name: str, reads: list[str], writes: list[str], config: dict[str, str]) -> dict[str, object]:
    return {"basename": "page", "name": name, "file_dep": [str(tmp_path / r) for r in reads],
            "targets": [str(tmp_path / w) for w in writes], "uptodate": [checker.config_changed(config)]}  # fmt: skip


def _record(task: dict[str, object]) -> dict[str, object]:
    """What doit stores for a task once it has run: its checker, file states, dependencies and digest."""
    deps = list(task["file_dep"])  # type: ignore[call-overload]
    states = {dep: [os.stat(dep).st_mtime, os.stat(dep).st_size, "md5"] for dep in deps}
    digest = task["uptodate"][0]._calc_digest()  # type: ignore[index]
    return {"checker:": "MD5Checker", "deps:": deps, "_values_:": {"_config_changed": digest}, **states}


@pytest.fixture
def built(tmp_path: Path) -> tuple[list[dict[str, object]], dict[str, dict[str, object]]]:
    """Two pages and a feed reading both, each run once: the feed after the pages."""
    for name in ("a.html", "b.html", "site/a.html", "site/b.html", "site/feed.atom"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name, encoding="utf-8")
    tasks = [_task(tmp_path, "a", ["a.html"], ["site/a.html"], {"title": "A"}),
             _task(tmp_path, "b", ["b.html"], ["site/b.html"], {"title": "B"}),
             _task(tmp_path, "feed", ["site/a.html", "site/b.html"], ["site/feed.atom"], {"n": "2"})]  # fmt: skip
    return tasks, {checker.task_name(t): _record(t) for t in tasks}


def test_tasks_as_doit_recorded_them_are_settled(built: tuple[list[dict[str, object]], dict[str, dict]]) -> None:
    tasks, records = built
    assert checker.settled(tasks, records.__getitem__) == {"page:a", "page:b", "page:feed"}


def test_a_changed_setting_unsettles_a_task_and_what_reads_its_files(
    tmp_path: Path, built: tuple[list[dict[str, object]], dict[str, dict]]
) -> None:
    tasks, records = built
    tasks[0]["uptodate"] = [checker.config_changed({"title": "A, corrected"})]
    assert checker.settled(tasks, records.__getitem__) == {"page:b"}


def test_a_file_changed_in_time_or_a_target_gone_is_left_to_doit(
    tmp_path: Path, built: tuple[list[dict[str, object]], dict[str, dict]]
) -> None:
    tasks, records = built
    os.utime(tmp_path / "b.html", ns=(1, 1))  # doit decides by its hash whether the content changed
    assert checker.settled(tasks, records.__getitem__) == {"page:a"}
    (tmp_path / "site" / "a.html").unlink()
    assert checker.settled(tasks, records.__getitem__) == set()


def test_what_doit_would_not_judge_as_up_to_date_is_never_settled(
    built: tuple[list[dict[str, object]], dict[str, dict]],
) -> None:
    tasks, records = built
    never = [{**tasks[0], "uptodate": [lambda: True]}, {**tasks[1], "file_dep": [], "uptodate": []}]
    assert checker.settled(never, records.__getitem__) == set()
    assert checker.settled(tasks, {**records, "page:a": {**records["page:a"], "ignore:": "1"}}.__getitem__) == {
        "page:b"
    }
    assert checker.settled(tasks, {**records, "page:b": {}}.__getitem__) == {"page:a"}
    other = {**records["page:a"], "checker:": "TimestampChecker"}
    assert checker.settled(tasks, {**records, "page:a": other}.__getitem__) == {"page:b"}
