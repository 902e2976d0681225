"""What the newsroom knows of each published statement: the one shape its pages, feeds, sitemap and search share.

Where things go in `build/site/` (every link between pages is relative, so the site works at any base path):

- `<slug>/<stem>.html`: a statement's page, its PDF, DOCX, wire copy and share card beside it;
- `<lang>/index.html`, `<lang>/page-<n>.html`: a language's index, newest first, 20 a page;
- `<lang>/tags/<tag>/index.html` and `<lang>/<year>/index.html`: tag pages and year archives;
- `<lang>/feed.atom` and `<lang>/tags/<tag>/feed.atom`: Atom feeds;
- `index.html`, `404.html`, `sitemap.xml`, `robots.txt`, `pagefind/`: the site's own files.

`<lang>` is `language_folder(tag)`, `<tag>` is `tag_folder(tag)`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

PER_PAGE = 20
"""Statements on one index page."""


@dataclass(frozen=True)
class Version:
    """One published language version of a statement, as pages link to it."""

    lang: str
    """BCP 47 tag of its language."""
    page: str
    """Its page, relative to the site's root: `<slug>/<stem>.html`."""


@dataclass(frozen=True)
class Entry:
    """A published statement, as the newsroom lists it."""

    stem: str
    """Base name of its outputs, unique in the project (`china-online-crackdown.fr`)."""
    slug: str
    """Folder shared by the statement and its language versions (`china-online-crackdown`)."""
    lang: str
    """BCP 47 tag of its language."""
    direction: str
    """Writing direction of its language: `ltr` or `rtl`."""
    title: str
    """Headline, plain text."""
    summary: str
    """Summary, plain text; empty when the statement has none."""
    tags: tuple[str, ...]
    """Tags, as written."""
    date: dt.date
    """The date the statement carries."""
    published: dt.datetime
    """When it became public (timezone-aware): the end of its embargo, or the start of its date in UTC."""
    updated: dt.datetime
    """Its last change (timezone-aware): its `updated:` field, or else `published`."""
    layout: str
    """The brand it is built with."""
    versions: tuple[Version, ...]
    """Its published language versions, itself included, in a stable order."""

    @property
    def page(self) -> str:
        """Its page, relative to the site's root."""
        return f"{self.slug}/{self.stem}.html"


@dataclass(frozen=True)
class Newsroom:
    """The site as a whole."""

    name: str
    """The newsroom's name, as its pages show it."""
    base_url: str
    """Absolute URL of the site's root, ending with `/` (the brand's `meta.link.home`): canonical links, feeds."""
    languages: tuple[str, ...]
    """Languages with at least one published statement, the brand's own first."""
    embargoes: tuple[dt.datetime, ...] = ()
    """When the embargo of each statement it would list ends, passed or not, sorted: the moments it changes by
    itself."""


def language_folder(tag: str) -> str:
    """The folder of a language's pages and feed: its tag in lower case (`en-gb`, `zh-hans`)."""
    return tag.lower()


@lru_cache(maxsize=4096)  # asked for each tag of each statement by every listing and feed that shows it
def tag_folder(tag: str) -> str:
    """The folder of a tag's page and feed: its letters and digits in lower case, hyphens between words.

    Letters of every script are kept (`新闻自由`), so tags in Chinese or Arabic get folders of their own.
    """
    text = unicodedata.normalize("NFKC", tag).casefold()
    return re.sub(r"[^\w]+|_", "-", text).strip("-") or "tag"


def tagged(entries: Iterable[Entry]) -> list[tuple[str, list[Entry]]]:
    """The tags of `entries`, each (as first written) with its statements in the order given, sorted by folder:
    tags written differently that share a folder (`Press freedom`, `press-freedom`) are one."""
    tags: dict[str, tuple[str, list[Entry]]] = {}
    for entry in entries:
        for tag in dict.fromkeys(entry.tags):
            found = tags.setdefault(tag_folder(tag), (tag, []))[1]
            if not found or found[-1] is not entry:
                found.append(entry)
    return [tags[key] for key in sorted(tags)]


def feed_path(lang: str, tag: str | None = None) -> str:
    """The feed of a language, or of one tag in it, relative to the site's root: `fr/feed.atom`."""
    folder = language_folder(lang)
    return f"{folder}/tags/{tag_folder(tag)}/feed.atom" if tag is not None else f"{folder}/feed.atom"


def listing_path(lang: str, tag: str | None = None) -> str:
    """The page a feed stands for: its language's index or its tag's page, relative to the site's root."""
    folder = language_folder(lang)
    return f"{folder}/tags/{tag_folder(tag)}/index.html" if tag is not None else f"{folder}/index.html"
