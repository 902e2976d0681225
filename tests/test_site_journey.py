"""The newsroom as its readers meet it: served from a local web server under a base path, read in headless
Chromium, its feeds in a feed reader's parser and its sitemap against the official schema."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from lxml import etree

from presskit.site.catalog import feed_path
from presskit.tasks import proof
from tests.conftest import SEED_SLUG, Project
from tests.site_samples import QuietHandler, served
from tests.test_browser import axe_violations
from tests.test_site import ARABIC, EMBARGOED, SPANISH, UNION, _build
from tests.test_sitemap import SITEMAP_AND_XHTML, _schema

BASE = "/newsroom/"
"""Where the site is served: below the server's root, as on many hosts."""
SEED_PAGE = f"{SEED_SLUG}/{SEED_SLUG}.html"
PUBLISHED = {
    "en-GB": {SEED_SLUG, UNION},
    "fr": {f"{SEED_SLUG}.fr"},
    "zh-Hans": {f"{SEED_SLUG}.zh-Hans"},
    "es": {SPANISH},
    "ar": {ARABIC},
}
"""The statements published at BEFORE, by language (the embargoed one is not)."""
TAGS = {
    SEED_SLUG: {"China", "press freedom", "social media", "online censorship"},
    UNION: {"press freedom", "Philippines"},
    SPANISH: {"libertad de prensa"},
    ARABIC: {"حرية الصحافة"},
}


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The seed and its French and Chinese translations, statements in English, Spanish and Arabic with tags, and
    one under embargo, published at BEFORE."""
    return _build(tmp_path_factory.mktemp("journey") / "project")


@pytest.fixture(scope="module")
def server(newsroom: Project, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`build/site/` served from 127.0.0.1 at BASE; the address of its root."""
    root = tmp_path_factory.mktemp("host")
    (root / BASE.strip("/")).symlink_to(newsroom.root / "build" / "site", target_is_directory=True)
    with served(root) as address:
        yield address + BASE



@pytest.fixture
def tab(chromium: Any) -> Iterator[Any]:
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    try:
        yield page
    finally:
        page.close()


def _shot(newsroom: Project, tab: Any, name: str) -> Path:
    shot = newsroom.root / "build" / "proof" / f"journey-{name}.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 5000
    print(f"screenshot: {shot}")
    return shot


def _search(tab: Any, query: str) -> list[str]:
    """Type `query` into the page's search box; the addresses of the results it shows."""
    tab.fill(".pagefind-ui__search-input", query)
    tab.wait_for_selector(".pagefind-ui__result-link")
    return tab.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.href)")  # type: ignore[no-any-return]


def test_a_journalist_reads_switches_language_downloads_and_searches(newsroom: Project, server: str, tab: Any) -> None:
    tab.goto(f"{server}en-gb/index.html")
    assert tab.evaluate("document.documentElement.lang") == "en-GB"
    tab.click(f"li.site-entry h2 a[href$='{SEED_PAGE}']")
    tab.wait_for_url(f"{server}{SEED_PAGE}")
    assert tab.inner_text("main h1").startswith("China’s online crackdown")
    # the brand's lettering of the logo is whole: drawn as outlines, it needs no font
    logo = tab.eval_on_selector(
        "img.logo", "img => [img.complete, img.naturalWidth, img.getBoundingClientRect().width]"
    )
    assert logo[0] and logo[1] > 0 and logo[2] > 0
    # and its text is set in the brand's font, loaded from the site's shared files
    tab.evaluate("document.fonts.ready")
    loaded = tab.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => [f.family.replace(/\"/g, ''), f.weight])"
    )
    assert ["Lato", "700"] in loaded and ["Lato", "400"] in loaded
    # French
    tab.click("nav.site-languages a[hreflang='fr']")
    tab.wait_for_url(f"{server}{SEED_SLUG}/{SEED_SLUG}.fr.html")
    assert tab.evaluate("document.documentElement.lang") == "fr"
    assert tab.inner_text("main h1").startswith("La répression en ligne")
    # its PDF: the link resolves, the server answers with a PDF, and the browser downloads it
    href = tab.eval_on_selector("nav.site-downloads a[href$='.pdf']", "a => a.href")
    assert href == f"{server}{SEED_SLUG}/{SEED_SLUG}.fr.pdf"
    answer = tab.request.get(href)
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    with tab.expect_download() as started:
        tab.click("nav.site-downloads a[href$='.pdf']")
    downloaded = Path(started.value.path())
    assert downloaded.read_bytes()[:5] == b"%PDF-"
    assert downloaded.read_bytes() == (newsroom.root / "build" / SEED_SLUG / f"{SEED_SLUG}.fr.pdf").read_bytes()
    # back to the English page and index, then a tag page
    tab.go_back()
    tab.go_back()
    tab.wait_for_url(f"{server}en-gb/index.html")
    tab.click("li.site-entry ul.site-tags a:text-is('press freedom')")
    tab.wait_for_url(f"{server}en-gb/tags/press-freedom/index.html")
    assert tab.inner_text("main h1") == "press freedom"
    # search, in English from the tag page
    assert _search(tab, "slaughter") == [f"{server}{SEED_PAGE}"]
    _shot(newsroom, tab, "search-en-1280")
    # in French and Chinese, from their indexes: each language has its own index
    tab.goto(f"{server}fr/index.html")
    assert _search(tab, "muraille") == [f"{server}{SEED_SLUG}/{SEED_SLUG}.fr.html"]
    tab.goto(f"{server}zh-hans/index.html")
    tab.set_viewport_size({"width": 375, "height": 800})
    assert _search(tab, "屠杀") == [f"{server}{SEED_SLUG}/{SEED_SLUG}.zh-Hans.html"]
    _shot(newsroom, tab, "search-zh-hans-375")


def test_the_search_finds_no_boilerplate_and_no_listing(newsroom: Project, server: str, tab: Any) -> None:
    tab.goto(f"{server}en-gb/index.html")
    for query in (
        "Philippines",  # a tag, shown on listings only: the statement's text says it nowhere
        "Facebook",  # in every statement's footer ("Follow us: Facebook..."): a search for it would find them all
    ):
        tab.fill(".pagefind-ui__search-input", query)
        tab.wait_for_selector(f".pagefind-ui__message:has-text('{query}'):not(:has-text('Searching'))")
        assert tab.inner_text(".pagefind-ui__message") == f"No results for {query}"


PAGES = ("en-gb/index.html", "en-gb/tags/press-freedom/index.html", SEED_PAGE, "404.html")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("width", proof.WIDTHS)
def test_pages_served_with_their_search_box_pass_axe(
    newsroom: Project, server: str, chromium: Any, page: str, width: int
) -> None:
    tab = chromium.new_page(viewport={"width": width, "height": 900})
    try:
        tab.goto(server + page)
        tab.wait_for_selector(".pagefind-ui__search-input")  # the search box is part of what axe checks
        tab.fill(".pagefind-ui__search-input", "press")
        tab.wait_for_selector(".pagefind-ui__result-link")
        violations = axe_violations(tab)
        scroll, client = tab.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if page in ("en-gb/index.html", SEED_PAGE):
            tab.fill(".pagefind-ui__search-input", "")
            _shot(newsroom, tab, f"{page.replace('/', '-')}-{width}")
    finally:
        tab.close()
    assert violations == [], f"{page} at {width} px: {violations}"
    assert scroll <= client, f"{page} at {width} px scrolls sideways: {scroll} > {client}"


def test_a_missing_address_is_answered_by_the_404_page_with_its_look(newsroom: Project, server: str, tab: Any) -> None:
    class NotFound(QuietHandler):
        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            if code != 404:
                super().send_error(code, message, explain)
                return
            body = (newsroom.root / "build" / "site" / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    root = newsroom.root / "build" / "host404"
    root.mkdir(exist_ok=True)
    if not (root / BASE.strip("/")).exists():
        (root / BASE.strip("/")).symlink_to(newsroom.root / "build" / "site", target_is_directory=True)
    with served(root, NotFound) as address:
        answer = tab.goto(f"{address}{BASE}fr/no/such/page.html")
        assert answer.status == 404
        assert tab.inner_text("h1") == "Page not found"
        colour = tab.eval_on_selector(".site-header", "e => getComputedStyle(e).backgroundColor")
        assert colour == "rgb(22, 62, 108)"  # the brand's navy: the 404 page's stylesheet is its own
        # three folders below the site's root, its links and search box find their way back
        home = f"{address}{BASE}index.html"
        tab.wait_for_function(f"document.querySelector('a.site-name').href === {json.dumps(home)}")
        assert _search(tab, "slaughter") == [f"{address}{BASE}{SEED_PAGE}"]
        tab.click("a[hreflang='fr']")
        tab.wait_for_load_state()
        assert (tab.url, tab.inner_text("h1")) == (f"{address}{BASE}fr/index.html", "Communiqués de presse")


def test_every_feed_holds_exactly_the_published_statements_of_its_language(newsroom: Project) -> None:
    site = newsroom.root / "build" / "site"
    found = sorted(site.rglob("*.atom"))
    expected = {feed_path(lang) for lang in PUBLISHED}
    expected |= {feed_path("en-GB", tag) for stem in (SEED_SLUG, UNION) for tag in TAGS[stem]}
    expected |= {feed_path(lang, tag) for lang in ("fr", "zh-Hans") for tag in TAGS[SEED_SLUG]}
    expected |= {feed_path("es", "libertad de prensa"), feed_path("ar", "حرية الصحافة")}
    assert {str(p.relative_to(site)) for p in found} == expected
    for path in found:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        folder = str(path.relative_to(site)).split("/")[0]
        lang = next(lang for lang in PUBLISHED if lang.lower() == folder)
        assert parsed.feed.language == lang
        stems = {Path(urlsplit(e.link).path).stem for e in parsed.entries}
        if "/tags/" in str(path):
            tag = parsed.feed.title.split(": ", 1)[1]
            wanted = {s for s in PUBLISHED[lang] if tag in TAGS[s.split(".")[0]]}
        else:
            wanted = PUBLISHED[lang]
        assert stems == wanted, path
        assert all(e.content[0].value.strip() for e in parsed.entries)
        assert EMBARGOED not in path.read_text(encoding="utf-8")
    # and each is linked from the pages of its language, or of its tag
    page = (site / "en-gb" / "tags" / "press-freedom" / "index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml" href="../../../en-gb/tags/press-freedom/feed.atom"' in page


def test_the_sitemap_is_valid_and_lists_every_page(newsroom: Project) -> None:
    site = newsroom.root / "build" / "site"
    document = etree.parse(str(site / "sitemap.xml"))
    schema = _schema(*SITEMAP_AND_XHTML)
    assert schema.validate(document), schema.error_log
    locations = {unquote(urlsplit(loc).path).lstrip("/") for loc in document.xpath("//*[local-name()='loc']/text()")}
    pages = {str(p.relative_to(site)) for p in site.rglob("*.html")} - {"404.html"}
    assert locations == pages
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://www.ifj.org/sitemap.xml" in robots
