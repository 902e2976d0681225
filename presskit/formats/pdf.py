"""The branded PDF: the print template rendered by WeasyPrint, warm in the process."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from presskit import language, output
from presskit.errors import fail
from presskit.formats import glyphs, html, logo, templates
from presskit.prepare import bidi, media
from presskit.prepare.prepared import Prepared
from presskit.read.brand import Brand, layout_file

_IMAGE_TYPES = tuple(f"{kind};" for kind in sorted(set(media.KINDS.values())))


@lru_cache(maxsize=1)
def _weasyprint() -> Any:
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    return weasyprint, FontConfiguration()


def engine() -> Any:
    """WeasyPrint and the font configuration every document of the process shares."""
    return _weasyprint()


def fetcher(allowed: tuple[Path, ...], display: str) -> Any:
    """A URL fetcher that reads local files under `allowed` folders and inlined images, and refuses everything else."""
    _weasyprint()
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    roots = tuple(p.resolve() for p in allowed)

    class LocalFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            if parsed.scheme == "data" and url[5:].lower().startswith(_IMAGE_TYPES):
                return super().fetch(url, headers)  # a checked image media.embed inlined; it reads nothing
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if any(path.is_relative_to(root) for root in roots) and path.is_file():
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(
                f"{display}: refused to load {url}: only files in the statement's folder and its layout may be used"
            )

    return LocalFetcher(allowed_protocols={"file", "data"})


def stylesheets(brand: Brand, css_path: Path, lang: str) -> list[Any]:
    """The brand's stylesheets for a statement in `lang`, parsed once per brand, language's fonts and dictionary."""
    fonts, hyphenation = language.font_families(lang), language.hyphenation(lang)
    return _stylesheets(brand, css_path, css_path.stat().st_mtime_ns, fonts, hyphenation)


@lru_cache(maxsize=16)
def _stylesheets(
    brand: Brand, css_path: Path, _mtime: int, script_fonts: tuple[str, ...], hyphenation: str | None
) -> list[Any]:
    weasyprint, font_config = _weasyprint()
    emoji_font = glyphs.emoji_font()
    local = fetcher((brand.folder.parent, *([emoji_font] if emoji_font else [])), str(brand.path))
    brand_css = templates.render(brand, "brand.css", embed_fonts=True, emoji_font=emoji_font,
                                 script_fonts=script_fonts, hyphenation=hyphenation)  # fmt: skip
    return [
        weasyprint.CSS(string=brand_css, base_url=str(brand.folder) + "/", font_config=font_config, url_fetcher=local),
        weasyprint.CSS(filename=str(css_path), font_config=font_config, url_fetcher=local),
    ]


def print_page(prepared: Prepared) -> str:
    """The HTML page WeasyPrint lays out for the statement's PDF."""
    # images inlined, because WeasyPrint names an image after its URL and a file URL holds the project's folder
    # no relative links: WeasyPrint would make them file: links into the folder the PDF was built in
    context = html.context(prepared, relative_links=False)
    brand = prepared.brand
    page = templates.render(brand, "print.html", **context, logo_path=logo.data_uri(brand))
    return korean_words_kept(page) if language.base(prepared.statement.lang) == "ko" else page


_HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_INSIDE_WORD = re.compile(f"(?<=[{_HANGUL}])(?=[^\\s<])|(?<=[^\\s>])(?=[{_HANGUL}])")
_TEXT = re.compile(r">([^<]+)<")


def korean_words_kept(page: str) -> str:
    """The page with a word joiner inside each Korean word, so that lines break between words, not syllables.

    WeasyPrint has no `word-break: keep-all`; the joiner draws nothing and stays out of the PDF's text. Only
    text between tags is touched, never an attribute (a link's address).
    """
    return _TEXT.sub(lambda m: ">" + _INSIDE_WORD.sub("\u2060", m.group(1)) + "<", page)


def render(prepared: Prepared, target: Path) -> None:
    """Render the statement's PDF to `target`, atomically."""
    statement, brand = prepared.statement, prepared.brand
    weasyprint, font_config = _weasyprint()
    layouts = brand.folder.parent
    css_path = layout_file(layouts, brand.name, "print.css")
    page = print_page(prepared)
    glyphs.check(drawn_text(page), brand, statement.display, statement.source.read_text(encoding="utf-8"))
    local = fetcher((statement.source.parent, layouts), statement.display)
    document = weasyprint.HTML(string=page, base_url=str(statement.source.parent) + "/", url_fetcher=local)
    options = {"pdf_variant": brand.pdf_variant, "pdf_tags": True}
    try:
        rendered = document.render(
            font_config=font_config, stylesheets=stylesheets(brand, css_path, statement.lang), **options
        )
    except weasyprint.urls.FatalURLFetchingError as exc:
        raise fail(statement.display, str(exc).split(": ", 1)[-1]) from None
    with output.replacing(target) as temp:
        rendered.write_pdf(temp, finisher=bidi.pdf_clusters, **options)


def drawn_text(page: str) -> str:
    """Every character a page may draw: its text and the strings of its stylesheet (running heads, labels)."""
    import lxml.html

    return str(lxml.html.document_fromstring(page).text_content())


def build(prepared: Prepared, target: Path) -> None:
    """Write the statement's branded PDF."""
    render(prepared, target)
