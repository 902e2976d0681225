"""Hostile text stays text in every output: no header injected, no control character, no hidden link, no metadata.

Each attack is a statement of its own built with the real `doit`, or, for the last lines of defence behind
the statement's check, a checked statement whose fields are changed afterwards and rendered in this process.
"""

from __future__ import annotations

import base64
import dataclasses
import email
import email.policy
import html as htmllib
import io
import re
import zipfile
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest
from docx import Document
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from presskit.errors import InputError
from presskit.formats import docx, html, mail
from presskit.prepare import media, prepared
from presskit.read import statement
from presskit.read.brand import Brand
from tests import doit_output
from tests.conftest import SEED_SLUG, Project, make_project
from tests.translator import translate

SMUGGLED = "=?utf-8?b?UXVhcnRlcmx5IHN0YXRlbWVudA0KQmNjOiBzcHlAZXZpbC5leGFtcGxl?="
"""Decodes to 'Quarterly statement', a line break and 'Bcc: spy@evil.example'."""
ENCODED_WORD = (
    "holds '=?...?=', which mail programs read as an encoded word and replace by other text; "
    "write the text itself, without '=?' and '?='"
)
MAIL_HEADERS = ["Subject", "From", "Reply-To", "Date", "Message-ID", "X-Unsent", "MIME-Version", "Content-Type",
                "Content-Language"]  # fmt: skip


def control(code: int) -> str:
    """The message refusing a control character."""
    return (
        f"holds the invisible control character U+{code:04X}, which Word and mail programs refuse; "
        "delete it (retype the text around it if your editor does not show it)"
    )


def statement_text(front: str, body: str = "The body of the statement.\n") -> str:
    """A statement with the given extra front matter lines."""
    return f"---\ndate: 2018-11-23\n{front}---\n\n{body}"


def header_names(path: Path) -> list[str]:
    """The top-level header names of an .eml, as a mail program reads them."""
    return [key for key, _ in email.message_from_bytes(path.read_bytes(), policy=email.policy.default).items()]


# --- e-mail headers are checked after decoding ----------------------------------------------------------------


def test_an_encoded_word_never_becomes_a_header(project: Project) -> None:
    project.write(
        "sources/title.md",
        statement_text(f"title: '{SMUGGLED}'\ncontact:\n  name: Desk\n  email: desk@example.org\n"),
    )
    project.write(
        "sources/contact.md",
        statement_text(f"title: Quarterly statement\ncontact:\n  name: '{SMUGGLED}'\n  email: desk@example.org\n"),
    )
    run = project.doit("eml")
    failed = doit_output.failures(run.output)
    assert failed["txt:title"] == f"sources/title.md:3: title: {ENCODED_WORD}"
    assert failed["txt:contact"] == f"sources/contact.md:5: contact.name: {ENCODED_WORD}"
    assert {"eml:title", "eml:contact"} <= doit_output.skipped(run.output)
    assert not project.output("title", ".eml").exists() and not project.output("contact", ".eml").exists()
    assert header_names(project.output(SEED_SLUG, ".eml")) == MAIL_HEADERS


def test_an_encoded_word_in_a_translated_title_never_becomes_a_header(project: Project) -> None:
    run = project.doit(f"docx:{SEED_SLUG}")
    assert run.returncode == 0, run.output
    exported = project.output(SEED_SLUG, ".docx")
    title = next(p.text for p in Document(str(exported)).paragraphs if p.style and p.style.name == "Title")
    inbox = project.root / "translations" / "inbox"
    inbox.mkdir(parents=True)
    assert translate(exported, inbox / f"{SEED_SLUG}.fr.docx", {title: SMUGGLED}, "fr") == []
    run = project.doit("import")
    assert run.returncode == 0, run.output
    source = project.root / "sources" / f"{SEED_SLUG}.fr.md"
    lines = source.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("title:") and SMUGGLED in text)
    run = project.doit(f"eml:{SEED_SLUG}.fr")
    assert doit_output.failures(run.output)[f"txt:{SEED_SLUG}.fr"] == (
        f"sources/{SEED_SLUG}.fr.md:{line}: title: {ENCODED_WORD}"
    )
    assert f"eml:{SEED_SLUG}.fr" in doit_output.skipped(run.output)
    assert not project.output(f"{SEED_SLUG}.fr", ".eml").exists()


def checked(project: Project, name: str = SEED_SLUG) -> tuple[statement.Statement, Brand]:
    """A statement of the project, loaded and checked as a build does."""
    root = project.root
    path = next((root / "sources").glob(f"*{name}.md"))
    return statement.load(path, root, root / "sources", root / "layouts")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", SMUGGLED, ENCODED_WORD),
        ("title", "=?utf-8?q?Quarterly?= statement", ENCODED_WORD),
        ("title", "Quarterly\x1bstatement", control(0x1B)),
        ("contact.name", "=?iso-8859-1?q?Desk=0D=0ABcc:_spy@evil.example?=", ENCODED_WORD),
        ("contact.name", "Desk\x85Bcc: spy@evil.example", control(0x85)),
    ],
)
def test_the_e_mail_refuses_a_header_value_that_decodes_to_more(
    project: Project, tmp_path: Path, field: str, value: str, message: str
) -> None:
    st, brand = checked(project)
    if field == "title":
        st = dataclasses.replace(st, title=value)
    else:
        st = dataclasses.replace(st, contact=dataclasses.replace(st.contact, name=value, email="desk@example.org"))
    wire, pdf = tmp_path / "wire.txt", tmp_path / "x.pdf"
    wire.write_text("Wire copy.\n", encoding="utf-8")
    pdf.write_bytes(b"%PDF-1.7\n")
    with pytest.raises(InputError) as refused:
        mail.render(prepared.of(st, brand), wire, pdf)
    assert str(refused.value) == f"{st.display}: {field}: {message}"


# --- control characters --------------------------------------------------------------------------------------

CONTROL_FIELDS = {
    "title": ('title: "Quarterly\\astatement"\n', 3, "title", 0x07),
    "summary": ('title: T\nsummary: "A \\e summary"\n', 4, "summary", 0x1B),
    "dateline": ('title: T\ndateline: "Brus\\x7fsels"\n', 4, "dateline", 0x7F),
    "tags": ('title: T\ntags: [press, "free\\x9bdom"]\n', 4, "tags", 0x9B),
    "contact": ('title: T\ncontact:\n  name: "Desk\\x00"\n  email: desk@example.org\n', 5, "contact.name", 0x00),
    "phone": (
        'title: T\ncontact:\n  name: Desk\n  email: d@example.org\n  phone: "+32\\x08"\n',
        7,
        "contact.phone",
        0x08,
    ),
}


def test_a_control_character_in_a_field_is_refused(project: Project) -> None:
    for name, (front, _, _, _) in CONTROL_FIELDS.items():
        project.write(f"sources/{name}.md", statement_text(front))
    project.write("sources/body.md", statement_text("title: T\n", "First line.\n\nA bell\a rings.\n"))
    run = project.doit("txt")
    failed = doit_output.failures(run.output)
    for name, (_, line, field, code) in CONTROL_FIELDS.items():
        assert failed[f"txt:{name}"] == f"sources/{name}.md:{line}: {field}: {control(code)}"
    assert failed["txt:body"] == f"sources/body.md:8: body: {control(0x07)}"
    assert project.output(SEED_SLUG, ".txt").is_file()
    assert not any(project.output(name, ".txt").exists() for name in (*CONTROL_FIELDS, "body"))


def test_a_control_character_past_the_check_never_reaches_the_docx(project: Project, tmp_path: Path) -> None:
    st, brand = checked(project)
    st = dataclasses.replace(st, title="Quarterly\x07statement", summary="A\x01summary", tags=("bell\x0b",),
                             body=st.body + "\nA bell\x07 in the body.\n")  # fmt: skip
    reference, target = tmp_path / "reference.docx", tmp_path / "out.docx"
    docx.reference(brand, reference)
    docx.render(prepared.of(st, brand), reference, target)
    with zipfile.ZipFile(target) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name))  # raises on an invalid character
        core = etree.fromstring(archive.read("docProps/core.xml"))
    assert core.findtext("{http://purl.org/dc/elements/1.1/}title") == "Quarterlystatement"
    assert "A bell in the body." in [p.text for p in Document(str(target)).paragraphs]


# --- the link sanitizer normalises before it decides ---------------------------------------------------------

REFUSED_SCHEMES = ("javascript", "data", "file", "vbscript")
TARGETS = {
    "javascript": "javascript:alert(1)",
    "data": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file": "file:///etc/passwd",
    "vbscript": "vbscript:msgbox(1)",
}
CONTROLS = [*range(0x20), 0x7F]
ALLOWED = {"http", "https", "mailto", "tel"}


def hidden(scheme: str, inserted: str, case: int) -> str:
    """A refused link target with `inserted` in the middle of its scheme, in one of several letter cases."""
    target = TARGETS[scheme]
    target = target.upper()[: len(scheme)] + target[len(scheme) :] if case % 2 else target
    return target[:2] + inserted + target[2:]


def scheme_of(url: str) -> str | None:
    """A URL's scheme read as leniently as any browser or PDF reader could: references decoded, controls gone."""
    cleaned = re.sub(r"[\x00-\x20\x7f\ufffd]", "", unquote(htmllib.unescape(url))).lower()
    found = re.match(r"([a-z][a-z0-9+.-]*):", cleaned)
    return found.group(1) if found else None


def attack_links(raw: bool) -> list[str]:
    """Every refused scheme with every ASCII control character inside, as a character reference (and raw)."""
    links = []
    for scheme in REFUSED_SCHEMES:
        for i, code in enumerate(CONTROLS):
            links.append(hidden(scheme, f"&#{code};", i))
            links.append(hidden(scheme, f"&#x{code:X};", i + 1))
            if raw:
                links.append(hidden(scheme, chr(code), i))
    return links


PIXEL = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()


@pytest.mark.parametrize("images", [frozenset(), frozenset({PIXEL})], ids=["no image", "an image"])
def test_the_sanitizer_refuses_every_hidden_scheme(images: frozenset[str]) -> None:
    fragment = "".join(
        f'<p><a href="{htmllib.escape(link, quote=True).replace("&amp;#", "&#")}">x</a>'
        f'<q cite="{link}">q</q><img src="{link}" alt="i"></p>'
        for link in attack_links(raw=True)
    )
    tree = lxml.html.fragment_fromstring(html.sanitize(fragment + f'<img src="{PIXEL}" alt="p">', images), "div")
    urls = [value for element in tree.iter() for key, value in element.attrib.items() if key in ("href", "src", "cite")]
    assert len(tree.findall(".//a")) == len(attack_links(raw=True))
    assert [u for u in urls if scheme_of(u) not in (None, *ALLOWED) and u not in images] == []


LINK_BODY = (
    "Hidden links:\n\n"
    + "\n\n".join(
        f'<a href="{link}">raw {i}</a> and [markdown {i}]({link.replace(" ", "%20")})'
        for i, link in enumerate(
            [*attack_links(raw=False), *(hidden(s, c, 0) for s in REFUSED_SCHEMES for c in "\t\r")]
        )
    )
    + "\n\nA [real link](https://example.org/).\n"
)


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """Two statements holding every hidden link, one with an image and one without, built as page, PDF and DOCX."""
    proj = make_project(tmp_path_factory.mktemp("links") / "project", seed=False)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 200)).save(buffer, "PNG")
    (proj.root / "sources" / "pixel.png").write_bytes(buffer.getvalue())
    proj.write("sources/plain.md", statement_text("title: Links\n", LINK_BODY))
    proj.write("sources/pictured.md", statement_text("title: Links\n", "![A pixel](pixel.png)\n\n" + LINK_BODY))
    for fmt in ("html", "pdf", "docx"):
        run = proj.doit(f"{fmt}:plain", f"{fmt}:pictured")
        assert run.returncode == 0, run.output
    return proj


@pytest.mark.parametrize("stem", ["plain", "pictured"])
def test_no_hidden_link_is_clickable_in_any_output(linked: Project, stem: str) -> None:
    page = lxml.html.fromstring(linked.output(stem, ".html").read_bytes())
    hrefs = [a.get("href") for a in page.iter("a") if a.get("href") is not None]
    assert [h for h in hrefs if scheme_of(h) not in (None, *ALLOWED)] == []
    assert "https://example.org/" in hrefs
    assert (stem == "pictured") == any(img.get("src", "").startswith("data:image/png") for img in page.iter("img"))

    uris = []
    for pdf_page in PdfReader(linked.output(stem, ".pdf")).pages:
        for annotation in pdf_page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    assert "https://example.org/" in uris
    assert [u for u in uris if scheme_of(u) not in ALLOWED] == []

    with zipfile.ZipFile(linked.output(stem, ".docx")) as archive:
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
    targets = [r.get("Target") for r in rels if r.get("TargetMode") == "External"]
    assert "https://example.org/" in targets
    assert [t for t in targets if scheme_of(t) not in ALLOWED] == []


# --- photo metadata is stripped ---------------------------------------------------------------------------------

SERIAL = "SN-4242-SECRET"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><Creator>Anonymous Source</Creator></rdf:RDF></x:xmpmeta>'
IPTC = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0c\x1c\x02\x50\x00\x08Informer"


def tagged_jpeg() -> bytes:
    """A 40×20 JPEG, red left and blue right, shown turned a quarter clockwise; with GPS, a serial, XMP and IPTC."""
    image = Image.new("RGB", (40, 20), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° clockwise to show
    exif[0x010F] = "Camera Maker"
    exif.get_ifd(0x8769)[0xA431] = SERIAL  # body serial number
    exif.get_ifd(0x8825).update({1: "N", 2: (50.0, 51.0, 0.0), 3: "E", 4: (4.0, 21.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, xmp=XMP, quality=95)
    data = buffer.getvalue()
    segment = b"\xff\xed" + (len(IPTC) + 2).to_bytes(2, "big") + IPTC
    return data[:2] + segment + data[2:]


def tagged_png() -> bytes:
    """A PNG carrying text chunks and EXIF."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Anonymous Source")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    exif = Image.Exif()
    exif[0x010F] = SERIAL
    buffer = io.BytesIO()
    Image.new("RGB", (12, 12), (0, 160, 0)).save(buffer, "PNG", pnginfo=info, exif=exif)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def photographed(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A statement with a tagged JPEG and PNG, built in every format."""
    proj = make_project(tmp_path_factory.mktemp("photos") / "project", seed=False)
    (proj.root / "sources" / "photo.jpg").write_bytes(tagged_jpeg())
    (proj.root / "sources" / "chart.png").write_bytes(tagged_png())
    body = "![Delegates in Tunis](photo.jpg)\n\nBetween the pictures.\n\n![A green square](chart.png)\n"
    proj.write("sources/photo.md", statement_text("title: Photos\n", body))
    run = proj.doit()
    assert run.returncode == 0, run.output
    return proj


def _pdf_images(path: Path) -> list[tuple[int, int, bytes]]:
    found = []
    for page in PdfReader(path).pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                found.append((int(obj["/Width"]), int(obj["/Height"]), obj.get_data()))
    return found


def embedded(proj: Project) -> dict[str, list[bytes]]:
    """The image files each output carries, by format."""
    page = lxml.html.fromstring(proj.output("photo", ".html").read_bytes())
    sources = [img.get("src", "") for img in page.iter("img")]
    with zipfile.ZipFile(proj.output("photo", ".docx")) as archive:
        media_files = [archive.read(n) for n in sorted(archive.namelist()) if n.startswith("word/media/")]
    message = email.message_from_bytes(proj.output("photo", ".eml").read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    parts = [p.get_content() for p in message.walk() if p.get_content_maintype() == "image"]
    return {
        "html": [base64.b64decode(s.partition(",")[2]) for s in sources if s.startswith("data:image/")],
        "docx": media_files,
        "eml": parts,
    }


def test_photos_lose_their_metadata_and_stand_upright_in_every_output(photographed: Project) -> None:
    found = embedded(photographed)
    for fmt, files in found.items():
        jpegs = [f for f in files if f.startswith(b"\xff\xd8")]
        pngs = [f for f in files if f.startswith(b"\x89PNG") and Image.open(io.BytesIO(f)).size == (12, 12)]
        assert len(jpegs) == 1 and len(pngs) == 1, f"{fmt}: {len(jpegs)} JPEG, {len(pngs)} PNG"
        for data in (*jpegs, *pngs):
            with Image.open(io.BytesIO(data)) as image:
                assert len(image.getexif()) == 0, fmt
                assert not {"xmp", "exif", "photoshop", "Author", "XML:com.adobe.xmp"} & set(image.info), fmt
            for secret in (b"Exif\x00", b"xmpmeta", b"Photoshop 3.0", b"8BIM", SERIAL.encode(), b"Anonymous"):
                assert secret not in data, f"{fmt} still holds {secret!r}"
        with Image.open(io.BytesIO(jpegs[0])) as photo:
            assert photo.size == (20, 40), fmt
            rgb = photo.convert("RGB")
            assert rgb.getpixel((10, 5))[0] > 200 and rgb.getpixel((10, 35))[2] > 200, fmt  # red on top
    pdf = _pdf_images(photographed.output("photo", ".pdf"))
    assert (20, 40) in [(w, h) for w, h, _ in pdf]
    for _, _, data in pdf:
        for secret in (b"Exif\x00", b"xmpmeta", b"Photoshop 3.0", SERIAL.encode(), b"Anonymous"):
            assert secret not in data


def test_a_stripped_photo_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(tagged_jpeg())
    first = media.published(media.Picture(path, "image/jpeg"))
    media._without_metadata.cache_clear()
    assert media.published(media.Picture(path, "image/jpeg")) == first
