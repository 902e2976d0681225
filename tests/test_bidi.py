"""Right-to-left statements: numbers, addresses and Latin text inside them keep their own order in every format."""

from __future__ import annotations

import email
import email.policy
import html
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pypdf import PdfReader

from presskit.prepare import bidi
from tests.conftest import Project, make_project
from tests.extract import pdf_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PHONE = "+32 2 000 00 00"
GROUPS = PHONE.split(" ")
ENGLISH = "The IFJ stands with journalists in China."
ARABIC = f"""---
title: الاتحاد الدولي للصحفيين يدين إغلاق الحسابات
date: 2018-11-23
dateline: سيدني
lang: ar
---

أعرب الاتحاد الدولي للصحفيين عن قلقه البالغ إزاء حرية التعبير في الصين بعد إغلاق آلاف الحسابات على وسائل
التواصل الاجتماعي، وطالب السلطات بالكف عن ملاحقة الصحفيين والناشطين على الإنترنت. لا يمكن السكوت عن ذلك، ولا
بد من الإفراج عن المعتقلين فورا، فالإعلام الحر لا غنى عنه لكل مجتمع يحترم القانون والإنسان.

للاستفسار اتصلوا على {PHONE} أو راسلوا press@example.org أو زوروا https://www.ifj.org/media-centre أو تابعوا
@ifjglobal على تويتر.

وقال الأمين العام: {ENGLISH} ثم أضاف أن الاتحاد سيواصل العمل.
"""
HEBREW = f"""---
title: הפדרציה הבינלאומית של העיתונאים מגנה את סגירת החשבונות
date: 2018-11-23
lang: he
---

הפדרציה הבינלאומית של העיתונאים (IFJ) מביעה דאגה עמוקה לנוכח סגירתם של אלפי חשבונות ברשתות החברתיות, וקוראת לרשויות
להפסיק לרדוף עיתונאים ופעילים ברשת. אי אפשר לשתוק מול המצב הזה, ויש לשחרר את העצורים מיד, כי עיתונות חופשית
חיונית לכל חברה המכבדת את החוק ואת האדם, ואת זכותו של הציבור לדעת מה נעשה בשמו. הפדרציה תמשיך לעקוב אחר
המצב, תתעד כל פגיעה בעיתונאים ותדווח עליה לגופים הבין־לאומיים, עד שכל העצורים ישוחררו והחשבונות ייפתחו מחדש.

לפרטים נוספים התקשרו למספר {PHONE} או כתבו אל press@example.org או בקרו באתר https://www.ifj.org.
"""
LONG_PARAGRAPH = (
    "أعرب الاتحاد الدولي للصحفيين عن قلقه البالغ إزاء حرية التعبير بعد إغلاق آلاف الحسابات على وسائل التواصل "
    "الاجتماعي، وطالب السلطات بالكف عن ملاحقة الصحفيين والناشطين على الإنترنت والإفراج عن المعتقلين فورا."
)
LONG_ARABIC = (
    """---
title: الاتحاد الدولي للصحفيين IFJ يطالب بالإفراج عن 25 صحفيا
date: 2018-11-23
dateline: سيدني
lang: ar
---

"""
    + "\n\n".join([LONG_PARAGRAPH] * 16)
    + "\n"
)
ENGLISH_STATEMENT = """---
title: A justified statement
date: 2018-11-23
---

The International Federation of Journalists has voiced its deep concern over freedom of expression after thousands
of accounts were closed on social media, and called on the authorities to stop pursuing journalists and activists
online. It said the closures were part of a sustained campaign that no free press can accept without a word.
"""


@pytest.fixture(scope="module")
def rtl(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """An Arabic statement with a phone number, an address, a URL, a handle and an English sentence, built."""
    proj = make_project(tmp_path_factory.mktemp("bidi") / "project", seed=False)
    proj.write("sources/arabic.md", ARABIC)
    proj.write("sources/english.md", ENGLISH_STATEMENT)
    proj.write("sources/arabic-long.md", LONG_ARABIC)
    if _has_font("he"):
        proj.write("sources/hebrew.md", HEBREW)
    run = proj.doit()
    assert run.returncode == 0, run.output
    return proj


def _has_font(lang: str) -> bool:
    """Whether an installed font covers a language."""
    found = subprocess.run(["fc-list", f":lang={lang}", "family"], capture_output=True, text=True)
    return bool(found.stdout.strip())


def _logical(line: str) -> str:
    """A line of pdftotext's output without its embedding marks, spaces collapsed."""
    return " ".join(re.sub("[\u202a-\u202e\u2066-\u2069]", "", line).split())


def _words(pdf: Path, page: int = 1) -> list[tuple[float, float, float, str]]:
    """(xMin, yMin, xMax, text) of every word of a PDF page, as poppler lays them out."""
    layout = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', layout)
    return [(float(x0), float(y0), float(x1), text) for x0, y0, x1, text in found]


def _phones(words: list[tuple[float, float, float, str]]) -> list[list[str]]:
    """Each phone number on a page as its groups in visual order, left to right, found by its first group's line."""
    rows = []
    for x0, y0, _x1, text in words:
        if text not in ("+32", "32+"):  # the first group, whichever side its + is drawn
            continue
        line = sorted((w for w in words if abs(w[1] - y0) < 8 and abs(w[0] - x0) < 120), key=lambda w: w[0])
        groups = [w[3] for w in line if re.fullmatch(r"\+?\d+\+?", w[3])]
        start = next(i for i, g in enumerate(groups) if "32" in g)
        rows.append(groups[max(0, start - 4) : start + 5])
    return rows


def test_runs_written_left_to_right_are_isolated() -> None:
    segments = bidi.plain(f"اتصلوا على {PHONE} أو راسلوا press@example.org. {ENGLISH} ثم", "ar")
    assert f"{bidi.LRI}{PHONE}{bidi.PDI} أو" in segments
    assert f"{bidi.LRI}press@example.org{bidi.PDI}." in segments, "an address's full stop is the Arabic sentence's"
    assert f"{bidi.LRI}{ENGLISH}{bidi.PDI} ثم" in segments, "an English sentence keeps its full stop"
    assert f"قال {bidi.LRI}Mr. Smith{bidi.PDI} إن" in bidi.plain("قال Mr. Smith إن", "ar"), "one name, one run"
    assert bidi.plain("الاتحاد (IFJ). يدين", "ar") == f"الاتحاد {bidi.LRI}(IFJ){bidi.PDI}. يدين", "brackets together"
    assert str(bidi.html("של (IFJ) מביעה", "he")) == 'של <span dir="ltr">(IFJ)</span> מביעה'
    embargo = "حتى 00:01 CET، 24 نوفمبر 2018 (23:01 GMT، 23 نوفمبر): الاتحاد"
    assert bidi.plain(embargo, "ar") == (
        f"حتى 00:01 {bidi.LRI}CET{bidi.PDI}، 24 نوفمبر 2018 (23:01 {bidi.LRI}GMT{bidi.PDI}، 23 نوفمبر): الاتحاد"
    ), "an Arabic comma ends a run, and a bracket the Arabic text closes is not taken into one"
    assert bidi.plain("سيدني، 23 نوفمبر 2018", "ar") == "سيدني، 23 نوفمبر 2018", "a lone number needs nothing"
    assert bidi.plain(f"Call {PHONE}", "en") == f"Call {PHONE}", "left-to-right statements are left as they are"
    assert str(bidi.html("نبذة عن <IFJ>", "ar")) == 'نبذة عن <span dir="ltr">&lt;IFJ&gt;</span>'
    lines = bidi.closed_lines([f"على {bidi.LRI}The IFJ stands", f"with journalists.{bidi.PDI} ثم"])
    assert lines == [f"على {bidi.LRI}The IFJ stands{bidi.PDI}", f"{bidi.LRI}with journalists.{bidi.PDI} ثم"]


def test_pdf_shows_the_phone_number_and_sentences_in_their_own_order(rtl: Project) -> None:
    words = _words(rtl.output("arabic", ".pdf"))
    phones = _phones(words)
    assert len(phones) == 2, f"the body's and the contact's phone number: {phones}"
    for groups in phones:
        assert groups == GROUPS, f"left to right on the page: {groups}"
    texts = [w[3] for w in words]
    assert "countries." in texts and ".The" not in texts, "the About sentence ends with its full stop on the right"
    assert "China." in texts, "the English sentence in the body ends with its full stop on the right"
    handle = next(w for w in words if "ifjglobal" in w[3] and "Twitter" not in w[3])
    assert handle[3] == "@ifjglobal", "the handle's @ is on its left"


def test_justified_lines_reach_both_margins(rtl: Project) -> None:
    for stem in ("arabic", "english", *(["hebrew"] if _has_font("he") else [])):
        command = ["pdftotext", "-bbox-layout", str(rtl.output(stem, ".pdf")), "-"]
        layout = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        blocks = re.findall(r"<block [^>]*>(.*?)</block>", layout, re.DOTALL)
        lines = [
            [(float(x0), float(x1)) for x0, x1 in re.findall(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', b)]
            for b in blocks
        ]
        paragraph = max(lines, key=len)  # the first body paragraph: the longest block, justified
        assert len(paragraph) >= 3, (stem, paragraph)
        width = float(re.search(r'<page width="([\d.]+)"', layout).group(1))  # type: ignore[union-attr]
        margin = 20 / 25.4 * 72  # print.css: 20 mm on either side
        for x0, x1 in paragraph[:-1]:  # a glyph's side bearing may reach a little past the margin, never 4 mm short
            assert abs(x0 - margin) < 1.5 and abs(x1 - (width - margin)) < 1.5, f"{stem}: a line {x0:.1f}-{x1:.1f}"


def test_running_heads_and_feet_of_a_right_to_left_pdf_are_mirrored(rtl: Project) -> None:
    pdf = rtl.output("arabic-long", ".pdf")
    width = float(PdfReader(pdf).pages[0].mediabox.width)
    assert len(PdfReader(pdf).pages) >= 2
    first, second = _words(pdf, 1), _words(pdf, 2)
    head = sorted((w for w in second if w[1] < 60), key=lambda w: w[0])
    organisation = [w for w in head if w[3] in ("International", "Journalists")]
    title = [w for w in head if w not in organisation and w[3] != "Federation" and w[3] != "of"]
    assert organisation and all(w[0] > width / 2 for w in organisation), f"the organisation on the right: {head}"
    assert title and all(w[2] < width / 2 for w in title), f"the title on the left: {head}"
    # the title reads right to left: its first word rightmost, IFJ and 25 in between in their own order
    texts = [w[3] for w in title]
    assert "IFJ" in texts and "25" in texts and texts.index("25") < texts.index("IFJ"), texts
    height = float(PdfReader(pdf).pages[0].mediabox.height)
    foot = [w for w in second if w[1] > height - 60]
    digits = [w for w in foot if w[3] == "2"]
    assert digits and all(w[0] > width / 2 for w in foot), f"the page number on the right: {foot}"
    more = [w for w in first if w[1] > height - 60 and "يتبع" in (w[3], w[3][::-1])]
    assert more and more[0][2] < width / 2, f"'- more -' on the left of the first page: {first[-8:]}"
    english = [w for w in _words(rtl.output("english", ".pdf")) if w[1] > height - 60]
    assert english and all(w[2] < width / 2 for w in english), f"a left-to-right page number on the left: {english}"


_EXTRACTORS = {
    "pypdf": lambda pdf: "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages),
    "pdftotext": pdf_text,
}


@pytest.mark.parametrize("extractor", sorted(_EXTRACTORS))
def test_pdf_text_copies_in_logical_order_with_ligatures(rtl: Project, extractor: str) -> None:
    text = _EXTRACTORS[extractor](rtl.output("arabic", ".pdf"))
    # poppler wraps punctuation in its own embedding marks and spaces: words are compared without either
    words = set(re.sub("[\u202a-\u202e.,:\u060c]", " ", text).split())
    expected = ["الاتحاد", "إغلاق", "لا", "الإفراج", "ولا", "فالإعلام", "للاستفسار", "الإنترنت", "والإنسان"]
    missing = [w for w in expected if w not in words]
    assert missing == [], f"{extractor} gives these words split or reversed: {missing}"


def test_docx_paragraphs_and_runs_are_right_to_left(rtl: Project) -> None:
    document = etree.fromstring(zipfile.ZipFile(rtl.output("arabic", ".docx")).read("word/document.xml"))
    paragraphs = list(document.iter(f"{{{W}}}p"))
    texts = ["".join(p.itertext()).strip() for p in paragraphs]
    for needed in ("الاتحاد الدولي للصحفيين يدين", "International Federation of Journalists", "23 نوفمبر 2018"):
        # the title, the author and the date (a right-to-left mark after its day: see the LibreOffice test)
        assert any(needed in t.replace("\u200f", "") for t in texts), needed
    for paragraph, text in zip(paragraphs, texts, strict=True):
        assert paragraph.find(f"{{{W}}}pPr/{{{W}}}bidi") is not None, f"not right to left: {text}"
    runs = [(r, "".join(t.text or "" for t in r.iter(f"{{{W}}}t"))) for r in document.iter(f"{{{W}}}r")]
    for run, text in runs:
        rtl_mark = run.find(f"{{{W}}}rPr/{{{W}}}rtl") is not None
        if re.search("[\u0600-\u06ff]", text):
            assert rtl_mark, f"an Arabic run without w:rtl: {text}"
        elif re.search("[A-Za-z]", text):
            assert not rtl_mark, f"a Latin run marked w:rtl: {text}"
    header = etree.fromstring(zipfile.ZipFile(rtl.output("arabic", ".docx")).read("word/header1.xml"))
    assert all(p.find(f"{{{W}}}pPr/{{{W}}}bidi") is not None for p in header.iter(f"{{{W}}}p")), "the header too"
    phone = [text for _run, text in runs if PHONE in text]
    assert phone and all(text == f"{bidi.LRI}{PHONE}{bidi.PDI}" for text in phone), phone


def test_docx_shows_the_phone_number_in_order_in_libreoffice(rtl: Project, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(rtl.output("arabic", ".docx"))],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    words = _words(tmp_path / "arabic.pdf")
    phones = _phones(words)
    assert len(phones) == 2 and all(groups == GROUPS for groups in phones), phones
    day = next(w for w in words if w[3] == "23")
    month = next(w for w in words if w[3] in ("نوفمبر", "نوفمبر"[::-1]) and abs(w[1] - day[1]) < 2)
    assert day[0] - month[2] > 1, f"the date's field keeps the space between 23 and the month: {day}, {month}"
    assert "countries." in [w[3] for w in words]
    footer = [line for line in pdf_text(tmp_path / "arabic.pdf").splitlines() if "الصفحة" in line]
    # Logical order, right to left; pdftotext loses the space after the page field's digit: spaces not compared.
    assert [_logical(line).replace(" ", "") for line in footer] == ["الصفحة1من1"], footer


def test_wire_copy_isolates_what_is_written_left_to_right(rtl: Project) -> None:
    wire = rtl.output("arabic", ".txt").read_text(encoding="utf-8")
    assert f"{bidi.LRI}{PHONE}{bidi.PDI}" in wire.split("\n"), "the contact's phone number on its own line"
    body = next(ln for ln in wire.splitlines() if "اتصلوا" in ln)
    assert f"{bidi.LRI}{PHONE}{bidi.PDI}" in body
    assert f"{bidi.LRI}@ifjglobal{bidi.PDI}" in wire and f"{bidi.LRI}press@example.org{bidi.PDI}" in wire
    for line in wire.splitlines():
        opened = sum(line.count(c) for c in (bidi.LRI, bidi.RLI, bidi.FSI))
        assert opened == line.count(bidi.PDI), f"each line closes its isolates: {line!r}"
    english = rtl.output("english", ".txt").read_text(encoding="utf-8")
    assert not re.search("[\u2066-\u2069]", english), "no isolate in a left-to-right statement"



_GROUP_POSITIONS = """(phone) => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const start = node.data.indexOf(phone);
    if (start < 0) continue;
    const lefts = [];
    let at = start;
    for (const group of phone.split(' ')) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + group.length);
      lefts.push([group, range.getClientRects()[0].left]);
      at += group.length + 1;
    }
    found.push(lefts.sort((a, b) => a[1] - b[1]).map(g => g[0]));
  }
  return found;
}"""


def test_page_and_email_show_the_phone_number_in_order_in_chromium(rtl: Project, chromium: Any) -> None:
    message = email.message_from_bytes(rtl.output("arabic", ".eml").read_bytes(), policy=email.policy.default)
    part = next(p for p in message.walk() if p.get_content_type() == "text/html")
    mail_html = part.get_content()  # type: ignore[attr-defined]
    for name, load in (("page", "goto"), ("e-mail", "set_content")):
        tab = chromium.new_page(viewport={"width": 1000, "height": 900})
        try:
            if load == "goto":
                tab.goto(rtl.output("arabic", ".html").as_uri())
            else:
                tab.set_content(mail_html)
            orders = tab.evaluate(_GROUP_POSITIONS, PHONE)
            assert len(orders) == 2, f"{name}: the body's and the contact's phone number: {orders}"
            assert all(order == GROUPS for order in orders), f"{name}: left to right on the screen: {orders}"
            shot = rtl.output("arabic", ".html").parent / f"bidi-{name}.png"
            tab.screenshot(path=str(shot), full_page=True)
            print(f"screenshot: {shot}")
        finally:
            tab.close()


_WORD_LEFTS = """(words) => {
  const node = document.getElementById('subject').firstChild;
  return words.map(word => {
    const range = document.createRange();
    const at = node.data.indexOf(word);
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    return range.getClientRects()[0].left;
  });
}"""


def test_email_subject_reads_right_to_left_in_any_mail_program(rtl: Project, chromium: Any) -> None:
    from presskit.formats import mail

    message = email.message_from_bytes(rtl.output("arabic-long", ".eml").read_bytes(), policy=email.policy.default)
    subject = str(message["Subject"])
    title = f"الاتحاد الدولي للصحفيين {bidi.LRI}IFJ{bidi.PDI} يطالب بالإفراج عن 25 صحفيا"
    assert subject == f"{mail.RLM}{bidi.RLI}{title}{bidi.PDI}"
    english = email.message_from_bytes(rtl.output("english", ".eml").read_bytes(), policy=email.policy.default)
    assert str(english["Subject"]) == "A justified statement"
    # a mail program that lays the subject out from its first letter (auto), and one that always sets it left to
    # right: the title's first word on the right, its last on the left, the name in between
    for direction in ("auto", "ltr"):
        tab = chromium.new_page(viewport={"width": 1000, "height": 200})
        try:
            tab.set_content(f'<div dir="{direction}"><span id="subject">{html.escape(subject)}</span></div>')
            first, name, last = tab.evaluate(_WORD_LEFTS, ["الاتحاد", "IFJ", "صحفيا"])
            assert first > name > last, (direction, first, name, last)
        finally:
            tab.close()


def test_the_brands_accounts_stay_inside_the_card_on_a_phone(rtl: Project, chromium: Any) -> None:
    # the default brand's Facebook handle is one word of 36 letters, wider than a phone's column
    for stem in ("arabic", "english"):
        tab = chromium.new_page(viewport={"width": 375, "height": 900})
        try:
            tab.goto(rtl.output(stem, ".html").as_uri())
            outside = tab.evaluate(
                """() => { const card = document.querySelector('article').getBoundingClientRect();
                     return [...document.querySelectorAll('.social a')].flatMap(a => [...a.getClientRects()])
                       .filter(r => r.left < card.left - 0.5 || r.right > card.right + 0.5)
                       .map(r => [r.left, r.right, card.left, card.right]); }"""
            )
            assert outside == [], f"{stem}: accounts beyond the card: {outside}"
        finally:
            tab.close()


def test_hebrew_keeps_the_phone_number_in_order(rtl: Project) -> None:
    if not _has_font("he"):
        pytest.skip("no Hebrew font is installed")
    phones = _phones(_words(rtl.output("hebrew", ".pdf")))
    assert len(phones) == 2 and all(groups == GROUPS for groups in phones), phones
    assert "(IFJ)" in [w[3] for w in _words(rtl.output("hebrew", ".pdf"))], "both brackets on their own side"
    wire = rtl.output("hebrew", ".txt").read_text(encoding="utf-8")
    assert f"{bidi.LRI}{PHONE}{bidi.PDI}" in wire


def test_a_translated_docx_comes_back_without_the_isolates(rtl: Project) -> None:
    from presskit.translate import importer

    translated = importer.read(rtl.output("arabic", ".docx"), "arabic.fa.docx", "fa")
    source = importer.markdown(translated, rtl.root / "sources" / "arabic.md", "fa")
    assert PHONE in source and ENGLISH in source
    assert not re.search("[\u2066-\u2069]", source), "the isolates presskit wrote are not the translator's text"
