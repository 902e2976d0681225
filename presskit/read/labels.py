"""Words the layouts add around a statement (Contact, About, Page N of M), in the statement's language."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Any

from presskit import characters
from presskit.errors import InputError, Problem, fail, nearest
from presskit.read.brand import BASE_LAYOUT, Brand, format_problem
from presskit.read.frontmatter import parse_yaml, read_settings

LABELS_FILE = "labels.yml"

Table = dict[str, dict[str, str]]
"""Labels by language section, then by label name."""


def paths(layouts: Path, layout: str) -> tuple[Path, ...]:
    """The labels files a layout reads, most specific first: its own (if any), then the base layout's."""
    own = layouts / layout / LABELS_FILE
    base = layouts / BASE_LAYOUT / LABELS_FILE
    return (own, base) if layout != BASE_LAYOUT and own.exists() else (base,)


def path(brand: Brand) -> Path:
    """The labels file a brand uses first."""
    return paths(brand.folder.parent, brand.name)[0]


def for_lang(brand: Brand, lang: str) -> dict[str, str]:
    """Labels for `lang`, label by label: the brand's own file, then the base layout's, each for the sections that
    suit the language best first (`language.fallbacks`: `zh-HK` takes `zh-Hant` before `zh`); last English."""
    from presskit import language  # here: naming tasks asks `paths`, and needs no language database

    layouts = brand.folder.parent
    base_file = layouts / BASE_LAYOUT / LABELS_FILE
    base = _load(base_file, base_file.stat().st_mtime_ns, _display(base_file, layouts), None)
    tables = [base]
    own_file = paths(layouts, brand.name)[0]
    if own_file != base_file:
        known = frozenset(base["en"])
        tables.insert(0, _load(own_file, own_file.stat().st_mtime_ns, _display(own_file, layouts), known))
    sections = language.fallbacks(lang, dict.fromkeys(s for t in tables for s in t))
    order = [(t, section) for section in [*sections, "en"] for t in tables]
    merged: dict[str, str] = {}
    for table, section in reversed(order):
        merged.update(table.get(section, {}))
    return merged


def _display(file: Path, layouts: Path) -> str:
    return str(file.relative_to(layouts.parent)) if file.is_relative_to(layouts.parent) else str(file)


@lru_cache(maxsize=8)
def _load(file: Path, _mtime: int, display: str, known: frozenset[str] | None) -> Table:
    """Read and check a labels file; `known` is the label names a brand's own file may give (None: the base's)."""
    data, lines = parse_yaml(read_settings(file, display), display, first_line=1)
    if known is None:
        if not isinstance(data.get("en"), dict) or not data["en"]:
            raise fail(display, "needs an 'en' section with every label", line=lines.get("en"))
        known = frozenset(str(k) for k in data["en"])
    problems: list[Problem] = []
    table: Table = {}
    for section, labels in data.items():
        section = str(section)
        line = lines.get(section)
        if not _is_language(section):
            problems.append(Problem(display, line, section, "unknown language section; name it with a language "
                                    "code such as en, fr, es or zh-Hant"))  # fmt: skip
        elif not isinstance(labels, dict):
            problems.append(Problem(display, line, section, "must be a list of 'label: text' lines"))
        else:
            table[section] = _section(section, labels, known, display, lines, problems)
    if problems:
        raise InputError(problems)
    return table


def _section(
    section: str, labels: dict[Any, Any], known: frozenset[str], display: str, lines: dict[str, int],
    problems: list[Problem],
) -> dict[str, str]:  # fmt: skip
    """The checked labels of one language section, appending a problem for each bad one."""
    found: dict[str, str] = {}
    for name, text in labels.items():
        name = str(name)
        line = lines.get(f"{section}.{name}", lines.get(section))
        if name not in known:
            near = nearest(name, known)
            hint = f"did you mean '{near}'?" if near else f"known labels are {', '.join(sorted(known))}"
            problems.append(Problem(display, line, name, f"unknown label; {hint}"))
        elif not isinstance(text, (str, int, float)) or isinstance(text, bool):
            problems.append(Problem(display, line, name, "must be text on one line; put it in quotes"))
        elif (message := _text_problem(name, str(text))) is not None:
            problems.append(Problem(display, line, name, message))
        else:
            found[name] = str(text)
    return found


HEADER_LABELS = frozenset({"embargo_subject"})
"""Labels that go into an e-mail header."""


def _text_problem(name: str, text: str) -> str | None:
    """What is wrong with a label's text (control characters, line breaks, placeholders), or None."""
    if found := characters.control_problem(text):
        return found
    if len(text.splitlines()) > 1:
        return "must be on one line; remove the line break"
    if name in HEADER_LABELS and (found := characters.encoded_word_problem(text)):
        return found
    return _placeholder_problem(text)


def _placeholder_problem(text: str) -> str | None:
    """What is wrong with a label's {placeholders}, or None."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return "has an unmatched brace; write placeholders as {organisation}, {n}, {m}, {date}"
    names = [n for _, n, _, _ in parsed if n]
    if found := format_problem(parsed, "write the placeholder alone, e.g. {date}"):
        return found
    unknown = [n for n in names if n not in ("organisation", "n", "m", "date")]
    if unknown:
        return f"unknown placeholder {{{unknown[0]}}}; use {{organisation}}, {{n}}, {{m}} or {{date}}"
    return None


def _is_language(tag: str) -> bool:
    import langcodes

    return "_" not in tag and langcodes.tag_is_valid(tag)
