"""Languages matched as BCP 47: a tag's script and region choose labels, quotation marks, dates, fonts and
hyphenation in every format, and the brand's texts come in the statement's language."""

from __future__ import annotations

import datetime as dt
import email
import re
import shutil
import zipfile
from email import policy
from pathlib import Path

import pytest

from presskit import language
from presskit.errors import InputError
from presskit.read import brand as brands
from presskit.read import labels
from tests.conftest import REPO, Project, make_project
from tests.extract import docx_paragraphs, html_tree, pdf_text, squash

NNBSP = "\u202f"
DAY = dt.date(2018, 11, 23)

# tag, the `kind` label, quotation marks (outer, inner), the date, direction, CJK font, hyphenation dictionary
TABLE = [
    ("en", "Press statement", "“”‘’", "November 23, 2018", "ltr", None, "en_US"),
    ("en-GB", "Press statement", "“”‘’", "23 November 2018", "ltr", None, "en_GB"),
    ("en-US", "Press statement", "“”‘’", "November 23, 2018", "ltr", None, "en_US"),
    ("fr", "Communiqué de presse", f"«{NNBSP}{NNBSP}»“”", "23 novembre 2018", "ltr", None, "fr"),
    ("fr-BE", "Communiqué de presse", f"«{NNBSP}{NNBSP}»“”", "23 novembre 2018", "ltr", None, "fr"),
    ("fr-CH", "Communiqué de presse", f"«{NNBSP}{NNBSP}»‹›", "23 novembre 2018", "ltr", None, "fr"),
    ("de", "Pressemitteilung", "„“‚‘", "23. November 2018", "ltr", None, "de_DE"),
    ("de-CH", "Pressemitteilung", "„“‚‘", "23. November 2018", "ltr", None, "de_CH"),
    ("es", "Comunicado de prensa", "«»“”", "23 de noviembre de 2018", "ltr", None, "es"),
    ("es-419", "Comunicado de prensa", "“”‘’", "23 de noviembre de 2018", "ltr", None, "es"),
    ("es-MX", "Comunicado de prensa", "“”‘’", "23 de noviembre de 2018", "ltr", None, "es"),
    ("pt", "Comunicado à imprensa", "“”‘’", "23 de novembro de 2018", "ltr", None, "pt_BR"),
    ("pt-BR", "Comunicado à imprensa", "“”‘’", "23 de novembro de 2018", "ltr", None, "pt_BR"),
    ("pt-PT", "Comunicado de imprensa", "«»“”", "23 de novembro de 2018", "ltr", None, "pt_PT"),
    ("pt-AO", "Comunicado de imprensa", "«»“”", "23 de novembro de 2018", "ltr", None, "pt_PT"),
    ("sr", "Саопштење за медије", "„“‘‘", "23. новембар 2018.", "ltr", None, "sr"),
    ("sr-Cyrl", "Саопштење за медије", "„“‘‘", "23. новембар 2018.", "ltr", None, "sr"),
    ("sr-Latn", "Saopštenje za medije", "„”’’", "23. novembar 2018.", "ltr", None, "sr_Latn"),
    ("zh", "新闻声明", "“”‘’", "2018年11月23日", "ltr", "Noto Sans CJK SC", None),
    ("zh-Hans", "新闻声明", "“”‘’", "2018年11月23日", "ltr", "Noto Sans CJK SC", None),
    ("zh-SG", "新闻声明", "“”‘’", "2018年11月23日", "ltr", "Noto Sans CJK SC", None),
    ("zh-Hans-HK", "新闻声明", "“”‘’", "2018年11月23日", "ltr", "Noto Sans CJK SC", None),
    ("zh-Hant", "新聞聲明", "「」『』", "2018年11月23日", "ltr", "Noto Sans CJK TC", None),
    ("zh-TW", "新聞聲明", "「」『』", "2018年11月23日", "ltr", "Noto Sans CJK TC", None),
    ("zh-HK", "新聞聲明", "「」『』", "2018年11月23日", "ltr", "Noto Sans CJK HK", None),
    ("zh-MO", "新聞聲明", "「」『』", "2018年11月23日", "ltr", "Noto Sans CJK HK", None),
    ("zh-Hant-TW", "新聞聲明", "「」『』", "2018年11月23日", "ltr", "Noto Sans CJK TC", None),
    ("zh-Hant-HK", "新聞聲明", "「」『』", "2018年11月23日", "ltr", "Noto Sans CJK HK", None),
    ("zh-hant-hk", "新聞聲明", "「」『』", "2018年11月23日", "ltr", "Noto Sans CJK HK", None),
    ("ja", "声明", "「」『』", "2018年11月23日", "ltr", "Noto Sans CJK JP", None),
    ("ko", "성명", "“”‘’", "2018년 11월 23일", "ltr", "Noto Sans CJK KR", None),
    ("ar", "بيان صحفي", "«»“”", "23 نوفمبر 2018", "rtl", None, None),
    ("ar-EG", "بيان صحفي", "«»“”", "٢٣ نوفمبر ٢٠١٨", "rtl", None, None),
    ("he", "הודעה לעיתונות", "”“’‘", "23 בנובמבר 2018", "rtl", None, None),
    ("el", "Δελτίο Τύπου", "«»“”", "23 Νοεμβρίου 2018", "ltr", None, "el_GR"),
    ("uk", "Заява для преси", "«»„“", f"23 листопада 2018{NNBSP}р.", "ltr", None, "uk_UA"),
]


@pytest.fixture(scope="module")
def default_brand() -> brands.Brand:
    """The project's own default brand."""
    return brands.load(REPO / "layouts", "default", REPO)


@pytest.mark.parametrize(("tag", "kind", "marks", "date", "direction", "font", "hyphenation"), TABLE)
def test_a_tag_decides_labels_quotes_dates_direction_fonts_and_hyphenation(
    default_brand: brands.Brand, tag: str, kind: str, marks: str, date: str, direction: str, font: str | None,
    hyphenation: str | None,
) -> None:  # fmt: skip
    assert labels.for_lang(default_brand, tag)["kind"] == kind
    assert "".join(language.quotes(tag)) == marks
    assert language.long_date(DAY, tag) == date
    assert language.direction(tag) == direction
    assert language.cjk_font(tag) == font
    assert language.font_families(tag) == ((font,) if font else ())
    assert language.hyphenation(tag) == hyphenation


def test_regional_variants_have_their_own_labels(default_brand: brands.Brand) -> None:
    brazil, portugal, angola = (labels.for_lang(default_brand, t) for t in ("pt-BR", "pt-PT", "pt-AO"))
    assert (brazil["contact"], portugal["contact"], angola["contact"]) == (
        "Contato para a imprensa", "Contacto para a imprensa", "Contacto para a imprensa",
    )  # fmt: skip
    assert (brazil["links"], portugal["links"]) == ("Links", "Ligações")
    assert portugal["immediate"] == brazil["immediate"] == "PARA DIVULGAÇÃO IMEDIATA"  # pt-PT takes the rest from pt
    latin, cyrillic = labels.for_lang(default_brand, "sr-Latn"), labels.for_lang(default_brand, "sr-Cyrl")
    assert not any(re.search("[\u0400-\u04ff]", text) for text in latin.values()), latin
    named = {"site_docx"}  # a program's name, `Word (DOCX)`, is written as it is
    assert all(re.search("[\u0400-\u04ff]", text) for key, text in cyrillic.items() if key not in named), cyrillic
    assert cyrillic["contact"] == "Контакт за медије" and latin["contact"] == "Kontakt za medije"


@pytest.mark.parametrize(
    ("written", "lang", "expected"),
    [
        ("La FIJ condamne l'agression d'une équipe", "fr", "La FIJ condamne l’agression d’une équipe"),
        ("Journalists' unions ask for a 'binding' law", "en", "Journalists’ unions ask for a ‘binding’ law"),
        ('IFJ: "Free them now"', "de", "IFJ: „Free them now“"),
        ('He said "it\'s \'over\'" today', "en-GB", "He said “it’s ‘over’” today"),
        ('新聞自由"不容退讓"', "zh-TW", "新聞自由「不容退讓」"),
        ('قال "لا" للرقابة', "ar", "قال «لا» للرقابة"),
        ('Ο "Τύπος" μιλά', "el", "Ο «Τύπος» μιλά"),
        ("No quotes at all", "en", "No quotes at all"),
    ],
)  # fmt: skip
def test_a_title_takes_the_marks_the_body_takes(written: str, lang: str, expected: str) -> None:
    from presskit.prepare import conventions

    assert conventions.typographic(written, lang) == expected


def test_capitals_follow_the_language() -> None:
    assert language.upper("Αθήνα, Μαΐου", "el") == "ΑΘΗΝΑ, ΜΑΪΟΥ"
    assert language.upper("τσάι ή καφές", "el") == "ΤΣΑΪ Ή ΚΑΦΕΣ", "an accent that splits a diphthong stays a diaeresis"
    assert language.upper("José in Αθήνα", "el-CY") == "JOSÉ IN ΑΘΗΝΑ", "Latin letters keep theirs"
    assert language.upper("Hà Nội", "vi") == "HÀ NỘI" and language.upper("Genève", "fr") == "GENÈVE"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en-GB", "00:01 CET, 24 November 2018 (23:01 GMT, 23 November)"),
        ("ar", "00:01 CET، 24 نوفمبر 2018 (23:01 GMT، 23 نوفمبر)"),
        ("zh-TW", "00:01 CET，2018年11月24日 (23:01 GMT，11月23日)"),
    ],
)
def test_an_embargo_time_is_punctuated_as_its_language(lang: str, expected: str) -> None:
    from zoneinfo import ZoneInfo

    local = dt.datetime(2018, 11, 24, 0, 1, tzinfo=ZoneInfo("Europe/Brussels"))
    assert language.embargo_time(local, lang) == expected


def test_the_table_covers_twenty_tags() -> None:
    assert len({row[0] for row in TABLE}) >= 20


@pytest.mark.parametrize(
    ("tag", "available", "expected"),
    [
        ("zh-Hant-HK", ["zh", "zh-Hant", "en"], ["zh-Hant", "zh"]),
        ("zh-HK", ["zh", "zh-HK", "zh-Hant"], ["zh-HK", "zh-Hant", "zh"]),
        ("zh-Hans-HK", ["zh-HK", "zh"], ["zh", "zh-HK"]),
        ("fr-BE", ["en", "fr", "fr-CA"], ["fr", "fr-CA"]),
        ("es-MX", ["es", "es-419"], ["es-419", "es"]),
        ("pt-BR", ["pt-PT", "pt"], ["pt", "pt-PT"]),
        ("sr-Latn", ["sr", "sr-Latn"], ["sr-Latn", "sr"]),
        ("yue", ["zh", "zh-Hant"], []),
    ],
)
def test_fallbacks_try_the_most_specific_match_first(tag: str, available: list[str], expected: list[str]) -> None:
    assert language.fallbacks(tag, available) == expected


@pytest.mark.parametrize(
    ("written", "suffix", "brand", "expected"),
    [
        ("en", None, "en-GB", "en-GB"),
        (None, "en", "en-GB", "en-GB"),
        (None, None, "en-GB", "en-GB"),
        ("EN", None, "en-GB", "en-GB"),
        ("en-US", None, "en-GB", "en-US"),
        ("fr", None, "en-GB", "fr"),
        ("fr", "en", "en-GB", "fr"),
        ("zh", None, "zh-Hant-TW", "zh-Hant-TW"),
        ("zh-Hans", None, "zh-Hant-TW", "zh-Hans"),
        ("en", None, "en", "en"),
    ],
)
def test_the_language_rule_takes_the_brands_region(
    written: str | None, suffix: str | None, brand: str, expected: str
) -> None:
    assert language.statement_language(written, suffix, brand) == expected


def test_covers_tells_variants_apart() -> None:
    assert language.covers("en", "en-GB") and language.covers("zh-Hant", "zh-TW") and language.covers("zh", "zh-Hans")
    assert not language.covers("zh-Hans", "zh-Hant") and not language.covers("zh-Hant", "zh")
    assert not language.covers("pt-BR", "pt-PT") and not language.covers("sr-Latn", "sr")


def test_word_is_given_chinese_by_region() -> None:
    assert [language.word_lang(t) for t in ("zh-Hans", "zh-Hant", "zh-HK", "zh-Hant-HK", "zh-SG", "pt-BR")] == [
        "zh-CN", "zh-TW", "zh-HK", "zh-HK", "zh-SG", "pt-BR",
    ]  # fmt: skip


def test_grouped_numbers_follow_the_language_and_nothing_else_does() -> None:
    text = "600,000 journalists, 1,234.5 km, 140 countries, since 2018, on 23.11.2018, +32 2 000 00 00, 10:30."
    assert language.numbers(text, "en-GB", "fr") == (
        f"600{NNBSP}000 journalists, 1{NNBSP}234,5 km, 140 countries, since 2018, on 23.11.2018, "
        "+32 2 000 00 00, 10:30."
    )
    assert language.numbers(text, "en-GB", "de").startswith("600.000 journalists, 1.234,5 km")
    assert language.numbers(text, "en-GB", "zh-Hans") == text
    assert language.numbers(text, "en-GB", "ar") == text  # Arabic statements keep the digits as written
    assert language.numbers("6,00,000", "en-IN", "fr") == f"600{NNBSP}000"
    assert language.numbers(f"600{NNBSP}000 et +33 1 000 000 00", "fr", "en") == "600,000 et +33 1 000 000 00"


def test_brand_texts_take_the_best_language(default_brand: brands.Brand) -> None:
    asia = brands.load(REPO / "layouts", "asia-pacific", REPO)
    assert brands.in_language(asia, "fr-BE").organisation.startswith("Fédération internationale des journalistes")
    assert brands.in_language(asia, "zh-HK").organisation == "國際記者聯合會亞太區"
    assert brands.in_language(asia, "zh-SG").organisation == "国际记者联合会亚太区"
    assert brands.in_language(asia, "en").organisation == asia.organisation
    german = brands.in_language(default_brand, "de")
    assert german.organisation == default_brand.organisation
    assert german.boilerplate == default_brand.boilerplate.replace("600,000", "600.000")
    assert brands.in_language(default_brand, "fr").contact.name == "Service de presse de la FIJ"
    assert brands.in_language(default_brand, "fr").contact.email == default_brand.contact.email


# --- builds ----------------------------------------------------------------------------------------------------

TRADITIONAL = """---
title: 國際記者聯會關注台灣新聞自由
date: 2018-11-23
dateline: 台北
lang: {lang}
layout: asia-pacific
---

記者聯會表示：「新聞自由不容退讓。」
"""

PLAIN_ENGLISH = """---
title: A statement in English
date: 2018-11-23
dateline: Brussels
lang: en
---

The federation said: "We will not be silent."
"""

FRENCH = """---
title: La FIJ dit "non" à l'arbitraire
date: 2018-11-23
dateline: Bruxelles
lang: fr-BE
---

La fédération a déclaré : "Nous ne nous tairons pas."
"""

PORTUGUESE = """---
title: FIJ saúda nova lei de acesso à informação
date: 2018-11-23
dateline: Lisboa
lang: pt-PT
---

A federação declarou: "Não ficaremos calados."
"""

SERBIAN = """---
title: MFN osuđuje napade na novinare
date: 2018-11-23
dateline: Beograd
lang: sr-Latn
---

Federacija je saopštila: "Nećemo ćutati."
"""

GERMAN = """---
title: Erklärung der IFJ
date: 2018-11-23
dateline: Berlin
lang: de
---

Die Föderation erklärte: "Wir werden nicht schweigen."
"""


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """Traditional Chinese in four spellings, English under an en-GB brand, French (Belgian), German, European
    Portuguese and Serbian in Latin letters."""
    proj = make_project(tmp_path_factory.mktemp("bcp47") / "project", seed=False)
    for lang in ("zh-TW", "zh-HK", "zh-Hant-TW", "zh-Hant-HK"):
        proj.write(f"sources/trad-{lang.lower()}.md", TRADITIONAL.format(lang=lang))
    proj.write("sources/plain-english.md", PLAIN_ENGLISH)
    proj.write("sources/belgian.md", FRENCH)
    proj.write("sources/german.md", GERMAN)
    proj.write("sources/portuguese.md", PORTUGUESE)
    proj.write("sources/serbian.md", SERBIAN)
    run = proj.doit("-n", "1")
    assert run.returncode == 0, run.output
    return proj


def _docx_text(path: Path, part: str = "word/document.xml") -> str:
    """Every text of a part of a DOCX (its body by default), fields included (the date is a field)."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(part).decode("utf-8")
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def _mail_text(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    parts = [str(message["From"]), str(message["Subject"])]
    for part in message.walk():
        if part.get_content_type() in ("text/plain", "text/html"):
            parts.append(part.get_content())  # type: ignore[attr-defined]
    return "\n".join(parts)


def _every_format(proj: Project, stem: str) -> dict[str, str]:
    """The text of each output of a statement as a reader's program sees it."""
    page = html_tree(proj.output(stem, ".html"))
    return {
        "pdf": pdf_text(proj.output(stem, ".pdf")),
        "html": page.text_content() + " ".join(page.xpath("//title/text()")),
        "docx": _docx_text(proj.output(stem, ".docx")),
        "txt": proj.output(stem, ".txt").read_text(encoding="utf-8"),
        "eml": _mail_text(proj.output(stem, ".eml")),
    }  # fmt: skip


@pytest.mark.parametrize("lang", ["zh-TW", "zh-HK", "zh-Hant-TW", "zh-Hant-HK"])
def test_traditional_chinese_gets_traditional_labels_in_every_format(variants: Project, lang: str) -> None:
    stem = f"trad-{lang.lower()}"
    texts = _every_format(variants, stem)
    wanted = {
        "pdf": ("新聞聲明", "即時發佈", "聯絡方式"),
        "html": ("新聞聲明", "聯絡方式", "關於"),
        "docx": ("聯絡方式", "關於"),
        "txt": ("即時發佈", "聯絡方式"),
        "eml": ("即時發佈", "聯絡方式"),
    }  # fmt: skip
    for kind, text in texts.items():
        for label in wanted[kind]:
            assert label in text, (kind, label)
        for simplified in ("新闻声明", "即时发布", "联系方式", "关于", "国际记者联合会"):
            assert simplified not in text, (kind, simplified)
        assert "國際記者聯合會亞太區" in text, kind  # the brand's Traditional name
        assert "「新聞自由不容退讓。」" in text.replace("\n", ""), kind
    docx = variants.output(stem, ".docx")
    assert _docx_text(docx, "word/header1.xml").strip() == "國際記者聯合會亞太區"
    assert _docx_text(docx, "word/footer1.xml") == "第 1 頁，共 1 頁"
    page = html_tree(variants.output(stem, ".html"))
    assert page.get("lang") == lang
    assert '"Noto Sans CJK ' + ("HK" if "HK" in lang else "TC") in "".join(page.xpath("//style/text()"))


def test_a_traditional_pdf_is_set_in_the_regions_cjk_font(variants: Project) -> None:
    import subprocess

    for lang, font in (("zh-TW", "Noto-Sans-CJK-TC"), ("zh-Hant-HK", "Noto-Sans-CJK-HK")):
        fonts = subprocess.run(["pdffonts", str(variants.output(f"trad-{lang.lower()}", ".pdf"))],
                               check=True, capture_output=True, text=True).stdout  # fmt: skip
        assert font in fonts, (lang, fonts)
        assert "CJK-SC" not in fonts and "CJK-JP" not in fonts


def test_english_under_a_british_brand_gets_british_dates_in_every_format(variants: Project) -> None:
    for kind, text in _every_format(variants, "plain-english").items():
        assert "23 November 2018" in text, kind
        assert "November 23, 2018" not in text, kind
    assert html_tree(variants.output("plain-english", ".html")).get("lang") == "en-GB"


def test_a_french_statement_shows_the_french_brand_texts_in_every_format(variants: Project) -> None:
    for kind, text in _every_format(variants, "belgian").items():
        flat = squash(text)
        # the title's marks are the body's (the wire copy's title in capitals)
        assert squash("la fij dit «non» à l’arbitraire") in flat.casefold(), kind
        assert kind == "pdf" or f"la fij dit «{NNBSP}non{NNBSP}» à l’arbitraire" in text.casefold(), kind
        assert squash("Fédération internationale des journalistes") in flat, kind
        assert squash("La FIJ représente plus de 600 000 journalistes dans 140 pays.") in flat, kind
        assert "International Federation of Journalists" not in text and "600,000" not in text, kind
    docx = docx_paragraphs(variants.output("belgian", ".docx"))
    assert any(style == "Contact" and "Service de presse de la FIJ" in t for style, t in docx), docx
    # the page header and footer, which come from the brand's reference document, in French too
    assert _docx_text(variants.output("belgian", ".docx"), "word/header1.xml").strip() == (
        "Fédération internationale des journalistes"
    )
    assert _docx_text(variants.output("belgian", ".docx"), "word/footer1.xml") == "Page 1 sur 1"
    sender = email.message_from_bytes(variants.output("belgian", ".eml").read_bytes(), policy=policy.default)["From"]
    assert str(sender).startswith("Fédération internationale des journalistes")


def test_a_language_without_its_own_texts_gets_the_brands_in_its_number_format(variants: Project) -> None:
    for kind, text in _every_format(variants, "german").items():
        assert "International Federation of Journalists" in text, kind
        assert "600.000" in squash(text) and "600,000" not in text, kind
        assert "+32 2 000 00 00" in re.sub(r"\s", " ", text), kind  # a phone number is no grouped number
        assert "Pressekontakt" in text and "Contact" not in text, kind  # the layout's German labels


@pytest.mark.parametrize(
    ("stem", "own", "others"),
    [
        ("portuguese", ("Comunicado de imprensa", "Contacto para a imprensa", "PARA DIVULGAÇÃO IMEDIATA",
                        "«Não ficaremos calados.»", "23 de novembro de 2018"),
         ("Contato", "Press statement", "About International", "FOR IMMEDIATE RELEASE")),
        ("serbian", ("Saopštenje za medije", "Kontakt za medije", "ZA TRENUTNO OBJAVLJIVANJE", "„Nećemo ćutati.”",
                     "23. novembar 2018."),
         ("Саопштење", "Контакт", "Press statement", "About International", "FOR IMMEDIATE RELEASE")),
    ],
)  # fmt: skip
def test_a_regional_variant_shows_its_own_labels_in_the_pdf_and_the_page(
    variants: Project, stem: str, own: tuple[str, ...], others: tuple[str, ...]
) -> None:
    page = html_tree(variants.output(stem, ".html"))
    texts = {"pdf": pdf_text(variants.output(stem, ".pdf")), "html": page.text_content()}
    for kind, text in texts.items():
        flat = " ".join(text.split()).casefold()  # the PDF sets the kind of statement in capitals
        for wanted in own:
            if kind == "html" and wanted.isupper():  # the page shows no release line
                continue
            assert wanted.casefold() in flat, (kind, wanted)
        for unwanted in others:
            assert unwanted.casefold() not in flat, (kind, unwanted)


# --- mistakes in a brand's translations --------------------------------------------------------------------------

BAD_TRANSLATIONS = """    translations:
      french:
        organisation: Fédération internationale des journalistes
      fr:
        organization: Fédération internationale des journalistes
        contact:
          email: presse@example.org
        social:
          twiter: https://twitter.com/fij
          facebook: ftp://example.org/fij
      es:
        organisation: "Federación\\nInternacional"
        boilerplate: [not, text]
"""


def test_mistakes_in_brand_translations_name_file_line_and_fix(tmp_path: Path) -> None:
    proj = make_project(tmp_path / "project", seed=False)
    path = proj.root / "layouts" / "default" / "_brand.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    # The name, boilerplate")
    end = text.index("    wire:")
    text = text[:start] + BAD_TRANSLATIONS + text[end:]
    path.write_text(text, encoding="utf-8")
    first = text[:start].count("\n") + 2  # the line of `french:`
    with pytest.raises(InputError) as caught:
        brands.load(proj.root / "layouts", "default", proj.root)
    prefix, display = "defaults.presskit.translations", "layouts/default/_brand.yml"
    assert [str(p) for p in caught.value.problems] == [
        f"{display}:{first}: {prefix}.french: 'french' is not a language tag; name the language with a BCP 47 code "
        "such as fr, es, zh-Hans or zh-Hant",
        f"{display}:{first + 3}: {prefix}.fr.organization: unknown field; did you mean 'organisation'?",
        f"{display}:{first + 4}: {prefix}.fr.contact: may only give the contact's name in that language, as "
        "'name: ...'; the address and phone are the brand's",
        f"{display}:{first + 7}: {prefix}.fr.social.twiter: unknown field; did you mean 'twitter'?",
        f"{display}:{first + 8}: {prefix}.fr.social.facebook: must be the address of the account's page, starting "
        "with https://",
        f"{display}:{first + 10}: {prefix}.es.organisation: must be on one line; remove the line break",
        f"{display}:{first + 11}: {prefix}.es.boilerplate: must be text",
    ]


def test_the_layouts_translations_are_kept_when_the_brand_is_read_from_the_cache(tmp_path: Path) -> None:
    from presskit import cache

    layouts = tmp_path / "layouts"
    shutil.copytree(REPO / "layouts", layouts)
    with cache.using(tmp_path / "cache"):
        first = brands.load(layouts, "asia-pacific", tmp_path)
        brands._load_cached.cache_clear()
        again = brands.load(layouts, "asia-pacific", tmp_path)
    assert again is not first and again.translations == first.translations
    assert [t.lang for t in again.translations] == ["fr", "zh-Hans", "zh-Hant"]


def test_a_language_may_give_its_own_accounts_and_keeps_the_others(tmp_path: Path) -> None:
    proj = make_project(tmp_path / "project", seed=False)
    path = proj.root / "layouts" / "default" / "_brand.yml"
    text = path.read_text(encoding="utf-8")
    marker = "        contact:\n          name: Service de presse de la FIJ\n"
    assert marker in text
    path.write_text(text.replace(marker, marker + "        social:\n          twitter: https://twitter.com/fij_fr\n"))
    brand = brands.load(proj.root / "layouts", "default", proj.root)
    french = brands.in_language(brand, "fr-CA")
    assert [(s.network, s.handle) for s in french.social] == [
        ("Twitter", "@fij_fr"), ("Facebook", "InternationalFederationofJournalists"),
    ]  # fmt: skip
    assert [(s.network, s.handle) for s in brands.in_language(brand, "en").social] == [
        ("Twitter", "@ifjglobal"), ("Facebook", "InternationalFederationofJournalists"),
    ]  # fmt: skip
    assert brands.in_language(brand, "es").social == brand.social


def test_loading_and_scanning_agree_on_each_statements_language(tmp_path: Path) -> None:
    from presskit.read import statement
    from presskit.translate import translation

    proj = make_project(tmp_path / "project", seed=False)
    front = "---\ntitle: T\ndate: 2018-11-23\n{}---\n\nText.\n"
    cases = {"plain.md": ("", "en-GB"), "bare.md": ("lang: en\n", "en-GB"), "us.md": ("lang: en-US\n", "en-US"),
             "named.fr.md": ("", "fr"), "mine.en.md": ("", "en-GB"),
             "zh.md": ("lang: zh\nlayout: asia-pacific\n", "zh")}  # fmt: skip
    for name, (field, _) in cases.items():
        proj.write(f"sources/{name}", front.format(field))
    sources, layouts = proj.root / "sources", proj.root / "layouts"
    scanned = {e.path.name: e.lang for e in translation.scan(sources, layouts)}
    loaded = {name: statement.load(sources / name, proj.root, sources, layouts)[0].lang for name in cases}
    assert scanned == loaded == {name: lang for name, (_, lang) in cases.items()}


@pytest.mark.parametrize(
    ("lang", "broken"),
    [("en", "photog‐ raphers repre‐ senta‐ tives democ‐ racy"), ("en-GB", "photo‐ graph‐ ers rep‐ resent‐ atives")],
)
def test_the_pdf_hyphenates_with_the_dictionary_of_the_language_and_region(
    tmp_path: Path, default_brand: brands.Brand, lang: str, broken: str
) -> None:
    # pyphen's plain `en` is the British dictionary: an American statement must not be hyphenated by it
    import weasyprint

    from presskit.formats import pdf

    layouts = REPO / "layouts"
    page = f'<html lang="{lang}"><body><div class="statement-body" style="width: 1.4cm">'
    page += "photographers representatives democracy</div></body></html>"
    sheets = pdf.stylesheets(default_brand, layouts / "default" / "print.css", lang)
    weasyprint.HTML(string=page).write_pdf(tmp_path / "words.pdf", stylesheets=sheets)
    assert " ".join(pdf_text(tmp_path / "words.pdf").split()).startswith(broken)


@pytest.mark.parametrize(
    ("tag", "written"),
    [("ar", "بيان، جنيف"), ("ps", "بيان، جنيف"), ("ckb", "بيان، جنيف"), ("ug", "بيان، جنيف"), ("sd", "بيان، جنيف"),
     ("zh-TW", "聲明，日內瓦：聯絡"), ("ja", "声明、ジュネーブ：連絡"), ("ko", "성명, 제네바: 연락"),
     ("en", "Statement, Geneva: contact")],
)  # fmt: skip
def test_the_comma_and_colon_follow_the_script_of_the_language(tag: str, written: str) -> None:
    from presskit.formats import templates

    parts = {"ar": ("بيان", "جنيف", None), "zh": ("聲明", "日內瓦", "聯絡"), "ja": ("声明", "ジュネーブ", "連絡"),
             "ko": ("성명", "제네바", "연락"), "en": ("Statement", "Geneva", "contact")}  # fmt: skip
    first, second, third = parts.get(language.base(tag), parts["ar"])
    text = f"{first}, {second}" + (f": {third}" if third else "")
    assert templates.punctuate(text, tag) == written
