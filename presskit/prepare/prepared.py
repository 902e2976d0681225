"""Prepare a statement once for every format: read, check, parse and localise it, and gather what every format shows.

Every format renders from a `Prepared`: the body as pandoc's tree in the statement's conventions with its links
made safe and its images checked, the brand's boilerplate through the same path, the labels, and the warnings.
The five formats of a statement built in one process prepare it once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from presskit import bounds, language
from presskit.errors import Problem, fail
from presskit.prepare import bidi, conventions, media, opening, pandoc, preflight, tree
from presskit.project import Project
from presskit.read import brand as brands
from presskit.read import labels, statement
from presskit.read.brand import Brand
from presskit.read.statement import Statement
from presskit.translate import translation

_KEPT = 8
"""Prepared statements kept per process: a worker builds the formats of one statement one after another."""


@dataclass(frozen=True)
class Prepared:
    """A statement checked and ready for any format, with its brand and the project it belongs to."""

    statement: Statement
    """The checked statement, with its language versions."""
    brand: Brand
    """Its brand, its texts in the statement's language (`brand.in_language`)."""
    words: dict[str, str]
    """The layout's labels in the statement's language."""
    project: Project
    """The project it is built in."""
    body: pandoc.Ast = field(default_factory=dict)
    """The body as pandoc's tree: in the language's conventions, links made safe, images as written."""
    about: pandoc.Ast = field(default_factory=dict)
    """The brand's boilerplate (Markdown) through the same path as the body; an image in it shows its description."""
    correction: pandoc.Ast = field(default_factory=dict)
    """The correction note (one paragraph) through the same path as the body; empty without one."""
    pictures: dict[str, media.Picture] = field(default_factory=dict)
    """The checked file of every image the body names, by the target written."""
    warnings: tuple[Problem, ...] = ()
    """What is worth a warning or a note before the statement goes out; none stops a build."""
    _embedded: dict[bool, tuple[pandoc.Ast, frozenset[str]]] = field(default_factory=dict, compare=False, repr=False)

    def embedded(self, *, svg_as_png: bool = False) -> tuple[pandoc.Ast, frozenset[str]]:
        """The body with its images as `data:` URIs (SVG drawn as PNG if asked), and the URLs written."""
        if svg_as_png not in self._embedded:
            self._embedded[svg_as_png] = media.embed(self.body, self.pictures, svg_as_png=svg_as_png)
        return self._embedded[svg_as_png]


_prepared: OrderedDict[tuple[str, ...], tuple[tuple[tuple[str, int], ...], Prepared]] = OrderedDict()


def prepare(project: Project, source: Path, languages: dict[str, Any] | None = None) -> Prepared:
    """Read, check, bound and prepare a statement, once per process for the same inputs; raise InputError listing
    every problem."""
    try:  # the file's version, from its metadata: reading it here would hang on a pipe that slipped in
        found = source.stat()
        version = f"{found.st_ino}:{found.st_size}:{found.st_mtime_ns}:{found.st_ctime_ns}:{found.st_mode}"
    except OSError:
        version = ""  # statement.load says what is wrong with the file
    key = (str(project.root), str(source), version, json.dumps(languages, sort_keys=True, default=str))
    kept = _prepared.get(key)
    if kept is not None and kept[0] == _stamp(kept[1]):
        _prepared.move_to_end(key)
        done = kept[1]
        _limit(done.brand, project)
        return done
    st, brand = statement.load(source, project.root, project.sources, project.layouts)
    _limit(brand, project)
    done = of(st, brand, project, languages)
    _prepared[key] = (_stamp(done), done)
    while len(_prepared) > _KEPT:
        _prepared.popitem(last=False)
    return done


def of(
    st: Statement, brand: Brand, project: Project | None = None, languages: dict[str, Any] | None = None
) -> Prepared:
    """Prepare a statement already loaded (and checked) with its brand: bound, parse, localise, check its images."""
    project = project or Project(brand.folder.parent.parent)
    brand = brands.in_language(brand, st.lang)  # its name, boilerplate, contact and accounts in the language
    bounds.check_source(st.body, st.display, st.body_line)
    parsed = pandoc.parse(st.body, st.display)
    bounds.check_document(parsed, st.display, st.body, st.body_line)
    words = labels.for_lang(brand, st.lang)
    st = with_versions(st, languages, words)
    parsed, unshown = media.raw_images(parsed, st, brand)
    pictures = media.pictures(parsed, st, brand)  # every format fails alike on a bad image, the wire copy too
    body = bidi.isolate(media.safe_links(conventions.localize(parsed, st.lang)), st.lang)
    about = bidi.isolate(media.safe_links(conventions.localize(
        _without_images(pandoc.parse(brand.boilerplate, str(brand.path))), st.lang)), st.lang)  # fmt: skip
    correction = _correction(st) if st.correction else {}
    st, opened = opening.applied(st)
    warnings = (*st.notes, *opened, *unshown, *preflight.warnings(st))
    return Prepared(st, brand, words, project, body, about, correction, pictures, warnings)


def _correction(st: Statement) -> pandoc.Ast:
    """The correction note parsed as the body is, links made safe; InputError unless it is one paragraph of text."""
    assert st.correction is not None
    parsed = _without_images(pandoc.parse(st.correction, st.display))
    blocks = parsed.get("blocks", [])
    if (
        len(blocks) != 1
        or blocks[0]["t"] not in ("Para", "Plain")
        or any(n.get("t") == "Note" for n in tree.nodes(blocks))
    ):
        raise fail(st.display, "must be one sentence of text, without a heading, a list or a footnote",
                   line=st.correction_line, field="correction")  # fmt: skip
    note = conventions.localize({**parsed, "blocks": [{"t": "Para", "c": blocks[0]["c"]}]}, st.lang)
    return bidi.isolate(media.safe_links(note), st.lang)


def correction_inlines(prepared: Prepared) -> list[dict[str, Any]]:
    """The correction note's text as pandoc inlines; empty without one."""
    blocks = prepared.correction.get("blocks", [])
    return list(blocks[0]["c"]) if blocks else []


def _limit(brand: Brand, project: Project) -> None:
    bounds.limit(brand.render_seconds, brand.render_megabytes, os.path.relpath(brand.path, project.root))


def _without_images(ast: pandoc.Ast) -> pandoc.Ast:
    """The boilerplate with each image as its description: a brand's text names no file of a statement."""

    def described(node: dict[str, Any]) -> dict[str, Any]:
        return {"t": "Span", "c": [node["c"][0], node["c"][1]]} if node["t"] == "Image" else node

    return tree.rebuild(ast, node=described)


def _stamp(prepared: Prepared) -> tuple[tuple[str, int], ...]:
    """The versions of the files a prepared statement read besides its source: brand, labels, images."""
    brand = prepared.brand
    files = [brand.path, *labels.paths(brand.folder.parent, brand.name), *(p.path for p in prepared.pictures.values())]
    stamps = []
    for file in files:
        try:
            stamps.append((str(file), file.stat().st_mtime_ns))
        except OSError:
            stamps.append((str(file), -1))
    return tuple(stamps)


def with_versions(st: Statement, context: dict[str, Any] | None, words: dict[str, str]) -> Statement:
    """The statement with its language versions and, for a stale translation, the note every output shows."""

    marked = functools.partial(conventions.typographic, lang=st.lang)
    st = dataclasses.replace(st, title=marked(st.title), summary=marked(st.summary) if st.summary else None)
    if language.base(st.lang) == "fr":
        spaced = conventions.french_spacing
        st = dataclasses.replace(st, title=spaced(st.title), summary=spaced(st.summary) if st.summary else None)
    if not context:
        return st
    versions = tuple(
        statement.Version(lang, stem, language.language_name(lang))
        for lang, stem in sorted(context.get("versions", []))
    )
    notice = None
    stale = context.get("stale_since")
    if stale is not None:
        try:
            when = language.long_date(dt.date.fromisoformat(stale[:10]), st.lang)  # a date with its time: its day
        except ValueError:
            when = stale
        notice = words.get("stale", translation.STALE).format(date=when)
    return dataclasses.replace(st, versions=versions, notice=notice)
