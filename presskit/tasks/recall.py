"""The newsroom's tasks as `doit site` last made them, so that a run where nothing changed need not make them again.

Making a thousand pages' tasks (what each page, listing and feed shows) costs `doit site` more than checking
them. What finding them up to date needs is kept in `build/_cache/site-tasks.json`: each task's name, files
read and written and `config_changed` digest, under a digest of everything the tasks are made from (the
sources, the layouts, the code) and the moments embargoes end. The file holds no action and no page's content:
changed by hand, it can at worst make a run find a page up to date that is not, never write a file.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import json
import os
from typing import Any

from presskit import cache, output
from presskit.errors import InputError
from presskit.project import Project

FILE = "site-tasks.json"
"""The file of `build/_cache/` keeping them."""


def inputs(project: Project, roots: tuple[str, ...], *extra: str) -> str:
    """A digest of everything the newsroom's tasks are made from: each source's name and content, each layout
    file's name, size and time, the code of the modules `roots` import, and `extra` (versions of tools)."""
    from presskit.tasks import code
    from presskit.tasks.statements import sniff_sources

    parts = [str(project.root), code.version(*roots), *extra]
    parts.extend(f"{path.name}\0{sniffed.sha256}" for path, sniffed in sniff_sources(project))
    for folder, dirs, files in os.walk(project.layouts):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            parts.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return cache.key(*parts)


def recall(project: Project, digest: str, moment: dt.datetime) -> list[dict[str, Any]] | None:
    """The tasks kept for inputs `digest`, if the same embargoes have ended at `moment`, else None: each task's
    basename, name, file_dep, targets and `config_changed` (its digest), what `checker.settled` reads of it."""
    try:
        kept = json.loads((project.cache / FILE).read_bytes())
        if kept["inputs"] != digest or _passed(kept["embargoes"], moment) != kept["passed"]:
            return None
        return [_task(row) for row in kept["tasks"]]
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None


def keep(project: Project, digest: str, moment: dt.datetime, embargoes: tuple[dt.datetime, ...],
         tasks: list[dict[str, Any]]) -> None:  # fmt: skip
    """Keep the tasks made from inputs `digest` at `moment`, with the moments embargoes end (a cache that cannot
    be written only costs the next run some time)."""
    ends = [end.timestamp() for end in embargoes]
    rows = [[t["basename"], t.get("name"), t.get("file_dep", []), t.get("targets", []),
             [check._calc_digest() for check in t.get("uptodate", [])]] for t in tasks]  # fmt: skip
    kept = {"inputs": digest, "embargoes": ends, "passed": _passed(ends, moment), "tasks": rows}
    with contextlib.suppress(OSError, InputError):
        output.write(project.cache / FILE, json.dumps(kept, ensure_ascii=False).encode("utf-8"))


def _passed(ends: list[float], moment: dt.datetime) -> int:
    """How many of the embargoes (sorted end times) have ended at `moment`."""
    return bisect.bisect_right(ends, moment.timestamp())


def _task(row: list[Any]) -> dict[str, Any]:
    from presskit.tasks.checker import config_changed

    basename, name, deps, targets, digests = row
    if not (isinstance(basename, str) and (name is None or isinstance(name, str))):
        raise TypeError(row)
    if not all(isinstance(p, str) for p in [*deps, *targets, *digests]):
        raise TypeError(row)
    # doit's config_changed of a text is that text: the digest recorded for the settings it was made from
    return {"basename": basename, "name": name, "file_dep": deps, "targets": targets,
            "uptodate": [config_changed(d) for d in digests]}  # fmt: skip
