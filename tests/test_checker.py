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
