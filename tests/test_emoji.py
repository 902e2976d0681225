"""Emoji build in every format: a plain one (📰), a flag (🇺🇦) and a ZWJ sequence with a skin tone (👩🏽‍💻).

The PDF is checked by rendering its page (poppler's pdftoppm) and looking at the pixels where each emoji is.
"""

from __future__ import annotations

import email
import email.policy
import itertools
import re
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest
from PIL import Image

from presskit.errors import InputError
from presskit.formats import glyphs, wire
from presskit.read import brand as brands
from tests.conftest import REPO, Project, make_project
from tests.extract import docx_paragraphs, html_text, html_tree, pdf_text

PAPER, FLAG, CODER, GLOBE = "📰", "🇺🇦", "👩🏽\u200d💻", "🌍"
EMOJI = (PAPER, FLAG, CODER)
TITLE = f"Newsroom {PAPER} stands with Ukraine {FLAG}"
SOURCE = f"""\
---
title: "{TITLE}"
date: 2024-03-01
dateline: Kyiv
---

Our developer {CODER} built the new site on 1 March 2024, and the whole newsroom {PAPER} thanks her for it {FLAG}.

Paper: {PAPER}

Flag: {FLAG}

Developer: {CODER}

Globe: {GLOBE}
"""
FORMATS = ("html", "pdf", "docx", "txt", "eml")
DPI = 100


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A statement full of emoji, built in every format."""
    proj = make_project(tmp_path_factory.mktemp("emoji") / "project", seed=False)
    proj.write("sources/emoji.md", SOURCE)
    run = proj.doit(*(f"{fmt}:emoji" for fmt in FORMATS))
    assert run.returncode == 0, run.output
    assert "Traceback" not in run.output
    return proj


def _default_brand() -> brands.Brand:
    return brands.load(REPO / "layouts", "default", REPO)


def test_every_format_is_built(built: Project) -> None:
    for suffix in (".html", ".pdf", ".docx", ".txt", ".eml"):
        assert built.output("emoji", suffix).stat().st_size > 0


def test_the_page_and_the_docx_keep_every_emoji(built: Project) -> None:
    page = html_text(built.output("emoji", ".html"))
    assert all(e in page for e in EMOJI)
    assert html_tree(built.output("emoji", ".html")).findtext(".//title").startswith(TITLE)
    paragraphs = [text for _, text in docx_paragraphs(built.output("emoji", ".docx"))]
    assert paragraphs[0] == TITLE
    assert f"Developer: {CODER}" in paragraphs and f"Flag: {FLAG}" in paragraphs


def test_the_wire_copy_keeps_emoji_as_utf8_within_its_width(built: Project) -> None:
    lines = built.output("emoji", ".txt").read_text(encoding="utf-8").splitlines()
    assert lines[2] == TITLE.upper()
    assert f"Developer: {CODER}" in lines and f"Flag: {FLAG}" in lines
    assert max(wire.width_of(line) for line in lines) <= 72


def test_an_emoji_counts_two_columns_and_is_never_cut() -> None:
    # 69 + space + one emoji of two columns = 72: it fits, however many code points the emoji has
    for e in (*EMOJI, GLOBE):
        assert wire.wrap("a" * 69 + f" {e} b", 72) == ["a" * 69 + f" {e}", "b"]
    for e in EMOJI:
        assert wire.width_of(e * 3) == 6
    # preformatted lines are cut to the width, between clusters: a flag or a ZWJ sequence stays whole
    for width in (40, 41, 42, 43):
        for e in (FLAG, CODER):
            lines = wire._hard_wrap("    " + e * 30, width)
            assert all(re.fullmatch(f" *(?:{re.escape(e)})+", line) for line in lines), (width, lines)
            assert all(wire.width_of(line) <= width for line in lines)


def test_ascii_wire_copy_names_each_emoji() -> None:
    assert wire.to_ascii(f"{PAPER} {FLAG} {CODER}") == ":newspaper: :Ukraine: :woman_technologist_medium_skin_tone:"
    assert wire.to_ascii("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f 1\ufe0f\u20e3 🇨🇼") == (
        ":Scotland: :keycap_1: :Curacao:"
    )
    assert wire.to_ascii("Zoë © ™ — ❤") == "Zoe (C) TM -- :heart:"  # text symbols keep their transliteration


def test_ascii_wire_copy_of_the_statement(tmp_path: Path) -> None:
    proj = make_project(tmp_path / "project", seed=False)
    brand_file = proj.root / "layouts" / "default" / "_brand.yml"
    brand_file.write_text(brand_file.read_text(encoding="utf-8").replace("ascii: false", "ascii: true"), "utf-8")
    proj.write("sources/emoji.md", SOURCE)
    run = proj.doit("txt:emoji")
    assert run.returncode == 0, run.output
    text = proj.output("emoji", ".txt").read_text(encoding="ascii")
    assert "NEWSROOM :newspaper: STANDS WITH UKRAINE :Ukraine:" in text  # upper case, then transliterated
    assert "Developer: :woman_technologist_medium_skin_tone:" in text.splitlines()


def test_the_email_has_an_encoded_subject_and_every_emoji(built: Project) -> None:
    raw = built.output("emoji", ".eml").read_bytes()
    subject = next(line for line in raw.split(b"\r\n") if line.startswith(b"Subject:"))
    assert subject.isascii() and b"=?utf-8?" in subject  # RFC 2047
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    assert msg["Subject"] == TITLE
    plain, html = (msg.get_body(preferencelist=(kind,)) for kind in ("plain", "html"))
    assert plain is not None and html is not None
    assert all(e in plain.get_content() and e in html.get_content() for e in EMOJI)
    attachments = [part.get_filename() for part in msg.iter_attachments()]
    assert "emoji.pdf" in attachments


def _words(pdf: Path) -> list[tuple[float, float, float, float, str]]:
    """Every word of the PDF's first page with its box, in points."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8", errors="replace")  # poppler writes astral characters as CESU-8
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in found]


def _after(words: list[tuple[float, float, float, float, str]], label: str, page: Image.Image) -> Image.Image:
    """The part of the rendered page just after a label: where the emoji that follows it is drawn."""
    top, right, bottom = next((y0, x1, y1) for _, y0, x1, y1, w in words if w == label)
    height = bottom - top
    return page.crop(_box((right, top - 0.3 * height, right + 2.5 * height, bottom + 0.3 * height, label)))


def _coloured(image: Image.Image) -> list[tuple[int, int, int]]:
    """Pixels that are not grey: any of the text's colours is far from them."""
    data = image.convert("RGB").tobytes()
    pixels = (tuple(data[i : i + 3]) for i in range(0, len(data), 3))
    return [(r, g, b) for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 60]


def _inked_columns(image: Image.Image) -> int:
    """How many columns of the image hold anything but white."""
    grey = image.convert("L")
    data, width = grey.tobytes(), grey.width
    return sum(1 for x in range(width) if any(data[y * width + x] < 230 for y in range(grey.height)))


def _box(word: tuple[float, float, float, float, str]) -> tuple[int, int, int, int]:
    """A word's box in pixels of the rendered page."""
    x0, y0, x1, y1, _ = word
    return int(x0 * DPI / 72), int(y0 * DPI / 72), int(x1 * DPI / 72), int(y1 * DPI / 72)


@pytest.fixture(scope="module")
def rendered(built: Project, tmp_path_factory: pytest.TempPathFactory) -> tuple[Image.Image, list]:
    """The PDF's first page as pixels, and its words with their boxes."""
    out = tmp_path_factory.mktemp("render") / "page"
    pdf = built.output("emoji", ".pdf")
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(out)],
                   check=True)  # fmt: skip
    return Image.open(out.with_suffix(".png")).convert("RGB"), _words(pdf)


def test_the_pdf_draws_the_emoji_in_colour(rendered: tuple[Image.Image, list]) -> None:
    page, words = rendered
    height = DPI / 72 * 10  # about the body text's line
    flag = _coloured(_after(words, "Flag:", page))
    assert any(b > r + 60 and b > 120 for r, g, b in flag), "no blue of the Ukrainian flag"
    assert any(r > 180 and g > 150 and b < 100 for r, g, b in flag), "no yellow of the Ukrainian flag"
    coder = _after(words, "Developer:", page)
    assert len(_coloured(coder)) > 50
    assert any(r > g + 20 > b + 20 and 100 < r < 230 for r, g, b in _coloured(coder)), "no medium skin tone"
    globe = _coloured(_after(words, "Globe:", page))
    assert any(g > r + 40 for r, g, b in globe) and any(b > r + 40 for r, g, b in globe), "no green and blue globe"
    # one glyph each, not the letters U and A nor a woman beside a laptop
    for label in ("Flag:", "Developer:"):
        assert 0.6 * height < _inked_columns(_after(words, label, page)) < 1.8 * height, label
    paper = _after(words, "Paper:", page)  # the newspaper is grey in Noto Color Emoji: drawn, then
    assert 0.6 * height < _inked_columns(paper) < 1.8 * height
    # the text around them stays grey
    dateline = [w for w in words if w[4] in ("KYIV,", "1", "March", "2024")][:4]
    assert [w[4] for w in dateline] == ["KYIV,", "1", "March", "2024"]
    assert all(_coloured(page.crop(_box(w))) == [] for w in dateline)


def test_digits_and_spaces_stay_in_the_text_font(rendered: tuple[Image.Image, list]) -> None:
    # With the emoji font named in the font list as "... Emoji", Pango drew digits and spaces from it: wide gaps.
    _, words = rendered
    dateline = [w for w in words if w[4] in ("KYIV,", "1", "March", "2024")][:4]
    gaps = [b[0] - a[2] for a, b in itertools.pairwise(dateline)]
    assert all(0 < gap < 4 for gap in gaps), gaps
    assert all(w[2] - w[0] < 25 for w in dateline if w[4] == "2024")


def test_the_pdf_text_layer_keeps_the_emoji(built: Project) -> None:
    text = pdf_text(built.output("emoji", ".pdf"))
    assert f"Flag: {FLAG}" in text and f"Paper: {PAPER}" in text


def test_the_glyph_check_knows_the_emoji_font() -> None:
    assert glyphs.emoji_font() is not None, "no colour emoji font: install fonts-noto-color-emoji (./setup does)"
    assert glyphs.missing(SOURCE, _default_brand()) == []


def test_a_missing_emoji_font_is_reported_by_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(glyphs, "system_ranges", lambda: glyphs._merge([(0x20, 0x7E)]))
    brand = _default_brand()
    assert glyphs.missing(SOURCE, brand) == [PAPER, FLAG, CODER, GLOBE]
    with pytest.raises(InputError) as caught:
        glyphs.check(SOURCE, brand, "sources/emoji.md", SOURCE)
    assert str(caught.value) == (
        "sources/emoji.md:2: text: no installed font has these characters: '📰' (emoji newspaper: U+1F4F0), "
        "'🇺🇦' (emoji Ukraine: U+1F1FA U+1F1E6), "
        "'👩🏽\u200d💻' (emoji woman technologist medium skin tone: U+1F469 U+1F3FD U+200D U+1F4BB), "
        "'🌍' (emoji globe showing Europe-Africa: U+1F30D); "
        "install the font package fonts-noto-color-emoji (e.g. `apt-get install fonts-noto-color-emoji`), "
        "or add a font file that has them to layouts/default/fonts/ and list it under typography.fonts in "
        "layouts/default/_brand.yml"
    )
