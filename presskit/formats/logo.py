"""The brand's logo as every format draws it: the lettering of its SVG turned into outlines of the brand's fonts.

An SVG logo with `<text>` in it looks like its design only where the renderer has the font: a browser shows an
SVG image without the page's fonts, and cairosvg (DOCX, e-mail) knows only the installed ones, so each fell back
to a wider font and cut the lettering off at the edge of the box. Drawn as outlines from the brand's own font
files, the logo is the same in the page, the PDF, the DOCX, the e-mail and the share card.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from presskit.formats import webfonts
from presskit.read.brand import Brand, FontFile

_SVG = "{http://www.w3.org/2000/svg}"
_COMPLEX_BIDI = {"R", "AL", "AN", "NSM"}
"""Letters whose shapes depend on their neighbours or on direction: such text is left for the renderer to shape."""
_STYLE = re.compile(r"\s*([a-z-]+)\s*:\s*([^;]+?)\s*(?:;|$)")
_SIZE = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")


def svg(brand: Brand) -> bytes:
    """The brand's logo file, its text drawn as outlines of the brand's fonts where it can be (else as written)."""
    files = tuple((f.path, f.path.stat().st_mtime_ns) for f in brand.font_files)
    return _outlined(brand.logo, brand.logo.stat().st_mtime_ns, brand.font_files, files)


def data_uri(brand: Brand) -> str:
    """The logo as a `data:` URI, for self-contained pages."""
    kind = "image/svg+xml" if brand.logo.suffix.lower() == ".svg" else _raster_kind(brand.logo)
    return f"data:{kind};base64,{base64.b64encode(svg(brand)).decode('ascii')}"


def _raster_kind(path: Path) -> str:
    return {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}.get(path.suffix.lower(), "image/png")


@lru_cache(maxsize=16)
def _outlined(path: Path, _mtime: int, fonts: tuple[FontFile, ...], _files: tuple[Any, ...]) -> bytes:
    data = path.read_bytes()
    if path.suffix.lower() != ".svg" or not fonts:
        return data
    import lxml.etree as etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return data  # the formats that draw it say what is wrong
    changed = False
    for text in list(root.iter(f"{_SVG}text")):
        path_element = _text_as_path(text, fonts)
        if path_element is not None:
            text.getparent().replace(text, path_element)
            changed = True
    if not changed:
        return data
    result: bytes = etree.tostring(root, xml_declaration=False, encoding="utf-8")
    return result + b"\n"


def _inherited(element: Any, name: str) -> str | None:
    """A presentation property of an SVG element, from its style or attribute, or its nearest ancestor's."""
    while element is not None and isinstance(element.tag, str):
        style = dict(_STYLE.findall(element.get("style") or ""))
        if name in style:
            return style[name]
        if element.get(name) is not None:
            return str(element.get(name))
        element = element.getparent()
    return None


def _families(value: str) -> list[str]:
    return [f.strip().strip("'\"").strip() for f in value.split(",")]


def _weight(value: str | None) -> int:
    if value is None or value == "normal":
        return 400
    if value in ("bold", "bolder"):
        return 700
    return int(value) if value.isdigit() else 400


def font_for(fonts: tuple[FontFile, ...], family_list: str, weight: int, style: str) -> FontFile | None:
    """The brand font file a CSS `font-family` list picks first, nearest in weight and style; None if it names none."""
    for family in _families(family_list):
        faces = [f for f in fonts if f.family.casefold() == family.casefold()]
        if faces:
            return min(faces, key=lambda f: (f.style != style, abs(f.weight - weight)))
    return None


@lru_cache(maxsize=16)
def _font(path: Path, _mtime: int) -> Any:
    return webfonts.open_font(path)


def _text_as_path(text: Any, fonts: tuple[FontFile, ...]) -> Any | None:
    """A `<path>` drawing the glyphs of a plain `<text>` element, or None when it is left to the renderer."""
    import lxml.etree as etree

    if len(text) or not text.text:  # <tspan>, <textPath>: positioned by the renderer
        return None
    content = " ".join(text.text.split())  # SVG's default white-space handling
    if not content or any(unicodedata.bidirectional(c) in _COMPLEX_BIDI for c in content):
        return None
    family = _inherited(text, "font-family")
    size = _SIZE.match(_inherited(text, "font-size") or "16")
    if family is None or size is None:
        return None
    style = _inherited(text, "font-style") or "normal"
    face = font_for(fonts, family, _weight(_inherited(text, "font-weight")), "italic" if style != "normal" else style)
    if face is None:
        return None
    d = outline(face.path, content, float(size.group(1)), float(text.get("x", "0")), float(text.get("y", "0")),
                _inherited(text, "text-anchor") or "start")  # fmt: skip
    if d is None:
        return None
    element = etree.Element(f"{_SVG}path", nsmap=None)
    for name, value in text.attrib.items():
        if name not in ("x", "y", "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dx", "dy"):
            element.set(name, value)
    element.set("d", d)
    element.tail = text.tail
    return element


def outline(font_path: Path, content: str, size: float, x: float, y: float, anchor: str = "start") -> str | None:
    """SVG path data drawing `content` at `size` with its baseline at (x, y), kerned; None if a glyph lacks."""
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen

    font = _font(font_path, font_path.stat().st_mtime_ns)
    cmap = font.getBestCmap()
    if any(ord(c) not in cmap for c in content):
        return None
    names = [cmap[ord(c)] for c in content]
    kerning = _kerning(font)
    advances: list[float] = []
    for i, name in enumerate(names):
        advance = font["hmtx"][name][0] + (kerning.get((name, names[i + 1]), 0) if i + 1 < len(names) else 0)
        advances.append(advance)
    scale = size / font["head"].unitsPerEm
    width = sum(advances) * scale
    start = x - {"middle": width / 2, "end": width}.get(anchor, 0)
    glyphs = font.getGlyphSet()
    pen = SVGPathPen(glyphs, ntos=lambda v: f"{v:.2f}".rstrip("0").rstrip("."))
    at = start
    for name, advance in zip(names, advances, strict=True):
        glyphs[name].draw(TransformPen(pen, (scale, 0, 0, -scale, at, y)))
        at += advance * scale
    return pen.getCommands() or None


def _kerning(font: Any) -> dict[tuple[str, str], int]:
    """Pair kerning from the font's `kern` table (format 0), which is what fonts with a GPOS `kern` also ship."""
    if "kern" not in font:
        return {}
    pairs: dict[tuple[str, str], int] = {}
    for table in font["kern"].kernTables:
        pairs.update(getattr(table, "kernTable", {}) or {})
    return pairs
