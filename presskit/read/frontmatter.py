"""Read a statement file: decode it, split the YAML front matter from the body, keep line numbers."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from presskit.errors import InputError, Problem, fail

MAX_BYTES = 1_000_000
"""Largest statement accepted; a press statement is a few kilobytes."""

MAX_DEPTH = 20
"""Deepest nesting of lists and mappings accepted in YAML; front matter and brand files need four or five."""
MAX_NUMBER = 40
"""Longest number accepted in YAML, in characters; longer ones are refused rather than computed."""

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """YAML loader that keeps dates as text and reads only true/false as booleans.

    Dates stay strings so that `2018-02-30` gets a clear message instead of a
    traceback, and `lang: no` stays Norwegian instead of becoming False.
    """


_BOOL = "tag:yaml.org,2002:bool"
_DROPPED = (_BOOL, "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class _Refused(Exception):
    """A YAML construct presskit does not accept, at a place in the text."""

    def __init__(self, message: str, line: int, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.field = message, line, field


def _bounded_number(kind: str) -> Any:
    construct = getattr(yaml.SafeLoader, f"construct_yaml_{kind}")

    def bounded(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        # Python refuses to read an int of 4,300 digits, and `1:0:0:...` (YAML 1.1 base 60) grows a huge one.
        if len(str(node.value)) > MAX_NUMBER:
            raise _Refused(
                f"the number is {len(str(node.value))} characters long; put the value in quotes to keep it as text",
                node.start_mark.line,
            )
        return construct(loader, node)

    return bounded


for _kind in ("int", "float"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_kind}", _bounded_number(_kind))


def _check_events(loader: yaml.SafeLoader) -> None:
    """Refuse tags, anchors, aliases and deep nesting before anything is built from the YAML.

    Composing comes after this pass: an alias bomb is refused before it grows, and a deep nest before
    it overflows the stack of the C parser (a crash with no message at all).
    """
    depth, items, field = 0, 0, None
    while loader.check_event():
        event = loader.get_event()
        line = event.start_mark.line
        starts = isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent))
        if depth == 1 and (starts or isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent))):
            if items % 2 == 0:  # a key of the top-level mapping: problems below it name it
                field = str(event.value) if isinstance(event, yaml.ScalarEvent) else None
            items += 1
        if isinstance(event, yaml.AliasEvent):
            message = f"'*{event.anchor}' repeats another value (a YAML alias); write the value out instead"
            raise _Refused(message, line, field)
        anchor, tag = getattr(event, "anchor", None), getattr(event, "tag", None)
        if anchor is not None:
            message = f"'&{anchor}' names a value (a YAML anchor); remove it, the front matter needs none"
            raise _Refused(message, line, field)
        if tag is not None:
            tag = tag.replace("tag:yaml.org,2002:", "!!", 1)
            message = (
                f"'{tag}' is a YAML tag, which presskit does not read; remove it and write the value plainly "
                "(in quotes to keep it as text)"
            )
            raise _Refused(message, line, field)
        if starts:
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(f"lists or fields are nested more than {MAX_DEPTH} deep; flatten them", line, field)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


@dataclass(frozen=True)
class Source:
    """A statement file split into its parts."""

    display: str
    """The file's name as shown to the user, e.g. `sources/x.md`."""
    fields: dict[str, Any]
    """The front matter, with text values kept as text."""
    lines: dict[str, int]
    """The 1-based line of each front matter key; keys of nested mappings as dotted paths (`contact.email`)."""
    body: str
    """The Markdown body."""
    body_line: int
    """The line of the file on which the body starts."""
    closing_line: int
    """The line of the closing `---` of the front matter."""
    sha256: str = ""
    """SHA-256 of the file's bytes."""


def decode(data: bytes, display: str, kind: str = "a statement is Markdown text") -> str:
    """Decode a text file's bytes as UTF-8 (a byte-order mark and CRLF are fine), or explain why not.

    `kind` says what the file should be, for the message about a file that is no text at all.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail(display, "the file is saved as UTF-16; save it as UTF-8 (in most editors: Save As, Encoding: UTF-8)")
    if b"\x00" in data[:8192]:
        raise fail(display, f"this is not a text file (it contains NUL bytes); {kind} saved as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise fail(
            display,
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8 in your editor",
            line=line,
        ) from None
    return newlines(text)


def newlines(text: str) -> str:
    """Text with Windows (CRLF) and old Mac (CR) line endings made plain newlines."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read(path: Path, display: str) -> Source:
    """Read and split a statement file, raising InputError with file and line on any problem."""
    data = _bounded(
        path,
        display,
        "is not a file (a folder, a device or a pipe); a statement is a Markdown text file",
        "a statement may be at most {most} MB: remove pasted images or data, and link to large material instead",
    )
    return dataclasses.replace(split(decode(data, display), display), sha256=hashlib.sha256(data).hexdigest())


def read_settings(path: Path, display: str) -> str:
    """The text of a layout's YAML file (brand, labels): a regular file of at most MAX_BYTES, decoded as UTF-8."""
    data = _bounded(
        path,
        display,
        "is not a file (a folder, a device or a pipe); it must be a YAML text file",
        "a layout's settings file may be at most {most} MB",
    )
    return decode(data, display, "a layout's settings file is YAML text")


def _bounded(path: Path, display: str, not_a_file: str, too_large: str) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES: never a pipe, which would block, nor a huge file."""
    try:
        found = path.stat()
    except (OSError, ValueError) as exc:
        raise fail(display, f"cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    if not stat.S_ISREG(found.st_mode):
        raise fail(display, not_a_file)
    most = f"{MAX_BYTES / 1e6:.0f}"
    if found.st_size > MAX_BYTES:
        raise fail(display, f"the file is {found.st_size / 1e6:.1f} MB; " + too_large.format(most=most))
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)  # the file may have grown since
    if len(data) > MAX_BYTES:
        raise fail(display, f"the file is larger than {most} MB; " + too_large.format(most=most))
    return data


def is_file(path: Path) -> bool:
    """True for an existing regular file; False also for a name no file can have (too long, holding a NUL)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def split(text: str, display: str) -> Source:
    """Split decoded text into front matter fields and body: YAML between `---` lines, or TOML between `+++` (Hugo)."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "+++":
        closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "+++"), None)
        if closing is None:
            raise fail(display, "the front matter is not closed: add a line '+++' after the last field", line=1)
        fields, key_lines = parse_toml(lines[1:closing], display, first_line=2)
        return Source(display, fields, key_lines, "\n".join(lines[closing + 1 :]), closing + 2, closing + 1)
    if not lines or lines[0].strip() != "---":
        raise fail(
            display,
            "no front matter: start the file with a line '---', then lines such as 'title: ...' "
            "and 'date: YYYY-MM-DD', then another '---' line",
            line=1,
        )
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if closing is None:
        raise fail(display, "the front matter is not closed: add a line '---' after the last field", line=1)
    fields, key_lines = parse_yaml("\n".join(lines[1:closing]), display, first_line=2)
    body = "\n".join(lines[closing + 1 :])
    return Source(display, fields, key_lines, body, closing + 2, closing + 1)


_TOML_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")
_TOML_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(?:#.*)?$")
_TOML_AT = re.compile(r"\(at line (\d+), column \d+\)")


def _depth(value: Any) -> int:
    """How deep lists and tables nest in a parsed value (the front matter's own table not counted)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return deepest


def parse_toml(lines: list[str], display: str, *, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse TOML front matter (Hugo's `+++`): its values with dates as text, as YAML front matter gives them, and
    the line of each key (keys of a `[table]` as dotted paths)."""
    import tomllib

    text = "\n".join(lines)
    try:
        data = tomllib.loads(text)
    except ValueError as exc:  # TOMLDecodeError, or a number of thousands of digits
        at = _TOML_AT.search(str(exc))
        reason = _TOML_AT.sub("", str(exc)).strip()
        line = first_line + int(at.group(1)) - 1 if at else first_line
        hint = "check the line for a missing quote, a missing '=' or a value that is not in quotes"
        raise fail(display, f"the front matter is not valid TOML ({reason}): {hint}", line=line) from None
    except RecursionError:
        raise fail(display, "the front matter is nested too deep; flatten it", line=first_line) from None
    if (depth := _depth(data)) > MAX_DEPTH:  # of the values: brackets in a quoted headline nest nothing
        raise fail(display, f"lists or fields are nested more than {MAX_DEPTH} deep ({depth}); flatten them",
                   line=first_line)  # fmt: skip
    key_lines: dict[str, int] = {}
    table = ""
    for number, row in enumerate(lines):
        if found := _TOML_TABLE.match(row):
            table = found.group(1) + "."
            key_lines.setdefault(found.group(1), number + first_line)
        elif found := _TOML_KEY.match(row):
            key = next(g for g in found.groups() if g is not None)
            key_lines.setdefault(table + key, number + first_line)
    return _as_text_dates(data), key_lines


def _as_text_dates(value: Any) -> Any:
    """TOML's dates and times as the text they were written as, like YAML front matter keeps them."""
    import datetime as dt

    if isinstance(value, dict):
        return {k: _as_text_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text_dates(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):  # a datetime is a date too
        return value.isoformat()
    return value


def _yaml_message(problem: str, line_text: str) -> str:
    if "\t" in line_text[: len(line_text) - len(line_text.lstrip())] or "'\\t'" in problem:
        return "the front matter uses a tab for indentation; indent with spaces, not tabs"
    if "maximum nesting depth" in problem:  # libyaml's own limit, met before the check of _check_events
        return f"lists or fields are nested more than {MAX_DEPTH} deep; flatten them"
    if "quoted scalar" in problem or "end of stream" in problem:
        hint = "a quote is not closed: end the value with the same quote it starts with"
    elif "mapping values are not allowed" in problem:
        hint = "a value contains ': '; put the whole value in double quotes"
    else:
        hint = "check the line for a missing quote, a stray colon or wrong indentation"
    return f"the front matter is not valid YAML ({problem}): {hint}"


def _nested_lines(prefix: str, node: yaml.Node, first_line: int, key_lines: dict[str, int]) -> None:
    """Record the line of each key of nested mappings under its dotted path, e.g. `contact.email`."""
    if not isinstance(node, yaml.MappingNode):
        return
    for key_node, value_node in node.value:
        path = f"{prefix}.{key_node.value}"
        key_lines.setdefault(path, key_node.start_mark.line + first_line)
        _nested_lines(path, value_node, first_line, key_lines)


def parse_yaml(text: str, display: str, *, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse a YAML mapping, returning its values and the line of each key (nested ones as dotted paths).

    Only plain values, lists and mappings are read: tags, anchors and aliases, nesting deeper than
    MAX_DEPTH and numbers longer than MAX_NUMBER are refused with a message, never computed.
    """
    key_lines: dict[str, int] = {}
    checker = _Loader(text)
    try:
        _check_events(checker)
    except _Refused as exc:
        raise _refusal(exc, display, first_line, key_lines) from None
    except yaml.YAMLError:
        pass  # a syntax error, reported with its line by the parse below
    finally:
        checker.dispose()
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            raise fail(display, "the front matter must be a list of 'field: value' lines", line=first_line)
        problems: list[Problem] = []
        for key_node, _ in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + first_line
            if key in key_lines:
                first = key_lines[key]
                problems.append(Problem(display, line, key, f"appears twice (first on line {first}); keep one"))
            key_lines[key] = line
        if problems:
            raise InputError(problems)
        for key_node, value_node in node.value:
            _nested_lines(str(key_node.value), value_node, first_line, key_lines)
        data = loader.construct_document(node)
    except _Refused as exc:
        raise _refusal(exc, display, first_line, key_lines) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        index = mark.line if mark else 0
        lines = text.split("\n")
        line_text = lines[index] if index < len(lines) else ""
        message = _yaml_message(exc.problem or exc.context or "invalid YAML", line_text)
        raise fail(display, message, line=index + first_line) from None
    except yaml.YAMLError as exc:
        raise fail(display, f"the front matter is not valid YAML: {exc}", line=first_line) from None
    finally:
        loader.dispose()
    return data, key_lines


def _refusal(refused: _Refused, display: str, first_line: int, key_lines: dict[str, int]) -> InputError:
    line = refused.line + first_line
    field = refused.field or max(((at, k) for k, at in key_lines.items() if at <= line), default=(0, None))[1]
    return fail(display, refused.message, line=line, field=field)
