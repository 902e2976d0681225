"""Generated statements either build every output with all their text, or fail with a clear message.

Hypothesis writes front matter and Markdown: paragraphs, nested lists, block quotes, tables and headings
in many scripts with odd whitespace. Each statement is rendered in-process by the same action doit runs
(`statements.render`), so a traceback fails the test. Budget: PRESSKIT_EXAMPLES examples (default 8),
derandomized so that CI is repeatable; raise it locally to search harder:
`PRESSKIT_EXAMPLES=200 python3 -m pytest tests/test_properties.py`.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from doit.exceptions import TaskFailed
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presskit.read.brand import layout_names
from presskit.tasks import statements
from tests.conftest import make_project
from tests.extract import pdf_text

EXAMPLES = int(os.environ.get("PRESSKIT_EXAMPLES", "8"))
SCRIPTS = {
    "latin": "abcdefghijklmnopqrstuvwxyzàéîõüçñßøåæœ",
    "greek": "αβγδεζηθικλμνξοπρστυφχψω",
    "cyrillic": "абвгдежзийклмнопрстуфхцчшщыэюя",
    "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "hebrew": "אבגדהוזחטיכלמנסעפצקרשת",
    "han": "中国記者自由新闻報道政府网络言论",
    "kana": "あいうえおかきくけこさしすせそアイウエオカキクケコ",
    "hangul": "가나다라마바사아자차카타파하기자언론",
}
LANGS = ("en", "fr", "de", "es", "ar", "he", "ru", "el", "zh-Hans", "ja", "ko")
ODD_SPACE = st.sampled_from([" ", " ", " ", "  ", "\t", "\u00a0", " \u200b"])
CLEAR = re.compile(r"^sources/gen\.md(:\d+)?: \S")
_RTL = re.compile("[\u0590-\u08ff]")


def words(script: str) -> st.SearchStrategy[str]:
    """A word of 2 to 8 letters of one script."""
    return st.text(alphabet=SCRIPTS[script], min_size=2, max_size=8)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    """Words of one script, separated by odd whitespace, some emphasised."""
    script = draw(st.sampled_from(sorted(SCRIPTS)))
    parts = draw(st.lists(words(script), min_size=1, max_size=8))
    out = ""
    for i, word in enumerate(parts):
        style = draw(st.sampled_from(["", "", "", "*", "**"]))
        out += (draw(ODD_SPACE) if i else "") + f"{style}{word}{style}"
    return out


@dataclass
class Generated:
    """A statement's Markdown and the texts each output must show."""

    markdown: str
    texts: list[str]


@st.composite
def block(draw: st.DrawFn, depth: int = 0) -> Generated:
    """One block: paragraph, heading, nested list, block quote or table."""
    kind = draw(st.sampled_from(["para", "para", "heading", "list", "quote", "table"] if depth < 2 else ["para"]))
    if kind == "para":
        lines = draw(st.lists(sentence(), min_size=1, max_size=3))
        return Generated("\n".join(line + draw(st.sampled_from(["", " ", "  "])) for line in lines), lines)
    if kind == "heading":
        text = draw(sentence())
        return Generated(f"{'#' * draw(st.integers(2, 4))} {text}", [text])
    if kind == "quote":
        inner = draw(block(depth + 1))
        return Generated("\n".join(f"> {line}" for line in inner.markdown.split("\n")), inner.texts)
    if kind == "list":
        marker = draw(st.sampled_from(["-", "*", "1."]))
        items = draw(st.lists(sentence(), min_size=1, max_size=4))
        lines, texts = [], []
        for item in items:
            lines.append(f"{marker} {item}")
            texts.append(item)
            if draw(st.booleans()):
                sub = draw(st.lists(sentence(), min_size=1, max_size=3))
                lines += [f"    - {s}" for s in sub]
                texts += sub
        return Generated("\n".join(lines), texts)
    columns = draw(st.integers(1, 3))
    rows = draw(st.lists(st.lists(sentence(), min_size=columns, max_size=columns), min_size=2, max_size=4))
    table = ["| " + " | ".join(row) + " |" for row in rows]
    table.insert(1, "|" + "---|" * columns)
    return Generated("\n".join(table), [cell for row in rows for cell in row])


@st.composite
def statement(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A whole statement file and the texts of its body."""
    blocks = draw(st.lists(block(), min_size=1, max_size=5))
    fields: dict[str, object] = {
        "title": draw(sentence()).replace("*", "") + draw(st.sampled_from(["", ": a colon", " #hash", " {{ 7*7 }}"])),
        "date": f"{draw(st.integers(1990, 2030))}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}",
        "lang": draw(st.sampled_from(LANGS)),
    }
    if draw(st.booleans()):
        fields["summary"] = draw(sentence()).replace("*", "")
    if draw(st.booleans()):
        fields["tags"] = draw(st.lists(words("latin"), max_size=3))
    if draw(st.booleans()):
        fields["dateline"] = draw(words(draw(st.sampled_from(sorted(SCRIPTS))))).capitalize()
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    breakage = draw(st.sampled_from(["none"] * 6 + ["tab", "quote", "date", "unknown"]))
    if breakage == "tab":
        front = front.replace("title:", "title:\n\tx:", 1)
    elif breakage == "quote":
        front = front.replace("title: ", 'title: "', 1)
    elif breakage == "date":
        front = re.sub(r"date: '?\d{4}-\d\d-\d\d'?", "date: 2019-02-30", front)
    elif breakage == "unknown":
        front += "titel: typo\n"
    separator = draw(st.sampled_from(["\n\n", "\n\n\n", "\n \n"]))
    body = separator.join(b.markdown for b in blocks)
    return f"---\n{front}---\n\n{body}\n", [t for b in blocks for t in b.texts]


def _plain(text: str) -> str:
    """Text compared across outputs: no markup stars, no whitespace or hyphens, no presentation forms, no case."""
    text = unicodedata.normalize("NFKC", text.replace("*", "")).casefold()
    return re.sub(r"[\s\-\u2010\u2011\u00ad\u200b\u2060\u200e\u200f\u202a-\u202e\u2066-\u2069]+", "", text)


def _missing(expected: list[str], shown: str, fmt: str, rtl: bool) -> list[str]:
    """The expected texts an output's plain text lacks.

    pdftotext gives right-to-left lines in visual order and splits words where the PDF broke lines, so a
    PDF with right-to-left text is checked letter by letter: it must hold at least as many of each letter
    as the texts together, which still catches any paragraph left out.
    """
    if fmt == "pdf" and (rtl or any(_RTL.search(t) for t in expected)):
        have = Counter(shown)
        need = Counter(_plain("".join(expected)))
        return [f"{char!r} x{count - have[char]}" for char, count in need.items() if have[char] < count]
    return [t for t in expected if _plain(t) not in shown]


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    return " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def _html_text(path: Path) -> str:
    import lxml.html

    body = lxml.html.fromstring(path.read_bytes()).find(".//body")
    assert body is not None
    return str(body.text_content())


READERS = {"html": _html_text, "pdf": pdf_text, "docx": _docx_text, "txt": lambda p: p.read_text(encoding="utf-8")}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the brands' reference documents built, and no statement."""
    proj = make_project(tmp_path_factory.mktemp("properties") / "project", seed=False)
    for layout in layout_names(proj.root / "layouts"):
        target = proj.root / "build" / "_reference" / f"{layout}.docx"
        failed = statements.build_reference(layout, str(target), str(proj.root))
        assert failed is None, failed
    return proj.root


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(statement())
def test_a_generated_statement_builds_with_all_its_text_or_fails_clearly(
    workspace: Path, generated: tuple[str, list[str]]
) -> None:
    text, expected = generated
    source = workspace / "sources" / "gen.md"
    source.write_text(text, encoding="utf-8")
    out = workspace / "build" / "gen"
    shutil.rmtree(out, ignore_errors=True)
    results = {}
    for fmt in statements.FORMATS:
        target = out / f"gen{fmt.suffix}"
        results[fmt.basename] = statements.render(fmt.basename, str(source), str(target), str(workspace))
    failed = {name: str(result.message) for name, result in results.items() if isinstance(result, TaskFailed)}
    for name, message in failed.items():
        for line in message.strip().splitlines():
            assert CLEAR.match(line), f"{name}: {line}"
        assert not (out / f"gen.{name}").exists()
    for name, read in READERS.items():
        if name in failed:
            continue
        shown = _plain(read(out / f"gen.{name}"))
        rtl = re.search(r"^lang: (ar|he)$", text, re.MULTILINE) is not None
        missing = _missing(expected, shown, name, rtl)
        assert missing == [], f"{name} lacks {missing}\n{text}"
