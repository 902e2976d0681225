"""The brand's fonts in the page, and the logo drawn the same in the page, the PDF, the DOCX and the e-mail."""

from __future__ import annotations

import base64
import email
import email.policy
import io
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from presskit import cache
from presskit.formats import html, logo, webfonts
from presskit.prepare.prepared import prepare
from presskit.project import Project as Presskit
from presskit.read import brand as brands
from presskit.tasks import proof
from tests.conftest import SEED_SLUG, SEED_SOURCE, Project, make_project

REPO = Path(__file__).resolve().parents[1]
PRIMARY = (0x00, 0x60, 0x6B)
"""The asia-pacific brand's primary colour: the logo's mark and lettering."""


def asia_pacific() -> brands.Brand:
    return brands.load(REPO / "layouts", "asia-pacific", REPO)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    proj = make_project(tmp_path_factory.mktemp("fonts") / "project")
    run = proj.doit("-n", "1", "html", "pdf", "docx", "eml")
    assert run.returncode == 0, run.output
    return proj



def embedded_fonts(page: str) -> dict[tuple[str, str], list[TTFont]]:
    """The fonts a page carries as `data:` URLs, by weight and style."""
    found: dict[tuple[str, str], list[TTFont]] = {}
    for rule in re.findall(r"@font-face \{(.*?)\}", page, re.DOTALL):
        data = re.search(r'url\("data:font/woff2;base64,([^"]+)"\)', rule)
        weight = re.search(r"font-weight: (\d+)", rule)
        style = re.search(r"font-style: (\w+)", rule)
        assert data and weight and style, rule
        font = TTFont(io.BytesIO(base64.b64decode(data.group(1))))
        found.setdefault((weight.group(1), style.group(1)), []).append(font)
        unicode_range = re.search(r"unicode-range: ([^;]+);", rule)
        assert unicode_range, rule
        assert webfonts.unicode_range(sorted(font.getBestCmap())) == unicode_range.group(1)
    return found


def test_page_embeds_the_brand_fonts_cut_to_the_scripts_it_uses(site: Project) -> None:
    page = site.output(SEED_SLUG, ".html").read_text(encoding="utf-8")
    fonts = embedded_fonts(page)
    assert set(fonts) == {("400", "normal"), ("400", "italic"), ("700", "normal"), ("700", "italic")}
    for pieces in fonts.values():
        assert len(pieces) == 1  # the seed is written in Latin letters and punctuation only
        font = pieces[0]
        assert font.flavor == "woff2"
        cmap = set(font.getBestCmap())
        assert {ord(c) for c in "Weibo’–"} <= cmap  # letters and punctuation of the statement
        assert ord("Ж") not in cmap and ord("ő") not in cmap  # Lato draws them, the page does not use them
        assert "fpgm" not in font  # no hinting programs: browsers do without, at half the weight
    assert 'font-family: "Lato"' in page
    assert "sans-serif" in page  # the PDF's fallbacks, from brand.css


def test_a_page_in_another_script_gets_that_piece_too(tmp_path: Path) -> None:
    brand = asia_pacific()
    css, files = webfonts.site_fonts(brand, "Заява для преси", prefix="fonts/")
    names = sorted(name.split(".")[1] for name in files)
    assert names == ["cyrillic"] * 4 + ["latin"] * 4  # the space is Latin
    assert css.count("unicode-range: U+301, U+400-45F, U+490-491, U+4B0-4B1, U+2116;") == 4
    assert webfonts.pieces(brand.font_files[0].path, "中文") == []  # Lato draws no Chinese: the fallbacks do


def test_subset_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    face = asia_pacific().font_files[0].path
    first = webfonts.subset(face, "Press freedom")
    second = webfonts.subset(face, "Press freedom")
    assert first is not None and first == second
    assert webfonts.subset(face, "中文") is None


def test_site_fonts_are_files_with_relative_urls() -> None:
    css, files = webfonts.site_fonts(asia_pacific(), "Newsroom", prefix="../fonts/")
    assert len(files) == 4 and all(name.endswith(".woff2") and ".latin." in name for name in files)
    for name, data in files.items():
        assert f'url("../fonts/{name}") format("woff2")' in css
        assert data[:4] == b"wOF2"
    assert "data:" not in css


def test_site_pages_link_the_shared_files_instead(site: Project) -> None:
    project = Presskit(site.root)
    with cache.using(project.cache):
        prepared = prepare(project, site.root / "sources" / SEED_SOURCE.name)
        standalone = html.render(prepared)
        css, files = webfonts.site_fonts(prepared.brand, webfonts.characters(standalone), prefix="../fonts/")
        page = html.render(prepared, fonts=css)
    assert "data:font/woff2" in standalone
    assert "data:font/woff2" not in page
    assert all(f'url("../fonts/{name}")' in page for name in files)


def test_logo_lettering_is_drawn_from_the_brand_font() -> None:
    drawn = logo.svg(asia_pacific()).decode("utf-8")
    assert "<text" not in drawn and "<path" in drawn
    assert "<title>IFJ Asia-Pacific</title>" in drawn  # what a screen reader says is kept


def expected_ratio() -> float:
    """Width of the logo's drawing over its height, from the outlines of its lettering (the mark is 64 high)."""
    svg = logo.svg(asia_pacific()).decode("utf-8")
    xs = [float(x) for x in re.findall(r"[ML]\s*(-?[\d.]+)", svg)]
    return max(xs) / 64


def inked(image: Image.Image) -> list[list[bool]]:
    """Which pixels are of the primary colour (anti-aliased edges included): the logo's mark and lettering."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    pixels = rgb.load()

    def ink(x: int, y: int) -> bool:
        r, g, b = pixels[x, y]
        return abs(r - PRIMARY[0]) + abs(g - PRIMARY[1]) + abs(b - PRIMARY[2]) < 200 and r < 160

    return [[ink(x, y) for x in range(width)] for y in range(height)]


def logo_extent(image: Image.Image) -> tuple[float, Image.Image]:
    """The logo's width over its height in a picture that shows it, and its crop.

    The mark (the tallest block of the logo's colour) gives the height; the lettering runs to the right
    until a gap wider than 0.3 of the height, which parts the logo from the organisation's name beside it.
    """
    grid = inked(image)
    width = len(grid[0])
    runs = [run(grid, x) for x in range(width)]
    tallest = max(b - a for a, b in runs)
    left = min(x for x in range(width) if runs[x][1] - runs[x][0] >= 0.8 * tallest)  # the mark: the tallest block
    top, bottom = max(runs[left : left + 40], key=lambda r: r[1] - r[0])
    mark = bottom - top + 1  # the mark's middle column, past its rounded corners; rules above or below left out
    while left > 0 and any(grid[y][left - 1] for y in range(top, bottom + 1)):  # the mark's rounded edge
        left -= 1
    right, gap = left, 0
    for x in range(left, width):
        if any(grid[y][x] for y in range(top, bottom + 1)):
            right, gap = x, 0
        else:
            gap += 1
            if gap > 0.3 * mark:
                break
    return (right - left + 1) / mark, image.crop((left, top, right + 1, bottom + 1))


def run(grid: list[list[bool]], x: int) -> tuple[int, int]:
    """The longest run of inked pixels down a column, as its first and last row."""
    best, start = (0, -1), None
    for y, row in enumerate([*grid, [False] * len(grid[0])]):
        if row[x] and start is None:
            start = y
        elif not row[x] and start is not None:
            best = max(best, (start, y - 1), key=lambda r: r[1] - r[0])
            start = None
    return best


def pdf_top(pdf: Path, out: Path, name: str) -> Image.Image:
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(pdf), str(out / name)], check=True)
    page = Image.open(next(out.glob(f"{name}*.png")))
    return page.crop((0, 0, page.width, page.height // 5))


def html_logo(chromium: Any, page: Path | str, width: int) -> Image.Image:
    tab = chromium.new_page(viewport={"width": width, "height": 900}, device_scale_factor=2)
    try:
        if isinstance(page, Path):
            tab.goto(page.as_uri())
        else:
            tab.set_content(page)
        box = tab.locator("img").first.bounding_box()
        assert box is not None
        clip = {"x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"]}
        return Image.open(io.BytesIO(tab.screenshot(clip=clip, type="png")))
    finally:
        tab.close()


def test_logo_is_drawn_whole_and_alike_in_every_format(site: Project, chromium: Any, tmp_path: Path) -> None:
    pictures: dict[str, Image.Image] = {}
    for width in proof.WIDTHS:
        pictures[f"page {width} px"] = html_logo(chromium, site.output(SEED_SLUG, ".html"), width)
    pictures["PDF"] = pdf_top(site.output(SEED_SLUG, ".pdf"), tmp_path, "pdf")
    profile = tmp_path / "profile"
    subprocess.run(
        ["libreoffice", "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(site.output(SEED_SLUG, ".docx"))],
        check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    pictures["DOCX"] = pdf_top(tmp_path / f"{SEED_SLUG}.pdf", tmp_path, "docx")
    message = email.message_from_bytes(site.output(SEED_SLUG, ".eml").read_bytes(), policy=email.policy.default)
    html_part = next(p for p in message.walk() if p.get_content_type() == "text/html")
    logo_part = next(p for p in message.walk() if p.get_content_type() == "image/png")
    png = base64.b64encode(logo_part.get_payload(decode=True)).decode()
    mail_page = html_part.get_content().replace("cid:logo@presskit", f"data:image/png;base64,{png}")
    pictures["e-mail"] = html_logo(chromium, mail_page, 800)
    expected = expected_ratio()
    for name, picture in pictures.items():
        ratio, crop = logo_extent(picture)
        crop.save(tmp_path / f"logo {name}.png")
        print(f"{name}: {ratio:.3f} (expected {expected:.3f}): {tmp_path / f'logo {name}.png'}")
        # a fallback font draws the lettering wider and cut off at the box's edge: 290/64 = 4.53
        assert abs(ratio - expected) < 0.04 * expected, f"{name}: the logo is {ratio:.2f} wide for 1 high"


def test_the_pieces_a_layout_ships_are_those_its_fonts_make_now() -> None:
    folder = REPO / "layouts" / "default" / "fonts"
    fonts = sorted(folder.glob("*.ttf"))
    expected = {webfonts.shipped_name(f, name, codes) for f in fonts for name, codes in webfonts.named_pieces(f)}
    shipped = {p.name for p in (folder / webfonts.SHIPPED).glob("*.woff2")}
    assert shipped == expected, "the shipped pieces are out of date: run python3 tools/webfonts.py and commit them"
    regular = folder / "Lato-Regular.ttf"
    name, codes = webfonts.named_pieces(regular)[0]
    made = webfonts.make_piece(regular.read_bytes(), codes)
    assert (folder / webfonts.SHIPPED / webfonts.shipped_name(regular, name, codes)).read_bytes() == made


def test_a_fresh_build_takes_the_shipped_pieces_and_cuts_none(tmp_path: Path) -> None:
    proj = make_project(tmp_path / "p")
    assert proj.doit(f"html:{SEED_SLUG}").returncode == 0
    made = list((proj.root / "build" / "_cache").rglob("*.woff2"))
    assert made == [], "the page's Latin pieces come from layouts/default/fonts/web/"
    page = proj.output(SEED_SLUG, ".html").read_text(encoding="utf-8")
    assert "font/woff2" in page and "unicode-range" in page


def test_every_output_showing_the_logo_is_rebuilt_when_fonttools_changes() -> None:
    # fontTools draws the logo's lettering as outlines: a new version may draw it differently
    from presskit.formats import BY_NAME

    assert [name for name, fmt in BY_NAME.items() if "fonttools" not in fmt.engines] == ["txt"]
