"""The `serve` task: the preview, whose server (`presskit.serve`) is imported only when it runs."""

from __future__ import annotations

from typing import Any

from doit.exceptions import TaskFailed

from presskit.project import Project

DEFAULT_PORT = 8000
"""The port the preview listens on, on 127.0.0.1."""

PARAMS: list[dict[str, Any]] = [
    {"name": "port", "long": "port", "type": int, "default": DEFAULT_PORT,
     "help": "port on 127.0.0.1 [default: %(default)s; 0: any free port]"},
]  # fmt: skip
"""doit task parameters of `doit serve`."""


def task(project: Project) -> dict[str, Any]:
    """The `serve` task: runs the preview in the foreground until Ctrl-C; never part of a plain `doit`."""
    return {
        "basename": "serve",
        "doc": "preview every statement on http://127.0.0.1:8000, rebuilt and reloaded on each save [--port]",
        "actions": [(run, [str(project.root)])],
        "params": PARAMS,
        "uptodate": [False],
        "verbosity": 2,
        "meta": {"command": True},
    }


def run(root: str, port: int = DEFAULT_PORT) -> TaskFailed | None:
    """doit action: serve the preview until Ctrl-C or SIGTERM, rebuilding on each save."""
    from presskit import serve

    return serve.serve(root, port)
