"""Jinja2 templates of a layout, and the language-aware helpers every format shares."""

from __future__ import annotations

import base64
import os
import traceback
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

from presskit import language
from presskit.errors import fail
from presskit.prepare import bidi
from presskit.read.brand import BASE_LAYOUT, Brand, folder
from presskit.read.statement import Statement


def release_line(statement: Statement, words: dict[str, str]) -> str:
    """`FOR IMMEDIATE RELEASE`, or the embargo in its own zone and in GMT."""
    if statement.embargo is None:
        return words["immediate"]
    return f"{words['embargoed']} {language.embargo_time(statement.embargo, statement.lang)}"


def correction_word(statement: Statement, brand: Brand, words: dict[str, str]) -> str | None:
    """`CORRECTED` for a corrected statement, `UPDATED` for an updated one (the brand's word, else the label's)."""
    if statement.correction:
        return brand.wire.corrected or words["wire_corrected"]
    if statement.updated is not None:
        return brand.wire.updated or words["wire_updated"]
    return None


def updated_line(statement: Statement, words: dict[str, str]) -> str | None:
    """`Updated 23 November 2018, 15:05 CET` in the statement's language and the update's zone; None if never."""
    if statement.updated is None:
        return None
    return words["updated"].format(date=language.date_time(statement.updated, statement.lang))


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string, safe inside a stylesheet."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ")
    return Markup(f'"{escaped}"')


def css_page_counter(pattern: str, lang: str = "en") -> Markup:
    """A label such as `Page {n} of {m}` as CSS `content` with page counters, in the language's digits."""
    style = language.counter_style(lang)
    page, pages = (
        f"counter({name})" if style == "decimal" else f"counter({name}, {style})" for name in ("page", "pages")
    )
    parts: list[str] = []
    for i, piece in enumerate(pattern.split("{n}")):
        if i:
            parts.append(page)
        for j, bit in enumerate(piece.split("{m}")):
            if j:
                parts.append(pages)
            if bit:
                parts.append(css_string(bit))
    return Markup(" ".join(parts))


def data_uri(path: Path) -> str:
    """A file as a `data:` URI, for self-contained pages."""
    kind = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}.get(
        path.suffix.lower(), "application/octet-stream"
    )
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def environment(brand: Brand) -> jinja2.Environment:
    """The template environment of a brand: its own folder first, then the base layout's."""
    return _environment(brand.folder.parent, brand.name)


@lru_cache(maxsize=16)
def _environment(layouts: Path, name: str) -> jinja2.Environment:
    folders = [folder(layouts, name)] + ([layouts / BASE_LAYOUT] if name != BASE_LAYOUT else [])
    # Sandboxed: a template reads the statement and the brand, it never reaches Python's internals (a layout
    # may come from anyone who can open a pull request).
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "xml"), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
    )
    env.filters["long_date"] = language.long_date
    env.filters["css_string"] = css_string
    env.filters["css_page_counter"] = css_page_counter
    env.filters["punctuate"] = punctuate
    env.filters["isolate"] = bidi.html
    return env


def punctuate(text: str, lang: str) -> str:
    """Text as the language punctuates: French `Contact :` (narrow no-break space), Chinese `联系方式：`."""
    from presskit.prepare import conventions

    if language.base(lang) == "fr":
        return conventions.french_spacing(text)
    text = text.replace(", ", language.comma(lang))  # Japanese news writes the ideographic comma
    if language.wide_punctuation(lang):
        colon = "：" if text.endswith(":") else ""
        return text.replace(": ", "：").removesuffix(":") + colon
    return text


def render(brand: Brand, template: str, **context: Any) -> str:
    """Render a layout template with the brand in its context; an unsafe template is an InputError naming it."""
    compiled = environment(brand).get_template(template)
    try:
        return compiled.render(brand=brand, **context)
    except SecurityError as exc:
        where = compiled.filename or template
        line = _template_line(exc, where)
        shown = os.path.relpath(where, brand.folder.parent.parent)
        raise fail(
            shown,
            f"the template tried something a layout may not do ({exc}); a template may only show the "
            "statement and the brand, so it was not rendered",
            line=line,
        ) from None


def _template_line(exc: BaseException, filename: str) -> int | None:
    """The line of `filename` being rendered when `exc` was raised (Jinja puts template lines in tracebacks)."""
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == filename:
            line = lineno
    return line
