"""`sitemap.xml` and `robots.txt`: every page of the newsroom for search engines, with each statement's languages."""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from presskit import output
from presskit.site.catalog import Entry, Newsroom

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
MAX_URLS = 50_000
"""The most URLs one sitemap may list (sitemaps.org)."""


def url(newsroom: Newsroom, path: str) -> str:
    """The absolute address of a page from its path relative to the site's root, percent-encoded as URLs are.

    Tag folders may hold letters of any script (`zh-hans/tags/新闻自由/`); a sitemap and a feed need them escaped.
    """
    return newsroom.base_url + urllib.parse.quote(path, safe="/")


def write_sitemap(target: Path, newsroom: Newsroom, entries: Sequence[Entry], pages: Sequence[str]) -> None:
    """Write the sitemap of the site: `pages` (index, tag and year pages, relative to the site's root), then
    every statement's page, newest first, with its last change and the addresses of its language versions.
    """
    if len(pages) + len(entries) > MAX_URLS:
        raise ValueError(f"a sitemap lists at most {MAX_URLS} addresses; this site has {len(pages) + len(entries)}")
    urlset = etree.Element(f"{{{SITEMAP}}}urlset", nsmap={None: SITEMAP, "xhtml": XHTML})
    for page in pages:
        etree.SubElement(etree.SubElement(urlset, f"{{{SITEMAP}}}url"), f"{{{SITEMAP}}}loc").text = url(newsroom, page)
    for entry in sorted(entries, key=lambda e: (e.published, e.stem), reverse=True):
        item = etree.SubElement(urlset, f"{{{SITEMAP}}}url")
        etree.SubElement(item, f"{{{SITEMAP}}}loc").text = url(newsroom, entry.page)
        etree.SubElement(item, f"{{{SITEMAP}}}lastmod").text = entry.updated.isoformat(timespec="seconds")
        if len(entry.versions) > 1:  # every version names all of them, itself included (as search engines ask)
            for version in entry.versions:
                etree.SubElement(
                    item,
                    f"{{{XHTML}}}link",
                    rel="alternate",
                    hreflang=version.lang,
                    href=url(newsroom, version.page),
                )
    etree.indent(urlset, space="  ")
    output.write(target, etree.tostring(urlset, xml_declaration=True, encoding="UTF-8") + b"\n")


def write_robots(target: Path, newsroom: Newsroom) -> None:
    """Write `robots.txt`: every crawler welcome, and the sitemap's absolute address."""
    lines = ["User-agent: *", "Disallow:", "", f"Sitemap: {url(newsroom, 'sitemap.xml')}"]
    output.write(target, "\n".join(lines) + "\n")
