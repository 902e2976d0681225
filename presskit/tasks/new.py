"""`doit new`: start a statement from its title, with the front matter filled in and a body to write over."""

from __future__ import annotations

import datetime as dt
import json
import os
import unicodedata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from doit.exceptions import TaskFailed

from presskit import cache
from presskit.errors import InputError, Problem
from presskit.project import Project
from presskit.read import brand as brands
from presskit.read import statement

WHERE = "doit new"
"""What a problem with a parameter names instead of a file."""

SLUG_LENGTH = 60
"""Longest slug `doit new` makes from a title, cut at a word boundary."""

PARAMS: list[dict[str, Any]] = [
    {"name": "title", "long": "title", "type": str, "default": "", "help": "the headline (required)"},
    {"name": "lang", "long": "lang", "type": str, "default": "", "help": "BCP 47 language tag [default: the brand's]"},
    {"name": "layout", "long": "layout", "type": str, "default": brands.BASE_LAYOUT,
     "help": "brand [default: %(default)s]"},
    {"name": "date", "long": "date", "type": str, "default": "", "help": "release date YYYY-MM-DD [default: today]"},
    {"name": "embargo", "long": "embargo", "type": str, "default": "",
     "help": "not for publication before, e.g. '2018-11-24 00:01 Europe/Brussels'"},
]  # fmt: skip
"""doit task parameters of `doit new`."""

BODY = """\
Write the first paragraph here: who did what, when, where and why, in one or two sentences. Do not
start it with the city or the date: the dateline is added from the front matter.

> "Put a quotation here," said Name Surname, role at the organisation.

Go on with the background, the details and what happens next.
"""
"""The body of a new statement: a first paragraph without a dateline, and a quotation, to write over."""


def task(project: Project) -> dict[str, Any]:
    """The `new` task: writes one statement file from its parameters; never part of a plain `doit`."""
    return {
        "basename": "new",
        "doc": "start a statement: doit new --title '...' [--lang, --layout, --date, --embargo]",
        "actions": [(create, [str(project.root)])],
        "params": PARAMS,
        "uptodate": [False],
        "verbosity": 2,
        "meta": {"command": True},
    }


def slug(title: str) -> str:
    """The slug of a title, transliterated to Latin letters: `中国记者` gives `zhong-guo-ji-zhe`."""
    from anyascii import anyascii
    from slugify import slugify

    # A Chinese or Japanese character is a syllable of its own: spaced, they become words of the slug.
    spaced = "".join(f" {c} " if unicodedata.east_asian_width(c) in "WF" else c for c in title)
    return slugify(anyascii(spaced), max_length=SLUG_LENGTH, word_boundary=True) or "statement"


def create(root: str, title: str, lang: str, layout: str, date: str, embargo: str) -> TaskFailed | str:
    """doit action: write `sources/<date>-<slug>.md`; the text to show, or the problems with the parameters."""
    project = Project(Path(root))
    try:
        with cache.using(project.cache):
            path, text = compose(project, title=title, lang=lang, layout=layout, date=date, embargo=embargo)
        write_new(project, path, text)
    except InputError as exc:
        return TaskFailed(str(exc))
    return f"created {os.path.relpath(path, root)}: write the statement there, then run doit"


def compose(project: Project, *, title: str, lang: str, layout: str, date: str, embargo: str) -> tuple[Path, str]:
    """The file a new statement goes to and its text, or InputError naming every parameter that is wrong."""
    problems: list[Problem] = []

    def problem(field: str, message: str) -> None:
        problems.append(Problem(WHERE, None, f"--{field}", message))

    # The checks of a statement's front matter, so that a parameter is refused exactly as the field would be.
    checked_title = statement._one_line(title, "title", problem, header=True)
    if checked_title is None and not problems:
        problem("title", "is required: doit new --title 'Our statement on ...'")
    checked_lang = statement._lang(lang, problem) if lang else None
    brand = None
    if missing := brands.check_exists(project.layouts, layout, WHERE, None):
        problems.append(Problem(WHERE, None, "--layout", missing.message))
    else:
        try:
            brand = brands.load(project.layouts, layout, project.root)
        except InputError as exc:
            problems.extend(exc.problems)
    day = statement._date(date, problem) if date else None
    moment = statement._embargo(embargo, problem) if embargo else None
    if problems:
        raise InputError(problems)
    assert brand is not None and checked_title is not None
    if day is None:
        day = dt.datetime.now(ZoneInfo(brand.timezone)).date() if brand.timezone else dt.date.today()
    name = f"{day.isoformat()}-{slug(checked_title)}.md"
    path = project.sources / name
    title_text = json.dumps(checked_title, ensure_ascii=False)  # a JSON string is a YAML string, quotes escaped
    fields = [("title", title_text), ("date", day.isoformat()), ("lang", checked_lang or brand.lang)]
    if layout != brands.BASE_LAYOUT:
        fields.append(("layout", layout))
    if moment is not None:
        fields.append(("embargo", json.dumps(embargo.strip(), ensure_ascii=False)))
    lines = ["---", *(f"{key}: {value}" for key, value in fields)]
    lines += ["# dateline: Brussels", "# summary: One sentence saying what the statement is about.", "---", ""]
    return path, "\n".join(lines) + "\n" + BODY


def write_new(project: Project, path: Path, text: str) -> None:
    """Write a new statement file, refusing to replace any file or to take another statement's slug."""
    display = os.path.relpath(path, project.root)
    slug_of, _ = statement.slug_from_name(path)
    taken = sorted(
        p for p in project.sources.glob("*.md") if p != path and statement.slug_from_name(p) == (slug_of, None)
    )
    if taken:
        other = os.path.relpath(taken[0], project.root)
        message = f"{other} already has the slug '{slug_of}', so both would be built into the same folder; "
        raise InputError([Problem(display, None, "--title", message + "choose another title, or edit that file")])
    project.sources.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as file:  # "x": never replaces a file, even in a race
            file.write(text)
    except FileExistsError:
        raise InputError([Problem(display, None, None, "already exists, and doit new never overwrites a file; "
                                  "edit it, or give another --title or --date")]) from None  # fmt: skip
