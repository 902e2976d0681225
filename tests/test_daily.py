"""The daily loop: `doit new`, `doit check`, the progress display, the summary line and the default workers."""

from __future__ import annotations

import datetime as dt
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from presskit.tasks import workers
from presskit.tasks.progress import summary, verbosity
from tests.conftest import Project, checkout_env, make_project

FORMATS = (".html", ".pdf", ".docx", ".txt", ".eml")
SUMMARY = re.compile(r"^built (?P<n>\d+) outputs? of (?P<s>\d+) statements? in \d+(?:\.\d)? s(?P<rest>.*)$")

WARNED = """\
---
title: A statement with a wrong weekday
date: 2018-11-23
dateline: Brussels, Monday
---

The federation said so.
"""
BROKEN = """\
---
title: A statement with a typo
date: 2018-11-23
titel: Typo
---

The federation said so.
"""


@pytest.fixture
def empty(tmp_path: Path) -> Project:
    return make_project(tmp_path / "project", seed=False)


def _statement(title: str) -> str:
    return f"---\ntitle: {title}\ndate: 2018-11-23\n---\n\nThe federation said so.\n"


# --- doit new ----------------------------------------------------------------------------------------------


def test_new_writes_a_statement_that_doit_builds_in_every_format(empty: Project) -> None:
    run = empty.doit("new", "--title", "Journalists freed in Manila: the IFJ welcomes the ruling")
    today = dt.datetime.now(ZoneInfo("Europe/Brussels")).date().isoformat()  # the default brand's time zone
    name = f"sources/{today}-journalists-freed-in-manila-the-ifj-welcomes-the-ruling.md"
    assert run.returncode == 0, run.output
    assert run.stdout == f"created {name}: write the statement there, then run doit\n"
    text = (empty.root / name).read_text(encoding="utf-8")
    assert text.startswith(
        f'---\ntitle: "Journalists freed in Manila: the IFJ welcomes the ruling"\ndate: {today}\nlang: en-GB\n'
    )
    assert '> "Put a quotation here," said' in text

    build = empty.doit()
    assert build.returncode == 0, build.output
    slug = "journalists-freed-in-manila-the-ifj-welcomes-the-ruling"
    for suffix in FORMATS:
        assert empty.output(slug, suffix).stat().st_size > 0, suffix
    wire = empty.output(slug, ".txt").read_text(encoding="utf-8")
    assert "JOURNALISTS FREED IN MANILA" in wire
    pdf = "".join(page.extract_text() for page in PdfReader(empty.output(slug, ".pdf")).pages)
    assert "Write the first paragraph here" in pdf


@pytest.mark.parametrize(
    ("title", "lang", "name"),
    [
        ("中国记者遭到逮捕", "zh-Hans", "2024-05-03-zhong-guo-ji-zhe-zao-dao-dai-bu.md"),
        ("الصحفيون في خطر", "ar", "2024-05-03-lshfywn-fy-khtr.md"),
    ],
)
def test_new_transliterates_a_title_in_another_script(empty: Project, title: str, lang: str, name: str) -> None:
    run = empty.doit("new", "--title", title, "--date", "2024-05-03", "--layout", "asia-pacific", "--lang", lang)
    assert run.returncode == 0, run.output
    assert run.stdout == f"created sources/{name}: write the statement there, then run doit\n"
    text = (empty.root / "sources" / name).read_text(encoding="utf-8")
    assert text.startswith(f'---\ntitle: "{title}"\ndate: 2024-05-03\nlang: {lang}\nlayout: asia-pacific\n')


def test_new_never_overwrites_a_file(empty: Project) -> None:
    assert empty.doit("new", "--title", "Twice", "--date", "2024-05-03").returncode == 0
    path = empty.root / "sources" / "2024-05-03-twice.md"
    path.write_text(_statement("Twice, and edited"), encoding="utf-8")
    run = empty.doit("new", "--title", "Twice", "--date", "2024-05-03")
    assert run.returncode == 1
    assert run.stdout == (
        "sources/2024-05-03-twice.md: already exists, and doit new never overwrites a file; "
        "edit it, or give another --title or --date\n"
    )
    assert path.read_text(encoding="utf-8") == _statement("Twice, and edited")
    other_day = empty.doit("new", "--title", "Twice", "--date", "2024-05-04")
    assert other_day.returncode == 1
    assert other_day.stdout == (
        "sources/2024-05-04-twice.md: --title: sources/2024-05-03-twice.md already has the slug 'twice', so both "
        "would be built into the same folder; choose another title, or edit that file\n"
    )
    assert sorted(p.name for p in (empty.root / "sources").iterdir()) == ["2024-05-03-twice.md"]


def test_new_refuses_invalid_parameters_and_writes_nothing(empty: Project) -> None:
    run = empty.doit(
        "new", "--title", "Fine", "--lang", "xx_1", "--layout", "nope", "--date", "2024-13-01", "--embargo", "soon"
    )
    assert run.returncode == 1
    assert run.stdout == (
        "doit new: --lang: 'xx_1' is not a BCP 47 language tag; use one such as en, fr, es, zh-Hans or ar\n"
        "doit new: --layout: no layout 'nope' in layouts/; available: asia-pacific, default\n"
        "doit new: --date: '2024-13-01' is not a day of the calendar; check the month and day\n"
        "doit new: --embargo: 'soon' is not a date and time; write it with an offset or a zone, e.g. "
        "'2018-11-24T00:01+01:00' or '2018-11-24 00:01 Europe/Brussels'\n"
    )
    untitled = empty.doit("new")
    assert untitled.returncode == 1
    assert untitled.stdout == "doit new: --title: is required: doit new --title 'Our statement on ...'\n"
    assert list((empty.root / "sources").iterdir()) == []


def test_new_writes_the_embargo_and_the_build_keeps_it(empty: Project) -> None:
    run = empty.doit("new", "--title", "Held", "--date", "2030-01-02", "--embargo", "2030-01-02 00:01 Europe/Brussels")
    assert run.returncode == 0, run.output
    text = (empty.root / "sources" / "2030-01-02-held.md").read_text(encoding="utf-8")
    assert 'embargo: "2030-01-02 00:01 Europe/Brussels"\n' in text
    assert empty.doit("txt:held").returncode == 0
    assert "EMBARGOED" in empty.output("held", ".txt").read_text(encoding="utf-8").upper()


def test_the_brand_time_zone_is_checked(empty: Project) -> None:
    brand = empty.root / "layouts" / "default" / "_brand.yml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("Europe/Brussels", "Europe/Bruxelles"), "utf-8")
    run = empty.doit("new", "--title", "Anything")
    assert run.returncode == 1
    assert (
        "layouts/default/_brand.yml: defaults.presskit.timezone: unknown time zone 'Europe/Bruxelles'; use a name "
        "of the time zone database such as Europe/Brussels or Australia/Sydney\n"
    ) in run.stdout


# --- doit check --------------------------------------------------------------------------------------------


def test_check_prints_errors_and_warnings_and_fails_on_an_error(empty: Project) -> None:
    empty.write("sources/broken.md", BROKEN)
    empty.write("sources/warned.md", WARNED)
    run = empty.doit("check")
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert lines[:-1] == [
        "sources/broken.md:4: titel: unknown field; did you mean 'title'?",
        "sources/warned.md:4: dateline: warning: says Monday, but 23 November 2018 is a Friday; correct the weekday "
        "or the date",
    ]
    assert re.fullmatch(r"checked 2 statements in \d+\.\d s: 1 error, 1 warning", lines[-1]), lines[-1]
    assert not (empty.root / "build" / "broken").exists()  # nothing is rendered

    (empty.root / "sources" / "broken.md").unlink()
    warned = empty.doit("check")
    assert warned.returncode == 0
    assert warned.stdout.splitlines()[0].startswith("sources/warned.md:4: dateline: warning: says Monday")
    assert re.fullmatch(r"checked 1 statement in \d+\.\d s: 1 warning", warned.stdout.splitlines()[-1])

    (empty.root / "sources" / "warned.md").write_text(WARNED.replace(", Monday", ""), encoding="utf-8")
    clean = empty.doit("check")
    assert clean.returncode == 0
    assert re.fullmatch(r"checked 1 statement in \d+\.\d s: no problems\n", clean.stdout), clean.stdout


def test_check_finds_a_character_no_font_draws(empty: Project) -> None:
    empty.write("sources/glyph.md", _statement("Glyphs") + "\nA Toto letter: \U0001e290.\n")
    run = empty.doit("check")
    assert run.returncode == 1
    assert run.stdout.startswith("sources/glyph.md:8: text: no installed font has this character: '\U0001e290' "), (
        run.stdout
    )


def test_check_is_not_a_default_task(empty: Project) -> None:
    empty.write("sources/broken.md", BROKEN)
    run = empty.doit()
    assert "checked" not in run.stdout
    assert "txt:broken" in run.stdout


# --- the summary line, the no-op line and the progress display ---------------------------------------------


def test_a_run_ends_with_one_summary_line_and_a_noop_with_one_line(empty: Project) -> None:
    empty.write("sources/one.md", _statement("One"))
    empty.write("sources/two.md", _statement("Two"))
    first = empty.doit()
    assert first.returncode == 0, first.output
    assert len(first.executed) == 12  # the plain lines, one per task, as doit prints them
    last = first.stdout.splitlines()[-1]
    assert (match := SUMMARY.fullmatch(last)), last
    assert (match["n"], match["s"], match["rest"]) == ("12", "2", "")  # 10 outputs and the 2 brands' DOCX styles

    noop = empty.doit()
    assert noop.returncode == 0
    assert noop.stdout == "everything is up to date: 12 outputs\n"

    detail = empty.doit("-v", "2")
    assert detail.stdout.count("-- ") == 12
    assert "-- pdf:one\n" in detail.stdout
    assert detail.stdout.endswith("\neverything is up to date: 12 outputs\n")


def test_the_summary_names_the_statements_that_failed(empty: Project) -> None:
    empty.write("sources/one.md", _statement("One"))
    empty.write("sources/broken.md", BROKEN)
    run = empty.doit("txt")
    assert run.returncode != 0  # 2: doit counts the `txt` group, not run for want of txt:broken, as an error
    assert (match := SUMMARY.fullmatch(run.stdout.splitlines()[-1])), run.stdout
    assert (match["n"], match["s"], match["rest"]) == ("1", "1", "; 1 statement failed: broken")


def test_summary_wording() -> None:
    assert summary(402, 100, 0, 0, ["slug"], True, 31.4) == "built 402 outputs of 100 statements in 31 s; " \
        "1 statement failed: slug"  # fmt: skip
    assert summary(1, 1, 0, 4, [], True, 2.04) == "built 1 output of 1 statement in 2.0 s"
    assert summary(0, 0, 0, 5002, [], True, 1.0) == "everything is up to date: 5,002 outputs"
    assert summary(0, 0, 0, 0, ["a", "reference:x"], False, 1.0) == "built nothing in 1.0 s; 2 tasks failed: a, " \
        "reference:x"  # fmt: skip
    assert verbosity(["-v", "2"]) == 2 and verbosity(["--verbosity=0"]) == 0 and verbosity(["-v2", "pdf"]) == 2
    assert verbosity(["new", "--title", "x"]) == 1


def _in_terminal(root: Path, *args: str, timeout: float = 300) -> str:
    """Run doit in a pseudo-terminal, as a user at a terminal does; everything it showed, escape codes removed."""
    leader, follower = pty.openpty()
    env = checkout_env({**os.environ, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "40"})
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "doit", *args], cwd=root, stdin=follower, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process is done
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    proc.wait(timeout=10)
    os.close(leader)
    text = b"".join(chunks).decode("utf-8", "replace")
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)  # colours
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r", "\n", text)  # cursor moves: a new line


def test_a_terminal_shows_progress_then_the_summary(empty: Project) -> None:
    for i in range(3):
        empty.write(f"sources/s{i}.md", _statement(f"Statement {i}"))
    shown = _in_terminal(empty.root, "-n", "1")
    frames = [line.strip() for line in shown.splitlines() if line.strip().startswith("built ")]
    progress = [f for f in frames if re.match(r"built +\d+/\d+ ", f)]
    assert progress, shown
    assert all(" left " in f or f.endswith(" left") for f in progress), progress
    assert any(re.search(r" \d+:\d\d:\d\d left", f) for f in progress), progress  # the time left, once known
    assert any(re.match(r"built +\d+/17 .* left +(reference|html|pdf|docx|txt|eml):", f) for f in progress), progress
    assert SUMMARY.fullmatch(frames[-1]), frames[-1]
    assert ".  pdf:s0" not in shown  # the bar replaces the plain lines
    noop = _in_terminal(empty.root)
    assert [line for line in noop.splitlines() if line.strip()] == ["everything is up to date: 17 outputs"]


# --- every core by default ---------------------------------------------------------------------------------


def test_the_default_uses_every_core_the_memory_can_hold() -> None:
    assert workers.processes(cpus=8, megabytes=64_000) == 8
    assert workers.processes(cpus=8, megabytes=workers.RESERVE_MEGABYTES + 3 * workers.WORKER_MEGABYTES) == 3
    assert workers.processes(cpus=8, megabytes=100) == 1
    assert workers.processes(cpus=2, megabytes=None) in (1, 2)
    assert 1 <= workers.processes() <= workers.cores()
    assert workers.cores() <= (os.cpu_count() or 1)


def test_a_plain_doit_runs_on_the_default_workers(empty: Project) -> None:
    config = subprocess.run(
        [sys.executable, "-c", "import dodo; print(dodo.DOIT_CONFIG['num_process'])"],
        cwd=empty.root,
        env=checkout_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(config.stdout) == workers.processes()
