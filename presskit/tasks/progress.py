"""How a run looks: a progress bar on a terminal, a line per task elsewhere, and one closing summary line."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import Any

from doit.exceptions import BaseFail, TaskFailed, UnmetDependency

from presskit.formats import BY_NAME
from presskit.tasks.report import Reporter


def verbosity(argv: Sequence[str]) -> int:
    """The `-v`/`--verbosity` doit was given (1, doit's default, when none).

    doit hands its reporter only `failure_verbosity`, so the reporter reads the option where the user wrote it.
    """
    found = 1
    for i, arg in enumerate(argv):
        value = None
        if arg in ("-v", "--verbosity") and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--verbosity="):
            value = arg.split("=", 1)[1]
        elif arg.startswith("-v") and arg[2:].isdigit():
            value = arg[2:]
        if value is not None and value.isdigit():
            found = int(value)
    return found


def is_command(task: Any) -> bool:
    """Whether a task is a command (`doit new`, `doit check`) that shows its own result, rather than an output."""
    meta = getattr(task, "meta", None) or {}
    return bool(meta.get("command"))


def is_bookkeeping(task: Any) -> bool:
    """Whether a task only keeps a record for others (a brand's fingerprint of its files): not an output, not shown."""
    meta = getattr(task, "meta", None) or {}
    return bool(meta.get("bookkeeping"))


def has_actions(task: Any) -> bool:
    """Whether a task has actions, without doit making their objects, which an up-to-date task never needs.

    doit builds a task's action objects the first time `task.actions` is read: for every task of a no-op over
    a thousand statements, that was a tenth of what presskit adds to doit's own time.
    """
    try:
        return bool(task._actions)
    except AttributeError:  # not doit's Task class (a test's stand-in)
        return bool(task.actions)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _seconds(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:,.0f} s"


def summary(
    built: int, statements: int, ran: int, up_to_date: int, failed: Sequence[str], all_statements: bool, seconds: float
) -> str:
    """The one line closing a run: what was built, in how long, and what failed; or that nothing had to be."""
    if not built and not ran and not failed:
        return f"everything is up to date: {_plural(up_to_date, 'output')}"
    if built:
        line = f"built {_plural(built, 'output')}"
        line += f" of {_plural(statements, 'statement')}" if statements else ""
    else:
        line = f"ran {_plural(ran, 'task')}" if ran else "built nothing"
    line += f" in {_seconds(seconds)}"
    if failed:
        noun = _plural(len(failed), "statement") if all_statements else _plural(len(failed), "task")
        line += f"; {noun} failed: {', '.join(failed)}"
    return line


class ProgressReporter(Reporter):
    """presskit's reporter with a live progress bar on a terminal and a summary line at the end of every run.

    Without a terminal (CI logs, tests) each task started is one `.  TASK` line, as doit prints it; `doit -v 2`
    also lists every task that was up to date (`-- TASK`) and shows no bar, so that nothing hides the detail.
    """

    desc = "presskit console output with progress and a summary"

    def __init__(self, outstream: Any, options: dict[str, Any]) -> None:
        super().__init__(outstream, options)
        self.verbosity = verbosity(sys.argv[1:])
        self.started = time.monotonic()
        self.built: list[str] = []
        self.ran = 0
        self.up_to_date = 0
        self.failed: list[str] = []
        self.commands_only = True
        self.total = 0
        self.running: list[str] = []
        self._progress: Any = None
        self._bar: Any = None
        self._console: Any = None
        if self.verbosity < 2 and getattr(outstream, "isatty", lambda: False)():
            from rich.console import Console

            console = Console(file=outstream, highlight=False)
            if console.is_terminal and not console.is_dumb_terminal:
                self._console = console

    def write(self, text: str) -> None:
        """Write to the output, above the progress bar while it shows."""
        if self._progress is not None:
            self._console.out(text, end="", highlight=False)
        else:
            super().write(text)

    def initialize(self, tasks: dict[str, Any], selected_tasks: list[str]) -> None:
        """Count the tasks with work to do that the selected tasks need: the bar's total."""
        super().initialize(tasks, selected_tasks)
        seen: set[str] = set()
        todo = list(selected_tasks)
        while todo:
            name = todo.pop()
            if name in seen or name not in tasks:
                continue
            seen.add(name)
            task = tasks[name]
            todo.extend([*task.task_dep, *task.setup_tasks])
        counted = (tasks[n] for n in seen if not n.startswith("_"))
        self.total = sum(1 for t in counted if has_actions(t) and not is_command(t) and not is_bookkeeping(t))

    def execute_task(self, task: Any) -> None:
        """A task starts: a `.  TASK` line, or the bar's current task on a terminal."""
        if not has_actions(task) or task.name.startswith("_") or is_bookkeeping(task):
            return
        if is_command(task):
            return  # its result is what it prints
        self.commands_only = False
        if self._console is None:
            super().execute_task(task)
            return
        self.running.append(task.name)
        self._show()

    def skip_uptodate(self, task: Any) -> None:
        """A task is up to date: counted; listed only with `doit -v 2`, and a group (`pdf`) never, as before it
        was made always up to date. Tasks found up to date while made, never handed to doit, are counted too."""
        self.up_to_date += task.meta.get("settled", 0) if task.meta else 0
        if not has_actions(task) or task.name.startswith("_") or is_bookkeeping(task):
            return
        self.up_to_date += 1
        self.total -= 1
        self._show()
        if self.verbosity >= 2:
            super().skip_uptodate(task)

    def add_success(self, task: Any) -> None:
        """A task succeeded: counted, and a command's result shown."""
        super().add_success(task)
        if not task.actions or is_bookkeeping(task):
            return
        if is_command(task):
            self.ran += 1
            if isinstance(task.result, str) and task.result:
                self.write(task.result.rstrip("\n") + "\n")
            return
        if task.targets:
            self.built.append(task.name)
        else:
            self.ran += 1
        self._finished(task)

    def add_failure(self, task: Any, fail: BaseFail) -> None:
        """A task failed: its problems shown (a command's as they are), and counted."""
        if is_command(task) and isinstance(fail, TaskFailed):
            self.ran += 1
            self.write(fail.get_msg().rstrip("\n") + "\n")
            self.failures.append({"task": task, "exception": fail})
            return
        super().add_failure(task, fail)
        if task.actions and not (isinstance(fail, UnmetDependency) and is_command(task)):
            name = task.name
            basename, _, stem = name.partition(":")
            self.failed.append(stem if basename in BY_NAME and stem else name)
            self._finished(task)

    def complete_run(self) -> None:
        """Close the bar, then doit's report of unexpected errors, then the summary line."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        failed_names = sorted(set(self.failed))
        super().complete_run()
        if self.commands_only and self.ran:
            return  # a command's own closing line is the summary
        statements = {n.partition(":")[2] for n in self.built if n.partition(":")[0] in BY_NAME}
        all_statements = all(":" not in n for n in failed_names)
        seconds = time.monotonic() - self.started
        up_to_date = self.up_to_date
        line = summary(len(self.built), len(statements), self.ran, up_to_date, failed_names, all_statements, seconds)
        self.write(("\n" if failed_names else "") + line + "\n")  # set apart from the last problem's message

    def _finished(self, task: Any) -> None:
        if task.name in self.running:
            self.running.remove(task.name)
        if self._bar is not None:
            self._progress.advance(self._bar)
        self._show()

    def _show(self) -> None:
        if self._console is None:
            return
        if self._progress is None:
            if not self.running:
                return  # a run with nothing to do shows no bar
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("built"),
                MofNCompleteColumn(),
                BarColumn(),
                TimeRemainingColumn(),
                TextColumn("left  {task.description}"),
                console=self._console,
                transient=True,
                refresh_per_second=4,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            done = len(self.built) + len(self.failed) + self.ran
            self._bar = self._progress.add_task("", total=max(self.total, done), completed=done)
            self._progress.start()
        current = ", ".join(self.running[-2:]) + (f" and {len(self.running) - 2} more" if len(self.running) > 2 else "")
        done = len(self.built) + len(self.failed) + self.ran
        self._progress.update(self._bar, total=max(self.total, done), description=current)
