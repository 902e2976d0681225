"""Problems in user input, reported as `FILE:LINE: field: message`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ERROR, WARNING, NOTE = "error", "warning", "note"
"""Severities of a Problem: only an error stops an output."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file a user wrote."""

    path: str
    """The file, relative to the project when possible."""
    line: int | None
    """1-based line of the problem, or None when it concerns the whole file."""
    field: str | None
    """The front matter or brand field concerned, if any."""
    message: str
    """What is wrong and what to do about it."""
    severity: str = "error"
    """`error` stops the output; `warning` (worth fixing before it goes out) and `note` (worth knowing) do not."""

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        # An error is shown as it always was; the others say what they are: `FILE:LINE: field: warning: ...`
        message = self.message if self.severity == ERROR else f"{self.severity}: {self.message}"
        return f"{where}: {self.field}: {message}" if self.field else f"{where}: {message}"


class InputError(Exception):
    """One or more problems in files the user wrote; the message lists them all."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def fail(path: str, message: str, *, line: int | None = None, field: str | None = None) -> InputError:
    """Build an InputError holding a single problem."""
    return InputError([Problem(path, line, field, message)])
