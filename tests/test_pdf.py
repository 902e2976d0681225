"""The PDF as readers' programs see it: print conventions, tagging, metadata, fonts and the glyph check."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from presskit.formats import glyphs
from presskit.read.brand import load as load_brand
from tests.conftest import SEED_SLUG, Project
from tests.extract import pdf_text, squash

QUOTE = "“Every journalist deserves to come home safe, and every government must make sure that they do.”"
LIST_ITEMS = ["Investigate every attack.", "Protect every newsroom.", "Free every jailed reporter."]


def long_statement() -> str:
    """A statement long enough for three pages, with a block quote and a short list in the middle."""
    sentence = (
        "Delegates from unions across the region reported that reporters covering elections faced threats, "
        "arbitrary detention and the seizure of their equipment by police and private security. "
    )
    paragraphs = [f"Paragraph {n}: " + sentence * 4 for n in range(1, 25)]
    paragraphs.insert(9, "> " + QUOTE)
    paragraphs.insert(14, "\n".join(f"- {item}" for item in LIST_ITEMS))
    body = "\n\n".join(paragraphs) + "\n\nRead the report at <https://example.org/report>.\n"
    return (
        "---\ntitle: Unions demand safety for reporters covering elections\ndate: 2020-03-02\n"
        "dateline: Brussels\nsummary: Unions call for action.\ntags: [safety, elections]\n---\n\n" + body
    )


def page_texts(path: Path) -> list[str]:
    """The text of each page, as pdftotext extracts it with the layout kept."""
    count = len(PdfReader(str(path)).pages)
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", "-f", str(n), "-l", str(n), str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for n in range(1, count + 1)
    ]


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import make_project

    proj = make_project(tmp_path_factory.mktemp("long") / "project", seed=False)
    proj.write("sources/2020-03-02-long.md", long_statement())
    run = proj.doit("pdf")
    assert run.returncode == 0, run.output
    return proj.output("long", ".pdf")


def test_long_statement_follows_press_release_conventions(long_pdf: Path) -> None:
    pages = page_texts(long_pdf)
    assert len(pages) >= 3, "the sample should run over three pages"
    organisation = "International Federation of Journalists"
    first = pages[0].strip().splitlines()
    assert organisation in pages[0] and "FOR IMMEDIATE RELEASE" in pages[0]
    assert not first[0].strip().endswith("elections"), "no running header on the letterhead page"
    for number, text in enumerate(pages, 1):
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        assert f"Page {number} of {len(pages)}" in lines[-1], f"footer of page {number}: {lines[-1]!r}"
        more = "- more -" in lines[-1]
        assert more == (number < len(pages)), f"'- more -' on page {number} of {len(pages)}: {lines[-1]!r}"
        if number > 1:
            assert lines[0].startswith(organisation), f"running header of page {number}: {lines[0]!r}"
            assert "Unions demand safety for reporters" in lines[0]
    last = pages[-1]
    assert "###" in last and last.index("###") > last.index("Read the report"), "end mark after the body, with it"


def shifted_statements(block: str, count: int) -> dict[str, str]:
    """Statements that put `block` a line further down the page each, so that some meet a page break."""
    filler = "Delegates reported threats, detention and seized equipment across the region this year. "
    found = {}
    for shift in range(count):
        paragraphs = [filler * 8 for _ in range(4)] + [filler * 3, filler * (shift + 1), block, filler * 30]
        found[f"shift-{shift}"] = "---\ntitle: Shift\ndate: 2020-01-01\n---\n\n" + "\n\n".join(paragraphs) + "\n"
    return found


@pytest.mark.parametrize(
    ("block", "parts"),
    [
        ("> " + QUOTE * 6, [QUOTE]),  # six lines: without the rule, it could break after two or more
        ("\n".join(f"- {item}" for item in LIST_ITEMS * 2), LIST_ITEMS),
    ],
    ids=["block quote", "short list"],
)
def test_block_quote_and_short_list_stay_on_one_page(project: Project, block: str, parts: list[str]) -> None:
    statements = shifted_statements(block, 10)
    for stem, text in statements.items():
        project.write(f"sources/{stem}.md", text)
    run = project.doit("pdf")
    assert run.returncode == 0, run.output
    for stem in statements:
        pages = [squash(t) for t in page_texts(project.output(stem, ".pdf"))]
        holding = [n for n, text in enumerate(pages) if squash(parts[0]) in text or squash(parts[-1]) in text]
        assert len(holding) == 1, f"{stem}: the block is split over pages {holding}"


def test_orphans_and_widows_leave_two_lines(project: Project) -> None:
    filler = "Delegates reported threats, detention and seized equipment across the region this year. "
    stems = []
    for shift in range(6):
        lengths = [4 + shift, 5, 3, 6, 4, 5, 3, 7, 4, 5, 6, 3, 5, 4]
        body = "\n\n".join(f"Para{n} " + filler * k + "Zend." for n, k in enumerate(lengths))
        project.write(f"sources/breaks-{shift}.md", f"---\ntitle: Breaks\ndate: 2020-01-01\n---\n\n{body}\n")
        stems.append(f"breaks-{shift}")
    run = project.doit("pdf")
    assert run.returncode == 0, run.output
    breaks = 0
    for stem in stems:
        pages = [
            [line for line in text.splitlines() if line.strip()] for text in page_texts(project.output(stem, ".pdf"))
        ]
        for number, (page, following) in enumerate(itertools.pairwise(pages), 1):
            body, next_body = page[:-1], following[1:-1]  # without the footer, and the next page's running header
            starts = [i for i, line in enumerate(body) if line.lstrip().startswith("Para")]
            last = body[starts[-1] :]
            if any("Zend." in line for line in last):
                continue  # the page ends with a whole paragraph
            breaks += 1
            assert len(last) >= 2, f"{stem}: an orphan at the foot of page {number}: {last}"
            carried = next(i for i, line in enumerate(next_body) if line.lstrip().startswith("Para"))
            assert carried >= 2, f"{stem}: a widow at the top of page {number + 1}: {next_body[:carried]}"
    assert breaks >= 3, "some paragraphs run over a page break"


def test_links_are_clickable(long_pdf: Path) -> None:
    uris = [
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(str(long_pdf)).pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link" and "/URI" in annotation.get_object().get("/A", {})
    ]
    assert "https://example.org/report" in uris


def test_seed_pdf_is_tagged_and_described(built: Project) -> None:
    path = built.output(SEED_SLUG, ".pdf")
    reader = PdfReader(str(path))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfuaid:part[^0-9]*1", xmp), "declares PDF/UA-1"
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "China’s online crackdown continues with Twitter, Weibo and Wechat shutdowns"
    assert meta.author == "International Federation of Journalists – Asia-Pacific"
    assert meta.subject is not None and meta.subject.startswith("The IFJ has voiced strong concerns")
    assert meta["/Keywords"] == "China, press freedom, social media, online censorship"


def test_seed_pdf_fonts_are_embedded_subsets_and_file_is_small(built: Project) -> None:
    path = built.output(SEED_SLUG, ".pdf")
    assert path.stat().st_size < 150_000
    listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = listing.splitlines()[2:]
    assert rows, "the PDF uses fonts"
    for row in rows:
        name, *_ = row.split()
        columns = row.split()
        assert re.match(r"^[A-Z]{6}\+", name), f"font not subset: {row}"
        assert columns[-5] == "yes", f"font not embedded: {row}"


def test_seed_pdf_has_every_paragraph(built: Project) -> None:
    source = (built.root / "sources").glob("2018-*.md")
    body = next(source).read_text(encoding="utf-8").split("---", 2)[2]
    text = squash(pdf_text(built.output(SEED_SLUG, ".pdf")))
    for paragraph in [p.strip("> \n") for p in body.split("\n\n") if p.strip()]:
        assert squash(paragraph) in text, paragraph[:60]


def set_variant(project: Project, variant: str) -> None:
    brand = project.root / "layouts" / "asia-pacific" / "_brand.yml"
    text = brand.read_text(encoding="utf-8")
    brand.write_text(text.replace("  presskit:\n", f"  presskit:\n    pdf_variant: {variant}\n", 1), encoding="utf-8")


def test_archival_variant_from_the_brand(project: Project) -> None:
    set_variant(project, "pdf/a-3u")
    run = project.doit("pdf")
    assert run.returncode == 0, run.output
    root = PdfReader(str(project.output(SEED_SLUG, ".pdf"))).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part[^0-9]*3", xmp) and re.search(r"pdfaid:conformance[^A-Z]*U", xmp)
    assert "/OutputIntents" in root


def test_unknown_variant_is_refused(project: Project) -> None:
    set_variant(project, "pdf/x-4")
    run = project.doit("pdf")
    assert run.returncode != 0
    expected = "layouts/asia-pacific/_brand.yml: defaults.presskit.pdf_variant: must be one of pdf/ua-1, pdf/a-3u"
    assert expected in run.output, run.output
    assert "Traceback" not in run.output
    assert not project.output(SEED_SLUG, ".pdf").exists()


def uncovered_character() -> str:
    """A character no font installed here draws (rare scripts and symbols, tried in turn)."""
    brand = load_brand(Path(__file__).parents[1] / "layouts", "default", Path(__file__).parents[1])
    # Toto and Vithkuqi (Unicode 14) first: fonts-noto-core draws the older rare scripts
    candidates = "\U0001e290\U00010570\U0001e900\U00016a40\U00011a00\U0001d800\U00013000\U0001f984\U0001fa90\u2bd2"
    absent = glyphs.missing(candidates, brand)
    assert absent, "every candidate is drawn by some installed font; add rarer characters to the test"
    return absent[0]


def test_missing_glyph_fails_with_the_character_and_the_fix(project: Project) -> None:
    char = uncovered_character()
    project.write(
        "sources/glyph.md",
        f"---\ntitle: Glyphs\ndate: 2020-01-01\n---\n\nFirst paragraph.\n\nA sign: {char} here.\n",
    )
    run = project.doit("pdf:glyph")
    assert run.returncode != 0
    expected = f"sources/glyph.md:8: text: no installed font has this character: '{char}' (U+{ord(char):04X}"
    assert expected in run.output, run.output
    assert "install the font package fonts-" in run.output
    assert "layouts/default/fonts/" in run.output
    assert "Traceback" not in run.output
    assert not project.output("glyph", ".pdf").exists()


def test_glyph_check_counts_the_brand_fonts_and_ignores_invisible_characters() -> None:
    brand = load_brand(Path(__file__).parents[1] / "layouts", "default", Path(__file__).parents[1])
    assert glyphs.missing("Zoë’s “€12,000” — naïve café\u00ad\u200b\ufe0f\n\t", brand) == []
    own = glyphs.brand_ranges(brand)
    assert glyphs._covered(own, ord("é")) and not glyphs._covered(own, ord("中"))


def test_low_contrast_brand_colour_is_refused(project: Project) -> None:
    brand = project.root / "layouts" / "asia-pacific" / "_brand.yml"
    brand.write_text(brand.read_text(encoding="utf-8").replace('teal: "#00606b"', 'teal: "#66b2bb"'), encoding="utf-8")
    run = project.doit("pdf", "html")
    assert run.returncode != 0
    assert (
        "layouts/asia-pacific/_brand.yml: color.primary: primary #66b2bb on background #ffffff has a contrast of"
        in run.output
    ), run.output
    assert "below the 4.5:1 WCAG AA" in run.output
    assert "Traceback" not in run.output


def test_body_is_hyphenated_by_its_language(long_pdf: Path) -> None:
    lines = [line.rstrip() for text in page_texts(long_pdf) for line in text.splitlines()]
    broken = [line for line in lines if re.search(r"[a-z][\u2010\u00ad-]$", line)]
    assert broken, "justified English text breaks some words at line ends"
    assert PdfReader(str(long_pdf)).trailer["/Root"]["/Lang"] == "en-GB"


def test_long_title_is_shortened_in_the_running_header(project: Project) -> None:
    title = (
        "Unions from forty countries demand that governments guarantee the safety of reporters covering "
        "elections, protests and the aftermath of natural disasters"
    )
    project.write(
        "sources/long.md", long_statement().replace("Unions demand safety for reporters covering elections", title)
    )
    run = project.doit("pdf:long")
    assert run.returncode == 0, run.output
    second = [line.strip() for line in page_texts(project.output("long", ".pdf"))[1].splitlines() if line.strip()]
    assert second[0].startswith("International Federation of Journalists")
    assert second[0].endswith("Unions from forty countries demand that governments…"), second[0]
    assert not second[1].startswith(("Journalists", "protests")), "the running header fits on one line"


def test_figure_is_scaled_to_the_text_width_with_its_caption(project: Project) -> None:
    from PIL import Image

    Image.new("RGB", (3000, 1000), (22, 62, 108)).save(project.root / "sources" / "crowd.png")
    project.write(
        "sources/figure.md",
        "---\ntitle: Figure\ndate: 2020-01-01\n---\n\nBefore the picture.\n\n"
        "![Reporters outside the court in Manila](crowd.png)\n\nAfter the picture.\n",
    )
    run = project.doit("pdf:figure", "html:figure")
    assert run.returncode == 0, run.output
    pdf = project.output("figure", ".pdf")
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = [row.split() for row in listing.splitlines()[2:] if row.split()[3:4] == ["3000"]]
    assert len(rows) == 1, listing
    drawn_pt = 3000 / float(rows[0][12]) * 72  # width in pixels over pixels per inch
    text_width_pt = (210 - 40) / 25.4 * 72  # A4 less the 20 mm margins
    assert abs(drawn_pt - text_width_pt) < 2, f"drawn {drawn_pt:.1f} pt wide, text is {text_width_pt:.1f} pt"
    text = pdf_text(pdf)
    assert (
        text.index("Before the picture.")
        < text.index("Reporters outside the court in Manila")
        < text.index("After the picture.")
    )
    from tests.extract import html_tree

    figure = html_tree(project.output("figure", ".html")).find(".//figure")
    assert figure is not None
    assert figure.find(".//img").get("alt") == "Reporters outside the court in Manila"  # type: ignore[union-attr]
    assert figure.findtext("figcaption").strip() == "Reporters outside the court in Manila"  # type: ignore[union-attr]
