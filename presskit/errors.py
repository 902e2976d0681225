"""Problems in user input, reported as `FILE:LINE: field: message`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

LONG_NAME = 8
"""Names this long or longer may be two edits away from the name meant; shorter ones only one."""

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


def nearest(name: str, known: Iterable[str]) -> str | None:
    """The known name that `name` most likely misspells, or None when none is really close.

    Close means at most one typing slip (a letter left out, added, changed, or two swapped; case ignored), two
    for names of LONG_NAME letters or more: `titel` is `title`, `source_url` is not `source_sha256`.
    """
    written = name.casefold()
    found: list[tuple[int, str]] = []
    for candidate in known:
        most = 2 if min(len(written), len(candidate)) >= LONG_NAME else 1
        if abs(len(written) - len(candidate)) <= most:
            distance = _slips(written, candidate.casefold())
            if distance <= most:
                found.append((distance, candidate))
    return min(found)[1] if found else None


def _slips(a: str, b: str) -> int:
    """The Damerau-Levenshtein distance of two words (optimal string alignment): typing slips from one to the other."""
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return row[-1]
