"""The web newsroom page: one self-contained HTML file per statement."""

from __future__ import annotations

import nh3
from markupsafe import Markup

from presskit import labels, pandoc, templates
from presskit.brand import Brand, layout_file
from presskit.statement import Statement

_MATHML = {"math", "mrow", "mi", "mo", "mn", "ms", "mtext", "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot",
           "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mspace", "mstyle", "semantics", "annotation",
           "mpadded", "mphantom", "menclose"}  # fmt: skip
_TAGS = (set(nh3.ALLOWED_TAGS) | {"section", "tfoot"} | _MATHML) - {"map", "area"}
_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"id", "class", "lang", "dir", "title", "role"},
    "a": {"href", "hreflang"},
    "ol": {"start", "type", "reversed"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "math": {"display", "xmlns"},
    "annotation": {"encoding"},
    "img": {"alt", "src", "width", "height"},
}
_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize(fragment: str) -> str:
    """Keep only allow-listed elements, attributes and URL schemes of an HTML fragment."""
    return nh3.clean(
        fragment,
        tags=_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript"},
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel=None,
        filter_style_properties={"text-align"},
    )


def body(statement: Statement) -> Markup:
    """The statement body as sanitized HTML, headings shifted below the page's title."""
    ast = pandoc.parse(statement.body, statement.display)
    html = pandoc.write(ast, "html5", statement.display, "--mathml", "--wrap=none", "--shift-heading-level-by=1")
    return Markup(sanitize(html))


def context(statement: Statement, brand: Brand) -> dict[str, object]:
    """What every HTML-based template gets: the statement, its body and language facts."""
    words = labels.for_lang(brand, statement.lang)
    return {
        "s": statement,
        "words": words,
        "release": templates.release_line(statement, words),
        "body": body(statement),
        "dir": templates.direction(statement.lang),
        "date_text": templates.long_date(statement.date, statement.lang),
        "logo": templates.data_uri(brand.logo),
    }


def render(statement: Statement, brand: Brand) -> str:
    """The full newsroom page, CSS and logo inlined."""
    css = layout_file(brand.folder.parent, brand.name, "page.css").read_text(encoding="utf-8")
    brand_css = Markup(templates.render(brand, "brand.css", embed_fonts=False))
    return templates.render(brand, "page.html", css=Markup(css), brand_css=brand_css, **context(statement, brand))
