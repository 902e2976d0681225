"""`doit check`: every check that needs no rendering, on every statement, quick enough for a pre-commit hook."""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from doit.exceptions import TaskFailed

from presskit import cache, output
from presskit.errors import ERROR, NOTE, InputError, Problem
from presskit.project import Project
from presskit.tasks.statements import sniff_sources

if TYPE_CHECKING:
    from presskit.prepare.prepared import Prepared


def task(project: Project) -> dict[str, Any]:
    """The `check` task: runs on every call, builds nothing, fails when a statement has an error."""
    return {
        "basename": "check",
        "doc": "check every statement (front matter, images, glyphs, embargo, dates) without building anything",
        "actions": [(run, [str(project.root)])],
        "uptodate": [False],
        "verbosity": 2,
        "meta": {"command": True},
    }


def run(root: str) -> TaskFailed | str:
    """doit action: the problems of every statement and a closing count; a failure when one is an error."""
    started = time.monotonic()
    project = Project(Path(root))
    with cache.using(project.cache), output.confined(project.root):
        problems, count = check_all(project)
    errors = [p for p in problems if not is_warning(p)]
    lines = [str(p) for p in problems]
    notes = sum(p.severity == NOTE for p in problems)
    warnings = len(problems) - len(errors) - notes
    lines.append(closing(count, len(errors), warnings, time.monotonic() - started, notes))
    text = "\n".join(lines)
    return TaskFailed(text) if errors else text


def is_warning(problem: Problem) -> bool:
    """Whether a problem is a warning or a note, which does not stop a build."""
    return problem.severity != ERROR


def closing(statements: int, errors: int, warnings: int, seconds: float, notes: int = 0) -> str:
    """The last line of `doit check`: `checked 100 statements in 0.9 s: 1 error, 2 warnings, 3 notes`."""
    counts = ((errors, "error"), (warnings, "warning"), (notes, "note"))
    found = ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts if n)
    noun = "statement" if statements == 1 else "statements"
    return f"checked {statements} {noun} in {seconds:.1f} s: {found or 'no problems'}"


def check_all(project: Project) -> tuple[list[Problem], int]:
    """Every problem of every statement of `sources/`, statement by statement, and how many were checked."""
    found = sniff_sources(project)
    by_stem: dict[str, list[Path]] = defaultdict(list)
    for path, sniff in found:
        by_stem[sniff.stem].append(path)
    problems: list[Problem] = []
    for path, sniff in found:
        clash = by_stem[sniff.stem]
        if len(clash) > 1:
            if path == clash[0]:
                names = " and ".join(str(p.relative_to(project.root)) for p in clash)
                problems.append(Problem(names, None, "slug", f"both statements would be built as build/"
                                        f"{sniff.slug}/{sniff.stem}.*; give one of them another file name "
                                        "or a 'slug' field"))  # fmt: skip
            continue
        problems.extend(check_one(project, path))
    return problems, len(found)


def check_one(project: Project, source: Path) -> list[Problem]:
    """The problems of one statement: its errors, or else its pre-flight warnings and missing glyphs."""
    from presskit.formats import glyphs  # only `doit check` itself needs them, not every doit that names it
    from presskit.prepare.prepared import prepare

    try:
        prepared = prepare(project, source)
        st = prepared.statement
        glyphs.check(drawn_text(prepared), prepared.brand, st.display, st.source.read_text(encoding="utf-8"))
    except InputError as exc:
        return list(exc.problems)
    return list(prepared.warnings)


def drawn_text(prepared: Prepared) -> str:
    """What every format draws of a statement besides the layout: its fields, body, contact and the brand's words."""
    st, brand = prepared.statement, prepared.brand
    parts = [st.title, st.dateline or "", st.summary or "", *st.tags, st.body, st.contact.name, st.contact.email]
    parts += [st.contact.phone or "", brand.boilerplate, brand.organisation, *prepared.words.values()]
    return "\n".join(parts)
