"""What one statement may cost: time and memory per output, and the size of its document.

The render action runs inside doit's own process, which keeps WeasyPrint, fonts and caches warm from one
statement to the next. A child process per output would lose that warmth, so the bound is kept in the
process instead: an interval timer (SIGALRM) wakes a few times a second, compares the elapsed time and
the growth of the resident memory with the brand's limits, and raises `Exceeded` into the running
Python code (WeasyPrint's layout is pure Python, so it stops at the next bytecode). pandoc, a separate
program, gets the time left as a subprocess timeout and the memory limit as a GHC heap limit.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from presskit.errors import InputError, Problem, fail
from presskit.prepare import tree

RENDER_SECONDS = 120
"""Default time one output of one statement may take (brand setting `render_seconds`)."""
RENDER_MEGABYTES = 2000
"""Default memory one output of one statement may take on top of what the process held before it
(brand setting `render_megabytes`)."""
TICK = 0.25
"""Seconds between two checks: the overshoot past a bound is at most what a quarter second can do."""

MAX_DEPTH = 20
"""Deepest nesting of quotes, lists and other block containers; a real statement uses three or four."""
MAX_INLINE_DEPTH = 30
"""Deepest nesting of any element, emphasis and links included."""
MAX_HEADINGS = 2_000
"""Most headings in one statement."""
MAX_NOTES = 1_000
"""Most footnotes in one statement."""
MAX_LIST_ITEMS = 10_000
"""Most list items in one statement, all lists together."""

MAX_BRACKETS = 8
"""Deepest nesting of square brackets in a paragraph: pandoc's reader takes seconds at 9 and minutes at 12."""

_CONTAINERS = frozenset({"BlockQuote", "BulletList", "OrderedList", "DefinitionList", "Div", "Figure", "Table"})
_NAMES = {"html": "web page", "pdf": "PDF", "docx": "DOCX", "txt": "wire copy", "eml": "e-mail"}
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


# A BaseException, not an Exception: a library's `except Exception` must not swallow it.
class Exceeded(BaseException):
    """Raised into the running code when an output passes its time or memory bound."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass
class _Bound:
    display: str
    output: str
    seconds: float
    megabytes: int
    setting_file: str | None
    start: float
    start_rss: int | None


_active: _Bound | None = None


def _rss() -> int | None:
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def _tick(_signum: int, _frame: Any) -> None:
    bound = _active
    if bound is None:
        return
    if time.monotonic() - bound.start > bound.seconds:
        raise Exceeded("time")
    rss = None if bound.start_rss is None else _rss()
    if rss is not None and bound.start_rss is not None and rss - bound.start_rss > bound.megabytes * 1_000_000:
        raise Exceeded("memory")


@contextlib.contextmanager
def bounded(display: str, fmt: str) -> Iterator[None]:
    """Bound the work inside to the default limits; `limit` tightens or widens them once the brand is known.

    Past a bound the work is interrupted and an InputError names the statement, the output and the setting.
    Outside the main thread (doit's thread runner) only pandoc's own limits apply.
    """
    global _active
    main = threading.current_thread() is threading.main_thread()
    bound = _Bound(display, _NAMES.get(fmt, fmt), RENDER_SECONDS, RENDER_MEGABYTES, None, time.monotonic(), _rss())
    previous: Any = None
    if main:
        previous = signal.signal(signal.SIGALRM, _tick)
        # Restart the system calls a tick lands in: C libraries (cairo, fontconfig) need not expect EINTR,
        # and Python runs the check as soon as control comes back to it.
        signal.siginterrupt(signal.SIGALRM, False)
        signal.setitimer(signal.ITIMER_REAL, TICK, TICK)
    _active = bound
    try:
        yield
    except Exceeded as exc:
        raise _message(bound, exc.kind) from None
    finally:
        _active = None
        if main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def limit(seconds: float, megabytes: int, setting_file: str) -> None:
    """Set the bounds of the output being built, from the brand file `setting_file` (counted from its start)."""
    if _active is not None:
        _active.seconds, _active.megabytes, _active.setting_file = seconds, megabytes, setting_file


def remaining() -> float | None:
    """Seconds left to the output being built, or None outside a bound."""
    if _active is None:
        return None
    return max(0.0, _active.seconds - (time.monotonic() - _active.start))


def megabytes() -> int | None:
    """Memory the output being built may take, or None outside a bound."""
    return None if _active is None else _active.megabytes


def _message(bound: _Bound, kind: str) -> InputError:
    where = f"set by {{}} in {bound.setting_file}" if bound.setting_file else "of {} (the default)"
    if kind == "time":
        what = f"the {bound.output} took longer than {bound.seconds:g} s, the limit {where.format('render_seconds')}"
    else:
        what = (
            f"the {bound.output} needed more than {bound.megabytes} MB of memory, "
            f"the limit {where.format('render_megabytes')}"
        )
    return fail(
        bound.display,
        f"{what}; shorten the statement or simplify its images, "
        "or raise the limit in the brand file if the statement really needs more",
    )


_BRACKET = re.compile(r"\\.|[\[\]]|\n[ \t]*(?=\n)")


def check_source(body: str, display: str, body_line: int) -> None:
    """Raise InputError when square brackets nest deeper than pandoc can read in reasonable time.

    Links in links, `[[[[x]]]]` or a run of unclosed `[` make pandoc's Markdown reader try every way
    to read them: its time grows about threefold with each level.
    """
    depth = 0
    for match in _BRACKET.finditer(body):
        token = match.group(0)
        if token == "[":
            depth += 1
            if depth > MAX_BRACKETS:
                line = body_line + body.count("\n", 0, match.start())
                message = (
                    f"square brackets are nested more than {MAX_BRACKETS} deep in one paragraph, which takes minutes "
                    "to read; remove the extra brackets, or write a bracket that is only text as \\["
                )
                raise InputError([Problem(display, line, "body", message)])
        elif token == "]":
            depth = max(0, depth - 1)
        elif token.startswith("\n"):
            depth = 0  # a blank line ends the paragraph


def check_document(ast: dict[str, Any], display: str, body: str, body_line: int) -> None:
    """Raise InputError when a parsed body nests too deep or holds too many headings, notes or list items.

    pandoc and WeasyPrint take minutes or fail without a message on such documents; the limits lie far
    above any real statement.
    """
    problems: list[Problem] = []
    headings = notes = items = 0
    deepest = deepest_inline = 0
    for node, (depth, inline) in tree.walk(ast.get("blocks", []), into=_content, down=_depths, top=(0, 0)):
        kind = node.get("t")
        if kind is None:
            continue
        if kind == "Header":
            headings += 1
        elif kind == "Note":
            notes += 1
        elif kind in ("BulletList", "OrderedList"):
            content = node.get("c")
            found = content if kind == "BulletList" else content[1] if isinstance(content, list) else []
            items += len(found) if isinstance(found, list) else 0
        deepest, deepest_inline = max(deepest, depth), max(deepest_inline, inline)
        if depth > MAX_DEPTH or inline > MAX_INLINE_DEPTH:
            break  # deeper still is only slower to walk
    if deepest > MAX_DEPTH:
        line = _line(body, body_line, r"^ {0,3}(?:[>*+-] *|\d+[.)] +)" + r"(?:[>*+-] *|\d+[.)] +| +)*", MAX_DEPTH)
        message = f"quotes or lists are nested more than {MAX_DEPTH} deep; a statement needs three or four levels"
        problems.append(Problem(display, line, "body", f"{message} at most: flatten the structure"))
    elif deepest_inline > MAX_INLINE_DEPTH:
        message = f"emphasis, links or other formatting are nested more than {MAX_INLINE_DEPTH} deep"
        problems.append(Problem(display, None, "body", f"{message}; remove the repeated markup"))
    counts = (
        (headings, MAX_HEADINGS, "headings", r"^ {0,3}#{1,6}(?:\s|$)", "split it into several statements"),
        (notes, MAX_NOTES, "footnotes", NOTE_PATTERN, "keep the notes a reader needs"),
        (items, MAX_LIST_ITEMS, "list items", r"^\s*(?:[*+-]|\d+[.)])\s", "publish long lists as a document"),
    )
    for count, most, what, pattern, advice in counts:
        if count > most:
            message = f"the statement has {count:,} {what}; at most {most:,} are allowed: {advice}"
            problems.append(Problem(display, _nth(body, body_line, pattern, most + 1), "body", message))
    if problems:
        raise InputError(problems)


def _content(node: dict[str, Any]) -> Any:
    """What of a dict of pandoc's tree the check walks: an element's content, not its attributes."""
    return node.get("c")


def _depths(node: dict[str, Any], above: tuple[int, int]) -> tuple[int, int]:
    """The block containers and the elements a node lies in, itself included, from those of the dict above it."""
    kind = node.get("t")
    if kind is None:
        return above
    return above[0] + (kind in _CONTAINERS), above[1] + 1


NOTE_PATTERN = r"^ {0,3}\[\^[^\[\]\s]*\]:|\^\["
"""Where a footnote starts: a definition `[^label]:` (a label holds no space or bracket) or an inline `^[`.

Stopping a label at the next bracket keeps the search linear: a run of `[^` with no `]` tried every start
against the rest of the text.
"""


def _line(body: str, body_line: int, pattern: str, depth: int) -> int | None:
    """The first line whose quote and list markers nest deeper than `depth`, or None."""
    marker = re.compile(r"[>*+-]|\d+[.)]")
    for number, row in enumerate(body.splitlines()):
        prefix = re.match(pattern, row)
        if prefix and len(marker.findall(prefix.group(0))) > depth:
            return body_line + number
    return None


def _nth(body: str, body_line: int, pattern: str, n: int) -> int | None:
    """The line of the `n`-th match of `pattern` in the body, or None when there are fewer."""
    for count, match in enumerate(re.finditer(pattern, body, re.MULTILINE), 1):
        if count == n:
            return body_line + body.count("\n", 0, match.start())
    return None
