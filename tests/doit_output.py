"""What a `doit` run reported about failed tasks, read from its output as a user sees it."""

from __future__ import annotations

import re

_FAILED = re.compile(r"^(?:TaskFailed - taskid:(?P<a>\S+)|!! (?P<b>\S+) could not be built:)$")
_SAME = re.compile(r"^!! (?P<task>\S+): the same problem as (?P<other>\S+)$")
_SKIPPED = re.compile(r"^(?:UnmetDependency - taskid:(?P<a>\S+)|!! (?P<b>\S+): not built, because .*)$")


def failures(output: str) -> dict[str, str]:
    """Task name -> the message (its lines joined by newlines) it failed with."""
    lines = output.splitlines()
    found: dict[str, str] = {}
    same: dict[str, str] = {}
    for i, line in enumerate(lines):
        if match := _FAILED.match(line):
            message = []
            for following in lines[i + 1 :]:
                if not following or following.startswith((".  ", "!! ", "-- ", "###", "TaskFailed", "UnmetDependency")):
                    break
                message.append(following)
            found[match.group("a") or match.group("b")] = "\n".join(message)
        elif match := _SAME.match(line):
            same[match.group("task")] = match.group("other")
    for task, other in same.items():
        if other in found:
            found[task] = found[other]
    return found


def skipped(output: str) -> set[str]:
    """Tasks doit did not run because a task they need failed."""
    return {m.group("a") or m.group("b") for line in output.splitlines() if (m := _SKIPPED.match(line))}
