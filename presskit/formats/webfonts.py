"""The brand's font files for web pages: WOFF2 subsets of the characters pages use, and their `@font-face` rules.

The page's font stacks are brand.css's, the PDF's: with these rules the page is set in the same fonts, with the
same fallbacks. A standalone page carries its subsets as `data:` URLs; the newsroom site shares files.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from presskit import cache
from presskit.read.brand import Brand, FontFile


class _QuietDates(logging.Filter):
    """Drop fontTools' remark on the creation date of fonts made on old tools (Lato's): it says nothing to a user."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "timestamp seems very low" not in record.getMessage()


logging.getLogger("fontTools.ttLib.tables._h_e_a_d").addFilter(_QuietDates())

_BLOCK = 128
"""Code points per block of the first subsetting stage (see `_base`)."""


def characters(html: str) -> str:
    """The characters a page draws: the text of its body, in upper and lower case too (CSS `text-transform`)."""
    import lxml.html

    document = lxml.html.document_fromstring(html)
    body = document.find("body")
    text = str((body if body is not None else document).text_content())
    title = document.findtext(".//title") or ""  # shown by the browser, not the page, but cheap to cover
    links = "".join(a.get("href") or "" for a in document.iter("a"))  # printed after links (page.css, print)
    seen = set(text + title + links)
    seen |= {c for ch in list(seen) for c in (ch.upper() + ch.lower())}
    return "".join(sorted(seen | set(" \u00a0")))


def subset(font: Path, text: str) -> bytes | None:
    """A WOFF2 subset of a font file holding the glyphs of `text` (with its ligatures); None when it draws none."""
    data = _read(font)
    wanted = sorted({ord(c) for c in text} & _cmap(font, data))
    if not wanted:
        return None
    name = cache.key("woff2 subset", _version(), hashlib.sha256(data).hexdigest(), ",".join(map(str, wanted)))
    found = cache.get(name, "woff2")
    if found is None:
        found = _subset(_base(font, data, {c // _BLOCK for c in wanted}), wanted, woff2=True)
        cache.put(name, "woff2", found)
    return found


@lru_cache(maxsize=1)
def _version() -> str:
    from importlib.metadata import version

    return f"fonttools {version('fonttools')}, brotli {version('brotli')}"


@lru_cache(maxsize=16)
def _read(font: Path) -> bytes:
    return font.read_bytes()


@lru_cache(maxsize=16)
def _cmap(font: Path, data: bytes) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(data), lazy=True, fontNumber=0) as opened:
        return frozenset(opened.getBestCmap() or {})


def _base(font: Path, data: bytes, blocks: set[int]) -> bytes:
    """The font cut down to whole Unicode blocks, kept in the build cache.

    Subsetting a large font reads all its layout tables, which takes a quarter of a second a face; a page's
    exact subset is cut from this smaller font, which pages in the same scripts share.
    """
    name = cache.key("font blocks", _version(), hashlib.sha256(data).hexdigest(), ",".join(map(str, sorted(blocks))))
    found = cache.get(name, "ttf")
    if found is None:
        wanted = [c for c in _cmap(font, data) if c // _BLOCK in blocks]
        found = _subset(data, wanted, woff2=False)
        cache.put(name, "ttf", found)
    return found


def _subset(data: bytes, unicodes: Iterable[int], *, woff2: bool) -> bytes:
    from fontTools import subset as subsetter
    from fontTools.ttLib import TTFont

    options = subsetter.Options()
    options.hinting = False  # browsers draw outlines well without TrueType instructions, at half the size
    options.notdef_outline = True
    options.layout_features = ["*"]  # whatever the PDF's text engine would use: kerning, ligatures, marks
    font = TTFont(io.BytesIO(data), recalcTimestamp=False, fontNumber=0)  # the same bytes at every build
    worker = subsetter.Subsetter(options)
    worker.populate(unicodes=list(unicodes))
    worker.subset(font)
    font.flavor = "woff2" if woff2 else None
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def unicode_range(font: bytes) -> str:
    """The `unicode-range` of a font's characters, as compact ranges (`U+20-7E, U+A0`)."""
    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(font), lazy=True) as opened:
        codes = sorted(opened.getBestCmap() or {})
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in ranges)


def face_rules(brand: Brand, text: str, url: Callable[[FontFile, bytes], str]) -> str:
    """`@font-face` rules for the brand's font files, each a subset of `text` at the URL `url` gives it."""
    rules = []
    for face in brand.font_files:
        woff2 = subset(face.path, text)
        if woff2 is None:
            continue
        rules.append(
            "@font-face {\n"
            f'  font-family: "{_css_escape(face.family)}";\n'
            f'  src: url("{url(face, woff2)}") format("woff2");\n'
            f"  font-weight: {face.weight};\n"
            f"  font-style: {face.style};\n"
            "  font-display: swap;\n"
            f"  unicode-range: {unicode_range(woff2)};\n"
            "}\n"
        )
    return "".join(rules)


def embedded_css(brand: Brand, text: str) -> str:
    """`@font-face` rules carrying the subsets as `data:` URLs, for a page that stands alone."""
    return face_rules(brand, text, lambda _face, woff2: "data:font/woff2;base64," + base64.b64encode(woff2).decode())


def file_name(face: FontFile, woff2: bytes) -> str:
    """A subset's file name: the font file's name and a hash of its content (`Lato-Bold.3f2a9c1e.woff2`)."""
    return f"{face.path.stem}.{hashlib.sha256(woff2).hexdigest()[:10]}.woff2"


def site_fonts(brand: Brand, text: str, prefix: str = "") -> tuple[str, dict[str, bytes]]:
    """The `@font-face` rules and files of the subsets of `text`, for pages sharing them.

    Each rule's URL is `prefix` followed by the file's name, which holds a hash of its content (so that a
    web server may let browsers keep it for ever); the dictionary maps each name to the file's bytes.
    """
    files: dict[str, bytes] = {}

    def url(face: FontFile, woff2: bytes) -> str:
        name = file_name(face, woff2)
        files[name] = woff2
        return prefix + name

    return face_rules(brand, text, url), files


def _css_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
