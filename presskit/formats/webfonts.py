"""The brand's font files for web pages: WOFF2 subsets of the scripts pages use, and their `@font-face` rules.

The page's font stacks are brand.css's, the PDF's: with these rules the page is set in the same fonts, with the
same fallbacks. A standalone page carries its subsets as `data:` URLs; the newsroom site shares files.

A font is cut into fixed pieces, as web font services do (Latin, Latin Extended, Greek, Cyrillic...: each with
its `unicode-range`), and a page carries the pieces its characters fall in. Each piece of a font is made once
and kept in the build cache: subsetting Lato (its kerning tables are large) and compressing it as WOFF2 takes
half a second a face, which a subset of exactly each page's characters would cost again for nearly every page.
Kerning holds within a piece, where nearly all of a language's letters are.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from presskit import cache
from presskit.read.brand import Brand, FontFile


class _QuietDates(logging.Filter):
    """Drop fontTools' remark on the creation date of fonts made on old tools (Lato's): it says nothing to a user."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "timestamp seems very low" not in record.getMessage()


logging.getLogger("fontTools.ttLib.tables._h_e_a_d").addFilter(_QuietDates())


def open_font(path: Path) -> Any:
    """A font file opened with fontTools, its tables read when asked for (the logo's lettering needs a few)."""
    from fontTools.ttLib import TTFont

    return TTFont(path, lazy=True)


_PIECES: tuple[tuple[str, str], ...] = (
    ("latin", "0000-00FF 0131 0152-0153 02BB-02BC 02C6 02DA 02DC 0304 0308 0329 2000-206F 20AC 2122 2191 2193 "
              "2212 2215 FEFF FFFD"),
    ("latin-ext", "0100-02BA 02BD-02C5 02C7-02CC 02CE-02D7 02DD-02FF 1D00-1DBF 1E00-1E9F 1EF2-1EFF 2020 20A0-20AB "
                  "20AD-20C0 2113 2C60-2C7F A720-A7FF"),
    ("vietnamese", "0102-0103 0110-0111 0128-0129 0168-0169 01A0-01A1 01AF-01B0 0300-0301 0303-0304 0308-0309 "
                   "0323 0329 1EA0-1EF9 20AB"),
    ("greek", "0370-0377 037A-037F 0384-038A 038C 038E-03A1 03A3-03FF 1F00-1FFF"),
    ("cyrillic", "0301 0400-045F 0490-0491 04B0-04B1 2116"),
    ("cyrillic-ext", "0460-052F 1C80-1C8A 20B4 2DE0-2DFF A640-A69F FE2E-FE2F"),
)  # fmt: skip
"""The pieces a font is cut into, with the code points of each (the split Google Fonts serves Latin fonts in)."""
_BLOCK = 128
"""Code points per piece for characters outside the named pieces: one piece per block of 128."""


def _codes(spec: str) -> frozenset[int]:
    found: set[int] = set()
    for part in spec.split():
        first, _, last = part.partition("-")
        found.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(found)


_PIECE_CODES = tuple((name, _codes(spec)) for name, spec in _PIECES)
_NAMED = frozenset().union(*(codes for _, codes in _PIECE_CODES))


def piece_characters() -> str:
    """Every character of the named pieces (Latin, Latin Extended, Greek, Cyrillic...): rules for all of them
    serve pages of any text, each page fetching only the pieces its characters fall in."""
    return "".join(map(chr, sorted(_NAMED)))


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


@dataclass(frozen=True)
class Piece:
    """A piece of a font file as WOFF2: the characters it draws and its bytes."""

    name: str
    """Which piece: `latin`, `cyrillic`, `block-0600` (the block of 128 code points from U+0600)..."""
    codes: tuple[int, ...]
    """The code points it draws, sorted."""
    woff2: bytes
    """The font file."""


def pieces(font: Path, text: str) -> list[Piece]:
    """The pieces of a font file that draw the characters of `text`, each kept in the build cache."""
    data, digest = _read(font, font.stat().st_mtime_ns)
    wanted = _wanted(digest, data, frozenset(map(ord, text)))
    return [_piece(font, name, codes, data, digest) for name, codes in wanted]


SHIPPED = "web"
"""The folder beside a layout's font files that may hold their pieces, made by `python3 tools/webfonts.py`."""


def shipped_name(font: Path, name: str, codes: tuple[int, ...]) -> str:
    """The file name of a piece shipped beside its font: the font, the piece, and a digest of what made it."""
    return _shipped(font.stem, name, _key(_read(font, font.stat().st_mtime_ns)[1], codes))


def _shipped(stem: str, name: str, key: str) -> str:
    return f"{stem}.{name}.{key[:16]}.woff2"


def named_pieces(font: Path) -> list[tuple[str, tuple[int, ...]]]:
    """The named pieces of a font file (Latin, Cyrillic...): what a layout ships, so that builds need not cut them."""
    data, digest = _read(font, font.stat().st_mtime_ns)
    every = _wanted(digest, data, _cmap(digest, data))
    return [(name, codes) for name, codes in every if not name.startswith("block-")]


def subset(font: Path, text: str) -> bytes | None:
    """A WOFF2 subset of a font file drawing `text` (one piece: the first), or None when it draws none of it."""
    found = pieces(font, text)
    return found[0].woff2 if found else None


def _wanted(digest: str, data: bytes, text: frozenset[int]) -> list[tuple[str, tuple[int, ...]]]:
    """The pieces of a font the characters fall in, and the code points of each that the font draws."""
    cmap = _cmap(digest, data)
    used = text & cmap
    found = [(name, tuple(sorted(codes & cmap))) for name, codes in _PIECE_CODES if used & codes]
    for block in sorted({c // _BLOCK for c in used - _NAMED}):
        codes = {c for c in cmap - _NAMED if c // _BLOCK == block}
        found.append((f"block-{block * _BLOCK:04X}", tuple(sorted(codes))))
    return found


def _key(digest: str, codes: tuple[int, ...]) -> str:
    return cache.key("woff2 piece", _version(), digest, ",".join(map(str, codes)))


def _piece(font: Path, name: str, codes: tuple[int, ...], data: bytes, digest: str) -> Piece:
    # A piece the layout ships is named after the font's bytes, the code points and the subsetter's version:
    # another font file or another fontTools never finds it, and it is made again, as any other.
    key = _key(digest, codes)
    shipped = font.parent / SHIPPED / _shipped(font.stem, name, key)
    woff2 = shipped.read_bytes() if shipped.is_file() else cache.get(key, "woff2")
    if woff2 is None:
        woff2 = make_piece(data, codes)
        cache.put(key, "woff2", woff2)
    return Piece(name, codes, woff2)


@lru_cache(maxsize=1)
def _version() -> str:
    from importlib.metadata import version

    return f"fonttools {version('fonttools')}, brotli {version('brotli')}"


@lru_cache(maxsize=16)
def _read(font: Path, _mtime: int) -> tuple[bytes, str]:
    data = font.read_bytes()
    return data, hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=16)
def _cmap(_digest: str, data: bytes) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(data), lazy=True, fontNumber=0) as opened:
        return frozenset(opened.getBestCmap() or {})


def make_piece(data: bytes, unicodes: Iterable[int]) -> bytes:
    """A font cut down to some characters (with the glyphs its ligatures and marks need), as WOFF2."""
    from fontTools import subset as subsetter
    from fontTools.ttLib import TTFont

    options = subsetter.Options()
    options.hinting = False  # browsers draw outlines well without TrueType instructions, at half the size
    options.notdef_outline = True
    font = TTFont(io.BytesIO(data), recalcTimestamp=False, fontNumber=0)  # the same bytes at every build
    worker = subsetter.Subsetter(options)
    worker.populate(unicodes=list(unicodes))
    worker.subset(font)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def unicode_range(codes: Iterable[int]) -> str:
    """The `unicode-range` of sorted code points, as compact ranges (`U+20-7E, U+A0`)."""
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in ranges)


def face_rules(brand: Brand, text: str, url: Callable[[FontFile, Piece], str]) -> str:
    """`@font-face` rules for the pieces of the brand's font files that draw `text`, each at the URL `url` gives."""
    rules = []
    for face in brand.font_files:
        for piece in pieces(face.path, text):
            rules.append(
                "@font-face {\n"
                f'  font-family: "{_css_escape(face.family)}";\n'
                f'  src: url("{url(face, piece)}") format("woff2");\n'
                f"  font-weight: {face.weight};\n"
                f"  font-style: {face.style};\n"
                "  font-display: swap;\n"
                f"  unicode-range: {unicode_range(piece.codes)};\n"
                "}\n"
            )
    return "".join(rules)


def embedded_css(brand: Brand, text: str) -> str:
    """`@font-face` rules carrying the subsets as `data:` URLs, for a page that stands alone."""
    return face_rules(
        brand, text, lambda _face, piece: "data:font/woff2;base64," + base64.b64encode(piece.woff2).decode()
    )


def file_name(face: FontFile, piece: Piece) -> str:
    """A piece's file name: the font file's, the piece's, a hash of its content (`Lato-Bold.latin.3f2a9c1e0b.woff2`)."""
    return f"{face.path.stem}.{piece.name}.{hashlib.sha256(piece.woff2).hexdigest()[:10]}.woff2"


def site_fonts(brand: Brand, text: str, prefix: str = "") -> tuple[str, dict[str, bytes]]:
    """The `@font-face` rules and files of the subsets of `text`, for pages sharing them.

    Each rule's URL is `prefix` followed by the file's name, which holds a hash of its content (so that a
    web server may let browsers keep it for ever); the dictionary maps each name to the file's bytes.
    """
    files: dict[str, bytes] = {}

    def url(face: FontFile, piece: Piece) -> str:
        name = file_name(face, piece)
        files[name] = piece.woff2
        return prefix + name

    return face_rules(brand, text, url), files


def _css_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
