"""Hostile content stays harmless: no script reaches a reader, nothing is fetched, no user text is a template.

A local HTTP server stands in for the network: every hostile statement points at it, and the test
fails if anything (WeasyPrint, pandoc, a layout) asks it for a single byte during the build.
"""

from __future__ import annotations

import email
import email.policy
import http.server
import io
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from PIL import Image
from pypdf import PdfReader

from presskit.formats import BUILT_BY_DEFAULT
from tests import doit_output
from tests.conftest import SEED_SLUG, Project, Run, make_project
from tests.extract import docx_paragraphs, html_tree, pdf_text, squash

FORMATS = tuple(f.basename for f in BUILT_BY_DEFAULT)
RENDERED = tuple(f.basename for f in BUILT_BY_DEFAULT if not f.reads_outputs)
PORT_MARK = "PORT"

HOSTILE_BODY = """\
Opening paragraph survives.

<script>alert("script")</script>
<iframe src="http://127.0.0.1:PORT/iframe"></iframe>
<style>body { background: url(http://127.0.0.1:PORT/style-bg.png); }</style>
<link rel="stylesheet" href="http://127.0.0.1:PORT/sheet.css">
<object data="http://127.0.0.1:PORT/object"></object>
<embed src="http://127.0.0.1:PORT/embed">
<base href="http://127.0.0.1:PORT/">
<meta http-equiv="refresh" content="0;url=http://127.0.0.1:PORT/refresh">

<p onclick="alert('click')" onmouseover="alert('over')"
   style="background:url(http://127.0.0.1:PORT/inline.png)">Handler paragraph survives.</p>

<img src="http://127.0.0.1:PORT/pixel.png" alt="pixel" onerror="alert('error')">
<img src="file:///etc/passwd" alt="local file">
<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+" alt="data svg">

A [script link](javascript:alert('link')), a [mixed-case one](JaVaScRiPt:alert('case')),
a <a href=" javascript:alert('space')">spaced one</a>,
a [data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
and a [file link](file:///etc/passwd) lose their targets; [a real one](https://example.org/) keeps it.

<svg width="10" height="10"><script>alert("svg")</script><image href="http://127.0.0.1:PORT/svg-image.png"/></svg>
<form action="http://127.0.0.1:PORT/form"><input name="q" value="form field"></form>
<math><mi xlink:href="javascript:alert('math')">x</mi></math>

Closing paragraph survives.
"""
SURVIVING = ["Opening paragraph survives.", "Handler paragraph survives.", "Closing paragraph survives."]

LITERAL_TITLE = "{{ 7*7 }} and <b>bold</b> & {% if true %}x{% endif %}"
LITERAL_FRONT = f"""\
---
title: "{LITERAL_TITLE}"
date: 2018-11-23
dateline: "<i>Brussels</i> {{{{ brand }}}}"
summary: "{{{{ s.contact.email }}}} <script>alert(1)</script>"
contact:
  name: "{{{{ config }}}} <b>Desk</b>"
  email: press@example.org
---

Body with {{{{ 7*7 }}}} and {{% raw %}} written as text: `{{{{ lipsum }}}}`.
"""

# Image attacks: each is a statement of its own, and each must fail with exactly this message.
IMAGE_ATTACKS: dict[str, tuple[str, str]] = {
    "img-file-url": (
        "![The password file](file:///etc/passwd)",
        "'file:///etc/passwd' is not a file of the statement: put the image in sources/ next to the statement "
        "and write just its file name, e.g. ![description](photo.jpg)",
    ),
    "img-escape": (
        "![A secret](../../secret.png)",
        "'../../secret.png' is outside the statement's folder; copy the image into sources/ and write just its "
        "file name",
    ),
    "img-absolute": (
        "![The password file](/etc/passwd)",
        "'/etc/passwd' is not a file of the statement: put the image in sources/ next to the statement "
        "and write just its file name, e.g. ![description](photo.jpg)",
    ),
    "img-http": (
        "![A pixel](http://127.0.0.1:PORT/x.png)",
        "'http://127.0.0.1:PORT/x.png' is on the web, and nothing is downloaded while building: save the image "
        "into sources/ and write its file name, e.g. ![description](photo.jpg)",
    ),
    "img-data": (
        "![Inline](data:image/png;base64,iVBORw0KGgo=)",
        "'data:image/png;base64,iVBORw0KGgo=' is not a file of the statement: put the image in sources/ next to "
        "the statement and write just its file name, e.g. ![description](photo.jpg)",
    ),
    "img-symlink": (
        "![Linked](linked.png)",
        "'linked.png' is outside the statement's folder; copy the image into sources/ and write just its "
        "file name",
    ),
    "img-fake-png": (
        "![Fake](fake.png)",
        "'fake.png' is not a PNG image, whatever its name says; save it again as PNG",
    ),
    "img-svg-external": (
        "![Chart](external.svg)",
        "'external.svg' refers to another file or address (http://127.0.0.1:PORT/x.png); an SVG must be "
        "self-contained: export it with its images and fonts embedded as drawing, or remove the reference",
    ),
    "img-svg-local-file": (
        "![Chart](local-file.svg)",
        "'local-file.svg' refers to another file or address (file:///etc/passwd); an SVG must be "
        "self-contained: export it with its images and fonts embedded as drawing, or remove the reference",
    ),
    "img-svg-css": (
        "![Chart](css.svg)",
        "'css.svg' refers to another file or address (http://127.0.0.1:PORT/font.woff) in its styles; remove it",
    ),
    "img-svg-script": (
        "![Chart](script.svg)",
        "'script.svg' contains a <script> element; an image in a statement may hold only drawing, so remove it",
    ),
    "img-svg-entity": (
        "![Chart](entity.svg)",
        "'entity.svg' declares a DOCTYPE; export it again without one (a plain SVG needs none)",
    ),
}
SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="20">'
SVGS = {
    "external.svg": f'{SVG_OPEN}<image href="http://127.0.0.1:PORT/x.png" width="20" height="20"/></svg>',
    "local-file.svg": f'{SVG_OPEN}<image xlink:href="file:///etc/passwd" width="20" height="20"/></svg>',
    "css.svg": f'{SVG_OPEN}<style>@font-face {{ src: url(http://127.0.0.1:PORT/font.woff); }}</style></svg>',
    "script.svg": f'{SVG_OPEN}<script>alert(1)</script><rect width="20" height="20"/></svg>',
    "entity.svg": '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    f"{SVG_OPEN}<text>&x;</text></svg>",
    "safe.svg": f'{SVG_OPEN}<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>'
    '<rect width="20" height="20" fill="url(#g)"/></svg>',
}


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []  # noqa: RUF012 - shared by the server's handler instances on purpose

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    do_POST = do_HEAD = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def trap() -> Iterator[tuple[int, list[str]]]:
    """A local web server that records every request made to it."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], requests
    server.shutdown()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, trap: tuple[int, list[str]]) -> tuple[Project, Run, int]:
    """The seed, a statement full of hostile HTML, one with template syntax, one per image attack; built once."""
    port, _ = trap
    base = tmp_path_factory.mktemp("hostile")
    proj = make_project(base / "project")
    sub = lambda text: text.replace(PORT_MARK, str(port))  # noqa: E731
    proj.write("sources/hostile-html.md", "---\ntitle: Hostile HTML\ndate: 2018-11-23\n---\n\n" + sub(HOSTILE_BODY))
    proj.write("sources/literal.md", LITERAL_FRONT)
    for name, text in SVGS.items():
        proj.write(f"sources/{name}", sub(text))
    (proj.root / "sources" / "fake.png").write_text("this is text, not an image\n")
    (base / "secret.png").write_bytes(_png())
    (proj.root / "sources" / "linked.png").symlink_to(base / "secret.png")
    (proj.root / "sources" / "photo.png").write_bytes(_png())
    for stem, (markdown, _) in IMAGE_ATTACKS.items():
        proj.write(f"sources/{stem}.md", f"---\ntitle: {stem}\ndate: 2018-11-23\n---\n\nText.\n\n{sub(markdown)}\n")
    proj.write(
        "sources/pictures.md",
        "---\ntitle: Pictures\ndate: 2018-11-23\n---\n\nA photo ![a blue square](photo.png) inline.\n\n"
        "![A gradient drawn in SVG](safe.svg)\n\nAfter the figure.\n",
    )
    return proj, proj.doit(), port


def _failures(run: Run) -> dict[str, str]:
    return doit_output.failures(run.output)


def test_nothing_is_fetched_from_the_network(hostile: tuple[Project, Run, int], trap: tuple[int, list[str]]) -> None:
    _, run, _ = hostile
    assert "Traceback" not in run.output
    assert trap[1] == []


@pytest.mark.parametrize("stem", IMAGE_ATTACKS)
def test_an_image_from_elsewhere_is_a_build_error_naming_the_statement(hostile: tuple[Project, Run, int],
                                                                       stem: str) -> None:  # fmt: skip
    proj, run, port = hostile
    message = f"sources/{stem}.md:8: image: " + IMAGE_ATTACKS[stem][1].replace(PORT_MARK, str(port))
    failures = _failures(run)
    for fmt in RENDERED:
        assert failures.get(f"{fmt}:{stem}") == message, run.output[-3000:]
    assert not (proj.root / "build" / stem).exists()


def test_the_other_statements_build_beside_the_attacks(hostile: tuple[Project, Run, int]) -> None:
    proj, run, _ = hostile
    assert run.returncode != 0
    for stem in (SEED_SLUG, "hostile-html", "literal", "pictures"):
        for fmt in FORMATS:
            assert proj.output(stem, f".{fmt}").stat().st_size > 0, f"{stem}.{fmt}"


def _check_dom(root: lxml.html.HtmlElement, images: int) -> None:
    """No script runs, nothing loads but the embedded images, and no link leaves for a script."""
    for script in root.iter("script"):
        assert script.get("type") == "application/ld+json", lxml.html.tostring(script)
    banned = ("iframe", "object", "embed", "form", "input", "base", "frame", "applet")
    assert [el.tag for el in root.iter(*banned)] == []
    assert [link.get("rel") for link in root.iter("link") if link.get("rel") != "canonical"] == []
    assert [m.get("http-equiv") for m in root.iter("meta") if m.get("http-equiv")] in ([], ["Content-Type"])
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
            assert not cleaned.startswith(("javascript:", "vbscript:", "file:")), (element.tag, name, value)
            if cleaned.startswith("data:"):
                assert element.tag == "img" and name == "src" and cleaned.startswith("data:image/")
            assert "127.0.0.1" not in value, (element.tag, name, value)
    body = root.find(".//body")
    assert body is not None
    assert [el.tag for el in body.iter("style", "svg")] == []
    srcs = [img.get("src") for img in body.iter("img") if img.get("src")]
    assert len(srcs) == images, srcs
    text = body.text_content()
    assert "alert(" not in text
    assert [p for p in SURVIVING if p not in text] == []


def test_hostile_html_never_reaches_the_page(hostile: tuple[Project, Run, int]) -> None:
    proj, _, _ = hostile
    # the logo is the page's only image: every image written as raw HTML from elsewhere shows its description
    _check_dom(html_tree(proj.output("hostile-html", ".html")), images=1)
    links = {a.text_content(): a.get("href") for a in html_tree(proj.output("hostile-html", ".html")).iter("a")}
    assert links["a real one"] == "https://example.org/"
    page = html_tree(proj.output("hostile-html", ".html"))
    assert len(list(page.iter("img"))) == 1
    described = [span.text_content() for span in page.xpath('//span[@class="image-description"]')]
    assert described == ["pixel", "local file", "data svg"]
    lost = ("script link", "mixed-case one", "spaced one", "data link", "file link")
    assert [links.get(k) for k in lost] == [None] * 5


def test_hostile_html_never_reaches_the_email(hostile: tuple[Project, Run, int]) -> None:
    proj, _, _ = hostile
    eml = proj.output("hostile-html", ".eml")
    if "eml" not in FORMATS:
        pytest.fail("the e-mail format is expected among the outputs")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    root = lxml.html.document_fromstring(part.get_content())
    _check_dom_email(root)


def _check_dom_email(root: lxml.html.HtmlElement) -> None:
    assert [el.tag for el in root.iter("script", "iframe", "object", "embed", "form", "base", "link")] == []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
            assert not cleaned.startswith(("javascript:", "data:", "file:")), (element.tag, name, value[:40])
            assert "127.0.0.1" not in value
    text = root.text_content()
    assert "alert(" not in text
    assert [p for p in SURVIVING if p not in text] == []


def test_the_pdf_holds_no_script_and_no_hostile_link(hostile: tuple[Project, Run, int]) -> None:
    proj, _, _ = hostile
    pdf = proj.output("hostile-html", ".pdf")
    text = pdf_text(pdf)
    assert "alert(" not in text
    assert [p for p in SURVIVING if squash(p) not in squash(text)] == []
    reader = PdfReader(pdf)
    assert "/JavaScript" not in str(reader.trailer["/Root"].get("/Names", {}))
    assert "/OpenAction" not in reader.trailer["/Root"]
    uris = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            assert action.get("/S") in (None, "/URI", "/GoTo"), action
            if "/URI" in action:
                uris.append(str(action["/URI"]))
    assert "https://example.org/" in uris
    assert [u for u in uris if not u.startswith(("https://", "http://", "mailto:"))] == []
    assert [u for u in uris if "127.0.0.1" in u] == []


def test_the_wire_copy_and_docx_keep_no_hostile_target(hostile: tuple[Project, Run, int]) -> None:
    proj, _, _ = hostile
    wire = proj.output("hostile-html", ".txt").read_text(encoding="utf-8")
    assert "javascript" not in wire.lower() and "alert(" not in wire
    assert [p for p in SURVIVING if squash(p) not in squash(wire)] == []
    import zipfile

    with zipfile.ZipFile(proj.output("hostile-html", ".docx")) as archive:
        rels = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".rels"))
        document = archive.read("word/document.xml").decode()
    assert "javascript:" not in rels.lower() and "file:" not in rels.lower() and "127.0.0.1" not in rels
    assert "alert(" not in document
    text = " ".join(t for _, t in docx_paragraphs(proj.output("hostile-html", ".docx")))
    assert [p for p in SURVIVING if p not in text] == []


def test_template_syntax_and_markup_in_front_matter_show_literally(hostile: tuple[Project, Run, int]) -> None:
    proj, _, _ = hostile
    page = html_tree(proj.output("literal", ".html"))
    h1 = page.find(".//h1")
    assert h1 is not None and h1.text_content() == LITERAL_TITLE and len(h1) == 0
    title = page.findtext(".//title")
    assert title is not None and title.startswith(LITERAL_TITLE)
    text = page.find(".//body").text_content()  # type: ignore[union-attr]
    for literal in ("<i>Brussels</i> {{ brand }}", "{{ s.contact.email }} <script>alert(1)</script>",
                    "{{ config }} <b>Desk</b>", "{{ 7*7 }}", "{% raw %}", "{{ lipsum }}"):  # fmt: skip
        assert literal in text, literal
    assert "49" not in text
    assert [el.tag for el in page.find(".//body").iter("b", "i", "script")] == []  # type: ignore[union-attr]

    pdf = pdf_text(proj.output("literal", ".pdf"))
    for literal in (LITERAL_TITLE, "<i>Brussels</i>", "{{ config }} <b>Desk</b>", "{{ 7*7 }}"):
        assert squash(literal).upper() in squash(pdf).upper(), literal  # the dateline is set in capitals

    paragraphs = docx_paragraphs(proj.output("literal", ".docx"))
    assert ("Title", LITERAL_TITLE) in paragraphs
    assert any("{{ 7*7 }}" in t and "{% raw %}" in t for _, t in paragraphs)

    wire = proj.output("literal", ".txt").read_text(encoding="utf-8")
    assert squash(LITERAL_TITLE).upper() in squash(wire).upper()
    assert "{{ 7*7 }}" in wire and "{% raw %}" in wire and "{{ config }} <b>Desk</b>" in wire


def test_images_from_the_statements_folder_are_embedded_everywhere(hostile: tuple[Project, Run, int]) -> None:
    proj, _, _ = hostile
    page = html_tree(proj.output("pictures", ".html"))
    body = page.find(".//div[@class='statement-body']")
    assert body is not None
    images = {img.get("alt"): img.get("src", "") for img in body.iter("img")}
    assert images["a blue square"].startswith("data:image/png;base64,")
    assert images["A gradient drawn in SVG"].startswith("data:image/svg+xml;base64,")
    assert body.findtext(".//figcaption") == "A gradient drawn in SVG"

    reader = PdfReader(proj.output("pictures", ".pdf"))
    assert len(reader.pages[0].images) >= 1  # the PNG; the SVG is drawn as vectors
    assert "A gradient drawn in SVG" in pdf_text(proj.output("pictures", ".pdf"))

    from docx import Document

    document = Document(str(proj.output("pictures", ".docx")))
    assert len(document.inline_shapes) == 2
    import zipfile

    with zipfile.ZipFile(proj.output("pictures", ".docx")) as archive:
        pictures = [n for n in archive.namelist() if n.startswith("word/media/") and "rId" in n]
    # the SVG travels drawn as PNG: LibreOffice and older Word show an SVG-only picture as an empty box
    assert len(pictures) == 2 and all(n.endswith(".png") for n in pictures), pictures
    assert "A gradient drawn in SVG" in [p.text for p in document.paragraphs]
    assert "[a blue square]" in proj.output("pictures", ".txt").read_text(encoding="utf-8")


def test_an_image_change_rebuilds_its_statement(hostile: tuple[Project, Run, int]) -> None:
    proj, _, _ = hostile
    photo = proj.root / "sources" / "photo.png"
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (250, 200, 0)).save(buffer, "PNG")
    photo.write_bytes(buffer.getvalue())
    run = proj.doit()
    for fmt in ("html", "pdf", "docx"):
        assert f"{fmt}:pictures" in run.executed
    assert "html:literal" not in run.executed
    assert Path(proj.output("pictures", ".html")).exists()


def test_the_sanitizer_lets_through_only_the_images_it_was_given() -> None:
    from presskit.formats.html import sanitize

    ours = "data:image/png;base64,iVBORw0KGgo="
    fragment = (
        f'<img src="{ours}" alt="ours"><img src="data:image/png;base64,AAAA" alt="theirs">'
        f'<a href="{ours}">same URL as a link</a><a href=" DATA:text/html,x" title="data: figures">t</a>'
        '<q cite="file:///etc/passwd">q</q><a href="https://example.org/">web</a>'
    )
    root = lxml.html.fragment_fromstring(sanitize(fragment, frozenset({ours})), create_parent="div")
    assert [(img.get("alt"), img.get("src")) for img in root.iter("img")] == [("ours", ours), ("theirs", None)]
    assert [(a.text, a.get("href"), a.get("title")) for a in root.iter("a")] == [
        ("same URL as a link", None, None),
        ("t", None, "data: figures"),
        ("web", "https://example.org/", None),
    ]
    assert root.find("q").get("cite") is None  # type: ignore[union-attr]
    no_images = lxml.html.fragment_fromstring(sanitize(fragment), create_parent="div")
    assert [img.get("src") for img in no_images.iter("img")] == [None, None]
