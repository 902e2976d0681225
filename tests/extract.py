"""Text out of every output format, the way a reader's program sees it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import lxml.html
from docx import Document

_IGNORED = re.compile(r"[\s\-\u2010\u2011\u00ad]+")


def squash(text: str) -> str:
    """Text without whitespace or hyphens, to compare across line breaks and hyphenation."""
    return _IGNORED.sub("", text)


def pdf_text(path: Path) -> str:
    """Text of a PDF, as poppler's pdftotext extracts it."""
    command = ["pdftotext", "-enc", "UTF-8", str(path), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every paragraph of a DOCX body."""
    return [(p.style.name if p.style is not None else "", p.text) for p in Document(str(path)).paragraphs]


def html_tree(path: Path) -> lxml.html.HtmlElement:
    """The parsed DOM of an HTML page."""
    return lxml.html.fromstring(path.read_bytes())


def html_text(path: Path) -> str:
    """Visible text of an HTML page's body."""
    body = html_tree(path).find("body")
    assert body is not None
    return body.text_content()


def seed_paragraphs(path: Path) -> list[str]:
    """The paragraphs of the published seed text, before its closing lines (contact, boilerplate)."""
    paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    end = next(i for i, p in enumerate(paragraphs) if p.startswith("For further information"))
    return paragraphs[1:end]  # the first line is the headline


def in_order(needles: list[str], haystack: str) -> list[str]:
    """The needles not found in order in the haystack (compared squashed); empty when all are."""
    text, pos, missing = squash(haystack), 0, []
    for needle in needles:
        found = text.find(squash(needle), pos)
        if found < 0:
            missing.append(needle)
        else:
            pos = found + len(squash(needle))
    return missing
