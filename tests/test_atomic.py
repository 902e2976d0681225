"""Outputs are never half-written: a failed render keeps the last good output, a killed build resumes cleanly."""

from __future__ import annotations

import fcntl
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from presskit import output
from presskit.formats import BUILT_BY_DEFAULT
from tests.conftest import SAMPLES, SEED_SLUG, Project, checkout_env, make_project

SUFFIXES = tuple(f.suffix for f in BUILT_BY_DEFAULT)
COPIES = 5


def _project(root: Path) -> Project:
    """The seed, the rich sample and a few copies of it: enough work for a build to be caught half-way."""
    proj = make_project(root)
    rich = (SAMPLES / "rich.md").read_text(encoding="utf-8")
    proj.write("sources/rich.md", rich)
    for i in range(COPIES):
        proj.write(f"sources/copy-{i}.md", rich.replace("title: \"Sample statement", f'title: "Copy {i} of the sample'))
    return proj


def _outputs(proj: Project) -> dict[str, Path]:
    """Every output file in build/ (not the cache), by the doit task that makes it."""
    found = {}
    for path in (proj.root / "build").glob("*/*"):
        if path.parent.name == "_cache" or path.name.startswith("."):
            continue
        if path.name.endswith(".assets.json"):
            found[f"assets:{path.name.removesuffix('.assets.json')}"] = path
        elif path.parent.name == "_reference":
            found[f"reference:{path.stem}"] = path
        else:
            found[f"{path.suffix[1:]}:{path.name[: -len(path.suffix)]}"] = path
    return found


def _complete(path: Path) -> None:
    """Fail unless the file is a whole document of its kind."""
    if path.suffix == ".pdf":
        assert len(PdfReader(path).pages) >= 1, path
    elif path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None, path
            assert "word/document.xml" in archive.namelist()
    elif path.suffix == ".html":
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), path
    elif path.suffix in (".txt", ".eml"):
        path.read_text(encoding="utf-8")
        assert path.stat().st_size > 0


def _kill_mid_build(proj: Project, jobs: int) -> set[str]:
    """Start `doit -n JOBS`, SIGKILL it and its workers once some outputs exist; the tasks whose output exists."""
    process = subprocess.Popen(
        [sys.executable, "-m", "doit", "-n", str(jobs)],
        cwd=proj.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env=checkout_env(),
    )
    try:
        # wait for progress, not for time: the kill lands after the first PDF, whatever the machine's speed
        while process.poll() is None and not list((proj.root / "build").glob("*/*.pdf")):
            time.sleep(0.02)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the build ended before it could be killed; give it more work"
    return set(_outputs(proj))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_killed_build_resumes_with_exactly_what_is_missing(tmp_path: Path, jobs: int) -> None:
    proj = _project(tmp_path / "project")
    done_before = _kill_mid_build(proj, jobs)

    run = proj.doit("-n", str(jobs))
    assert run.returncode == 0, run.output
    outputs = _outputs(proj)
    assert sorted(outputs) == sorted(set(run.executed) | done_before)
    redone = done_before & set(run.executed)
    # a task killed between renaming its output and committing its record runs again: at most one per worker
    assert len(redone) <= jobs, redone
    for path in outputs.values():
        _complete(path)
    assert [p.name for p in (proj.root / "build").rglob("*.part")] == []

    with sqlite3.connect(proj.root / ".doit.db") as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
        recorded = {row[0] for row in db.execute("select task_id from doit")}
    assert set(outputs) <= recorded
    assert proj.doit().executed == []


def test_a_build_with_two_workers_gives_the_same_bytes_as_one(tmp_path: Path) -> None:
    one, two = _project(tmp_path / "one"), _project(tmp_path / "two")
    assert one.doit("-n", "1").returncode == 0
    assert two.doit("-n", "2").returncode == 0
    first, second = _outputs(one), _outputs(two)
    assert sorted(first) == sorted(second)
    assert {f"{fmt.basename}:copy-{COPIES - 1}" for fmt in BUILT_BY_DEFAULT} <= set(first)
    different = [task for task in first if first[task].read_bytes() != second[task].read_bytes()]
    assert different == []


def test_a_failed_render_keeps_the_last_good_output_and_no_temporary_file(project: Project) -> None:
    assert project.doit().returncode == 0
    before = {path: path.read_bytes() for path in _outputs(project).values()}
    source = project.root / "sources" / "2018-11-23-china-online-crackdown.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("date: 2018-11-23", "date: 2018-11-31"), encoding="utf-8")

    run = project.doit()
    assert run.returncode != 0
    message = "sources/2018-11-23-china-online-crackdown.md:3: date: '2018-11-31' is not a day of the calendar"
    assert message in run.output
    assert {path: path.read_bytes() for path in _outputs(project).values()} == before
    assert [p.name for p in (project.root / "build").rglob("*.part")] == []
    assert project.output(SEED_SLUG, ".pdf").exists()


def test_replacing_removes_its_temporary_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "out" / "statement.pdf"
    output.write(target, b"good")
    with pytest.raises(RuntimeError), output.replacing(target) as temp:
        temp.write_bytes(b"half")
        raise RuntimeError("renderer crashed")
    assert target.read_bytes() == b"good"
    assert sorted(p.name for p in target.parent.iterdir()) == ["statement.pdf"]


def test_temporary_files_of_a_killed_writer_are_removed_and_a_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "statement.pdf"
    abandoned = tmp_path / ".statement.pdf.abc12345.part"  # nobody holds its lock: its writer died
    live = tmp_path / ".statement.pdf.def67890.part"
    other = tmp_path / ".statement.pdf.html.ghi13579.part"  # the temporary file of another output
    for path in (abandoned, live, other):
        path.write_bytes(b"half")
    holder = os.open(live, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # a writer still at work holds the lock on its file
    try:
        output.write(target, b"whole")
    finally:
        os.close(holder)
    assert target.read_bytes() == b"whole"
    assert not abandoned.exists()
    assert live.exists() and other.exists()
