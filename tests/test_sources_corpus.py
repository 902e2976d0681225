"""Statements as press offices have them, exported from Jekyll, Hugo and a CMS in seven languages, build as written."""

from __future__ import annotations

import email
import email.policy
import json
import re
import shutil
import unicodedata
from email.message import EmailMessage
from pathlib import Path

import pytest
from docx import Document

from presskit.formats import BUILT_BY_DEFAULT
from presskit.prepare import pandoc
from presskit.read import frontmatter
from tests.conftest import SAMPLES, Project, make_project
from tests.extract import docx_paragraphs, html_tree, pdf_text

CORPUS = SAMPLES / "corpus"
STATEMENTS = sorted(CORPUS.glob("*.md"))
EXTRA = {
    "2018-11-23-sydney-colon.md": "author, source",
    "2018-11-23-wordpress-export.md": "post_id, post_date, post_status, guid, source_url, excerpt, featured_image",
    "2024-05-12-press-freedom-geneva.md": "author, categories, permalink, excerpt_separator, image, comments",
    "2024-05-12-convention-securite.fr.md": "author, categories, permalink",
    "2024-05-13-periodistas-madrid.es.md": "draft, weight, aliases, translationKey, params",
    "2024-05-14-brussels-hugo.md": "lastmod, draft, weight, aliases, description, images",
    "2024-05-15-kyiv-cms.uk.md": "post_id, post_type, post_status, source_url, excerpt, comment_status",
    "2024-05-16-beijing.zh-Hans.md": "author, categories, permalink",
    "2024-05-16-taipei.zh-Hant.md": "draft, weight, categories",
    "2024-05-17-geneva-cms.ar.md": "post_id, source_url, excerpt, author",
    "2024-05-18-berlin.de.md": "draft, weight, aliases, description",
    "2024-05-19-lisboa.pt.md": "author, categories, permalink",
    "2024-05-20-geneva-parenthesis.md": "weight",
    "2024-05-21-paris-no-dateline.md": "author, keywords",
    "2024-05-22-cms-france.fr.md": "post_id, source_url, excerpt, post_status",
}
"""The fields of each statement that presskit does not use, as the note lists them (in the file's order)."""
CITY = {
    "2018-11-23-sydney-colon.md": ("Sydney", True),
    "2018-11-23-wordpress-export.md": ("BRUSSELS", True),
    "2024-05-12-press-freedom-geneva.md": ("GENEVA", True),
    "2024-05-12-convention-securite.fr.md": ("GENÈVE", True),
    "2024-05-13-periodistas-madrid.es.md": ("MADRID", True),
    "2024-05-14-brussels-hugo.md": ("Brussels", False),
    "2024-05-15-kyiv-cms.uk.md": ("Київ", True),
    "2024-05-16-beijing.zh-Hans.md": ("北京", True),
    "2024-05-16-taipei.zh-Hant.md": ("臺北", True),
    "2024-05-17-geneva-cms.ar.md": ("جنيف", True),
    "2024-05-18-berlin.de.md": ("BERLIN", True),
    "2024-05-19-lisboa.pt.md": ("LISBOA", True),
    "2024-05-20-geneva-parenthesis.md": ("Geneva", True),
    "2024-05-21-paris-no-dateline.md": ("Paris", False),
    "2024-05-22-cms-france.fr.md": ("Paris", False),
    "2024-05-23-plain.es.md": ("Bogotá", False),
}
"""Each statement's dateline city, and whether its text opens with the dateline (else presskit adds one)."""
LANGUAGES = {"en", "fr", "es", "uk", "zh-Hans", "zh-Hant", "ar", "de", "pt"}
_NOT_WORD = re.compile(r"[\W_]+")
_LAM_ALEF = re.compile("ل([اأإآ])")


def _words(text: str) -> str:
    """Letters and digits only, case folded: punctuation, quotation marks, spaces and hyphenation differ by format."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def _as_extracted(text: str) -> str:
    """The words as pdftotext gives back an Arabic lam-alef ligature today: alef first (`الاتحاد` as `االتحاد`)."""
    # the order of the ligature's letters is the right-to-left checks' concern; here the words of every paragraph
    # are compared either way, so this test holds before and after that is mended
    return _LAM_ALEF.sub(r"\1ل", text)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, str]:
    """The corpus built once with two workers, in a project whose page template shows `extra.author`."""
    proj = make_project(tmp_path_factory.mktemp("sources-corpus") / "project", seed=False)
    for path in CORPUS.iterdir():
        shutil.copy2(path, proj.root / "sources" / path.name)
    page = proj.root / "layouts" / "default" / "page.html"
    html = page.read_text(encoding="utf-8")
    heading = "<h1>{{ s.title | isolate(s.lang) }}</h1>"
    byline = heading + '\n      {% if extra.author %}<p class="byline">{{ extra.author }}</p>{% endif %}'
    assert html.count(heading) == 1
    page.write_text(html.replace(heading, byline), encoding="utf-8")
    run = proj.doit("-n", "2")
    assert run.returncode == 0, run.output
    assert "Traceback" not in run.output
    return proj, run.output


def _paragraphs(path: Path) -> list[str]:
    """The text of every paragraph of a statement's body, as pandoc reads it (raw HTML tags left out)."""
    body = frontmatter.split(frontmatter.decode(path.read_bytes(), path.name), path.name).body
    blocks = pandoc.parse(body, path.name)["blocks"]
    found = [pandoc.stringify(b["c"]) for b in blocks if b["t"] in ("Para", "Plain")]
    return [text for text in found if text.strip()]


def _email_html(path: Path) -> str:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    part = msg.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def _texts(proj: Project, stem: str) -> dict[str, str]:
    """The statement's text in every format: the page's article, the e-mail's HTML, wire copy, DOCX and PDF."""
    import lxml.html

    article = html_tree(proj.output(stem, ".html")).find(".//article")
    assert article is not None
    mail = lxml.html.fromstring(_email_html(proj.output(stem, ".eml")))
    return {
        "html": article.text_content(),
        "eml": mail.text_content(),
        "txt": proj.output(stem, ".txt").read_text(encoding="utf-8"),
        "docx": "\n".join(text for _, text in docx_paragraphs(proj.output(stem, ".docx"))),
        "pdf": pdf_text(proj.output(stem, ".pdf")),
    }


def _output_stem(path: Path) -> str:
    from presskit.read.statement import sniff

    return sniff(path).stem


def test_the_corpus_has_every_language_and_source() -> None:
    assert len(STATEMENTS) >= 15
    langs = {frontmatter.split(p.read_text(encoding="utf-8"), p.name).fields.get("lang", "en") for p in STATEMENTS}
    assert langs == LANGUAGES
    starts = {p.read_text(encoding="utf-8").split("\n", 1)[0] for p in STATEMENTS}
    assert starts == {"---", "+++"}
    assert set(CITY) == {p.name for p in STATEMENTS}


@pytest.mark.parametrize("path", STATEMENTS, ids=lambda p: p.name)
def test_every_paragraph_arrives_in_every_format(corpus: tuple[Project, str], path: Path) -> None:
    proj, _ = corpus
    stem = _output_stem(path)
    built = [f.basename for f in BUILT_BY_DEFAULT]
    assert [f.basename for f in BUILT_BY_DEFAULT if proj.output(stem, f.suffix).exists()] == built
    texts = _texts(proj, stem)
    paragraphs = _paragraphs(path)
    assert len(paragraphs) >= 3
    for fmt, text in texts.items():
        found, at = _words(text), 0
        for paragraph in paragraphs:
            wanted = _words(paragraph)
            where = found.find(wanted, at)
            if where < 0 and fmt == "pdf":
                wanted = _words(_as_extracted(paragraph))
                where = found.find(wanted, at)
            assert where >= 0, (fmt, paragraph)
            at = where + len(wanted)


@pytest.mark.parametrize("path", STATEMENTS, ids=lambda p: p.name)
def test_the_dateline_appears_once_in_every_format(corpus: tuple[Project, str], path: Path) -> None:
    proj, output = corpus
    city, opens = CITY[path.name]
    written = _words(frontmatter.split(path.read_text(encoding="utf-8"), path.name).body).count(_words(city))
    expected = written if opens else written + 1  # presskit adds its own only to a text that does not open with one
    for fmt, text in _texts(proj, _output_stem(path)).items():
        assert _words(text).count(_words(city)) == expected, fmt
    notes = [line for line in output.splitlines() if line.startswith(f"sources/{path.name}:") and ": body: " in line]
    if opens:
        assert len(notes) == 1 and ": body: note: the text opens with its own dateline '" in notes[0], notes
    else:
        assert notes == []


def test_a_dateline_taken_from_the_text_names_the_statement_city(corpus: tuple[Project, str]) -> None:
    proj, output = corpus
    assert (
        "sources/2024-05-15-kyiv-cms.uk.md:13: body: note: the text opens with its own dateline 'Київ, 15 травня "
        "2024 року —', so presskit adds none and takes its city 'Київ' as the statement's dateline"
    ) in output.splitlines()
    scripts = html_tree(proj.output("kyiv-cms.uk", ".html")).xpath('//script[@type="application/ld+json"]')
    assert [json.loads(s.text)["locationCreated"]["name"] for s in scripts] == ["Київ"]


@pytest.mark.parametrize("path", STATEMENTS, ids=lambda p: p.name)
def test_fields_of_other_systems_are_noted_once(corpus: tuple[Project, str], path: Path) -> None:
    _, output = corpus
    notes = [
        line
        for line in output.splitlines()
        if line.startswith(f"sources/{path.name}:") and ": note: kept for templates as extra" in line
    ]
    if path.name not in EXTRA:
        assert notes == []
        return
    assert len(notes) == 1, notes
    fields = re.search(r"not used by presskit: (.*) \(e\.g\. \{\{ extra\.\w+ \}\}\)$", notes[0])
    assert fields is not None and fields.group(1) == EXTRA[path.name]


def test_templates_read_extra_fields(corpus: tuple[Project, str]) -> None:
    proj, _ = corpus
    bylines = html_tree(proj.output("press-freedom-geneva", ".html")).xpath('//p[@class="byline"]')
    assert [p.text_content() for p in bylines] == ["Anthony Bellanger"]
    assert html_tree(proj.output("safety-fund-appeal", ".html")).xpath('//p[@class="byline"]') == []


def test_a_raw_html_image_beside_the_statement_is_embedded(corpus: tuple[Project, str]) -> None:
    proj, output = corpus
    stem = "wordpress-export"
    alt = "Delegates raising their voting cards at the congress"
    images = html_tree(proj.output(stem, ".html")).xpath("//article//img")
    assert [(i.get("alt"), i.get("src", "")[:22]) for i in images] == [(alt, "data:image/png;base64,")]
    assert len(Document(str(proj.output(stem, ".docx"))).inline_shapes) == 1
    assert f"[{alt}]" in proj.output(stem, ".txt").read_text(encoding="utf-8")
    from pypdf import PdfReader

    page = PdfReader(proj.output(stem, ".pdf")).pages[0]
    assert [image.image.size for image in page.images if image.image is not None] == [(320, 200)]
    assert not [line for line in output.splitlines() if "delegates.png" in line]


def test_a_raw_html_image_from_the_web_shows_its_description(corpus: tuple[Project, str]) -> None:
    proj, output = corpus
    assert (
        "sources/2018-11-23-wordpress-export.md:21: image: warning: 'https://example.org/wp-content/uploads/2018/11/"
        "hall.jpg' is on the web, and nothing is downloaded while building: save the image into sources/ and write "
        "its file name, e.g. ![description](photo.jpg); its description shows in its place"
    ) in output.splitlines()
    for fmt, text in _texts(proj, "wordpress-export").items():
        assert _words("The congress hall before the vote") in _words(text), fmt
    assert "hall.jpg" not in proj.output("wordpress-export", ".html").read_text(encoding="utf-8")
