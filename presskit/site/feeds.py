"""Atom feeds of the newsroom: one per language and one per tag of a language, each entry with its full text.

The bytes depend only on what is given: no clock is read, so two builds of the same statements write the
same feed, and doit's up-to-date check and a feed reader's cache both see no change.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path

import lxml.html
from feedgen.feed import FeedGenerator

from presskit import output
from presskit.site.catalog import Entry, Newsroom, feed_path, listing_path
from presskit.site.sitemap import url as site_url

FEED_TYPE = "application/atom+xml"
"""The media type of the feeds, for `<link rel="alternate" type=...>` on the pages."""
_DROPPED = " | ".join(
    [".//h1", ".//nav", ".//script", ".//style", ".//noscript"]
    + [f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]" for name in ("kind", "summary")]
)
"""Parts of a page's article a feed reader shows by itself (title, summary) or cannot use (navigation)."""


def entry_id(newsroom: Newsroom, entry: Entry) -> str:
    """A statement's permanent Atom id, a tag URI (RFC 4151) from the site's host, its date and its stem.

    It does not change when the statement is edited, so readers show an update, not a new entry.
    """
    url = urllib.parse.urlsplit(newsroom.base_url)
    return f"tag:{url.hostname},{entry.date.isoformat()}:{url.path}{entry.stem}"


def write_feed(
    target: Path,
    newsroom: Newsroom,
    entries: Sequence[Entry],
    *,
    lang: str,
    tag: str | None = None,
    content: Callable[[Entry], str],
) -> None:
    """Write the Atom feed of `entries` (all in `lang`; with `tag`, the feed of that tag) to `target`.

    `target` is where the site keeps it, `site / feed_path(lang, tag)`; its self link says so. Entries come
    newest first (by publication); `content(entry)` gives an entry's full text as HTML (see
    `article_html`). The feed's `<updated>` is the latest `updated` of its entries, so at least one is needed.
    """
    if not entries:
        raise ValueError(f"the feed {feed_path(lang, tag)} needs at least one statement")
    strangers = sorted({e.stem for e in entries if e.lang != lang})
    if strangers:
        raise ValueError(f"the feed {feed_path(lang, tag)} is for {lang}, but {', '.join(strangers)} are not")
    feed = FeedGenerator()
    feed.generator("presskit")  # not feedgen's default, which carries its version: a new feedgen changes no byte
    self_url = site_url(newsroom, feed_path(lang, tag))
    feed.id(self_url)
    feed.title(newsroom.name if tag is None else f"{newsroom.name}: {tag}")
    feed.language(lang)
    feed.author({"name": newsroom.name})
    feed.link(href=self_url, rel="self", type=FEED_TYPE)
    feed.link(href=site_url(newsroom, listing_path(lang, tag)), rel="alternate", type="text/html", hreflang=lang)
    feed.updated(max(e.updated for e in entries))
    for entry in sorted(entries, key=lambda e: (e.published, e.stem), reverse=True):
        item = feed.add_entry(order="append")
        url = site_url(newsroom, entry.page)
        item.id(entry_id(newsroom, entry))
        item.title(entry.title)
        item.link(href=url, rel="alternate", type="text/html", hreflang=entry.lang)
        item.published(entry.published)
        item.updated(entry.updated)
        item.author({"name": newsroom.name})
        if entry.summary:
            item.summary(entry.summary)
        item.content(content(entry), type="html")
        for name in entry.tags:
            item.category(term=name, label=name)
    output.write(target, feed.atom_str(pretty=True))


def article_html(page: Path, url: str) -> str:
    """The text of a built statement page (its `<main><article>`) as HTML for a feed reader.

    `url` is the page's absolute address: every relative link is made absolute against it (a reader
    resolves them against the feed, not the page). The title, summary and language links are left out (the
    entry has them); images embedded as `data:` URIs, which readers drop, become a link to the page named by
    their description, or are left out when a figure caption already says what they show.
    """
    root = lxml.html.fromstring(page.read_bytes())
    found = root.xpath("//main//article")
    if not found:
        raise ValueError(f"{page} has no <main><article>: it is not a statement page")
    article = found[0]
    for element in article.xpath(_DROPPED):
        element.drop_tree()
    for image in article.xpath(".//img"):
        _image_for_feed(image, url)
    for element in article.xpath(".//*[@href or @src]"):
        for name in ("href", "src"):
            if element.get(name) is not None:
                element.set(name, urllib.parse.urljoin(url, element.get(name)))
    for element in article.iter():
        for name in [name for name in element.attrib if name.startswith("data-pagefind")]:
            del element.attrib[name]
        if element.tag == "pre" or any(a.tag == "pre" for a in element.iterancestors()):
            continue  # preformatted text keeps every space
        element.text = _blank_line(element.text)
        element.tail = _blank_line(element.tail)
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in article).strip()


def _blank_line(text: str | None) -> str | None:
    """One line break for the indentation and blank lines between elements (those of removed ones too)."""
    return "\n" if text and "\n" in text and not text.strip() else text


def _image_for_feed(image: lxml.html.HtmlElement, url: str) -> None:
    """Replace an embedded image by a link to its page; keep an image that has an address of its own."""
    if not (image.get("src") or "").startswith("data:"):
        return
    figure = next(iter(image.iterancestors("figure")), None)
    alt = (image.get("alt") or "").strip()
    if (figure is not None and figure.find(".//figcaption") is not None) or not alt:
        image.drop_tree()
        return
    link = lxml.html.Element("a", href=url)
    link.text = alt
    link.tail = image.tail
    image.getparent().replace(image, link)


def page_content(site: Path, newsroom: Newsroom) -> Callable[[Entry], str]:
    """The `content` of `write_feed` for a built site: each entry's article read from its page in `site`."""
    return lambda entry: article_html(site / entry.page, site_url(newsroom, entry.page))
