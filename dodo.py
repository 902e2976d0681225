"""Build every statement in sources/ into PDF, DOCX, HTML and wire copy: run `doit`."""

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from doit import create_after

from presskit.formats import BUILT_BY_DEFAULT
from presskit.project import Project
from presskit.tasks import journal, site, workers
from presskit.tasks.checker import MD5Checker
from presskit.tasks.progress import ProgressReporter
from presskit.tasks.statements import reference_tasks, statement_tasks

DOIT_CONFIG = {
    "backend": journal.backend(),  # sqlite3 committed after every task: a killed build keeps its work
    "dep_file": ".doit.db",
    "continue": True,  # one broken statement must not stop the others
    "check_file_uptodate": MD5Checker,  # doit's check, each shared file (fonts, templates) hashed once per run
    "reporter": ProgressReporter,  # each problem once, a progress bar on a terminal, one summary line
    "default_tasks": ["reference", *(f.basename for f in BUILT_BY_DEFAULT)],  # not the share cards
    # every core, as many as the memory available holds; `doit -n 1` for one; `doit serve` in doit's own process
    "num_process": workers.for_command_line(sys.argv),
}
PROJECT = Project(Path(__file__).parent)


def task_reference() -> Iterator[dict[str, Any]]:
    """Generate each brand's DOCX reference document."""
    yield from reference_tasks(PROJECT)


def task_outputs() -> Iterator[dict[str, Any]]:
    """Build every output of every statement."""
    yield from statement_tasks(PROJECT)
    yield site.inputs()


@create_after()  # `doit` and `doit pdf` never make the proof tasks; `doit proof` makes them when it gets there
def task_proof() -> Iterator[dict[str, Any]]:
    """Picture every statement's PDF and page on one proof sheet (needs Chromium: ./setup test)."""
    from presskit.tasks import proof

    yield from proof.tasks(PROJECT)


def task_import() -> Iterator[dict[str, Any]]:
    """Turn each translated DOCX of translations/inbox/ into sources/<slug>.<lang>.md."""
    from presskit.tasks import translations

    yield from translations.import_tasks(PROJECT.root)


def task_translations() -> dict[str, Any]:
    """Show every statement's languages: up to date, stale (and what changed) or missing."""
    from presskit.tasks import translations

    return translations.status_task(PROJECT.root)


def task_new() -> dict[str, Any]:
    """Start a statement: doit new --title '...' writes sources/<date>-<slug>.md."""
    from presskit.tasks import new

    return new.task(PROJECT)


def task_check() -> dict[str, Any]:
    """Check every statement without building anything; a non-zero exit on an error."""
    from presskit.tasks import check

    return check.task(PROJECT)


def task_serve() -> dict[str, Any]:
    """Preview every statement in the browser, rebuilt and reloaded on each save: doit serve [--port 8000]."""
    from presskit.tasks import preview

    return preview.task(PROJECT)


@site.made_when_named(sys.argv)  # `doit` never makes the newsroom's tasks; `doit site` does
def task_site() -> Iterator[dict[str, Any]]:
    """Publish every statement out of embargo into build/site/ (doit site); PRESSKIT_NOW sets the time."""
    yield from site.tasks(PROJECT, sys.argv)
