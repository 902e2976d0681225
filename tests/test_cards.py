"""Share cards: one 1200 x 630 PNG per statement, in the brand, its headline fitted in its own script and direction."""

from __future__ import annotations

import shutil

import pytest
from PIL import Image

from presskit import cache
from presskit.formats import card
from presskit.prepare.prepared import prepare
from presskit.project import Project as Presskit
from tests.conftest import REPO, SEED_SLUG, Project, make_project

TEAL = (0x00, 0x60, 0x6B)
"""The asia-pacific brand's primary colour."""
WHITE = (255, 255, 255)
BAND = 18
"""Height of the coloured band at the top of the card (card.css), above the headline's box."""
LONG_ARABIC = (
    "الاتحاد الدولي للصحفيين يدين بشدة استمرار حملة القمع على الإنترنت في الصين وإغلاق آلاف الحسابات على "
    "تويتر وويبو ووي تشات ويدعو الحكومة إلى احترام حرية التعبير وحماية الصحفيين والمدافعين عن حقوق الإنسان "
) * 3
STEMS = (SEED_SLUG, f"{SEED_SLUG}.zh-Hans", f"{SEED_SLUG}.fr", "long-arabic")


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> Project:
    proj = make_project(tmp_path_factory.mktemp("cards") / "project")
    for language in ("fr", "zh-Hans"):
        shutil.copy2(REPO / "sources" / f"{SEED_SLUG}.{language}.md", proj.root / "sources")
    proj.write(
        "sources/2018-11-24-long-arabic.md",
        f"---\ntitle: {LONG_ARABIC.strip()}\ndate: 2018-11-24\ndateline: سيدني\nlang: ar\nlayout: asia-pacific\n---\n\n"
        "نص البيان.\n",
    )
    run = proj.doit("-n", "1", "card")
    assert run.returncode == 0, run.output
    assert sorted(run.executed) == sorted(f"card:{stem}" for stem in STEMS)
    for stem in STEMS:
        print(f"card: {proj.output(stem, '.card.png')}")  # to look at
    return proj


def picture(proj: Project, stem: str) -> Image.Image:
    return Image.open(proj.output(stem, ".card.png")).convert("RGB")


def ink(image: Image.Image, box: tuple[int, int, int, int]) -> list[tuple[int, int]]:
    """The pixels of a region that are not the background, as (x, y)."""
    pixels = image.load()
    left, top, right, bottom = box
    return [(x, y) for y in range(top, bottom) for x in range(left, right) if sum(pixels[x, y]) < 3 * 235]


def headline_rows() -> tuple[int, int]:
    return BAND + card.BOX.top, BAND + card.BOX.top + card.BOX.height


@pytest.mark.parametrize("stem", STEMS)
def test_card_is_1200_by_630_in_the_brand_colours(cards: Project, stem: str) -> None:
    image = Image.open(cards.output(stem, ".card.png"))
    assert image.format == "PNG" and image.size == (1200, 630)
    colours = picture(cards, stem).getcolors(maxcolors=1200 * 630)
    assert colours is not None
    counts = {colour: count for count, colour in colours}
    assert counts.get(TEAL, 0) > 1200 * (BAND - 2), "the brand's primary colour (the band, the logo) is missing"
    assert max(counts, key=lambda c: counts[c]) == WHITE  # the brand's background


@pytest.mark.parametrize("stem", STEMS)
def test_headline_is_drawn_inside_its_box_and_the_safe_margins(cards: Project, stem: str) -> None:
    image = picture(cards, stem)
    top, bottom = headline_rows()
    margin = card.BOX.margin
    drawn = ink(image, (margin, top, 1200 - margin, bottom))
    assert len(drawn) > 5000, f"{stem}: no headline drawn"
    assert ink(image, (0, top, margin - 2, bottom)) == [], f"{stem}: drawn in the left margin"
    assert ink(image, (1200 - margin + 2, top, 1200, bottom)) == [], f"{stem}: drawn in the right margin"
    assert ink(image, (0, bottom + 1, 1200, 540)) == [], f"{stem}: the headline runs out of its box"
    assert ink(image, (0, 130 + BAND, 1200, top - 1)) == [], f"{stem}: the headline runs out of its box"
    xs = [x for x, _ in drawn]
    if stem == "long-arabic":  # right to left: the headline starts at the right margin
        assert max(xs) > 1200 - margin - 12 and max(xs) <= 1200 - margin + 1
    else:
        assert min(xs) < margin + 12 and min(xs) >= margin - 1


def fitted(proj: Project, source: str) -> tuple[str, int]:
    project = Presskit(proj.root)
    with cache.using(project.cache):
        _document, text, size = card.fitted(prepare(project, proj.root / "sources" / source))
    return text, size


def test_short_headlines_are_whole_and_a_long_one_is_cut_with_an_ellipsis(cards: Project) -> None:
    seed, size = fitted(cards, "2018-11-23-china-online-crackdown.md")
    assert seed == "China’s online crackdown continues with Twitter, Weibo and Wechat shutdowns"
    assert size == card.SIZES[0]
    chinese, _ = fitted(cards, f"{SEED_SLUG}.zh-Hans.md")
    assert chinese == "中国网络打压持续：推特、微博和微信账号遭关闭"
    arabic, size = fitted(cards, "2018-11-24-long-arabic.md")
    assert size == card.SIZES[-1]
    assert arabic.endswith(card.ELLIPSIS) and len(arabic) < len(LONG_ARABIC.strip())
    assert LONG_ARABIC.startswith(arabic.removesuffix(card.ELLIPSIS))  # cut between words
    assert arabic.removesuffix(card.ELLIPSIS) + " " in LONG_ARABIC


def test_cut_keeps_whole_words_or_characters() -> None:
    assert card.cut(card.units("One two, three"), 2) == "One two…"
    assert card.units("中国网络") == ["中", "国", "网", "络"]
    assert card.cut(card.units("👩🏽‍💻 and more"), 1) == "👩🏽‍💻…"


def test_doit_card_builds_only_that_card_and_the_same_bytes_again(project: Project) -> None:
    run = project.doit("-n", "1", f"card:{SEED_SLUG}")
    assert run.returncode == 0, run.output
    assert run.executed == [f"card:{SEED_SLUG}"]
    target = project.output(SEED_SLUG, ".card.png")
    first = target.read_bytes()
    assert b"tIME" not in first and b"tEXt" not in first and b"iTXt" not in first  # no build time, no metadata
    assert project.doit("-n", "1", f"card:{SEED_SLUG}").executed == []
    target.unlink()
    assert project.doit("-n", "1", f"card:{SEED_SLUG}").executed == [f"card:{SEED_SLUG}"]
    assert target.read_bytes() == first
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_a_plain_doit_does_not_draw_cards() -> None:
    import dodo

    assert "card" not in dodo.DOIT_CONFIG["default_tasks"]
    assert "html" in dodo.DOIT_CONFIG["default_tasks"]


def test_a_card_is_drawn_again_when_what_it_shows_changes_and_only_then(project: Project) -> None:
    name = f"card:{SEED_SLUG}"
    assert project.doit("-n", "1", name).executed == [name]
    print_css = project.root / "layouts" / "default" / "print.css"
    print_css.write_text(print_css.read_text(encoding="utf-8") + "\n/* the PDF only */\n", encoding="utf-8")
    assert project.doit("-n", "1", name).executed == []
    card_css = project.root / "layouts" / "default" / "card.css"
    card_css.write_text(card_css.read_text(encoding="utf-8") + "\n.host { color: var(--fg); }\n", encoding="utf-8")
    assert project.doit("-n", "1", name).executed == [name]
    source = project.root / "sources" / "2018-11-23-china-online-crackdown.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("title: China’s", "title: Again, China’s", 1), encoding="utf-8")
    assert project.doit("-n", "1", name).executed == [name]
    logo = project.root / "layouts" / "asia-pacific" / "logo.svg"
    logo.write_text(logo.read_text(encoding="utf-8").replace("#00606b", "#00606c"), encoding="utf-8")
    assert project.doit("-n", "1", name).executed == [name]
