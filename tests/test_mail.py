"""The press e-mail, read back by a MIME tool not written by us (Debian's munpack) and by the standard library."""

from __future__ import annotations

import email
import email.policy
import re
import shutil
import subprocess
from email.message import EmailMessage
from pathlib import Path

import lxml.html
import pytest

from presskit.errors import InputError
from presskit.formats import mail
from presskit.prepare import prepared
from presskit.read import statement
from tests.conftest import SEED_SLUG, SEED_SOURCE, Project

SEED_TITLE = "China’s online crackdown continues with Twitter, Weibo and Wechat shutdowns"


def munpack(eml: Path, into: Path) -> dict[str, str]:
    """Unpack a message with munpack; the files it wrote, by name, with their MIME types."""
    tool = shutil.which("munpack")
    assert tool, "munpack is missing: install Debian's mpack package (./setup test does)"
    into.mkdir()
    out = subprocess.run([tool, "-t", "-q", "-C", str(into), str(eml.resolve())], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    # munpack echoes the header's CR of a CRLF message (the canonical form) in the type it prints
    found = {name: kind.strip() for name, kind in re.findall(r"^(\S+) \(([^)]+)\)$", out.stdout, re.MULTILINE)}
    assert found, out.stdout
    return found


def parse(path: Path) -> EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


@pytest.mark.parametrize("name", [SEED_SLUG, "rich"])
def test_munpack_gives_back_the_pdf_and_the_wire_copy(built: Project, name: str, tmp_path: Path) -> None:
    parts = munpack(built.output(name, ".eml"), tmp_path / "out")
    assert parts[f"{name}.pdf"] == "application/pdf"
    assert (tmp_path / "out" / f"{name}.pdf").read_bytes() == built.output(name, ".pdf").read_bytes()
    texts = [n for n, kind in parts.items() if kind == "text/plain"]
    assert len(texts) == 1
    wire = built.output(name, ".txt").read_text(encoding="utf-8")
    assert (tmp_path / "out" / texts[0]).read_text(encoding="utf-8").replace("\r\n", "\n") == wire
    assert [kind for kind in parts.values()].count("text/html") == 1
    assert parts.get("logo.png") == "image/png"


def test_structure(built: Project) -> None:
    msg = parse(built.output(SEED_SLUG, ".eml"))

    def shape(part: EmailMessage) -> object:
        if part.is_multipart():
            return (part.get_content_type(), [shape(p) for p in part.iter_parts()])  # type: ignore[arg-type]
        return part.get_content_type()

    assert shape(msg) == (
        "multipart/mixed",
        [
            ("multipart/alternative", ["text/plain", ("multipart/related", ["text/html", "image/png"])]),
            "application/pdf",
        ],
    )
    attachment = next(p for p in msg.iter_attachments())
    assert attachment.get_filename() == f"{SEED_SLUG}.pdf"
    assert attachment.get_content() == built.output(SEED_SLUG, ".pdf").read_bytes()
    assert [(p.get_content_type(), p.defects) for p in msg.walk() if p.defects] == []
    text = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
    assert text.get_content().replace("\r\n", "\n") == built.output(SEED_SLUG, ".txt").read_text(encoding="utf-8")


def test_headers(built: Project) -> None:
    raw = built.output(SEED_SLUG, ".eml").read_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0]
    head.decode("ascii")  # non-ASCII header text is encoded (RFC 2047)
    assert re.search(rb"^Subject: .*=\?utf-8\?", head, re.MULTILINE)
    msg = parse(built.output(SEED_SLUG, ".eml"))
    assert msg["Subject"] == SEED_TITLE
    assert msg["From"].addresses[0].display_name == "International Federation of Journalists – Asia-Pacific"
    assert msg["From"].addresses[0].addr_spec == "asia-pacific@example.org"  # the brand's press address
    assert msg["Reply-To"].addresses[0].addr_spec == "REPLACE-ME@example.invalid"  # the statement's contact
    assert msg["Date"] == "Fri, 23 Nov 2018 00:00:00 +0000"
    assert msg["Message-ID"] == "<china-online-crackdown@ifj.org>"
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))


def test_html_part_is_email_safe(built: Project) -> None:
    msg = parse(built.output("rich", ".eml"))
    html_part = next(p for p in msg.walk() if p.get_content_type() == "text/html")
    logo = next(p for p in msg.walk() if p.get_content_type() == "image/png")
    source = html_part.get_content()
    tree = lxml.html.document_fromstring(source)
    assert tree.xpath("//style") == [] and tree.xpath("//link") == [], "all CSS is inlined"
    h1 = tree.xpath("//h1")[0]
    assert "color:" in h1.get("style", "")
    assert h1.text_content() == "Sample statement: journalists’ safety report — every construct, one file"
    column = tree.xpath("//table[contains(@class, 'column')]")[0]
    assert "max-width: 600px" in column.get("style", "") and column.get("width") == "600"
    assert not re.search(r"url\(|@import|https?://[^\"'\s]*\.(?:css|js|png|jpe?g|gif|svg|woff2?)\b", source)
    sources = tree.xpath("//img/@src")
    assert sources == ["cid:logo@presskit"], sources
    assert logo["Content-ID"] == "<logo@presskit>"
    assert logo.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    body_text = " ".join(tree.text_content().split())
    for expected in ("FOR IMMEDIATE RELEASE", "Legal threats:", "Killed, Jailed, Silenced", "About International"):
        assert expected in body_text


def test_same_statement_same_bytes(built: Project) -> None:
    root = built.root
    source = root / "sources" / SEED_SOURCE.name
    st, brand = statement.load(source, root, root / "sources", root / "layouts")
    out = built.output(SEED_SLUG, ".eml")
    again = mail.render(prepared.of(st, brand), out.with_suffix(".txt"), out.with_suffix(".pdf"))
    assert again == out.read_bytes()


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", '"Our statement\\rBcc: everyone@example.org"'), ("title", '"Our statement\\u2028Bcc: x@example.org"')],
)
def test_line_break_in_a_header_value_is_refused(project: Project, field: str, value: str) -> None:
    path = project.root / "sources" / SEED_SOURCE.name
    text = SEED_SOURCE.read_text(encoding="utf-8")
    old = next(line for line in text.split("\n") if line.startswith(f"{field}: "))
    path.write_text(text.replace(old, f"{field}: {value}"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        statement.load(path, project.root, project.root / "sources", project.root / "layouts")
    assert f"{field}: must be on one line; remove the line break" in str(caught.value)


def test_line_break_in_the_contact_name_is_refused(project: Project) -> None:
    path = project.root / "sources" / SEED_SOURCE.name
    text = SEED_SOURCE.read_text(encoding="utf-8").replace("name: IFJ Asia-Pacific", 'name: "IFJ\\nBcc: x@example.org"')
    path.write_text(text, encoding="utf-8")
    run = project.doit("eml")
    assert run.returncode != 0
    assert "contact.name: must be on one line" in run.output
    assert not project.output(SEED_SLUG, ".eml").exists()


def test_images_of_the_statement_travel_as_cid_parts(project: Project) -> None:
    shutil.copy2(project.root / "layouts" / "default" / "logo.svg", project.root / "sources" / "chart.svg")
    path = project.root / "sources" / SEED_SOURCE.name
    path.write_text(
        SEED_SOURCE.read_text(encoding="utf-8") + "\n![A chart of the shutdowns](chart.svg)\n", encoding="utf-8"
    )
    run = project.doit("eml")
    assert run.returncode == 0, run.output
    msg = parse(project.output(SEED_SLUG, ".eml"))
    source = next(p for p in msg.walk() if p.get_content_type() == "text/html").get_content()
    tree = lxml.html.document_fromstring(source)
    chart = tree.xpath("//img[@alt='A chart of the shutdowns']")
    assert chart, "the image is shown"
    src = chart[0].get("src")
    assert src.startswith("cid:") and "data:" not in source
    related = {p["Content-ID"]: p for p in msg.walk() if p.get_content_maintype() == "image"}
    assert f"<{src[4:]}>" in related
    assert related[f"<{src[4:]}>"].get_content()[:8] == b"\x89PNG\r\n\x1a\n"  # SVG drawn as PNG
    assert 0 < int(chart[0].get("width")) <= 552


def test_right_to_left_statement_mirrors_the_html_part(project: Project) -> None:
    path = project.root / "sources" / SEED_SOURCE.name
    path.write_text(SEED_SOURCE.read_text(encoding="utf-8").replace("lang: en-GB", "lang: ar"), encoding="utf-8")
    st, brand = statement.load(path, project.root, project.root / "sources", project.root / "layouts")
    page, _ = mail.email_html(prepared.of(st, brand), mail.logo_png(brand))
    tree = lxml.html.document_fromstring(page)
    assert tree.get("dir") == "rtl" and tree.get("lang") == "ar"
    style = tree.xpath("//blockquote")[0].get("style")
    assert "border-right: 4px solid" in style and "border-left" not in style
