"""The translator's DOCX: styles carry all formatting, brand header and footer, properties; it opens in LibreOffice."""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from tests.conftest import SEED_SLUG, Project
from tests.extract import docx_paragraphs, in_order, pdf_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# What a paragraph or run may say itself: its style, list numbering, direction, a table cell's alignment from the
# source, and the emphasis the source has (italic, bold, strike-through, super- and subscript).
PARAGRAPH_OK = {"pStyle", "numPr", "bidi", "jc", "rPr"}
RUN_OK = {"rStyle", "i", "iCs", "b", "bCs", "strike", "vertAlign", "rtl", "noProof"}


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def body_paragraphs(project: Project, source: str) -> list[str]:
    body = (project.root / "sources" / source).read_text(encoding="utf-8").split("---", 2)[2]
    return [re.sub(r"^[>\s]+", "", p).strip() for p in body.split("\n\n") if p.strip()]


@pytest.mark.parametrize("stem", [SEED_SLUG, "rich"])
def test_no_direct_formatting(built: Project, stem: str) -> None:
    document = part(built.output(stem, ".docx"), "word/document.xml")
    for props in document.iter(f"{W}pPr"):
        if props.getparent().tag != f"{W}p":
            continue
        extra = {child.tag.removeprefix(W) for child in props} - PARAGRAPH_OK
        assert not extra, f"paragraph formatting {extra} in {stem}.docx"
        jc = props.find(f"{W}jc")
        if jc is not None:
            assert props.getparent().getparent().tag == f"{W}tc", "alignment only in table cells"
    for props in document.iter(f"{W}rPr"):
        extra = {child.tag.removeprefix(W) for child in props} - RUN_OK
        assert not extra, f"character formatting {extra} in {stem}.docx"


def test_seed_paragraphs_take_their_styles(built: Project) -> None:
    paragraphs = docx_paragraphs(built.output(SEED_SLUG, ".docx"))
    styles = {text: style for style, text in paragraphs}
    assert styles["China’s online crackdown continues with Twitter, Weibo and Wechat shutdowns"] == "Title"
    assert styles[next(t for t in styles if t.startswith("The IFJ has voiced strong concerns"))] == "Subtitle"
    assert styles[next(t for t in styles if t.startswith("“The Chinese Government’s crackdown"))] == "Block Text"
    assert styles[next(t for t in styles if t.startswith("Contact: IFJ Asia-Pacific"))] == "Contact"
    assert styles[next(t for t in styles if t.startswith("The IFJ represents"))] == "Boilerplate"
    assert [s for s, _ in paragraphs].count("Date") == 1
    body = [t for s, t in paragraphs if s in ("First Paragraph", "Body Text")]
    assert body[0].startswith("The Chinese Government’s online crackdown")
    missing = in_order(
        body_paragraphs(built, "2018-11-23-china-online-crackdown.md"), "\n".join(t for _, t in paragraphs)
    )
    assert missing == [], missing


def test_styles_carry_the_brand(built: Project) -> None:
    styles = Document(str(built.output(SEED_SLUG, ".docx"))).styles
    title = styles["Title"]
    assert title.font.name == "Lato" and str(title.font.color.rgb) == "00606B" and title.font.bold
    assert styles["Heading 2"].font.name == "Lato" and str(styles["Heading 2"].font.color.rgb) == "00606B"
    assert styles["Normal"].font.name == "Lato" and str(styles["Normal"].font.color.rgb) == "1B1F24"
    for name in ("Contact", "Boilerplate"):
        assert styles[name].type == 1 and styles[name].quick_style, f"{name} is a paragraph style in the gallery"
    fonts = styles["Title"].element.rPr.rFonts
    assert fonts.get(f"{W}asciiTheme") is None, "no theme font overrides the brand's"


def test_header_has_logo_and_organisation_footer_has_page_numbers(built: Project) -> None:
    path = built.output(SEED_SLUG, ".docx")
    header = part(path, "word/header1.xml")
    assert "International Federation of Journalists – Asia-Pacific" in "".join(header.itertext())
    pictures = header.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    assert [p.get("descr") for p in pictures] == ["International Federation of Journalists – Asia-Pacific"]
    with zipfile.ZipFile(path) as archive:
        rels = archive.read("word/_rels/header1.xml.rels").decode()
        target = re.search(r'Target="(media/[^"]+\.png)"', rels)
        assert target, rels
        assert archive.read(f"word/{target.group(1)}").startswith(b"\x89PNG")
    footer = part(path, "word/footer1.xml")
    fields = [f.get(f"{W}instr").strip() for f in footer.iter(f"{W}fldSimple")]
    assert fields == ["PAGE", "NUMPAGES"]


def test_core_properties(built: Project) -> None:
    core = Document(str(built.output(SEED_SLUG, ".docx"))).core_properties
    assert core.title == "China’s online crackdown continues with Twitter, Weibo and Wechat shutdowns"
    assert core.author == "International Federation of Journalists – Asia-Pacific"
    assert core.subject.startswith("The IFJ has voiced strong concerns")
    assert core.keywords == "China, press freedom, social media, online censorship"
    assert core.language == "en-GB"


@pytest.fixture(scope="module")
def libreoffice_pdfs(built: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("libreoffice")
    profile = out / "profile"
    run = subprocess.run(
        ["libreoffice", "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf",
         "--outdir", str(out), str(built.output(SEED_SLUG, ".docx")), str(built.output("rich", ".docx"))],
        capture_output=True, text=True, timeout=300, env={**os.environ, "HOME": str(out)},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return out


def test_libreoffice_shows_every_paragraph_of_the_seed(built: Project, libreoffice_pdfs: Path) -> None:
    text = pdf_text(libreoffice_pdfs / f"{SEED_SLUG}.pdf")
    expected = ["China’s online crackdown continues with Twitter, Weibo and Wechat shutdowns"]
    expected += body_paragraphs(built, "2018-11-23-china-online-crackdown.md")
    expected += ["IFJ Asia-Pacific", "The IFJ represents more than 600,000 journalists in 140 countries."]
    assert in_order(expected, text) == []
    # One page or two, by the font LibreOffice puts in place of Lato (fontconfig's choice: Noto Sans, DejaVu Sans)
    assert re.search(r"Page 1 of [12]\b", text), "the page number fields are filled"


def test_libreoffice_shows_every_paragraph_of_the_rich_sample(built: Project, libreoffice_pdfs: Path) -> None:
    shown = pdf_text(libreoffice_pdfs / "rich.pdf")  # a word broken inside a narrow column is not found
    source = re.sub(r"<?https?://\S+|\[\^\d+\]:?", " ", "\n".join(body_paragraphs(built, "rich.md")))
    missing = [word for word in re.findall(r"[^\W_]+", source) if word not in shown]
    assert missing == [], missing
    assert "Page 1 of 2" in pdf_text(libreoffice_pdfs / "rich.pdf")
