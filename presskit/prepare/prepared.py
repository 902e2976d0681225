"""Prepare a statement once for every format: read and check it, bound it, and gather what every format shows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presskit import bounds, language
from presskit.prepare import conventions, media, pandoc
from presskit.project import Project
from presskit.read import labels, statement
from presskit.read.brand import Brand
from presskit.read.statement import Statement
from presskit.translate import translation


@dataclass(frozen=True)
class Prepared:
    """A statement checked and ready for any format, with its brand and the project it belongs to."""

    statement: Statement
    """The checked statement, with its language versions."""
    brand: Brand
    """Its brand."""
    words: dict[str, str]
    """The layout's labels in the statement's language."""
    project: Project
    """The project it is built in."""


def prepare(project: Project, source: Path, languages: dict[str, Any] | None = None) -> Prepared:
    """Read, check and bound a statement; raise InputError listing every problem."""
    st, brand = statement.load(source, project.root, project.sources, project.layouts)
    bounds.limit(brand.render_seconds, brand.render_megabytes, os.path.relpath(brand.path, project.root))
    bounds.check_source(st.body, st.display, st.body_line)
    bounds.check_document(pandoc.parse(st.body, st.display), st.display, st.body, st.body_line)
    words = labels.for_lang(brand, st.lang)
    st = with_versions(st, languages, words)
    media.check_statement(st, brand)  # every format fails alike on a bad image, the wire copy too
    return Prepared(st, brand, words, project)


def with_versions(st: Statement, context: dict[str, Any] | None, words: dict[str, str]) -> Statement:
    """The statement with its language versions and, for a stale translation, the note every output shows."""

    if st.lang.split("-")[0].lower() == "fr":
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
            when = language.long_date(dt.date.fromisoformat(stale), st.lang)
        except ValueError:
            when = stale
        notice = words.get("stale", translation.STALE).format(date=when)
    return dataclasses.replace(st, versions=versions, notice=notice)
