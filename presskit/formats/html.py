"""The web newsroom page: one self-contained HTML file per statement."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import nh3
from markupsafe import Markup

from presskit import language, output
from presskit.formats import logo, templates, webfonts
from presskit.prepare import media, pandoc, tree
from presskit.prepare.prepared import Prepared, correction_inlines
from presskit.read.brand import Brand, layout_file
from presskit.read.statement import Statement

_MATHML = {"math", "mrow", "mi", "mo", "mn", "ms", "mtext", "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot",
           "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mspace", "mstyle", "semantics", "annotation",
           "mpadded", "mphantom", "menclose"}  # fmt: skip
_TAGS = (set(nh3.ALLOWED_TAGS) | {"section", "tfoot"} | _MATHML) - {"map", "area"}
_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"id", "class", "lang", "dir", "title", "role"},
    "div": {"tabindex", "aria-label"},  # the keyboard-reachable scroll region around a wide table
    "a": {"href", "hreflang"},
    "ol": {"start", "type", "reversed"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "math": {"display", "xmlns"},
    "annotation": {"encoding"},
    "img": {"alt", "src", "width", "height"},
}
_SCHEMES = {"http", "https", "mailto", "tel"}
_URL_ATTRIBUTES = {"href", "src", "cite"}


def sanitize(fragment: str, images: frozenset[str] = frozenset(), *, relative_links: bool = True) -> str:
    """Keep only allow-listed elements, attributes and URL schemes of an HTML fragment.

    An image shows only when its source is one of `images`, the checked files media.embed wrote;
    Any other URL whose scheme is not on the web, e-mail or telephone (`data:`, `file:`, `javascript:`) is
    dropped, whatever control characters or character references hide the scheme. Without `relative_links`
    (for the PDF, where one would point into the folder it was built in) only links within the page stay.
    """

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if value in images and tag == "img" and attribute == "src":
            return value
        if tag == "img" and attribute == "src":
            return None
        if attribute in _URL_ATTRIBUTES:
            scheme = media.scheme(value)
            if scheme not in (None, *_SCHEMES):
                return None  # decided on the URL as a browser reads it, not on the text nh3 passes
            if scheme is None and not relative_links and not value.startswith("#"):
                return None
        return value

    return nh3.clean(
        fragment,
        tags=_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript"},
        attributes=_ATTRIBUTES,
        attribute_filter=keep,
        url_schemes=_SCHEMES | {"data", "file"} if images else _SCHEMES,
        link_rel=None,
        filter_style_properties={"text-align"},
    )


def body(prepared: Prepared, *, relative_links: bool = True, table_regions: bool = False) -> Markup:
    """The statement body as sanitized HTML, headings shifted below the page's title, images as `data:` URIs.

    With `table_regions`, each table sits in a region a keyboard can reach and scroll (the web page).
    Without `relative_links` (the PDF) only links within the page or to the web, e-mail and telephone stay.
    """
    ast, images = prepared.embedded()
    if table_regions:
        ast = {**ast, "blocks": tree.rebuild(ast["blocks"], node=_table_region)}
    return _html(ast, prepared.statement.display, images, relative_links=relative_links, top=2)


def about(prepared: Prepared, *, relative_links: bool = True) -> Markup:
    """The brand's boilerplate as sanitized HTML, made by the same writer as the body, below the `About` heading."""
    fragment = _html(prepared.about, prepared.statement.display, frozenset(), relative_links=relative_links, top=3)
    return Markup(fragment.strip())  # it takes the place of a `<p>` line in a template


def correction(prepared: Prepared, *, relative_links: bool = True) -> Markup:
    """The correction note as sanitized inline HTML, made by the same writer as the body; empty without one."""
    inlines = correction_inlines(prepared)
    if not inlines:
        return Markup("")
    ast = {**prepared.correction, "blocks": [{"t": "Plain", "c": inlines}]}
    return Markup(_html(ast, prepared.statement.display, frozenset(), relative_links=relative_links, top=3).strip())


def _html(ast: pandoc.Ast, display: str, images: frozenset[str], *, relative_links: bool, top: int) -> Markup:
    if not ast.get("blocks"):
        return Markup("")
    shift = f"--shift-heading-level-by={heading_shift(ast, top)}"
    html = pandoc.write(ast, "html5", display, "--mathml", "--wrap=none", shift)
    return Markup(sanitize(html, images, relative_links=relative_links))


def _table_region(node: dict[str, Any]) -> dict[str, Any]:
    """A table inside a focusable, named region, so that a keyboard can scroll a wide one; other nodes unchanged."""
    if node["t"] != "Table":
        return node
    attributes = [["tabindex", "0"], ["role", "region"], ["aria-label", table_name(node)]]
    return {"t": "Div", "c": [["", ["table-scroll"], attributes], [node]]}


def table_name(table: dict[str, Any]) -> str:
    """What a table is called: its caption, else its header cells (`Region, Killed, Jailed`)."""
    _attr, (_short, caption), _columns, (_head_attr, rows), *_rest = table["c"]
    text = " ".join(pandoc.stringify(block["c"]) for block in caption if block.get("t") in ("Plain", "Para"))
    if not text.strip() and rows:
        cells = rows[0][1]
        text = ", ".join(
            " ".join(pandoc.stringify(b["c"]) for b in cell[4] if b.get("t") in ("Plain", "Para")) for cell in cells
        )
    return " ".join(text.split()) or "Table"


def heading_shift(ast: pandoc.Ast, top: int = 2) -> int:
    """How far to move headings so that the highest becomes `h<top>`: `h2` under the page's `h1` title."""
    levels = [node["c"][0] for node in tree.nodes(ast.get("blocks", [])) if node.get("t") == "Header"]
    return top - min(levels) if levels else top - 1


def context(prepared: Prepared, *, relative_links: bool = True, table_regions: bool = False) -> dict[str, object]:
    """What every HTML-based template gets: the statement, its body, the boilerplate and language facts."""
    statement, brand, words = prepared.statement, prepared.brand, prepared.words
    return {
        "s": statement,
        "extra": statement.extra,
        "words": words,
        "release": templates.release_line(statement, words),
        "body": body(prepared, relative_links=relative_links, table_regions=table_regions),
        "about": about(prepared, relative_links=relative_links),
        "dir": language.direction(statement.lang),
        "date_text": language.long_date(statement.date, statement.lang),
        "logo": logo.data_uri(brand),
        **updated(prepared, relative_links=relative_links),
    }


def updated(prepared: Prepared, *, relative_links: bool = True) -> dict[str, object]:
    """What the templates show of an update: `updated` (the line, split around its time) and `correction`."""
    statement, words = prepared.statement, prepared.words
    if statement.updated is None:
        return {"updated": None, "correction": Markup("")}
    before, _, after = words["updated"].partition("{date}")
    moment = {
        "before": before,
        "time": language.date_time(statement.updated, statement.lang),
        "after": after,
        "iso": statement.updated.isoformat(),
        "utc": statement.updated.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return {"updated": moment, "correction": correction(prepared, relative_links=relative_links)}


def canonical_url(statement: Statement, brand: Brand) -> str | None:
    """Where the page is published: the brand's site, then the page's path under `build/`."""
    if not brand.site_url:
        return None
    return f"{brand.site_url.rstrip('/')}/{quote(statement.slug)}/{quote(statement.stem)}.html"


def structured_data(statement: Statement, brand: Brand, url: str | None) -> Markup:
    """The schema.org `NewsArticle` of the statement as JSON-LD, safe inside a `script` element."""
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": statement.title,
        "datePublished": statement.date.isoformat(),
        "inLanguage": statement.lang,
        "publisher": {"@type": "Organization", "name": brand.organisation},
        "author": {"@type": "Organization", "name": brand.organisation},
    }
    if brand.site_url:
        data["publisher"] = {"@type": "Organization", "name": brand.organisation, "url": brand.site_url}
    if statement.updated is not None:
        data["dateModified"] = statement.updated.isoformat()
    if statement.summary:
        data["description"] = statement.summary
    if statement.tags:
        data["keywords"] = list(statement.tags)
    if statement.dateline:
        data["locationCreated"] = {"@type": "Place", "name": statement.dateline}
    if url:
        data["url"] = url
        data["mainEntityOfPage"] = url
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def render(prepared: Prepared, fonts: str | None = None) -> str:
    """The full newsroom page, CSS and logo inlined.

    The brand's fonts come embedded, cut to the scripts the page shows, unless `fonts` gives the `@font-face`
    rules to use instead (the site's shared files: `webfonts.site_fonts`).
    """
    statement, brand = prepared.statement, prepared.brand
    css = layout_file(brand.folder.parent, brand.name, "page.css").read_text(encoding="utf-8")
    brand_css = templates.render(brand, "brand.css", embed_fonts=False,
                                 script_fonts=language.font_families(statement.lang))  # fmt: skip
    url = canonical_url(statement, brand)
    values = {
        "css": Markup(css),
        "canonical": url,
        "json_ld": structured_data(statement, brand, url),
        "og_locale": statement.lang.replace("-", "_"),
        **context(prepared, table_regions=True),
    }
    if fonts is None:  # cut down to the characters the page shows: known once the page is written
        drawn = webfonts.characters(templates.render(brand, "page.html", brand_css=Markup(brand_css), **values))
        fonts = webfonts.embedded_css(brand, drawn)
    return templates.render(brand, "page.html", brand_css=Markup(fonts + brand_css), **values)


def build(prepared: Prepared, target: Path) -> None:
    """Write the statement's newsroom page."""
    output.write(target, render(prepared))
