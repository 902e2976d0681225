"""The doit layer of translations: import tasks for the inbox, the status task, and the command line."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from doit.exceptions import TaskFailed

from presskit.errors import InputError
from presskit.project import Project
from presskit.tasks import code, report, statements
from presskit.tasks.checker import config_changed
from presskit.translate import translation


def print_status(root: str) -> TaskFailed | None:
    """doit action: print the translation status of every statement; a problem becomes the task's failure."""
    try:
        print(translation.status(Path(root)))
    except InputError as exc:
        return TaskFailed(str(exc))
    return None


def import_tasks(root: Path) -> Iterator[dict[str, Any]]:
    """doit tasks: one per DOCX in `translations/inbox/`, turning it into `sources/<slug>.<lang>.md`."""
    yield {"basename": "import", "name": None, "doc": "import the translated DOCX files of translations/inbox/"}
    claimed: dict[Path, Path] = {}
    for docx in sorted((root / translation.INBOX).glob("*.docx")):
        if docx.name.startswith("~$"):
            continue  # Word's lock file of an open document
        from presskit.translate import importer  # only with something to import: doit loads this on every run

        target = importer.target_of(docx, root)
        task: dict[str, Any] = {
            "basename": "import",
            "name": docx.stem,
            "doc": f"import {os.path.relpath(docx, root)}",
            "actions": [(import_action, [str(docx), str(root)])],
            "file_dep": [str(docx.relative_to(root))],
            "uptodate": [config_changed({"code": code.version(__name__)})],
        }
        if target is not None and target in claimed:
            first, rel = os.path.relpath(claimed[target], root), os.path.relpath(target, root)
            name, inbox = os.path.relpath(docx, root), translation.INBOX
            message = f"{name}: imports to {rel}, like {first}; keep only one of them in {inbox}/"
            task["actions"] = [(_refuse, [message])]
        elif target is not None:
            claimed[target] = docx
            task["targets"] = [str(target.relative_to(root))]
        yield task


def _refuse(message: str) -> TaskFailed:
    return TaskFailed(message)


def status_task(root: Path) -> dict[str, Any]:
    """doit task: print each statement's languages as up to date, stale or missing."""
    return {
        "basename": "translations",
        "doc": "show which translations are up to date, stale or missing",
        "actions": [(print_status, [str(root)])],
        "uptodate": [False],
        "verbosity": 2,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: `python3 -m presskit import FILE.docx [--lang fr] [--force]` or `python3 -m presskit status`."""
    import argparse

    parser = argparse.ArgumentParser(prog="python3 -m presskit")
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="turn a translated DOCX into sources/<slug>.<lang>.md")
    imp.add_argument("docx", type=Path)
    imp.add_argument("--lang", help="language of the translation, e.g. fr or zh-Hans")
    imp.add_argument("--force", action="store_true", help="import again even if this DOCX was imported already")
    sub.add_parser("status", help="show which translations are up to date, stale or missing")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    args = parser.parse_args(argv)
    try:
        if args.command == "status":
            print(translation.status(args.root))
            return 0
        from presskit.translate import importer

        print(importer.run(args.docx, args.root, lang=args.lang, force=args.force))
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def import_action(docx: str, root: str) -> TaskFailed | dict[str, str]:
    """doit action: import one DOCX of the inbox; a problem becomes the task's failure message.

    What it did goes back as the task's values, for the reporter to print whole: printed by a worker
    process, it could land inside another task's message.
    """
    from presskit.translate import importer

    project = Project(Path(root))
    said: list[str] = []
    failed = statements.guarded(project, lambda: said.append(importer.run(Path(docx), project.root)))
    return failed if failed is not None else {report.SAID: "\n".join(said)}
