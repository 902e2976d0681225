"""A statement prepared once for every format: the boilerplate as Markdown everywhere, warnings once per statement."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage

import docx as python_docx
import lxml.html
import pytest
from pypdf import PdfReader

from presskit import language
from presskit.formats import wire
from presskit.prepare import prepared, tree
from presskit.read import statement
from tests.conftest import SEED_SLUG, SEED_SOURCE, Project

SEED_NAME = SEED_SOURCE.name
BOILERPLATE = "The [IFJ](https://www.ifj.org) is *independent* and speaks for journalists."
PAST_EMBARGO = "embargo: 2018-11-24 00:01 Europe/Brussels"
EMBARGO_WARNING = f"sources/{SEED_NAME}:4: embargo: warning: the embargo ended at"


def with_boilerplate(project: Project, text: str, layout: str = "asia-pacific") -> None:
    """Give a brand of the project another boilerplate, as a press officer writes it in `_brand.yml`."""
    path = project.root / "layouts" / layout / "_brand.yml"
    brand = path.read_text(encoding="utf-8")
    old = re.search(r"    boilerplate: >-\n      .*\n", brand)
    assert old is not None
    path.write_text(brand.replace(old.group(0), f"    boilerplate: '{text}'\n"), encoding="utf-8")


def with_embargo(text: str, line: str = PAST_EMBARGO) -> str:
    """A statement's text with a line added after its `date:` line (line 4)."""
    head, sep, rest = text.partition("\ndate: ")
    date_line, nl, body = rest.partition("\n")
    return f"{head}{sep}{date_line}\n{line}{nl}{body}"


def test_boilerplate_is_markdown_in_every_format(project: Project) -> None:
    with_boilerplate(project, BOILERPLATE)
    run = project.doit()
    assert run.returncode == 0, run.output

    page = lxml.html.fromstring(project.output(SEED_SLUG, ".html").read_bytes())
    (about,) = page.xpath("//section[@class='about']")
    assert about.xpath(".//a[@href='https://www.ifj.org']/text()") == ["IFJ"]
    assert about.xpath(".//em/text()") == ["independent"]

    msg = email.message_from_bytes(project.output(SEED_SLUG, ".eml").read_bytes(), policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    part = next(p for p in msg.walk() if p.get_content_type() == "text/html")
    assert isinstance(part, EmailMessage)
    mail = lxml.html.document_fromstring(part.get_content())
    assert mail.xpath("//a[@href='https://www.ifj.org']/text()") == ["IFJ"]
    assert mail.xpath("//em/text()") == ["independent"]

    reader = PdfReader(project.output(SEED_SLUG, ".pdf"))
    uris = [
        annotation.get_object()["/A"].get("/URI")
        for page_ in reader.pages
        for annotation in page_.get("/Annots") or []
        if annotation.get_object().get("/Subtype") == "/Link" and "/A" in annotation.get_object()
    ]
    assert "https://www.ifj.org" in uris
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "The IFJ is independent and speaks for journalists." in " ".join(text.split())
    assert "[IFJ]" not in text and "*independent*" not in text

    document = python_docx.Document(str(project.output(SEED_SLUG, ".docx")))
    (paragraph,) = [p for p in document.paragraphs if "speaks for journalists" in p.text]
    assert paragraph.style is not None and paragraph.style.name == "Boilerplate"
    assert paragraph.text == "The IFJ is independent and speaks for journalists."
    assert [link.url for link in paragraph.hyperlinks] == ["https://www.ifj.org"]
    assert [run.text for run in paragraph.runs if run.italic] == ["independent"]

    lines = project.output(SEED_SLUG, ".txt").read_text(encoding="utf-8").splitlines()
    (about_line,) = [ln for ln in lines if "speaks for journalists" in ln]
    number = re.fullmatch(r"The IFJ \[(\d+)\] is independent and speaks for journalists\.", about_line)
    assert number is not None, about_line
    assert f"[{number.group(1)}] https://www.ifj.org" in lines


def test_a_dangerous_link_in_the_boilerplate_is_plain_text(project: Project) -> None:
    with_boilerplate(project, "Read [our charter](javascript:alert(1)) before publishing.")
    run = project.doit("html", "txt")
    assert run.returncode == 0, run.output
    page = lxml.html.fromstring(project.output(SEED_SLUG, ".html").read_bytes())
    (about,) = page.xpath("//section[@class='about']")
    (charter,) = about.xpath(".//p[contains(., 'our charter')]")
    assert charter.text_content() == "Read our charter before publishing." and charter.xpath(".//a") == []
    assert "javascript" not in project.output(SEED_SLUG, ".txt").read_text(encoding="utf-8")


def test_pdf_alone_prints_the_warnings_once(project: Project) -> None:
    path = project.root / "sources" / SEED_NAME
    path.write_text(with_embargo(path.read_text(encoding="utf-8")), encoding="utf-8")
    run = project.doit("pdf")
    assert run.returncode == 0, run.output
    assert run.output.count(EMBARGO_WARNING) == 1, run.output


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one-process", "two-workers"])
def test_a_full_build_prints_the_warnings_once(project: Project, workers: list[str]) -> None:
    path = project.root / "sources" / SEED_NAME
    path.write_text(with_embargo(path.read_text(encoding="utf-8")), encoding="utf-8")
    run = project.doit(*workers)
    assert run.returncode == 0, run.output
    assert run.output.count(EMBARGO_WARNING) == 1, run.output
    assert project.output(SEED_SLUG, ".eml").is_file()


def test_arabic_quotation_marks_are_the_same_in_the_body_and_the_boilerplate(project: Project) -> None:
    with_boilerplate(project, 'The IFJ is "independent".')
    path = project.root / "sources" / SEED_NAME
    path.write_text(
        path.read_text(encoding="utf-8").replace("lang: en-GB", "lang: ar") + '\nA "quoted" word.\n', encoding="utf-8"
    )
    root = project.root
    st, brand = statement.load(path, root, root / "sources", root / "layouts")
    text = wire.render(prepared.of(st, brand))
    assert "A «quoted» word." in text
    assert "The IFJ is «independent»." in text
    assert language.quotes("ar") == ("«", "»", "“", "”")


def test_a_statement_is_prepared_once_per_process_until_it_changes(project: Project) -> None:
    from presskit.project import Project as Context

    context = Context(project.root)
    path = project.root / "sources" / SEED_NAME
    first = prepared.prepare(context, path)
    assert prepared.prepare(context, path) is first
    assert prepared.prepare(context, path, {"versions": [["fr", f"{SEED_SLUG}.fr"]]}) is not first
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    again = prepared.prepare(context, path)
    assert again is not first
    assert "One more line." in again.statement.body


def test_language_helpers() -> None:
    assert [language.base(t) for t in ("zh-Hans-CN", "FR", "en-GB", "ar")] == ["zh", "fr", "en", "ar"]
    assert language.script("zh-Hant-HK") == "Hant" and language.script("en-GB") is None
    assert language.region("zh-Hant-HK") == "HK"
    assert [language.is_traditional_chinese(t) for t in ("zh-Hant", "zh-TW", "zh-Hans", "zh", "ja")] == [
        True, True, False, False, False,
    ]  # fmt: skip
    assert language.quotes("zh-HK") == ("「", "」", "『", "』")
    assert language.direction("ku-Arab") == "rtl" and language.direction("ku") == "ltr"


def test_tree_rebuild_and_nodes() -> None:
    doc = {"pandoc-api-version": [1, 23], "meta": {"x": {"t": "MetaString", "c": "keep"}}, "blocks": [
        {"t": "Para", "c": [{"t": "Str", "c": "a"}, {"t": "Emph", "c": [{"t": "Str", "c": "b"}]}]},
    ]}  # fmt: skip
    upper = tree.rebuild(doc, node=lambda n: {"t": "Str", "c": n["c"].upper()} if n["t"] == "Str" else n)
    assert [n["c"] for n in tree.nodes(upper["blocks"]) if n.get("t") == "Str"] == ["A", "B"]
    assert upper["meta"] == doc["meta"] and doc["blocks"][0]["c"][0]["c"] == "a"  # a copy; metadata untouched
    assert tree.is_inlines(doc["blocks"][0]["c"]) and not tree.is_inlines(doc["blocks"]) and not tree.is_inlines([])


def test_tree_walk_gives_depths_and_walks_only_what_it_is_told() -> None:
    quote = {"t": "BlockQuote", "c": [{"t": "Para", "c": [{"t": "Emph", "c": [{"t": "Str", "c": "deep"}]}]}]}
    blocks = [{"t": "Para", "c": [{"t": "Str", "c": "top"}]}, quote]

    def depth(node: tree.Node, above: int) -> int:
        return above + 1

    found = [(n["t"], d) for n, d in tree.walk(blocks, down=depth, top=0)]
    assert found == [("Para", 1), ("Str", 2), ("BlockQuote", 1), ("Para", 2), ("Emph", 3), ("Str", 4)]
    no_emphasis = tree.nodes(blocks, into=lambda n: [] if n["t"] == "Emph" else n.get("c"))
    assert [n["t"] for n in no_emphasis] == ["Para", "Str", "BlockQuote", "Para", "Emph"]


def test_stringify_keeps_text_and_leaves_out_notes_and_raw_markup() -> None:
    from presskit.prepare import pandoc

    body = 'A *b* `c` [d **e**](https://x.org) ![f](g.png) "h"[^1] <i>raw</i>\n\n[^1]: a note\n'
    para = pandoc.parse(body, "x")["blocks"][0]
    assert pandoc.stringify(para["c"]) == "A b c d e f h raw"


def test_the_one_svg_drawing_loads_no_file() -> None:
    from presskit.prepare import media

    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
        b'<image xlink:href="file:///etc/hostname" width="10" height="10"/></svg>'
    )
    from presskit.errors import InputError

    with pytest.raises(InputError) as refused:
        media.svg_to_png(svg, display="layouts/x/_brand.yml", field="logo")
    assert str(refused.value) == (
        "layouts/x/_brand.yml: logo: refers to another file or address (file:///etc/hostname); an SVG must be "
        "self-contained: remove the reference"
    )
