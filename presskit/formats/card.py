"""The share card: a 1200 x 630 PNG of the statement's headline in the brand, shown where a link to its page is shared.

The card is laid out like the PDF, by WeasyPrint with the brand's fonts and fallbacks, so that every script is
shaped and every direction set as in the PDF; pdfium draws the one-page PDF as pixels. The headline is set as
large as fits its box, then smaller, and cut with an ellipsis at a word (or, in writing without spaces, a
character) when even the smallest size does not fit.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from presskit import language, output
from presskit.formats import glyphs, logo, pdf, templates
from presskit.prepare.prepared import Prepared
from presskit.read.brand import layout_file

WIDTH, HEIGHT = 1200, 630
"""Size of the card in pixels: what Open Graph and Twitter show in full."""
SIZES = (68, 60, 54, 48, 42, 38)
"""Headline sizes tried in turn, in pixels."""
ELLIPSIS = "…"


@dataclass(frozen=True)
class Box:
    """Where the headline must fit, in pixels."""

    top: int = 156
    """Distance from the top of the card's coloured band."""
    height: int = 316
    """Height it may take."""
    margin: int = 72
    """Distance from the left and right edges: the safe margin."""


BOX = Box()


def page(prepared: Prepared, headline: str, size: int, offset: float = 0) -> str:
    """The card's HTML with the headline at a size, `offset` pixels below the top of its box."""
    statement, brand = prepared.statement, prepared.brand
    host = urlparse(brand.site_url).hostname if brand.site_url else None
    return templates.render(
        brand,
        "card.html",
        s=statement,
        words=prepared.words,
        dir=language.direction(statement.lang),
        date_text=language.long_date(statement.date, statement.lang),
        logo=logo.data_uri(brand),
        host=host.removeprefix("www.") if host else None,
        headline=headline,
        size=size,
        offset=round(offset, 2),
        box=BOX,
    )


def _document(prepared: Prepared, headline: str, size: int, offset: float = 0) -> Any:
    """The card laid out by WeasyPrint."""
    weasyprint, font_config = pdf.engine()
    brand = prepared.brand
    css = layout_file(brand.folder.parent, brand.name, "card.css")
    local = pdf.fetcher((brand.folder.parent,), prepared.statement.display)
    text = page(prepared, headline, size, offset)
    html = weasyprint.HTML(string=text, base_url=str(brand.folder) + "/", url_fetcher=local)
    return html.render(font_config=font_config, stylesheets=pdf.stylesheets(brand, css, prepared.statement.lang))


def fits(document: Any) -> bool:
    """Whether the headline of a laid-out card stays within its box: not too tall, no line too wide."""
    headline = _headline_box(document)
    if headline is None:
        return False
    if headline.margin_height() > BOX.height + 0.5:
        return False
    limit = WIDTH - 2 * BOX.margin + 0.5
    return all(line.position_x + line.width <= BOX.margin + limit for line in headline.children) and all(
        line.position_x >= BOX.margin - 0.5 for line in headline.children
    )


def _headline_box(document: Any) -> Any | None:
    """The headline's block in WeasyPrint's layout (absolutely placed boxes, such as its box, hold theirs inside)."""
    waiting = [document.pages[0]._page_box]
    while waiting:
        box = waiting.pop()
        element = getattr(box, "element", None)
        if element is not None and element.get("class") == "headline" and box.element_tag == "h1":
            return box
        waiting.extend(getattr(box, "children", None) or ())
    return None


def units(headline: str) -> list[str]:
    """The pieces a headline may be cut between: words with the space after them, or characters without spaces."""
    if re.search(r"\s", headline.strip()):
        return re.findall(r"\S+\s*", headline.strip())
    return glyphs.clusters(headline.strip())


def fitted(prepared: Prepared) -> tuple[Any, str, int]:
    """The card laid out with the headline at the largest size that fits, cut with an ellipsis if none does.

    The headline is then laid out again, moved down to the middle of its box (a flex box that would centre
    it makes WeasyPrint's layout of a long headline a hundred times slower).
    """
    document, text, size = _fit(prepared)
    box = _headline_box(document)
    spare = max(0.0, BOX.height - box.margin_height()) if box is not None else 0.0
    return _document(prepared, text, size, spare / 2), text, size


def _fit(prepared: Prepared) -> tuple[Any, str, int]:
    title = " ".join(prepared.statement.title.split())
    for size in SIZES:
        document = _document(prepared, title, size)
        if fits(document):
            return document, title, size
    size = SIZES[-1]
    # cut between words; when not even the first word fits, between characters
    best = _longest(prepared, units(title), size) or _longest(prepared, glyphs.clusters(title), size)
    if best is None:
        text = cut(glyphs.clusters(title), 1)
        best = (_document(prepared, text, size), text)
    return best[0], best[1], size


def _longest(prepared: Prepared, pieces: list[str], size: int) -> tuple[Any, str] | None:
    """The card with the most pieces of the headline that fit before an ellipsis, found by halving; None if none."""
    low, high, best = 1, len(pieces) - 1, None
    while low <= high:
        middle = (low + high) // 2
        text = cut(pieces, middle)
        document = _document(prepared, text, size)
        if fits(document):
            best, low = (document, text), middle + 1
        else:
            high = middle - 1
    return best


def cut(pieces: list[str], count: int) -> str:
    """The first `count` pieces of a headline, closed by an ellipsis (after any trailing punctuation is dropped)."""
    kept = "".join(pieces[:count]).rstrip()
    return kept.rstrip(",;:–—-·、，；：") + ELLIPSIS


def png(document: Any) -> bytes:
    """A laid-out card as PNG bytes, WIDTH x HEIGHT, the same bytes for the same card (no time, no metadata)."""
    import pypdfium2
    from PIL import Image

    data = document.write_pdf()
    rendered = pypdfium2.PdfDocument(data)
    try:
        bitmap = rendered[0].render(scale=WIDTH / rendered[0].get_width(), may_draw_forms=False)
        image = bitmap.to_pil().convert("RGB")
    finally:
        rendered.close()
    if image.size != (WIDTH, HEIGHT):  # a point of rounding
        image = image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def render(prepared: Prepared) -> bytes:
    """The statement's share card as PNG bytes."""
    document, _text, _size = fitted(prepared)
    return png(document)


def build(prepared: Prepared, target: Path) -> None:
    """Write the statement's share card."""
    output.write(target, render(prepared))
