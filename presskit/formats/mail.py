"""The press e-mail: a draft `.eml` holding the wire copy, an e-mail-safe page and the PDF."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import struct
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlparse

from markupsafe import Markup

from presskit import cache, characters, language, output
from presskit.errors import InputError, Problem, fail
from presskit.formats import html, logo, templates
from presskit.prepare import bidi, media
from presskit.prepare.prepared import Prepared
from presskit.read.brand import Brand
from presskit.read.statement import Statement

LOGO_CID = "logo@presskit"
"""Content-ID of the inline logo image."""
LOGO_HEIGHT = 48
"""Height of the logo in the message, in CSS pixels (the PNG has twice as many, for sharp screens)."""
MAX_WIDTH = 600
"""Width of the message's single column, in pixels."""
CONTENT_WIDTH = MAX_WIDTH - 48
"""Widest image in the column, inside its padding."""


RLM = "\u200f"
"""The right-to-left mark: a strong right-to-left character that shows nothing."""


def subject(statement: Statement, words: dict[str, str], brand: Brand | None = None) -> str:
    """The title, prefixed `EMBARGOED until ...:` under embargo, and `CORRECTED: ` or `UPDATED: ` after a change;
    right to left in a right-to-left statement, whatever the mail program's own direction."""
    title = statement.title
    if statement.embargo is not None:
        title = f"{words['embargo_subject']} {language.embargo_time(statement.embargo, statement.lang)}: {title}"
    word = templates.correction_word(statement, brand, words) if brand is not None else None
    text = f"{templates.punctuate(f'{word}: ', statement.lang)}{title}" if word else title
    if not bidi.is_rtl(statement.lang):
        return text
    # Mail programs lay a subject out on its own, some from its first letter, some always left to right: the mark
    # makes the first letter right-to-left, the isolate keeps the order inside where the line is left to right
    # anyway, and what is written left to right inside (a name, a time) is isolated as in the body.
    return f"{RLM}{bidi.RLI}{bidi.plain(text, statement.lang)}{bidi.PDI}"


def domain(brand: Brand) -> str:
    """The brand's internet domain: its web site's, else its press address's."""
    host = urlparse(brand.site_url).hostname if brand.site_url else None
    if host:
        return host.removeprefix("www.")
    return brand.contact.email.rpartition("@")[2]


def message_id(statement: Statement, brand: Brand) -> str:
    """A Message-ID that stays the same from build to build of the same statement."""
    return f"<{statement.stem}@{domain(brand)}>"


def check_headers(statement: Statement, brand: Brand) -> None:
    """Refuse header values that could become more than their text: line breaks, control characters, encoded words.

    Each value is checked as written and as a mail program reads it, after RFC 2047 decoding.
    """
    values = {
        (statement.display, "title"): statement.title,
        (statement.display, "contact.name"): statement.contact.name,
        (statement.display, "contact.email"): statement.contact.email,
        (str(brand.path), "meta.name.full"): brand.organisation,
        (str(brand.path), "defaults.presskit.contact.email"): brand.contact.email,
        (str(brand.path), "defaults.presskit.wire.corrected"): brand.wire.corrected or "",
        (str(brand.path), "defaults.presskit.wire.updated"): brand.wire.updated or "",
    }
    problems = [
        Problem(path, None, field, message)
        for (path, field), value in values.items()
        if (message := header_problem(value))
    ]
    if problems:
        raise InputError(problems)


def header_problem(value: str) -> str | None:
    """Why a text may not be an e-mail header value, as written or once decoded; None when it may."""
    for text in (value, None, _decoded(value)):
        if text is None:  # what a mail program would decode into anything is refused before it is decoded
            if found := characters.encoded_word_problem(value):
                return found
            continue
        if found := characters.control_problem(text):
            return found
        if len(text.splitlines()) > 1 or "\r" in text or "\n" in text:
            return "must be on one line; remove the line break"
    return None


def _decoded(value: str) -> str:
    """A header value as a mail program shows it, encoded words decoded."""
    from email.header import decode_header, make_header

    try:
        return str(make_header(decode_header(value)))
    except (LookupError, UnicodeError, ValueError):  # an unknown charset or broken encoding
        return value


def logo_png(brand: Brand) -> bytes:
    """The brand's SVG logo as a PNG, since many mail programs do not show SVG (kept in the cache)."""
    data, display = logo.svg(brand), str(brand.path)
    name = cache.key("logo.png", data, str(LOGO_HEIGHT))
    png = cache.get(name, "png")
    if png is None:
        png = media.svg_to_png(data, height=2 * LOGO_HEIGHT, display=display, field="logo")
        cache.put(name, "png", png)
    return png


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG image, from its header."""
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


@dataclass(frozen=True)
class Inline:
    """An image the HTML part shows, carried in the message and named by a `cid:` URL."""

    cid: str
    """Content-ID, without angle brackets."""
    png: bytes
    """The image, as PNG (SVG is converted) or as it came."""
    subtype: str
    """MIME subtype: `png`, `jpeg`, `gif` or `webp`."""


def email_html(prepared: Prepared, logo: bytes) -> tuple[str, list[Inline]]:
    """The e-mail-safe page and the images it shows: one column, CSS inlined, images as `cid:` parts."""
    import css_inline
    import lxml.html

    brand = prepared.brand
    width, height = png_size(logo)
    context = html.context(prepared)
    body, images = _offline(str(context["body"]))
    page = templates.render(
        brand,
        "email.html",
        **{**context, "body": Markup(body)},
        logo_src=f"cid:{LOGO_CID}",
        logo_width=round(width * LOGO_HEIGHT / height),
        logo_height=LOGO_HEIGHT,
        max_width=MAX_WIDTH,
    )
    inlined = css_inline.inline(page, load_remote_stylesheets=False, keep_style_tags=False, keep_link_tags=False)
    tree = lxml.html.document_fromstring(inlined)
    return "<!DOCTYPE html>\n" + lxml.html.tostring(tree, encoding="unicode"), images


_RASTER = {"image/png": "png", "image/jpeg": "jpeg", "image/gif": "gif", "image/webp": "webp"}


def _offline(fragment: str) -> tuple[str, list[Inline]]:
    """A body fragment with nothing a mail program would fetch or refuse.

    Images embedded as `data:` URIs (which many mail programs do not show) become parts of the
    message named by `cid:` URLs, SVG converted to PNG; any other image becomes its description.
    """
    import lxml.html

    if not fragment.strip():
        return fragment, []
    holder = lxml.html.fragment_fromstring(fragment, create_parent="div")
    images: list[Inline] = []
    for img in holder.xpath(".//img"):
        picture = _decode(img.get("src") or "")
        if picture is None:
            alt = img.get("alt") or ""
            span = lxml.html.Element("span")
            span.text = f"[{alt}]" if alt else ""
            span.tail = img.tail
            img.getparent().replace(img, span)
            continue
        data, subtype, density = picture
        cid = f"image{len(images) + 1}.{hashlib.sha256(data).hexdigest()[:12]}@presskit"
        images.append(Inline(cid, data, subtype))
        img.set("src", f"cid:{cid}")
        if subtype == "png":  # a width for the mail programs that ignore CSS
            img.set("width", str(min(png_size(data)[0] // density, CONTENT_WIDTH)))
        img.attrib.pop("height", None)
        img.set("style", "max-width: 100%; height: auto; border: 0;")
    text = holder.text or ""
    return text + "".join(lxml.html.tostring(child, encoding="unicode") for child in holder), images


def _decode(src: str) -> tuple[bytes, str, int] | None:
    """Bytes, MIME subtype and pixels per CSS pixel of a `data:` URI image (SVG becomes PNG); else None."""
    head, comma, payload = src.partition(",")
    if not head.startswith("data:") or not head.endswith(";base64") or not comma:
        return None
    kind = head[5:].split(";")[0].lower()
    try:
        data = base64.b64decode(payload, validate=True)
    except ValueError:
        return None
    if kind in _RASTER:
        return data, _RASTER[kind], 1
    if kind == "image/svg+xml":
        return media.svg_to_png(data, scale=2), "png", 2  # twice the pixels, for sharp screens
    return None


def render(prepared: Prepared, wire: Path, pdf: Path) -> bytes:
    """The whole message, as the bytes of an `.eml` file."""
    statement, brand = prepared.statement, prepared.brand
    check_headers(statement, brand)
    logo_image = logo_png(brand)
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = subject(statement, prepared.words, brand)
    msg["From"] = Address(display_name=brand.organisation, addr_spec=brand.contact.email)
    if statement.contact.email != brand.contact.email:
        msg["Reply-To"] = Address(display_name=statement.contact.name, addr_spec=statement.contact.email)
    msg["Date"] = format_datetime(dt.datetime.combine(statement.date, dt.time(0, 0), tzinfo=dt.UTC))
    msg["Message-ID"] = message_id(statement, brand)
    msg["X-Unsent"] = "1"  # opens as a draft to send, in the mail programs that read it
    msg.set_content(wire.read_text(encoding="utf-8"), subtype="plain", charset="utf-8", cte="base64")
    page_html, images = email_html(prepared, logo_image)
    msg.add_alternative(page_html, subtype="html", charset="utf-8", cte="base64")
    page = next(part for part in msg.walk() if part.get_content_type() == "text/html")
    assert isinstance(page, EmailMessage)
    page.add_related(logo_image, "image", "png", cid=f"<{LOGO_CID}>", filename="logo.png", disposition="inline")
    for image in images:
        name = f"{image.cid.split('@')[0]}.{image.subtype}"
        page.add_related(image.png, "image", image.subtype, cid=f"<{image.cid}>", filename=name, disposition="inline")
    msg.add_attachment(pdf.read_bytes(), "application", "pdf", filename=pdf.name)
    msg["Content-Language"] = statement.lang  # after the content, whose setting clears every Content-* header
    _stable_boundaries(msg)
    _check_final_headers(msg, statement.display)
    data = msg.as_bytes()
    _check_header_names(data, [key for key, _ in msg.items()], statement.display)
    return data


def _check_final_headers(msg: EmailMessage, display: str) -> None:
    """Refuse a message any of whose headers, as written, could be read as more than its text.

    The values come from the statement, its brand and its labels, each checked where it is read; this
    check of the message as a whole is there for whatever reaches a header by another way.
    """
    problems = [
        Problem(display, None, key, found) for key, value in msg.items() if (found := header_problem(str(value)))
    ]
    if problems:
        raise InputError(problems)


def _check_header_names(data: bytes, expected: list[str], display: str) -> None:
    """Refuse a message whose headers, as a mail program reads them, are not exactly the ones written."""
    import email

    found = [key for key, _ in email.message_from_bytes(data, policy=policy.default).items()]
    if found != expected:
        extra = ", ".join(sorted(set(found) - set(expected))) or "a changed header"
        raise fail(display, f"the e-mail would carry headers nobody wrote ({extra}); check the title and contact")


def _stable_boundaries(msg: EmailMessage) -> None:
    """Boundaries from the content instead of random ones, so the same statement gives the same bytes."""
    digest = hashlib.sha256()
    for key, value in msg.items():
        digest.update(f"{key}: {value}\n".encode())
    for part in msg.walk():
        if not part.is_multipart():
            digest.update(str(part.get_payload()).encode())
    seed = digest.hexdigest()[:24]
    for i, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"=_presskit_{seed}_{i}")  # "=_" never occurs in base64 or quoted-printable text


def build(prepared: Prepared, target: Path) -> None:
    """Write the statement's press e-mail, with its wire copy and PDF, which are built before it."""
    output.write(target, render(prepared, target.with_suffix(".txt"), target.with_suffix(".pdf")))
