"""Build every statement in sources/ into PDF, DOCX, HTML and wire copy: run `doit`."""

from pathlib import Path

from presskit.tasks import Project, reference_tasks, statement_tasks

DOIT_CONFIG = {
    "backend": "sqlite3",  # dbm falls back to dbm.dumb here, which can corrupt
    "dep_file": ".doit.db",
    "continue": True,  # one broken statement must not stop the others
    "default_tasks": ["reference", "html", "pdf", "docx", "txt", "eml"],
}
PROJECT = Project(Path(__file__).parent)


def task_reference():
    """Generate each brand's DOCX reference document."""
    yield from reference_tasks(PROJECT)


def task_outputs():
    """Build every output of every statement."""
    yield from statement_tasks(PROJECT)


def task_proof():
    """Picture every statement's PDF and page on one proof sheet (needs Chromium: ./setup test)."""
    from presskit import proof

    yield from proof.tasks(PROJECT)
