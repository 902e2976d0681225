"""A full build of the seed statement: every paragraph reaches every format, and nothing else leaks."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from tests.conftest import SEED_SLUG, SEED_TEXT, Project
from tests.extract import docx_paragraphs, html_text, html_tree, in_order, pdf_text, seed_paragraphs

CLOSING = [
    "The IFJ represents more than 600,000 journalists in 140 countries",
    "@ifjasiapacific",
    "IFJAsiaPacific",
    "REPLACE-ME@example.invalid",
]


def _texts(built: Project) -> dict[str, str]:
    out = built.output
    return {
        "pdf": pdf_text(out(SEED_SLUG, ".pdf")),
        "docx": "\n".join(text for _, text in docx_paragraphs(out(SEED_SLUG, ".docx"))),
        "html": html_text(out(SEED_SLUG, ".html")),
        "txt": out(SEED_SLUG, ".txt").read_text(encoding="utf-8"),
    }


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html", "txt"])
def test_every_seed_paragraph_in_order(built: Project, fmt: str) -> None:
    paragraphs = seed_paragraphs(SEED_TEXT)
    assert len(paragraphs) == 6
    text = _texts(built)[fmt]
    headline = "China’s online crackdown continues with Twitter, Weibo and Wechat shutdowns"
    assert in_order([headline.upper() if fmt == "txt" else headline], text) == []
    assert in_order(paragraphs, text) == []


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html", "txt"])
def test_closing_lines_come_from_brand_and_front_matter(built: Project, fmt: str) -> None:
    text = _texts(built)[fmt]
    assert [line for line in CLOSING if in_order([line], text)] == []


@pytest.mark.parametrize("fmt", ["pdf", "docx", "txt"])
def test_no_markdown_syntax_left(built: Project, fmt: str) -> None:
    for name in (SEED_SLUG, "rich"):
        out = built.output(name, f".{fmt}")
        text = {"pdf": pdf_text, "txt": lambda p: p.read_text(encoding="utf-8")}.get(
            fmt, lambda p: "\n".join(t for _, t in docx_paragraphs(p))
        )(out)
        assert "**" not in text
        assert "](" not in text
        assert not re.search(r"^[ \t]*#{1,6}[ \t]+\S", text, re.MULTILINE), "a Markdown heading marker leaked"
        assert not re.search(r"^[ \t]*> ", text, re.MULTILINE), "a Markdown quote marker leaked"
        assert "[^1]" not in text


def test_pdf_metadata(built: Project) -> None:
    reader = PdfReader(built.output(SEED_SLUG, ".pdf"))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "China’s online crackdown continues with Twitter, Weibo and Wechat shutdowns"
    assert meta.author == "International Federation of Journalists – Asia-Pacific"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    text = pdf_text(built.output(SEED_SLUG, ".pdf"))
    assert "FOR IMMEDIATE RELEASE" in text
    assert re.search(r"SYDNEY, 23 November 2018", text)
    assert re.search(r"Page 1 of \d", text)


def test_html_is_self_contained_and_semantic(built: Project) -> None:
    tree = html_tree(built.output(SEED_SLUG, ".html"))
    assert tree.get("lang") == "en-GB"
    assert tree.findtext(".//title").startswith("China’s online crackdown")
    description = tree.xpath("//meta[@name='description']/@content")
    assert description and description[0].startswith("The IFJ has voiced strong concerns")
    assert tree.xpath("//article//h1")[0].text_content().startswith("China’s online crackdown")
    assert tree.xpath("//time/@datetime") == ["2018-11-23"]
    assert len(tree.xpath("//blockquote")) == 1
    # self-contained: no stylesheet, script or image is fetched from anywhere
    assert tree.xpath("//link[@rel='stylesheet']") == []
    assert tree.xpath("//script[@src]") == []
    assert all(src.startswith("data:") for src in tree.xpath("//img/@src"))
    assert tree.xpath("//style")


def test_docx_structure_and_properties(built: Project) -> None:
    from docx import Document

    path = built.output(SEED_SLUG, ".docx")
    paragraphs = docx_paragraphs(path)
    styles = [style for style, _ in paragraphs]
    assert styles[0] == "Title"
    assert "Block Text" in styles
    assert any(s == "Contact" and "REPLACE-ME@example.invalid" in t for s, t in paragraphs)
    assert any(s == "Boilerplate" and "600,000 journalists" in t for s, t in paragraphs)
    props = Document(str(path)).core_properties
    assert props.title.startswith("China’s online crackdown")
    assert props.author == "International Federation of Journalists – Asia-Pacific"
    assert props.language == "en-GB"


def test_wire_copy_is_plain_and_wrapped(built: Project) -> None:
    lines = built.output(SEED_SLUG, ".txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "FOR IMMEDIATE RELEASE"
    assert lines[2].startswith("CHINA’S ONLINE CRACKDOWN")
    assert all(len(line) <= 72 or " " not in line.strip() for line in lines)
    assert lines[-1].strip() == "###"
    assert any(line.startswith("SYDNEY, 23 November 2018 -- The Chinese") for line in lines)


def test_outputs_are_named_for_attaching(built: Project) -> None:
    folder = built.root / "build" / SEED_SLUG
    names = {p.name for p in folder.iterdir() if p.is_file()}
    assert {f"{SEED_SLUG}{ext}" for ext in (".pdf", ".docx", ".html", ".txt")} <= names
    assert not [n for n in names if n.endswith(".part")]
