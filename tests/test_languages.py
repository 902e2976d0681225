"""Every language builds as a first-class statement: French, Chinese and Arabic conventions in every output."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from presskit.formats import glyphs
from presskit.formats.wire import _NO_BREAK_AFTER, _NO_BREAK_BEFORE, width_of, wrap
from presskit.prepare import conventions
from presskit.read import brand as brands
from tests.conftest import REPO, SEED_SLUG, Project, make_project
from tests.extract import docx_paragraphs, html_text, html_tree, in_order, pdf_text, squash

NNBSP = "\u202f"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FR, ZH = f"{SEED_SLUG}.fr", f"{SEED_SLUG}.zh-Hans"

FRENCH = """---
title: "Liberté de la presse : la FIJ s’inquiète"
date: 2019-05-03
dateline: Bruxelles
lang: fr
---

Le secrétaire général a déclaré : "Nous ne nous tairons pas !" Pourquoi ? Parce que 1 200 journalistes
sont menacés ; la réunion commence à 10:30, voir https://example.org/a:b pour le programme.

Il a ajouté: «Assez»! Le texte 'cité' reste entre guillemets.
"""

ARABIC = """---
title: الاتحاد الدولي للصحفيين يدين إغلاق الحسابات
date: 2018-11-23
dateline: سيدني
lang: ar
---

أعرب الاتحاد الدولي للصحفيين عن قلقه البالغ إزاء حرية التعبير في الصين بعد إغلاق آلاف الحسابات
على وسائل التواصل الاجتماعي، وطالب السلطات بالكف عن ملاحقة الصحفيين والناشطين على الإنترنت.

قال الاتحاد: "هذا هجوم مستمر".
"""

TRADITIONAL = """---
title: 國際記者聯會關注中國網絡打壓
date: 2018-11-23
dateline: 悉尼
lang: zh-Hant
layout: asia-pacific
---

中國政府的網絡打壓仍在持續，數千個社交媒體帳號遭到關閉。國際記者聯會對中國的言論自由狀況表示強烈關注。
"""


@pytest.fixture(scope="module")
def languages(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The seed with its French and Chinese translations, plus French, Arabic and Traditional Chinese statements."""
    proj = make_project(tmp_path_factory.mktemp("languages") / "project")
    for lang in ("fr", "zh-Hans"):
        shutil.copy2(REPO / "sources" / f"{SEED_SLUG}.{lang}.md", proj.root / "sources")
    proj.write("sources/liberte.md", FRENCH)
    proj.write("sources/arabic.md", ARABIC)
    proj.write("sources/traditional.md", TRADITIONAL)
    run = proj.doit()
    assert run.returncode == 0, run.output
    return proj


def test_french_spacing_rules() -> None:
    spaced = conventions.french_spacing
    assert spaced("Il a dit: «non»; vraiment?!") == f"Il a dit{NNBSP}: «{NNBSP}non{NNBSP}»{NNBSP}; vraiment{NNBSP}?!"
    assert spaced("Pourquoi ? « Assez » !") == f"Pourquoi{NNBSP}? «{NNBSP}Assez{NNBSP}»{NNBSP}!"
    assert spaced("à 10:30, voir https://example.org/a:b") == "à 10:30, voir https://example.org/a:b"
    assert spaced(spaced("Il a dit: «non»")) == spaced("Il a dit: «non»")


def test_french_outputs_use_french_spacing_quotes_and_dates(languages: Project) -> None:
    page = html_text(languages.output("liberte", ".html"))
    assert f"Liberté de la presse{NNBSP}: la FIJ s’inquiète" in page
    assert f"a déclaré{NNBSP}: «{NNBSP}Nous ne nous tairons pas{NNBSP}!{NNBSP}» Pourquoi{NNBSP}?" in page
    assert f"1{NNBSP}200 journalistes" in page and f"menacés{NNBSP};" in page
    assert "à 10:30, voir" in page and "https://example.org/a:b" in page
    assert f"ajouté{NNBSP}: «{NNBSP}Assez{NNBSP}»{NNBSP}!" in page and "“cité”" in page
    assert "3 mai 2019" in page
    wire = languages.output("liberte", ".txt").read_text(encoding="utf-8").replace("\n", " ")
    assert f"«{NNBSP}Nous ne nous tairons pas{NNBSP}!{NNBSP}»" in wire and "3 mai 2019" in wire
    pdf = pdf_text(languages.output("liberte", ".pdf"))
    assert "3 mai 2019" in pdf and "Nous ne nous tairons pas" in pdf
    docx = "\n".join(t for _, t in docx_paragraphs(languages.output("liberte", ".docx")))
    assert f"«{NNBSP}Nous ne nous tairons pas{NNBSP}!{NNBSP}»" in docx


def test_french_pdf_never_breaks_a_line_at_a_narrow_space(languages: Project) -> None:
    lines = [ln.strip() for ln in pdf_text(languages.output(FR, ".pdf")).splitlines() if ln.strip()]
    assert lines, "the PDF has text"
    assert [ln for ln in lines if ln[0] in ";:!?»"] == []
    assert [ln for ln in lines if ln.endswith("«")] == []
    text = pdf_text(languages.output(FR, ".pdf"))
    assert "23 novembre 2018" in text and "POUR DIFFUSION IMMÉDIATE" in text


def _paragraphs(source: Path) -> list[str]:
    body = source.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    return [p.strip().removeprefix("> ") for p in body.split("\n\n") if p.strip()]


def _fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout


def test_chinese_pdf_is_set_in_a_cjk_font_with_every_character(languages: Project) -> None:
    pdf = languages.output(ZH, ".pdf")
    fonts = _fonts(pdf)
    assert "Noto-Sans-CJK-SC" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), f"every font embedded:\n{fonts}"
    source = languages.root / "sources" / f"{ZH}.md"
    text = pdf_text(pdf)
    assert in_order(_paragraphs(source), text) == []
    brand = brands.load(languages.root / "layouts", "asia-pacific", languages.root)
    assert glyphs.missing(source.read_text(encoding="utf-8"), brand) == []
    assert "2018年11月23日" in text and "其他语言版本：" in text


def test_traditional_chinese_uses_traditional_glyph_forms(languages: Project) -> None:
    fonts = _fonts(languages.output("traditional", ".pdf"))
    assert "Noto-Sans-CJK-TC" in fonts and "Noto-Sans-CJK-SC" not in fonts


@pytest.mark.parametrize(("stem", "font", "region"), [(ZH, "SC", "zh-CN"), ("traditional", "TC", "zh-TW")])
def test_chinese_docx_names_its_chinese_font_and_region(languages: Project, stem: str, font: str, region: str) -> None:
    styles = zipfile.ZipFile(languages.output(stem, ".docx")).read("word/styles.xml").decode()
    assert f'w:eastAsia="Noto Sans CJK {font}"' in styles and "w:eastAsiaTheme" not in styles
    assert f'w:eastAsia="{region}"' in styles


def test_chinese_wire_copy_wraps_by_display_width(languages: Project) -> None:
    copy = languages.output(ZH, ".txt").read_text(encoding="utf-8")
    assert "悉尼，2018年11月23日 --" in copy and "联系方式：" in copy
    lines = copy.splitlines()
    assert max(width_of(ln) for ln in lines) <= 72
    wide = [ln for ln in lines if re.search(r"[\u4e00-\u9fff]", ln)]
    full = [ln for ln in wide if width_of(ln) >= 66]
    assert full, "Chinese lines are filled to the width"
    assert min(len(ln) for ln in full) <= 40, "a wide character counts two columns"
    assert [ln for ln in lines if ln.strip() and ln.lstrip()[0] in _NO_BREAK_BEFORE] == []
    assert [ln for ln in lines if ln.strip() and ln[-1] in _NO_BREAK_AFTER] == []
    source = languages.root / "sources" / f"{ZH}.md"
    assert in_order(_paragraphs(source), copy) == []


def test_wrap_breaks_between_chinese_characters_but_not_before_closing_marks() -> None:
    text = (
        "据香港自由新闻（HKFP）报道，中国的维权人士受到警方施压，被迫删除敏感推文；"
        "另有报道称，当局获取了部分账号的控制权。"
    )
    for width in range(12, 40):
        lines = wrap(text, width)
        assert "".join(lines) == text, "no character lost or added"
        assert all(width_of(ln) <= width for ln in lines), (width, lines)
        assert all(ln[0] not in _NO_BREAK_BEFORE and ln[-1] not in _NO_BREAK_AFTER for ln in lines), (width, lines)
    assert wrap("English words wrap at spaces only", 12) == ["English", "words wrap", "at spaces", "only"]


def test_arabic_is_right_to_left_in_every_output(languages: Project) -> None:
    tree = html_tree(languages.output("arabic", ".html"))
    assert tree.get("dir") == "rtl" and tree.get("lang") == "ar"
    document = etree.fromstring(zipfile.ZipFile(languages.output("arabic", ".docx")).read("word/document.xml"))
    body = [p for p in document.iter(f"{{{W}}}p") if "أعرب الاتحاد" in "".join(p.itertext())]
    assert body and body[0].find(f"{{{W}}}pPr/{{{W}}}bidi") is not None, "the DOCX paragraph is right to left"
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", str(languages.output("arabic", ".pdf")), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    lines = re.findall(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', layout)
    starts = [float(x0) for x0, _ in lines]
    ends = [float(x1) for _, x1 in lines]
    # Lines of a right-to-left page share their right edge; the short last line of a paragraph ends on the right.
    right = max(ends)
    short = [(x0, x1) for x0, x1 in zip(starts, ends, strict=True) if x1 - x0 < 150 and x1 > right - 3]
    assert short, "a short line aligned to the right margin"
    text = re.sub("[\u202a-\u202e]", "", pdf_text(languages.output("arabic", ".pdf")))  # poppler's bidi marks
    assert "نوفمبر" in text and "2018" in text
    assert "سيدني، 23 نوفمبر 2018" in html_text(languages.output("arabic", ".html")), "an Arabic comma in the dateline"


def test_language_versions_link_to_each_other(languages: Project) -> None:
    original = html_tree(languages.output(SEED_SLUG, ".html"))
    links = {a.get("hreflang"): a.get("href") for a in original.iter("link") if a.get("rel") == "alternate"}
    assert links == {"en-GB": f"{SEED_SLUG}.html", "fr": f"{FR}.html", "zh-Hans": f"{ZH}.html"}
    for href in links.values():
        assert (languages.output(SEED_SLUG, ".html").parent / href).is_file(), href
    nav = {a.get("hreflang"): a.text_content() for a in original.iter("a") if a.get("hreflang")}
    assert nav == {"fr": "français", "zh-Hans": "中文 (简体)"}
    french = html_tree(languages.output(FR, ".html"))
    assert {a.get("hreflang") for a in french.iter("link") if a.get("rel") == "alternate"} == {"en-GB", "fr", "zh-Hans"}
    assert "Also available in: français · 中文 (简体)" in pdf_text(languages.output(SEED_SLUG, ".pdf"))
    assert f"Également disponible en{NNBSP}: English, 中文 (简体)" in languages.output(FR, ".txt").read_text(
        encoding="utf-8"
    )
    assert squash("其他语言版本：English · français") in squash(pdf_text(languages.output(ZH, ".pdf")))
    single = html_tree(languages.output("liberte", ".html"))
    assert not [a for a in single.iter("link") if a.get("rel") == "alternate"]


def test_status_lists_each_language(languages: Project) -> None:
    run = languages.doit("translations")
    assert run.returncode == 0, run.output
    lines = run.stdout.splitlines()
    seed = lines.index(next(ln for ln in lines if ln.startswith(f"{SEED_SLUG} (")))
    block = lines[seed + 1 : seed + 3]
    assert re.match(r"\s+fr\s+up to date\s+sources/china-online-crackdown\.fr\.md", block[0]), block
    assert re.match(r"\s+zh-Hans\s+up to date", block[1]), block
    liberte = lines.index(next(ln for ln in lines if ln.startswith("liberte (")))
    assert re.match(r"\s+en\s+missing", lines[liberte + 1]) and re.match(r"\s+es\s+missing", lines[liberte + 2])


def test_brand_languages_are_checked(project: Project) -> None:
    brand_file = project.root / "layouts" / "default" / "_brand.yml"
    text = brand_file.read_text(encoding="utf-8")
    brand_file.write_text(re.sub(r"languages: \[[^\]]*\]", "languages: [en, french]", text), encoding="utf-8")
    project.write("sources/plain.md", "---\ntitle: A statement\ndate: 2019-01-02\n---\n\nText.\n")
    run = project.doit("html:plain")
    assert run.returncode != 0
    assert "layouts/default/_brand.yml: defaults.presskit.languages: 'french' is not a language code" in run.output
    assert "Traceback" not in run.output


def test_french_pdf_is_hyphenated_in_french(languages: Project) -> None:
    lines = pdf_text(languages.output(FR, ".pdf")).splitlines()
    source = (languages.root / "sources" / f"{FR}.md").read_text(encoding="utf-8")
    words = set(re.findall(r"\w+", source))
    broken = [
        re.findall(r"\w+$", line[:-1])[-1] + re.findall(r"^\w+", nxt)[0]
        for line, nxt in itertools.pairwise(lines)
        if line.endswith("\u2010") and re.search(r"\w\u2010$", line) and re.match(r"\w", nxt)
    ]
    assert len(broken) >= 2, "long French lines are hyphenated"
    assert [word for word in broken if word not in words] == [], "every break falls inside a word of the text"
