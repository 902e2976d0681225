"""pandoc's own Markdown test files, used as statement bodies, build in every format or fail clearly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from presskit import pandoc
from presskit.tasks import FORMATS
from tests.conftest import SHARED, Project, make_project
from tests.extract import html_text, pdf_text

CORPUS = sorted((SHARED / "corpus" / "pandoc").glob("*"))
_WORD = re.compile(r"\w+")


def _stem(path: Path) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.name.lower()).strip("-")


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, str]:
    proj = make_project(tmp_path_factory.mktemp("corpus") / "project", seed=False)
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
    words = [_WORD.findall(re.sub(r"\d+", " ", pandoc.stringify(b["c"]))) for b in prose]
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
def test_builds_or_fails_clearly(corpus_build: tuple[Project, str], path: Path) -> None:
    proj, output = corpus_build
    stem = _stem(path)
    assert "Traceback" not in output
    built = [fmt for fmt in FORMATS if proj.output(stem, fmt.suffix).exists()]
    if len(built) != len(FORMATS):
        # every format that did not build says why, naming the statement
        assert f"sources/{stem}.md" in output, output
        return
    texts = {
        "html": html_text(proj.output(stem, ".html")),
        "txt": proj.output(stem, ".txt").read_text(encoding="utf-8"),
        "pdf": re.sub(r"-\n", "", pdf_text(proj.output(stem, ".pdf"))),
    }
    for words in _paragraph_words(path.read_text(encoding="utf-8")):
        for fmt, text in texts.items():
            assert _in_order(words, text), (fmt, words)
