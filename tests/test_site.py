"""`doit site`: the newsroom in build/site/, read as a browser and a search engine would, embargoes kept."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from presskit.formats import BY_NAME
from presskit.tasks import proof
from tests.conftest import REPO, SEED_SLUG, SEED_SOURCE, Project, make_project
from tests.test_browser import axe_violations

BEFORE = "2019-06-01T00:00+00:00"
"""Before the embargo of EMBARGOED ends."""
AFTER = "2019-06-11T00:00+00:00"
"""After it."""
SEED_PAGE = f"{SEED_SLUG}/{SEED_SLUG}.html"

UNION = "union-leader-freed"
SPANISH = "dia-libertad-prensa"
ARABIC = "arrests-condemned"
EMBARGOED = "quarterly-killings-report"
SECRET = "Zanzibaria"
"""A word only the embargoed statement has."""
EXTRA = {
    f"2019-03-01-{UNION}.md": """---
title: Union leader freed after six months in detention
date: 2019-03-01
dateline: Brussels
summary: The IFJ welcomes the release of the union's president after six months in detention.
tags: [press freedom, Philippines]
---

The International Federation of Journalists welcomes the release of the union's president.
""",
    f"2019-05-03-{SPANISH}.md": """---
title: Día Mundial de la Libertad de Prensa
date: 2019-05-03
lang: es
summary: La FIJ recuerda a los periodistas encarcelados.
tags: [libertad de prensa]
---

La Federación Internacional de Periodistas recuerda a los periodistas encarcelados.
""",
    f"2019-02-01-{ARABIC}.md": """---
title: الاتحاد الدولي للصحفيين يدين اعتقال صحفيين
date: 2019-02-01
lang: ar
summary: يطالب الاتحاد بالإفراج الفوري عن الصحفيين.
tags: [حرية الصحافة]
---

يدين الاتحاد الدولي للصحفيين اعتقال صحفيين ويطالب بالإفراج عنهم فورًا.
""",
    f"2019-06-10-{EMBARGOED}.md": f"""---
title: Quarterly report on the killings of journalists in {SECRET}
date: 2019-06-10
embargo: 2019-06-10 00:01 Europe/Brussels
summary: Sixteen journalists were killed in {SECRET} in the quarter.
tags: [press freedom, safety]
---

Sixteen journalists were killed in {SECRET} between March and June.
""",
}
GROUPS = {"site", "page", "index", "tag", "year", "feed"}
"""The group tasks, which do nothing of their own."""


def _env(now: str) -> dict[str, str]:
    return {**os.environ, "PRESSKIT_NOW": now}


def _ran(run: Any) -> set[str]:
    """What a run built, group tasks left out."""
    return {name for name in run.executed if name not in GROUPS}


def _outputs(stem: str) -> set[str]:
    """The outputs a statement's page needs: its downloads and share card (the e-mail is not published)."""
    return {f"{kind}:{stem}" for kind in ("html", "pdf", "docx", "txt", "card")}


def _site(project: Project) -> Path:
    return project.root / "build" / "site"


def _page(path: Path) -> Any:
    return lxml.html.document_fromstring(path.read_bytes())


def _entries(path: Path) -> list[dict[str, Any]]:
    """What a listing page shows of each statement, in order."""
    found = []
    for item in _page(path).xpath(".//li[@class='site-entry']"):
        link = item.xpath(".//h2/a")[0]
        summary = item.xpath(".//*[@class='site-summary']")
        found.append(
            {
                "title": link.text_content().strip(),
                "href": link.get("href"),
                "date": item.xpath(".//time")[0].text_content().strip(),
                "datetime": item.xpath(".//time")[0].get("datetime"),
                "summary": summary[0].text_content().strip() if summary else "",
                "languages": [a.text_content() for a in item.xpath(".//*[@class='site-versions']/a")]
                or [item.xpath(".//*[@class='site-versions']")[0].text_content().strip()],
                "tags": [a.text_content() for a in item.xpath(".//ul[@class='site-tags']//a")],
            }
        )
    return found


def _build(root: Path) -> Project:
    project = make_project(root)
    for name in ("china-online-crackdown.fr.md", "china-online-crackdown.zh-Hans.md"):
        shutil.copy2(REPO / "sources" / name, project.root / "sources" / name)
    for name, text in EXTRA.items():
        project.write(f"sources/{name}", text)
    run = project.doit("site", env=_env(BEFORE))
    assert run.returncode == 0, run.output
    return project


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The seed, its French and Chinese translations, a statement of the default brand, one in Spanish and one
    under embargo, published at BEFORE."""
    return _build(tmp_path_factory.mktemp("newsroom") / "project")


@pytest.fixture
def copy(newsroom: Project, tmp_path: Path) -> Project:
    """A copy of the built newsroom, its doit database included, to change."""
    shutil.copytree(newsroom.root, tmp_path / "project", symlinks=True)
    return Project(tmp_path / "project")


SEED_TITLE = "China’s online crackdown continues with Twitter, Weibo and Wechat shutdowns"
UNION_TITLE = "Union leader freed after six months in detention"


def test_index_lists_the_published_statements_newest_first(newsroom: Project) -> None:
    site = _site(newsroom)
    english = _entries(site / "en-gb" / "index.html")
    assert [e["title"] for e in english] == [UNION_TITLE, SEED_TITLE]
    union, seed = english
    assert union["href"] == f"../{UNION}/{UNION}.html"
    assert (union["date"], union["datetime"]) == ("1 March 2019", "2019-03-01")
    assert union["summary"] == "The IFJ welcomes the release of the union's president after six months in detention."
    assert union["languages"] == ["English"]
    assert union["tags"] == ["press freedom", "Philippines"]
    assert seed["date"] == "23 November 2018"
    assert seed["summary"].startswith("The IFJ has voiced strong concerns")
    assert seed["languages"] == ["English", "français", "中文 (简体)"]
    french = _entries(site / "fr" / "index.html")
    assert [(e["title"][:25], e["date"]) for e in french] == [("La répression en ligne se", "23 novembre 2018")]
    spanish = _entries(site / "es" / "index.html")
    assert [(e["title"], e["date"]) for e in spanish] == [("Día Mundial de la Libertad de Prensa", "3 de mayo de 2019")]
    arabic = _page(site / "ar" / "index.html")
    assert (arabic.get("lang"), arabic.get("dir")) == ("ar", "rtl")
    assert [(e["title"], e["date"]) for e in _entries(site / "ar" / "index.html")] == [
        ("الاتحاد الدولي للصحفيين يدين اعتقال صحفيين", "1 فبراير 2019")
    ]
    assert _page(site / "ar" / "tags" / "حرية-الصحافة" / "index.html").xpath(".//h1")[0].text == "حرية الصحافة"
    chinese = _page(site / "zh-hans" / "index.html")
    assert (chinese.get("lang"), chinese.get("dir")) == ("zh-Hans", "ltr")
    chinese_titles = [e["title"] for e in _entries(site / "zh-hans" / "index.html")]
    assert chinese_titles == ["中国网络打压持续：推特、微博和微信账号遭关闭"]


def test_front_page_is_the_brand_language_index_with_the_other_languages(newsroom: Project) -> None:
    site = _site(newsroom)
    front = _page(site / "index.html")
    assert front.get("lang") == "en-GB"
    assert [e["href"] for e in _entries(site / "index.html")] == [f"{UNION}/{UNION}.html", SEED_PAGE]
    switch = {a.get("href"): a.get("aria-current") for a in front.xpath(".//nav[@class='site-languages']//a")}
    assert switch == {"en-gb/index.html": "page", "ar/index.html": None, "es/index.html": None,
                      "fr/index.html": None, "zh-hans/index.html": None}  # fmt: skip


def test_tag_pages_and_year_archives(newsroom: Project) -> None:
    site = _site(newsroom)
    tagged = _entries(site / "en-gb" / "tags" / "press-freedom" / "index.html")
    assert [e["title"] for e in tagged] == [UNION_TITLE, SEED_TITLE]
    assert [e["title"] for e in _entries(site / "en-gb" / "tags" / "philippines" / "index.html")] == [UNION_TITLE]
    assert _page(site / "en-gb" / "tags" / "philippines" / "index.html").xpath(".//h1")[0].text == "Philippines"
    assert [e["title"] for e in _entries(site / "en-gb" / "2019" / "index.html")] == [UNION_TITLE]
    assert [e["title"] for e in _entries(site / "en-gb" / "2018" / "index.html")] == [SEED_TITLE]
    spanish = _entries(site / "es" / "tags" / "libertad-de-prensa" / "index.html")
    assert [e["title"] for e in spanish] == ["Día Mundial de la Libertad de Prensa"]
    years = [a.text for a in _page(site / "en-gb" / "index.html").xpath(".//nav[@class='site-years']//a")]
    assert years == ["2019", "2018"]


def _links(page: Path) -> Iterator[str]:
    root = _page(page)
    for element, attribute, link, _pos in root.iterlinks():
        if (element.tag == "a" and attribute == "href") or element.tag in ("link", "script", "img"):
            yield link


def test_every_relative_link_of_every_page_leads_to_a_file(newsroom: Project) -> None:
    site = _site(newsroom)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    checked = 0
    for page in pages:
        for link in _links(page):
            parts = urlsplit(link)
            if parts.scheme or link.startswith("#") or not parts.path:
                continue
            if parts.path.split("/")[-2:-1] == ["pagefind"]:
                continue  # the search index is made by its own task
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.relative_to(site)} links to {link}, which does not exist"
            assert target.is_relative_to(site.resolve()), f"{page.relative_to(site)}: {link} leads out of the site"
            checked += 1
    assert checked > 100


def test_statement_page_has_the_newsroom_switcher_and_downloads(newsroom: Project) -> None:
    site = _site(newsroom)
    page = _page(site / SEED_PAGE)
    assert page.xpath(".//a[@class='site-name']")[0].get("href") == "../index.html"
    assert page.xpath(".//a[@class='site-name']")[0].text == "International Federation of Journalists"
    links = page.xpath(".//nav[@class='site-languages']//a")
    switch = [(a.get("href"), a.get("lang"), a.get("aria-current")) for a in links]
    assert switch == [
        (f"../{SEED_SLUG}/{SEED_SLUG}.html", "en-GB", "page"),
        (f"../{SEED_SLUG}/{SEED_SLUG}.fr.html", "fr", None),
        (f"../{SEED_SLUG}/{SEED_SLUG}.zh-Hans.html", "zh-Hans", None),
    ]
    downloads = [a.get("href") for a in page.xpath(".//nav[@class='site-downloads']//a")]
    assert downloads == [f"{SEED_SLUG}.pdf", f"{SEED_SLUG}.docx", f"{SEED_SLUG}.txt"]
    for name in downloads:
        assert (site / SEED_SLUG / name).read_bytes() == newsroom.output(SEED_SLUG, Path(name).suffix).read_bytes()
    canonical = page.xpath(".//link[@rel='canonical']")
    assert [c.get("href") for c in canonical] == [f"https://www.ifj.org/{SEED_PAGE}"]
    assert page.xpath(".//main[@id='content'][@data-pagefind-body]//h1")[0].text_content() == SEED_TITLE
    assert page.xpath(".//div[@id='search'][@role='search']")
    assert [s.get("src") for s in page.xpath(".//script[@src]")] == ["../pagefind/pagefind-ui.js"]
    assert page.xpath(".//a[@class='site-skip']")[0].get("href") == "#content"
    images = page.xpath(".//meta[@property='og:image']")
    if "card" in BY_NAME:
        assert [i.get("content") for i in images] == [f"https://www.ifj.org/{SEED_SLUG}/{SEED_SLUG}.card.png"]
        assert page.xpath(".//meta[@name='twitter:image:alt']")[0].get("content") == SEED_TITLE
    else:
        assert images == []
    assert page.xpath(".//link[@type='application/atom+xml']/@href") == ["../en-gb/feed.atom"]
    # its fonts are the site's files, shared by every page, not embedded in it
    text = (site / SEED_PAGE).read_text(encoding="utf-8")
    assert "data:font/woff2" in newsroom.output(SEED_SLUG, ".html").read_text(encoding="utf-8")
    assert "data:font/woff2" not in text
    fonts = re.findall(r'url\("\.\./(fonts/[^"]+\.woff2)"\)', text)
    assert fonts and all((site / name).is_file() for name in fonts)
    assert set(fonts) <= set(
        re.findall(r'url\("(fonts/[^"]+\.woff2)"\)', (site / "site.css").read_text(encoding="utf-8"))
    )
    french = _page(site / SEED_SLUG / f"{SEED_SLUG}.fr.html")
    assert (french.get("lang"), french.xpath(".//nav[@class='site-downloads']//a")[0].text) == ("fr", "PDF")
    assert french.xpath(".//a[@class='site-skip']")[0].text == "Aller au contenu"
    assert french.xpath(".//a[@class='site-name']/@lang") == ["en-GB"]  # the newsroom's name, in its own language


def test_not_found_page_stands_alone(newsroom: Project) -> None:
    page = _page(_site(newsroom) / "404.html")
    assert page.xpath(".//h1")[0].text == "Page not found"
    assert page.xpath(".//style") and not page.xpath(".//link[@rel='stylesheet'][contains(@href, 'site.css')]")


def _text(path: Path) -> bytes:
    """A file of the site as a reader gets it: the search index's files are gzip-compressed."""
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def _mentions(site: Path, *words: str) -> list[str]:
    """The files of the site whose bytes hold any of `words` (the search index's, uncompressed)."""
    files = [p for p in site.rglob("*") if p.is_file()]
    return sorted(str(p.relative_to(site)) for p in files if any(w.encode() in _text(p) for w in words))


def test_embargoed_statement_is_nowhere_before_its_time_and_everywhere_after(copy: Project) -> None:
    site = _site(copy)
    assert _mentions(site, EMBARGOED, SECRET) == []
    assert not (site / EMBARGOED).exists()
    assert (copy.root / "build" / EMBARGOED / f"{EMBARGOED}.pdf").is_file()
    run = copy.doit("site", env=_env(AFTER))
    assert run.returncode == 0, run.output
    page = f"{EMBARGOED}/{EMBARGOED}.html"
    assert {"en-gb/index.html", "index.html", "en-gb/2019/index.html", "en-gb/tags/press-freedom/index.html",
            "en-gb/tags/safety/index.html", page, "en-gb/feed.atom", "en-gb/tags/press-freedom/feed.atom",
            "en-gb/tags/safety/feed.atom", "sitemap.xml"} <= set(_mentions(site, EMBARGOED))  # fmt: skip
    assert any(path.startswith("pagefind/") for path in _mentions(site, SECRET))
    assert _entries(site / "en-gb" / "index.html")[0]["href"] == f"../{page}"
    published = _page(site / page)
    assert not published.xpath(".//p[@class='embargo']") and not published.xpath(".//meta[@name='robots']")
    # only what shows it was made: its own outputs were built under embargo, as `doit` builds them to send out
    expected = {f"page:{EMBARGOED}", "index:en-gb", "home", "year:en-gb/2019",
                                      "tag:en-gb/press-freedom", "tag:en-gb/safety", "unpublish", "feed:en-gb",
                                      "feed:en-gb/press-freedom", "feed:en-gb/safety", "sitemap", "search"}  # fmt: skip
    assert _ran(run) == expected
    # and taken away again when the clock says it is embargoed (a scheduled run with a wrong clock, say)
    again = copy.doit("site", env=_env(BEFORE))
    assert again.returncode == 0, again.output
    assert _mentions(site, EMBARGOED, SECRET) == []
    assert not (site / EMBARGOED).exists() and not (site / "en-gb" / "tags" / "safety").exists()


def test_embargoed_translation_is_in_no_switcher(copy: Project) -> None:
    original = (REPO / "sources" / "china-online-crackdown.fr.md").read_text(encoding="utf-8")
    spanish = original.replace("lang: fr", "lang: es").replace(
        "date: 2018-11-23", f"date: 2018-11-23\nembargo: {AFTER}"
    )
    copy.write(f"sources/{SEED_SLUG}.es.md", spanish)
    run = copy.doit("site", env=_env(BEFORE))
    assert run.returncode == 0, run.output
    assert b"espa\xc3\xb1ol" in copy.output(SEED_SLUG, ".html").read_bytes()  # the output names every version
    site = _site(copy)
    assert _mentions(site, f"{SEED_SLUG}.es") == []
    assert not (site / SEED_SLUG / f"{SEED_SLUG}.es.html").exists()
    switch = _page(site / SEED_PAGE).xpath(".//nav[@class='site-languages']//a/@lang")
    assert switch == ["en-GB", "fr", "zh-Hans"]


def test_a_translation_waits_for_its_originals_embargo(copy: Project) -> None:
    # the original's embargo set after its translations were imported: they carry none of their own
    source = copy.root / "sources" / SEED_SOURCE.name
    source.write_text(source.read_text(encoding="utf-8").replace(
        "date: 2018-11-23", f"date: 2018-11-23\nembargo: {AFTER}", 1), encoding="utf-8")  # fmt: skip
    run = copy.doit("site", env=_env(BEFORE))
    assert run.returncode == 0, run.output
    site = _site(copy)
    assert _mentions(site, SEED_SLUG) == [] and not (site / SEED_SLUG).exists()
    run = copy.doit("site", env=_env(AFTER))
    assert run.returncode == 0, run.output
    pages = {f"{SEED_SLUG}/{SEED_SLUG}{lang}.html" for lang in ("", ".fr", ".zh-Hans")}
    assert pages <= set(_mentions(site, SEED_SLUG))


def test_a_removed_statement_leaves_the_site(copy: Project) -> None:
    (copy.root / "sources" / f"2019-03-01-{UNION}.md").unlink()
    run = copy.doit("site", env=_env(BEFORE))
    assert run.returncode == 0, run.output
    site = _site(copy)
    assert _mentions(site, UNION, UNION_TITLE) == []
    assert not (site / UNION).exists() and not (site / "en-gb" / "2019").exists()
    assert not (site / "en-gb" / "tags" / "philippines").exists()
    assert [e["title"] for e in _entries(site / "en-gb" / "index.html")] == [SEED_TITLE]


def test_nothing_changed_nothing_runs(copy: Project) -> None:
    assert copy.doit("site", env=_env(BEFORE)).executed == []


def test_adding_a_statement_builds_it_and_the_pages_showing_it(copy: Project) -> None:
    copy.write(
        "sources/2019-04-01-reporter-attacked.md",
        "---\ntitle: Reporter attacked in Manila\ndate: 2019-04-01\nsummary: A reporter was beaten.\n"
        "tags: [safety]\n---\n\nA reporter was beaten outside a court in Manila.\n",
    )
    run = copy.doit("site", env=_env(BEFORE))
    assert run.returncode == 0, run.output
    stem = "reporter-attacked"
    assert _ran(run) == _outputs(stem) | {f"page:{stem}", "index:en-gb", "home", "year:en-gb/2019",
                                          "tag:en-gb/safety", "unpublish", "feed:en-gb", "feed:en-gb/safety",
                                          "sitemap", "search"}  # fmt: skip
    titles = [e["title"] for e in _entries(_site(copy) / "en-gb" / "index.html")]
    assert titles == ["Reporter attacked in Manila", UNION_TITLE, SEED_TITLE]


def _edit(project: Project, old: str, new: str) -> None:
    path = project.root / "sources" / f"2019-03-01-{UNION}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_editing_a_body_rebuilds_no_listing(copy: Project) -> None:
    _edit(copy, "welcomes the release of the union's president.\n", "welcomes the release of its president.\n")
    run = copy.doit("site", env=_env(BEFORE))
    assert run.returncode == 0, run.output
    # its page, and what reads the page: its feeds (which carry the full text) and the search index
    assert _ran(run) == _outputs(UNION) | {f"page:{UNION}", "feed:en-gb", "feed:en-gb/press-freedom",
                                           "feed:en-gb/philippines", "search"}  # fmt: skip
    assert b"welcomes the release of its president" in (_site(copy) / UNION / f"{UNION}.html").read_bytes()


def test_editing_a_summary_rebuilds_the_listings_showing_it(copy: Project) -> None:
    _edit(copy, "summary: The IFJ welcomes", "summary: The IFJ warmly welcomes")
    run = copy.doit("site", env=_env(BEFORE))
    assert run.returncode == 0, run.output
    assert _ran(run) == _outputs(UNION) | {f"page:{UNION}", "index:en-gb", "home", "year:en-gb/2019",
                                           "tag:en-gb/press-freedom", "tag:en-gb/philippines", "feed:en-gb",
                                           "feed:en-gb/press-freedom", "feed:en-gb/philippines",
                                           "search"}  # fmt: skip
    assert _entries(_site(copy) / "en-gb" / "index.html")[0]["summary"].startswith("The IFJ warmly welcomes")


def test_a_no_op_counts_every_page_and_a_page_gone_from_the_site_comes_back(copy: Project) -> None:
    # `doit site` builds every statement's outputs (`site-inputs`), then leaves out the pages it knows are up to
    # date; `doit -v 2` hands doit every one
    noop = copy.doit("site", env=_env(BEFORE))
    detail = copy.doit("-v", "2", "site-inputs", "site", env=_env(BEFORE))
    assert (noop.returncode, detail.returncode, _ran(noop), _ran(detail)) == (0, 0, set(), set())
    assert noop.output.startswith("everything is up to date: ")
    assert noop.output.splitlines()[-1] == detail.output.splitlines()[-1]
    assert f"-- page:{SEED_SLUG}" in detail.output
    pdf = _site(copy) / SEED_SLUG / f"{SEED_SLUG}.pdf"
    pdf.unlink()
    run = copy.doit("site", env=_env(BEFORE))
    assert (run.returncode, _ran(run)) == (0, {f"page:{SEED_SLUG}"})
    assert pdf.read_bytes() == (copy.root / "build" / SEED_SLUG / f"{SEED_SLUG}.pdf").read_bytes()


def test_a_newsroom_without_an_address_is_told_to_give_one(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    brand = project.root / "layouts" / "default" / "_brand.yml"
    text = brand.read_text(encoding="utf-8")
    assert "    home: https://www.ifj.org/\n" in text
    brand.write_text(text.replace("    home: https://www.ifj.org/\n", ""), encoding="utf-8")
    run = project.doit("site", env=_env(BEFORE))
    assert run.returncode != 0 and "Traceback" not in run.output
    message = ("layouts/default/_brand.yml: meta.link.home: the newsroom has no address: feeds, the sitemap and "
               "robots.txt need absolute links; set it as meta.link.home, e.g. 'home: https://www.example.org/newsroom/'")
    assert message in run.output.splitlines()
    site = _site(project)
    assert (site / "en-gb" / "index.html").is_file()  # the pages, which link relatively, are made
    assert not (site / "sitemap.xml").exists() and not list(site.rglob("*.atom"))


def test_a_bad_clock_setting_is_named(copy: Project) -> None:
    run = copy.doit("site", env=_env("next tuesday"))
    assert run.returncode != 0
    assert "PRESSKIT_NOW: 'next tuesday' is not a date and time with its offset" in run.output
    assert "Traceback" not in run.output


def _numbered(project: Project, n: int, embargo: str = "", tags: str = "") -> None:
    day = dt.date(2019, 1, 1) + dt.timedelta(days=n)
    until = f"embargo: {embargo}\n" if embargo else ""
    tagged = f"tags: [{tags}]\n" if tags else ""
    project.write(f"sources/{day}-statement-{n:02}.md",
                  f"---\ntitle: Statement number {n}\ndate: {day}\n{until}{tagged}---\n\nText {n}.\n")  # fmt: skip


def _titles(page: Path) -> list[str]:
    return [e["title"] for e in _entries(page)]


def _neighbours(page: Path) -> list[tuple[str | None, str | None, str | None]]:
    links = _page(page).xpath(".//nav[@class='site-pages']//a")
    return [(a.text, a.get("href"), a.get("rel")) for a in links]


def test_index_pages_hold_twenty_statements_each_counted_from_the_oldest(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", seed=False)
    for n in range(40):
        _numbered(project, n)
    # the listings alone: they read no statement's outputs
    run = project.doit("index", env=_env(BEFORE))
    assert run.returncode == 0, run.output
    assert _ran(run) == {"unpublish", "index:en-gb", "index:en-gb/page-1", "index:en-gb/page-2"}
    site = _site(project) / "en-gb"
    assert _titles(site / "index.html") == [f"Statement number {n}" for n in range(39, 19, -1)]
    assert _titles(site / "page-1.html") == [f"Statement number {n}" for n in range(19, -1, -1)]
    assert _titles(site / "page-2.html") == [f"Statement number {n}" for n in range(39, 19, -1)]
    assert _neighbours(site / "index.html") == [("Next", "../en-gb/page-1.html", "next")]
    assert _neighbours(site / "page-1.html") == [("Previous", "../en-gb/page-2.html", "prev")]
    assert _neighbours(site / "page-2.html") == [("Previous", "../en-gb/index.html", "prev"),
                                                 ("Next", "../en-gb/page-1.html", "next")]  # fmt: skip
    span = _page(site / "page-1.html").xpath(".//p[@class='site-count']/time/@datetime")
    assert span == ["2019-01-01", "2019-01-20"]
    assert _page(site / "page-1.html").findtext(".//title").startswith("Press statements, 1 January 2019 – 20 J")
    # a statement opening a new page: the front page, the new page and the page before it, for its link to it
    _numbered(project, 40)
    run = project.doit("index", env=_env(BEFORE))
    assert run.returncode == 0, run.output
    assert _indexes(run) == {"index:en-gb", "index:en-gb/page-2", "index:en-gb/page-3"}
    assert _titles(site / "page-3.html") == ["Statement number 40"]
    assert _titles(site / "index.html") == [f"Statement number {n}" for n in range(40, 20, -1)]
    assert _neighbours(site / "index.html") == [("Next", "../en-gb/page-2.html", "next")]
    assert _neighbours(site / "page-2.html")[0] == ("Previous", "../en-gb/page-3.html", "prev")
    # one more falls in that page: the front page and that page only, its older pages and their links unchanged
    _numbered(project, 41)
    run = project.doit("index", env=_env(BEFORE))
    assert run.returncode == 0, run.output
    assert _indexes(run) == {"index:en-gb", "index:en-gb/page-3"}
    assert _titles(site / "page-3.html") == ["Statement number 41", "Statement number 40"]
    # so does one whose embargo ends
    _numbered(project, 42, embargo=AFTER)
    run = project.doit("index", env=_env(BEFORE))
    assert run.returncode == 0, run.output
    assert _indexes(run) == set()
    run = project.doit("index", env=_env(AFTER))
    assert run.returncode == 0, run.output
    assert _indexes(run) == {"index:en-gb", "index:en-gb/page-3"}
    assert _titles(site / "page-3.html")[0] == "Statement number 42"
    assert _titles(site / "page-1.html") == [f"Statement number {n}" for n in range(19, -1, -1)]


def test_a_language_written_two_ways_is_one_language_of_the_site(tmp_path: Path) -> None:
    import feedparser

    project = make_project(tmp_path / "project", seed=False)
    for day, name, lang, tag in ((1, "Upper", "en-GB", "Safety"), (2, "Lower", "en-gb", "safety")):
        front = f"title: {name}\ndate: 2019-01-0{day}\nlang: {lang}\ntags: [{tag}]\n"
        project.write(f"sources/2019-01-0{day}-{name.lower()}.md", f"---\n{front}---\n\nText.\n")
    run = project.doit("site", env=_env(BEFORE))
    assert run.returncode == 0, run.output
    site = _site(project)
    assert sorted(p.name for p in site.iterdir() if (p / "index.html").is_file()) == ["en-gb"]
    for listing in ("en-gb/index.html", "en-gb/tags/safety/index.html"):
        assert (_page(site / listing).get("lang"), _titles(site / listing)) == ("en-GB", ["Lower", "Upper"])
    for feed in ("en-gb/feed.atom", "en-gb/tags/safety/feed.atom"):
        parsed = feedparser.parse((site / feed).read_bytes())
        assert (parsed.feed.language, [e.title for e in parsed.entries]) == ("en-GB", ["Lower", "Upper"])


def test_tag_pages_and_year_archives_are_paged_as_the_index_is(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", seed=False)
    for n in range(45):
        _numbered(project, n, tags="Press freedom" + (", Safety" if n % 2 else ""))
    run = project.doit("tag", "year", env=_env(BEFORE))
    assert run.returncode == 0, run.output
    tag, year = "tag:en-gb/press-freedom", "year:en-gb/2019"
    assert _ran(run) == {"unpublish", tag, f"{tag}/page-1", f"{tag}/page-2", f"{tag}/page-3", "tag:en-gb/safety",
                         "tag:en-gb/safety/page-1", "tag:en-gb/safety/page-2", year, f"{year}/page-1",
                         f"{year}/page-2", f"{year}/page-3"}  # fmt: skip
    tags = _site(project) / "en-gb" / "tags" / "press-freedom"
    assert _titles(tags / "index.html") == [f"Statement number {n}" for n in range(44, 24, -1)]
    assert _titles(tags / "page-1.html") == [f"Statement number {n}" for n in range(19, -1, -1)]
    assert _titles(tags / "page-3.html") == [f"Statement number {n}" for n in range(44, 39, -1)]
    up = "../../../en-gb/tags/press-freedom"
    assert _neighbours(tags / "index.html") == [("Next", f"{up}/page-2.html", "next")]
    assert _neighbours(tags / "page-3.html") == [("Previous", f"{up}/index.html", "prev"),
                                                 ("Next", f"{up}/page-2.html", "next")]  # fmt: skip
    assert _page(tags / "page-1.html").findtext(".//title").startswith("Tag: Press freedom, 1 January 2019 – 20 J")
    assert _page(tags / "index.html").findtext(".//title").startswith("Tag: Press freedom –")
    safety = _site(project) / "en-gb" / "tags" / "safety"
    assert _titles(safety / "page-2.html") == [f"Statement number {n}" for n in range(43, 0, -2)][:2]
    years = _site(project) / "en-gb" / "2019"
    assert _titles(years / "page-2.html") == [f"Statement number {n}" for n in range(39, 19, -1)]
    assert _page(years / "page-2.html").xpath(".//nav[@class='site-years']//a/@aria-current") == ["page"]


def _indexes(run: Any) -> set[str]:
    return {task for task in _ran(run) if task.startswith("index:")}


# --- in a browser ---------------------------------------------------------------------------------------------



BROWSED = (
    "en-gb/index.html",
    "en-gb/tags/press-freedom/index.html",
    SEED_PAGE,
    "404.html",
    "ar/index.html",
    f"{ARABIC}/{ARABIC}.html",
)


@pytest.mark.parametrize("page", BROWSED)
@pytest.mark.parametrize("width", proof.WIDTHS)
def test_axe_finds_no_violation(newsroom: Project, chromium: Any, page: str, width: int) -> None:
    tab = chromium.new_page(viewport={"width": width, "height": 900})
    try:
        tab.goto((_site(newsroom) / page).as_uri())
        scroll, client = tab.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        violations = axe_violations(tab)
    finally:
        tab.close()
    assert violations == [], f"{page} at {width} px: {violations}"
    assert scroll <= client, f"{page} at {width} px scrolls sideways: {scroll} > {client}"
    shot = newsroom.root / "build" / "proof" / f"site-{page.replace('/', '-')}-{width}.png"
    proof.screenshot(chromium, _site(newsroom) / page, width, shot)
    assert shot.stat().st_size > 5000
    print(f"screenshot: {shot}")


def test_skip_link_is_the_first_stop_and_leads_to_the_content(newsroom: Project, chromium: Any) -> None:
    tab = chromium.new_page(viewport={"width": 375, "height": 900})
    try:
        tab.goto((_site(newsroom) / "en-gb" / "index.html").as_uri())
        tab.keyboard.press("Tab")
        assert tab.evaluate("document.activeElement.className") == "site-skip"
        assert tab.evaluate("document.activeElement.getBoundingClientRect().top >= 0")
        tab.keyboard.press("Enter")
        assert tab.evaluate("location.hash") == "#content"
    finally:
        tab.close()


def test_headlines_and_tags_are_text_never_markup(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", seed=False)
    title = "Fish & chips </title><script>alert(1)</script>"
    front = f"---\ntitle: '{title}'\ndate: 2019-01-01\ntags: ['<b>bold</b>', ../../etc]\n---\n\nText.\n"
    project.write("sources/2019-01-01-hostile.md", front)
    run = project.doit("index", "tag", env=_env(BEFORE))
    assert run.returncode == 0, run.output
    site = _site(project)
    page = _page(site / "en-gb" / "index.html")
    assert [e["title"] for e in _entries(site / "en-gb" / "index.html")] == [title]
    assert [s.get("src") for s in page.xpath(".//script")] == ["../pagefind/pagefind-ui.js", None]
    assert sorted(p.name for p in (site / "en-gb" / "tags").iterdir()) == ["b-bold-b", "etc"]
    assert [e["tags"] for e in _entries(site / "en-gb" / "tags" / "etc" / "index.html")] == [
        ["<b>bold</b>", "../../etc"]
    ]


def test_every_language_of_the_labels_has_the_newsroom_words() -> None:
    import yaml

    sections = yaml.safe_load((REPO / "layouts" / "default" / "labels.yml").read_text(encoding="utf-8"))
    wanted = {key for key in sections["en"] if key.startswith("site_")}
    assert len(wanted) > 10
    from presskit import language

    # a regional section (`pt-PT`) gives only what differs: the rest comes from the sections that suit it next
    found = {lang: set().union(*(sections[s] for s in language.fallbacks(lang, list(sections)))) for lang in sections}
    missing = {lang: sorted(wanted - words) for lang, words in found.items() if wanted - words}
    assert missing == {}, "languages whose newsroom pages would fall back to English words"
    english = sections["en"]["site_search"]
    assert {lang for lang, words in sections.items() if lang != "en" and words.get("site_search") == english} == set()


def test_clean_removes_the_search_index_and_the_fonts(copy: Project) -> None:
    site = _site(copy)
    assert (site / "pagefind").is_dir() and any((site / "fonts").iterdir())
    run = copy.doit("clean", "search", "stylesheet", "feed", "sitemap", "robots", env=_env(BEFORE))
    assert run.returncode == 0, run.output
    assert not (site / "pagefind").exists() and not (site / "fonts").exists() and not (site / "site.css").exists()
    assert not list(site.rglob("*.atom")) and not (site / "sitemap.xml").exists()
    again = copy.doit("site", env=_env(BEFORE))
    assert again.returncode == 0, again.output
    assert _ran(again) >= {"search", "stylesheet", "sitemap", "robots", "feed:en-gb"}
    assert (site / "pagefind" / "pagefind-entry.json").is_file()


def test_one_feed_for_a_language_written_in_two_cases(tmp_path: Path) -> None:
    import feedparser

    project = make_project(tmp_path / "project", seed=False)
    for day, lang in ((1, "en-GB"), (2, "en-gb")):
        project.write(f"sources/2019-01-0{day}-case-{day}.md",
                      f"---\ntitle: Written as {lang}\ndate: 2019-01-0{day}\nlang: {lang}\n---\n\nText.\n")  # fmt: skip
    run = project.doit("feed", env=_env(BEFORE))
    assert run.returncode == 0, run.output
    parsed = feedparser.parse((_site(project) / "en-gb" / "feed.atom").read_bytes())
    assert not parsed.bozo
    assert sorted(e.title for e in parsed.entries) == ["Written as en-GB", "Written as en-gb"]


def test_archive_pages_pass_axe(tmp_path: Path, chromium: Any) -> None:
    project = make_project(tmp_path / "project", seed=False)
    for n in range(45):
        _numbered(project, n)
    run = project.doit("index", "stylesheet", env=_env(BEFORE))
    assert run.returncode == 0, run.output
    for page in ("en-gb/index.html", "en-gb/page-2.html"):
        for width in proof.WIDTHS:
            tab = chromium.new_page(viewport={"width": width, "height": 900})
            try:
                tab.goto((_site(project) / page).as_uri())
                violations = axe_violations(tab)
            finally:
                tab.close()
            assert violations == [], f"{page} at {width} px: {violations}"
            shot = project.root / "build" / "proof" / f"site-{page.replace('/', '-')}-{width}.png"
            proof.screenshot(chromium, _site(project) / page, width, shot)
            print(f"screenshot: {shot}")


def test_a_listing_in_chinese_is_set_in_the_chinese_forms_of_its_language(newsroom: Project, chromium: Any) -> None:
    # the listing pages share one stylesheet: it chooses CJK fonts by each page's language, as the PDF does
    tab = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        tab.goto((_site(newsroom) / "zh-hans" / "index.html").as_uri())
        family = tab.evaluate("getComputedStyle(document.querySelector('main')).fontFamily")
        tab.goto((_site(newsroom) / "fr" / "index.html").as_uri())
        french = tab.evaluate("getComputedStyle(document.querySelector('main')).fontFamily")
    finally:
        tab.close()
    assert family.startswith('"Noto Sans CJK SC"'), family
    assert not french.startswith('"Noto Sans CJK'), french
