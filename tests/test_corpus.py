"""pandoc's own Markdown test files, used as statement bodies, build in every format or fail clearly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from presskit.formats import BUILT_BY_DEFAULT as FORMATS
from presskit.prepare import pandoc
from tests.conftest import SHARED, Project, make_project
from tests.extract import docx_paragraphs, html_text, pdf_text

CORPUS = sorted((SHARED / "corpus" / "pandoc").glob("*"))
_WORD = re.compile(r"\w+")
IMAGES = {"lalune.jpg": ((320, 240), "#1d3557"), "movie.jpg": ((48, 48), "#e63946")}
"""The pictures testsuite.txt and writer.markdown show, drawn as small placeholders."""
EXPECTED_TO_FAIL: dict[str, str] = {}
"""Corpus files that must not build, each with the reason its message gives."""


def _stem(path: Path) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.name.lower()).strip("-")


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, str]:
    proj = make_project(tmp_path_factory.mktemp("corpus") / "project", seed=False)
    for name, (size, colour) in IMAGES.items():
        image = Image.new("RGB", size, colour)
        ImageDraw.Draw(image).ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill="#f1faee")
        image.save(proj.root / "sources" / name, quality=85)
    for path in CORPUS:
        body = path.read_text(encoding="utf-8")
        proj.write(f"sources/{_stem(path)}.md", f"---\ntitle: Corpus {path.name}\ndate: 2018-11-23\n---\n\n{body}")
    run = proj.doit("-n", "2")
    return proj, run.output


def _paragraph_words(body: str) -> list[list[str]]:
    ast = pandoc.parse(body, "corpus")
    # digits are left out: note and link numbers ("text1", "text [1]") are each format's own additions
    # math is typeset (MathML, or its TeX in plain text), so only prose paragraphs are compared word for word
    prose = [b for b in ast["blocks"] if b["t"] == "Para" and '"Math"' not in json.dumps(b)]
    # an image's description is its alt text, not words of the paragraph, in the page and the PDF
    text = [pandoc.stringify([node for node in b["c"] if node["t"] != "Image"]) for b in prose]
    words = [_WORD.findall(re.sub(r"\d+", " ", t)) for t in text]
    return [w[:5] for w in words if w]


def _in_order(words: list[str], text: str) -> bool:
    """Whether the words occur in order, each within a few words of the one before."""
    tokens = _WORD.findall(re.sub(r"\d+", " ", text))
    for start, token in enumerate(tokens):
        if token != words[0]:
            continue
        pos, ok = start, True
        for word in words[1:]:
            window = tokens[pos + 1 : pos + 4]
            if word not in window:
                ok = False
                break
            pos += 1 + window.index(word)
        if ok:
            return True
    return False


def test_corpus_is_present() -> None:
    assert len(CORPUS) >= 5


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_builds_in_every_format_or_fails_as_expected(corpus_build: tuple[Project, str], path: Path) -> None:
    proj, output = corpus_build
    stem = _stem(path)
    assert "Traceback" not in output
    built = [fmt.basename for fmt in FORMATS if proj.output(stem, fmt.suffix).exists()]
    if path.name in EXPECTED_TO_FAIL:
        assert built != [fmt.basename for fmt in FORMATS], f"{path.name} builds now: take it off EXPECTED_TO_FAIL"
        assert f"sources/{stem}.md" in output and EXPECTED_TO_FAIL[path.name] in output, output
        return
    assert built == [fmt.basename for fmt in FORMATS], output
    texts = {
        "html": html_text(proj.output(stem, ".html")),
        "txt": proj.output(stem, ".txt").read_text(encoding="utf-8"),
        "pdf": re.sub(r"-\n", "", pdf_text(proj.output(stem, ".pdf"))),
        "docx": "\n".join(text for _, text in docx_paragraphs(proj.output(stem, ".docx"))),
    }
    for words in _paragraph_words(path.read_text(encoding="utf-8")):
        for fmt, text in texts.items():
            assert _in_order(words, text), (fmt, words)


def test_the_placeholder_images_are_shown(corpus_build: tuple[Project, str]) -> None:
    proj, _ = corpus_build
    page = proj.output("testsuite-txt", ".html").read_text(encoding="utf-8")
    assert page.count('src="data:image/jpeg;base64,') == 2
