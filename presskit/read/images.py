"""The names of image files a statement's text may refer to, found cheaply while doit names its tasks."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from presskit.read.brand import BASE_LAYOUT, folder

MAX_NAME = 1024
"""Longest image reference looked up as a file while tasks load; longer ones are no file name."""
_RUN = re.compile(r"[^\s()<>\[\]\"'`|]+")
"""A run of characters that may form a file name; runs never overlap, so finding them all is linear."""
_EXTENSION = re.compile(r"\.(?:png|jpe?g|gif|svg)\b", re.IGNORECASE)
"""Where an image's name ends; searched first, since most statements have no image."""


def candidates(text: str) -> set[str]:
    """Words of a text that end like an image file name (`photo.jpg`, `img/map.svg`), found in linear time.

    A single pattern matching names directly tried every start in a long unbroken run against every
    end: a statement with one image and a run of 100 KB took most of a minute to load.
    """
    if not _EXTENSION.search(text):
        return set()
    found: set[str] = set()
    for run in _RUN.finditer(text):
        end = max((m.end() for m in _EXTENSION.finditer(text, run.start() + 1, run.end())), default=None)
        if end is not None and end - run.start() <= MAX_NAME:  # the name needs a letter before its dot
            found.add(text[run.start() : end])
    return found


def is_candidate(name: object) -> bool:
    """Whether a value read back from the build cache can be an image name the text held."""
    return isinstance(name, str) and 0 < len(name) <= MAX_NAME and "\0" not in name and candidates(name) == {name}


def referenced_files(names: tuple[str, ...], source: Path, layouts: Path, layout: str) -> list[Path]:
    """The image files a statement's image-like names (`candidates`) find; a generous guess, for task deps."""
    if not names:
        return []
    roots = tuple(dict.fromkeys(p.resolve() for p in (source.parent, folder(layouts, layout), layouts / BASE_LAYOUT)))
    found: set[Path] = set()
    for name in names:
        relative = unquote(name)
        for root in roots:
            try:
                path = (root / relative).resolve()
                if path.is_relative_to(root) and path.is_file():
                    found.add(path)
                    break
            except (OSError, ValueError):  # a name too long for the system, or holding a NUL: no file
                continue
    return sorted(found)
