"""Images in statements: found only in the statement's folder or its layout, checked, then embedded."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from presskit.errors import WARNING, InputError, Problem
from presskit.prepare import pandoc, tree
from presskit.read.brand import BASE_LAYOUT, Brand
from presskit.read.statement import Statement

Ast = dict[str, Any]

KINDS = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml"}
"""Image files a statement may use, by suffix, with their media type."""
MAX_IMAGE_BYTES = 5_000_000
"""Largest image file accepted; a press photo for the web is well under this."""
MAX_PIXELS = 40_000_000
"""Largest raster image accepted, in pixels; more would only slow the PDF and the DOCX down."""
MAX_SVG_ELEMENTS = 20_000
"""Most elements an SVG may draw once its `<use>` copies are expanded; a detailed map or chart has a few thousand."""
MAX_RASTER_SIDE = 4_000
"""Longest side, in pixels, of an SVG drawn as PNG (DOCX, e-mail); larger drawings are scaled down to it."""
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
"""Link targets that stay links; any other scheme (javascript:, data:, file:) becomes plain text."""
FIELD = "image"

_MAGIC = {"image/png": (b"\x89PNG\r\n\x1a\n",), "image/jpeg": (b"\xff\xd8\xff",), "image/gif": (b"GIF87a", b"GIF89a")}
_NAMES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/svg+xml": "SVG"}
_SVG = "{http://www.w3.org/2000/svg}svg"
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f\ufffd]+")
"""Removed before reading a scheme: control characters, spaces, and U+FFFD, which parsers make of a NUL."""
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_RAW_IMAGE = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
"""An HTML image tag written in the body, as pandoc keeps it (raw HTML)."""
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


@dataclass(frozen=True)
class Picture:
    """An image file a statement uses, checked."""

    path: Path
    """The file, resolved."""
    kind: str
    """Its media type, e.g. `image/png`."""


def folders(statement: Statement, brand: Brand) -> tuple[Path, ...]:
    """Where a statement's images may come from, searched in this order."""
    base = brand.folder.parent / BASE_LAYOUT
    return tuple(dict.fromkeys(p.resolve() for p in (statement.source.parent, brand.folder, base)))


def images(ast: Ast) -> Iterator[dict[str, Any]]:
    """Every Image element of an AST, in document order."""
    return (node for node in tree.nodes(ast) if node.get("t") == "Image")


def pictures(ast: Ast, statement: Statement, brand: Brand) -> dict[str, Picture]:
    """The checked file of every image target of an AST.

    Raises InputError listing every image that is missing, unsafe or without a description.
    """
    from presskit.prepare import pandoc

    problems: list[Problem] = []
    found: dict[str, Picture] = {}
    for node in images(ast):
        target = node["c"][2][0]
        try:
            picture = locate(target, statement, brand)
            if not pandoc.stringify(node["c"][1]).strip():
                raise _problem(
                    statement, target,
                    f"'{_short(target)}' has no description; write what it shows between the brackets, "
                    f"e.g. ![Delegates at the congress in Tunis]({_short(target)}), for readers who cannot see it",
                )  # fmt: skip
        except InputError as exc:
            problems.extend(p for p in exc.problems if p not in problems)
            continue
        found[target] = picture
    if problems:
        raise InputError(problems)
    return found


def raw_images(ast: Ast, statement: Statement, brand: Brand) -> tuple[Ast, list[Problem]]:
    """A copy of the AST in which each HTML `<img>` of a file of the statement's folders is an image as Markdown
    writes one (checked by `pictures`, its description required), and any other shows its description as text.

    Also returns a warning naming the line of each `<img>` that shows no picture: one on the web, outside the
    statement's folder or not found.
    """
    if not any(_is_raw_image(node) for node in tree.nodes(ast)):
        return ast, []
    warnings: list[Problem] = []

    def replaced(node: dict[str, Any]) -> dict[str, Any]:
        if not _is_raw_image(node):
            return node
        found = _tag_attributes(node["c"][1])
        target, alt = found.get("src", "").strip(), found.get("alt", "").strip(" \t\r\n")
        size = [[k, v] for k, v in found.items() if k in ("width", "height") and re.fullmatch(r"\d{1,4}(?:px|%)?", v)]
        if target and _in_folders(target, statement, brand):
            return {"t": "Image", "c": [["", [], size], pandoc.words(alt), [target, found.get("title", "")]]}
        try:
            locate(target, statement, brand)
            reason = f"'{_short(target)}' is not an image presskit can use"
        except InputError as exc:
            reason = exc.problems[0].message
        shown = "its description shows in its place" if alt else "nothing shows in its place (it has no alt text)"
        line = _line(statement, target) if target else statement.body_line
        warnings.append(Problem(statement.display, line, FIELD, f"{reason}; {shown}", WARNING))
        return {"t": "Span", "c": [["", ["image-description"], []], pandoc.words(alt)]}

    return tree.rebuild(ast, node=replaced), warnings


def _is_raw_image(node: dict[str, Any]) -> bool:
    return node.get("t") == "RawInline" and node["c"][0] == "html" and bool(_RAW_IMAGE.fullmatch(node["c"][1]))


def _tag_attributes(tag: str) -> dict[str, str]:
    """The attributes of one HTML tag, names in lower case, character references decoded."""
    from html.parser import HTMLParser

    found: dict[str, str] = {}

    class Reader(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.update((key.lower(), value or "") for key, value in attrs if key.lower() not in found)

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.handle_starttag(tag, attrs)

    reader = Reader(convert_charrefs=True)
    reader.feed(tag)
    reader.close()
    return found


def _in_folders(target: str, statement: Statement, brand: Brand) -> bool:
    """Whether an image target names a file inside one of the statement's image folders."""
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or target.startswith(("/", "\\")):
        return False
    for root in folders(statement, brand):
        try:
            path = (root / unquote(parsed.path)).resolve()
            if path.is_relative_to(root) and path.is_file():
                return True
        except (OSError, ValueError):
            continue
    return False


def embed(ast: Ast, found: dict[str, Picture], *, svg_as_png: bool = False) -> tuple[Ast, frozenset[str]]:
    """A copy of the AST whose images are `data:` URIs of their checked files (`pictures`).

    With `svg_as_png`, SVG images are drawn as PNG first (for the DOCX: LibreOffice and older Word
    show an SVG-only picture as an empty box). Also returns the URLs it wrote, the only image sources
    the HTML sanitizer lets through.
    """
    if not found:
        return ast, frozenset()
    used: set[str] = set()

    def embedded(node: dict[str, Any]) -> dict[str, Any]:
        if node["t"] != "Image":
            return node
        attributes, alt, (target, title) = node["c"]
        picture = found[target]
        if svg_as_png and picture.kind == "image/svg+xml":
            url, width = png_of_svg(picture)
            if not any(key in ("width", "height") for key, _ in attributes[2]):
                attributes = [attributes[0], attributes[1], [*attributes[2], ["width", f"{width}px"]]]
        else:
            url = data_uri(picture)
        used.add(url)
        return {"t": "Image", "c": [attributes, alt, [url, title]]}

    return tree.rebuild(ast, node=embedded), frozenset(used)


def safe_links(ast: Ast) -> Ast:
    """A copy of the AST in which links to anything but the web, e-mail, telephone or the page itself are plain text.

    `javascript:`, `data:`, `file:` and other schemes never become a clickable link in any output.
    """
    if not any(node.get("t") == "Link" and not _safe_url(node["c"][2][0]) for node in tree.nodes(ast)):
        return ast

    def safe(node: dict[str, Any]) -> dict[str, Any]:
        if node["t"] == "Link" and not _safe_url(node["c"][2][0]):
            return {"t": "Span", "c": [node["c"][0], node["c"][1]]}
        return node

    return tree.rebuild(ast, node=safe)


def _safe_url(url: str) -> bool:
    found = scheme(url)
    return found is None or found in LINK_SCHEMES


def scheme(url: str) -> str | None:
    """The scheme of a URL as read by the most lenient reader, lower case; None for a relative URL.

    Browsers drop tabs and line breaks anywhere in a URL and control characters and spaces around it, a
    link may hold HTML character references (`fi&#10;le:`), and pandoc writes a tab in a link as `%20`:
    references and escapes are decoded, then every control character and space (and U+FFFD) is removed.
    """
    cleaned = _IGNORED_IN_URL.sub("", unquote(html.unescape(url))).lower()
    found = _SCHEME.match(cleaned)
    return found.group(1) if found else None


def locate(target: str, statement: Statement, brand: Brand) -> Picture:
    """The checked image file an image target names, or an InputError saying what to do instead."""
    short = _short(target)
    parsed = urlparse(target)
    if parsed.scheme in ("http", "https", "ftp") or target.startswith("//"):
        raise _problem(
            statement, target,
            f"'{short}' is on the web, and nothing is downloaded while building: save the image "
            "into sources/ and write its file name, e.g. ![description](photo.jpg)",
        )  # fmt: skip
    if parsed.scheme or target.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", target):
        raise _problem(
            statement, target,
            f"'{short}' is not a file of the statement: put the image in sources/ next to the statement "
            "and write just its file name, e.g. ![description](photo.jpg)",
        )  # fmt: skip
    relative = unquote(parsed.path)
    roots = folders(statement, brand)
    suffix = Path(relative).suffix.lower()
    for root in roots:
        try:
            path = (root / relative).resolve()
            usable = path.is_file()
        except (OSError, ValueError):  # a name too long for the system, or holding a NUL: no file
            continue
        if not path.is_relative_to(root):
            raise _problem(
                statement, target,
                f"'{short}' is outside the statement's folder; copy the image into sources/ "
                "and write just its file name",
            )  # fmt: skip
        if usable:
            if suffix not in KINDS:
                message = f"'{short}' is not an image presskit can use; use PNG, JPEG, GIF or SVG"
                raise _problem(statement, target, message)
            problem = check(path, KINDS[suffix])
            if problem:
                raise _problem(statement, target, f"'{short}' {problem}")
            return Picture(path, KINDS[suffix])
    project = brand.folder.parent.parent.resolve()
    searched = " or ".join(f"{r.relative_to(project) if r.is_relative_to(project) else r}/" for r in roots)
    raise _problem(statement, target, f"'{short}' was not found in {searched}; check the file name and its folder")


def check(path: Path, kind: str) -> str | None:
    """What is wrong with an image file, or None when it is safe to embed."""
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return (
            f"is {size / 1e6:.1f} MB; an image may be at most {MAX_IMAGE_BYTES / 1e6:.0f} MB: "
            "save a smaller version (2000 pixels wide is plenty)"
        )
    return _check_cached(path, kind, size, path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _check_cached(path: Path, kind: str, _size: int, _mtime: int) -> str | None:
    data = path.read_bytes()
    if kind == "image/svg+xml":
        return svg_problem(data)
    if not data.startswith(_MAGIC[kind]):
        return f"is not a {_NAMES[kind]} image, whatever its name says; save it again as {_NAMES[kind]}"
    import io
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as picture:
                width, height = picture.size
                if width * height > MAX_PIXELS:
                    return f"is {width}×{height} pixels; save a smaller version (2000 pixels wide is plenty)"
                picture.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "has far too many pixels; save a smaller version (2000 pixels wide is plenty)"
    except Exception:  # Pillow raises many kinds of errors for a damaged file
        return f"is damaged or not a complete {_NAMES[kind]} image; export it again"
    return None


def svg_problem(data: bytes) -> str | None:
    """Why an SVG cannot be embedded safely (a script, entities, a reference to another file), or None."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return f"is not a valid SVG file ({exc.msg}); export it again"
    tree = root.getroottree()
    if root.tag != _SVG:
        return "is not an SVG image (its first element is not <svg>); export it again"
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        return "declares a DOCTYPE; export it again without one (a plain SVG needs none)"
    for element in root.iter():
        if not isinstance(element.tag, str):
            if isinstance(element, etree._ProcessingInstruction):
                return f"contains a processing instruction (<?{element.target} ...?>); remove it"
            continue
        name = etree.QName(element).localname
        if name in ("script", "foreignObject", "iframe", "embed", "object"):
            return f"contains a <{name}> element; an image in a statement may hold only drawing, so remove it"
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname
            if local.lower().startswith("on"):
                return f"has an event handler ({local}); remove it, images run no code"
            if local in ("href", "src") and not value.strip().startswith("#"):
                return (
                    f"refers to another file or address ({_short(value)}); an SVG must be self-contained: "
                    "export it with its images and fonts embedded as drawing, or remove the reference"
                )
            if (external := _external_css(value)) is not None:
                return f"refers to another file or address ({_short(external)}) in its styles; remove it"
        css = (element.text or "") if name == "style" else ""
        if (external := _external_css(css)) or (external := _stylesheet_reference(css)):
            return f"refers to another file or address ({_short(external)}) in its styles; remove it"
    for instruction in root.itersiblings(preceding=True):
        if isinstance(instruction, etree._ProcessingInstruction):
            return f"contains a processing instruction (<?{instruction.target} ...?>); remove it"
    return _use_problem(root)


def _external_css(text: str) -> str | None:
    """A reference to another file in CSS text (a style, a presentation attribute), escapes decoded."""
    found = next((url for url in _CSS_URL.findall(text) if not url.startswith("#")), None)
    if found is not None or "\\" not in text:
        return found
    import tinycss2

    return _css_url(tinycss2.parse_component_value_list(text))


def _stylesheet_reference(css: str) -> str | None:
    """An `@import` or a `url()` of a style sheet, read by a CSS parser: `@\\69mport` is an `@import` too."""
    if not css.strip():
        return None
    import tinycss2

    for rule in tinycss2.parse_stylesheet(css):
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            return "@import"
        tokens = [*(getattr(rule, "prelude", None) or []), *(getattr(rule, "content", None) or [])]
        if (found := _css_url(tokens)) is not None:
            return found
    return None


def _css_url(tokens: list[Any]) -> str | None:
    """The first `url(...)` of parsed CSS that points outside the image, looking into blocks and functions."""
    stack = list(reversed(tokens))
    while stack:
        token = stack.pop()
        kind = getattr(token, "type", None)
        if kind == "url" and not token.value.startswith("#"):
            return str(token.value)
        if kind == "function":
            if token.lower_name == "url":
                strings = [t.value for t in token.arguments if t.type == "string"]
                if strings and not strings[0].startswith("#"):
                    return str(strings[0])
            stack.extend(reversed(token.arguments))
        elif kind in ("() block", "[] block", "{} block"):
            stack.extend(reversed(token.content))
        elif kind == "at-keyword" and token.lower_value == "import":
            return "@import"
    return None


def _use_problem(root: Any) -> str | None:
    """What is wrong with the `<use>` references of an SVG: a loop, or too many elements once expanded.

    Each `<use>` draws its target again, so ten nested levels of ten copies draw ten billion shapes
    from a file of a few hundred bytes; the renderers take hours, or recurse without end on a loop.
    """
    from lxml import etree

    by_id = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
    if not any(etree.QName(e).localname == "use" for e in root.iter() if isinstance(e.tag, str)):
        return None
    counts: dict[Any, int] = {}  # elements drawn for an element and all it refers to, capped
    active: set[Any] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        element, done = stack.pop()
        edges = _drawn_by(element, by_id)
        if done:
            active.discard(element)
            counts[element] = min(MAX_SVG_ELEMENTS + 1, 1 + sum(counts[e] for e in edges))
            continue
        if element in counts:
            continue
        active.add(element)
        stack.append((element, True))
        for target in edges:
            if target in active:
                return (
                    f"has a <use> element that refers to itself or to an element containing it (#{target.get('id')}); "
                    "the drawing would never end: export the image again"
                )
            if target not in counts:
                stack.append((target, False))
    if counts[root] > MAX_SVG_ELEMENTS:
        return (
            f"draws more than {MAX_SVG_ELEMENTS:,} shapes once its <use> copies are expanded; "
            "simplify the image or export it again as a PNG"
        )
    return None


def _drawn_by(element: Any, by_id: dict[str, Any]) -> list[Any]:
    """The children of an element and, for a `<use>`, the element it copies."""
    found = [child for child in element if isinstance(child.tag, str)]
    if element.tag.rsplit("}", 1)[-1] == "use":
        href = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "href"), "")
        target = by_id.get(href.strip()[1:]) if href.strip().startswith("#") else None
        if target is not None:
            found.append(target)
    return found


def png_of_svg(picture: Picture) -> tuple[str, int]:
    """An SVG drawn as a PNG `data:` URI at three times its size, and its width in CSS pixels."""
    import io

    from PIL import Image

    scale = 3
    png = svg_to_png(picture.path.read_bytes(), scale=scale, display=str(picture.path))
    with Image.open(io.BytesIO(png)) as image:
        width = max(1, round(image.width / scale))
    return f"data:image/png;base64,{base64.b64encode(png).decode('ascii')}", width


class _TooLarge(Exception):
    def __init__(self, width: float, height: float) -> None:
        super().__init__(width, height)
        self.width, self.height = width, height


class _Fetch(ValueError):
    """An SVG being drawn asked for another file or address."""

    def __init__(self, url: str) -> None:
        super().__init__(f"an image may not load {url}")
        self.url = url


def _refuse(url: str, resource_type: str) -> Any:
    raise _Fetch(url)  # an output carries all it shows


def svg_to_png(
    svg: bytes, *, scale: float = 1, height: int | None = None, display: str = "an SVG image", field: str = FIELD
) -> bytes:
    """An SVG drawn as PNG at a height in pixels or a scale, its longest side at most MAX_RASTER_SIDE pixels.

    The one way presskit draws an SVG (images, logos; DOCX and e-mail): cairosvg's safe mode, and a URL
    fetcher that refuses to load anything, whatever an SVG refers to. An SVG declared 20,000 pixels wide is
    drawn smaller rather than failing: cairo refuses surfaces over 32,767 pixels, and a picture that large
    only weighs down a DOCX or an e-mail. An SVG that refers to another file, or to itself, is an InputError
    naming `display`: checked images never do, this is the last line of defence.
    """
    from cairosvg.surface import PNGSurface

    class Capped(PNGSurface):
        def _create_surface(self, width: float, height: float) -> Any:
            if max(width, height) > MAX_RASTER_SIDE:
                raise _TooLarge(width, height)
            return super()._create_surface(width, height)

    options: dict[str, Any] = {"bytestring": svg, "write_to": None, "unsafe": False, "url_fetcher": _refuse}
    try:
        try:
            png = Capped.convert(output_height=height, scale=scale, **options)
        except _TooLarge as large:
            factor = MAX_RASTER_SIDE / max(large.width, large.height)
            width, height = max(1, int(large.width * factor)), max(1, int(large.height * factor))
            png = Capped.convert(output_width=width, output_height=height, **options)
    except _Fetch as fetch:
        raise InputError([Problem(display, None, field, f"refers to another file or address ({_short(fetch.url)}); "
                                  "an SVG must be self-contained: remove the reference")]) from None  # fmt: skip
    except RecursionError:
        message = "refers to itself (a <use> element copying itself); the drawing would never end: export it again"
        raise InputError([Problem(display, None, field, message)]) from None
    assert isinstance(png, bytes)
    return png


def data_uri(picture: Picture) -> str:
    """The image as a `data:` URI, for self-contained outputs, without its metadata."""
    return f"data:{picture.kind};base64,{base64.b64encode(published(picture)).decode('ascii')}"


def published(picture: Picture) -> bytes:
    """The bytes every output carries: a photo turned upright, without EXIF, XMP, IPTC or text metadata.

    A camera writes where a photo was taken and its serial number into the file; for a journalist's
    source that is a safety matter. The colour profile and resolution stay.
    """
    if picture.kind not in ("image/jpeg", "image/png"):
        return picture.path.read_bytes()
    found = picture.path.stat()
    return _without_metadata(picture.path, picture.kind, found.st_size, found.st_mtime_ns)


@lru_cache(maxsize=16)
def _without_metadata(path: Path, kind: str, _size: int, _mtime: int) -> bytes:
    import io

    from PIL import Image, ImageOps, JpegImagePlugin

    with Image.open(path) as original:
        upright = ImageOps.exif_transpose(original)
        info = original.info
        options: dict[str, Any] = {key: info[key] for key in ("icc_profile", "dpi") if info.get(key)}
        if isinstance(original, JpegImagePlugin.JpegImageFile):
            # the photo's own quantisation tables and subsampling: re-encoding loses next to nothing
            options.update(qtables=original.quantization, subsampling=JpegImagePlugin.get_sampling(original))
            options["progressive"] = bool(info.get("progressive") or info.get("progression"))
        elif "transparency" in info:
            options["transparency"] = info["transparency"]
    upright.info = {}  # Pillow writes some metadata (XMP) from here unless told otherwise
    buffer = io.BytesIO()
    upright.save(buffer, "JPEG" if kind == "image/jpeg" else "PNG", **options)
    return buffer.getvalue()


def _short(target: str) -> str:
    return target if len(target) <= 80 else target[:60] + "…"


def _problem(statement: Statement, target: str, message: str) -> InputError:
    return InputError([Problem(statement.display, _line(statement, target), FIELD, message)])


def _line(statement: Statement, target: str) -> int:
    """The line of the source that names an image target, or where the body starts."""
    for needle in (f"({target}", target, unquote(target)):
        at = statement.body.find(needle)
        if at >= 0:
            return statement.body_line + statement.body[:at].count("\n")
    return statement.body_line
