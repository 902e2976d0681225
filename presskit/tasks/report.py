"""What `doit` prints: each problem once, in words for the people who write statements."""

from __future__ import annotations

from typing import Any

from doit.exceptions import TaskFailed, UnmetDependency
from doit.reporter import ConsoleReporter

SAID = "said"
"""The value of a task whose action has something to tell, printed whole by the reporter (an import's result)."""


class Reporter(ConsoleReporter):
    """doit's console output, with a user mistake shown once instead of once per format."""

    desc = "presskit console output"

    def __init__(self, outstream: Any, options: dict[str, Any]) -> None:
        super().__init__(outstream, options)
        self.failures: list[dict[str, Any]] = []
        self._shown: dict[str, str] = {}
        self._warned: set[str] = set()

    def add_success(self, task: Any) -> None:
        """Print the warnings of a built output's statement, once per statement whichever of its outputs ran."""
        super().add_success(task)
        said = task.values.get(SAID) if isinstance(task.values, dict) else None
        if isinstance(said, str) and said:
            self.write(said + "\n")
        found = task.values.get("warnings") if isinstance(task.values, dict) else None
        statement = task.name.split(":", 1)[-1]
        if found and statement not in self._warned:
            self._warned.add(statement)
            self.write("".join(f"{line}\n" for line in found))

    def add_failure(self, task: Any, fail: Any) -> None:
        """Print a failure; the same problem of another format of a statement is only referred to."""
        if isinstance(fail, UnmetDependency):
            if task.actions:  # a group such as `pdf` fails whenever one of its statements does: not news
                self.failures.append({"task": task, "exception": fail})
                self.write(f"!! {task.name}: not built, because {fail.get_msg().strip()} could not be built\n")
            return
        if not isinstance(fail, TaskFailed):
            super().add_failure(task, fail)  # not a user mistake: keep doit's full report
            return
        self.failures.append({"task": task, "exception": fail})
        message = fail.get_msg().strip()
        if message in self._shown:
            self.write(f"!! {task.name}: the same problem as {self._shown[message]}\n")
            return
        self._shown[message] = task.name
        self.write(f"!! {task.name} could not be built:\n{message}\n\n")  # a blank line ends the message

    def complete_run(self) -> None:
        """Close without the captured output of every failed task: the summary line names what failed."""
        expected = (TaskFailed, UnmetDependency)
        self.failures = [r for r in self.failures if not isinstance(r["exception"], expected)]
        super().complete_run()
