"""The newsroom's Atom feeds, read back with feedparser as a feed reader reads them."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import feedgen.entry
import feedgen.feed
import feedparser
import lxml.html
import pytest

from presskit.site import feeds
from presskit.site.catalog import Entry
from tests.conftest import SAMPLES, SEED_SLUG, make_project
from tests.site_samples import (
    BODIES,
    CRACKDOWN,
    CRACKDOWN_FR,
    CRACKDOWN_ZH,
    ENTRIES,
    JOURNALISTS_AR,
    NEWSROOM,
    SAFETY,
    SQUARE,
    WAGES,
    write_site,
)

BASE = NEWSROOM.base_url


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write_site(tmp_path / "site")
    return tmp_path / "site"


def _write(site: Path, entries: list[Entry], lang: str, tag: str | None = None) -> Path:
    target = site / feeds.feed_path(lang, tag)
    feeds.write_feed(target, NEWSROOM, entries, lang=lang, tag=tag, content=feeds.page_content(site, NEWSROOM))
    return target


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def _in(lang: str, tag: str | None = None) -> list[Entry]:
    return [e for e in ENTRIES if e.lang == lang and (tag is None or tag in e.tags)]


FEEDS = [("en", None), ("fr", None), ("zh-Hans", None), ("ar", None), ("en", "press freedom"), ("zh-Hans", "新闻自由")]


@pytest.mark.parametrize(("lang", "tag"), FEEDS)
def test_a_feed_holds_its_statements_newest_first_as_readers_need(site: Path, lang: str, tag: str | None) -> None:
    given = _in(lang, tag)
    parsed = feedparser.parse(_write(site, given, lang, tag).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    newest_first = sorted(given, key=lambda e: e.published, reverse=True)
    assert [e.id for e in parsed.entries] == [feeds.entry_id(NEWSROOM, e) for e in newest_first]
    assert len({e.id for e in parsed.entries}) == len(given)
    assert parsed.feed.language == lang
    assert _utc(parsed.feed.updated) == max(e.updated for e in given)
    links = {link.rel: link.href for link in parsed.feed.links}
    escaped = "%E6%96%B0%E9%97%BB%E8%87%AA%E7%94%B1"  # 新闻自由 in a URL
    assert links["self"] == BASE + feeds.feed_path(lang, tag).replace("新闻自由", escaped)
    assert links["alternate"] == BASE + feeds.listing_path(lang, tag).replace("新闻自由", escaped)
    for item, entry in zip(parsed.entries, newest_first, strict=True):
        assert item.title == entry.title
        assert item.link == BASE + entry.page
        assert _utc(item.updated) == entry.updated
        assert _utc(item.published) == entry.published
        assert [t.term for t in item.tags] == list(entry.tags)
        assert item.author == NEWSROOM.name
        if entry.summary:
            assert item.summary == entry.summary
        (content,) = item.content
        assert content.type == "text/html"
        text = lxml.html.fromstring(content.value).text_content()
        for paragraph in BODIES[entry.stem]:
            assert paragraph in text
        assert entry.title not in text  # the reader shows the title itself


def test_the_feed_is_updated_when_its_latest_change_was_not_its_newest_statement(site: Path) -> None:
    parsed = feedparser.parse(_write(site, [CRACKDOWN, WAGES], "en", "press freedom").read_bytes())
    assert [e.title for e in parsed.entries] == [CRACKDOWN.title, WAGES.title]  # by publication
    assert WAGES.updated > CRACKDOWN.updated
    assert _utc(parsed.feed.updated) == WAGES.updated


def test_a_statement_without_summary_has_no_summary_element(site: Path) -> None:
    text = _write(site, [WAGES], "en").read_text(encoding="utf-8")
    assert "<summary" not in text and "<content" in text


class _AnyDatetime(type):
    def __instancecheck__(cls, value: object) -> bool:
        return isinstance(value, dt.datetime)


class _Later(metaclass=_AnyDatetime):
    """feedgen's `datetime` with a clock ten years ahead: a default taken from the clock would show."""

    @staticmethod
    def now(tz: dt.tzinfo | None = None) -> dt.datetime:
        return dt.datetime(2035, 1, 1, tzinfo=tz)


def test_two_runs_write_the_same_bytes_whatever_the_clock(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _write(site, _in("en"), "en").read_bytes()
    monkeypatch.setattr(feedgen.feed, "datetime", _Later)
    monkeypatch.setattr(feedgen.entry, "datetime", _Later)
    second = _write(site, list(reversed(_in("en"))), "en").read_bytes()
    assert first == second
    assert b"presskit" in first and b"feedgen" not in first


def test_the_full_text_has_absolute_links_and_no_embedded_images(site: Path) -> None:
    parsed = feedparser.parse(_write(site, [CRACKDOWN], "en").read_bytes())
    body = lxml.html.fromstring(parsed.entries[0].content[0].value)
    page = BASE + CRACKDOWN.page
    hrefs = body.xpath("//a/@href")
    assert BASE + "fair-wages/fair-wages.html" in hrefs
    assert BASE + "china-online-crackdown/china-online-crackdown.pdf" in hrefs
    assert page + "#fn1" in hrefs and "mailto:press@example.org" in hrefs
    assert all(h.startswith(("https://", "mailto:")) for h in hrefs), hrefs
    assert body.xpath("//img") == []
    assert body.xpath(f'//a[@href="{page}"]/text()') == ["Protesters outside the embassy"]
    assert "Where the accounts were closed" in body.text_content()
    assert body.xpath("//nav | //h1") == [] and CRACKDOWN.summary not in body.text_content()


def test_rtl_and_cjk_text_survive_the_round_trip(site: Path) -> None:
    for entry in (JOURNALISTS_AR, CRACKDOWN_ZH, CRACKDOWN_FR):
        parsed = feedparser.parse(_write(site, [entry], entry.lang).read_bytes())
        assert parsed.entries[0].title == entry.title
        assert [t.term for t in parsed.entries[0].tags] == list(entry.tags)


def test_a_feed_refuses_statements_of_another_language_or_none(site: Path) -> None:
    with pytest.raises(ValueError, match=r"china-online-crackdown\.fr"):
        _write(site, [CRACKDOWN, CRACKDOWN_FR], "en")
    with pytest.raises(ValueError, match="at least one"):
        _write(site, [], "en")
    assert not (site / "en" / "feed.atom").exists()


def test_the_entry_id_stays_when_the_statement_changes() -> None:
    import dataclasses

    edited = dataclasses.replace(SAFETY, title="Another headline", updated=SAFETY.updated + dt.timedelta(days=2))
    assert (
        feeds.entry_id(NEWSROOM, edited)
        == feeds.entry_id(NEWSROOM, SAFETY)
        == ("tag:example.org,2018-11-26:/newsroom/safety-summit")
    )


@pytest.fixture(scope="module")
def real_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and the rich sample built by `doit html`, as the newsroom copies them into its site."""
    project = make_project(tmp_path_factory.mktemp("real") / "project")
    (project.root / "sources" / "rich.md").write_bytes((SAMPLES / "rich.md").read_bytes())
    picture = project.root / "sources" / "pixel.png"
    picture.write_bytes(base64.b64decode(SQUARE.split(",", 1)[1]))
    with (project.root / "sources" / "rich.md").open("a", encoding="utf-8") as text:
        text.write(
            "\n![A protest outside the embassy in Sydney](pixel.png)\n\nThe logo ![of the union](pixel.png) inline.\n"
        )
    run = project.doit("html")
    assert run.returncode == 0, run.output
    return project.root / "build"


@pytest.mark.parametrize("stem", [SEED_SLUG, "rich"])
def test_the_full_text_of_a_real_page(real_pages: Path, stem: str) -> None:
    url = f"{BASE}{stem}/{stem}.html"
    page = real_pages / stem / f"{stem}.html"
    text = feeds.article_html(page, url)
    body = lxml.html.fromstring(f"<div>{text}</div>")
    original = lxml.html.fromstring(page.read_bytes())
    paragraphs = [p.text_content() for p in original.xpath("//div[@class='statement-body']/p[not(.//img)]")]
    assert paragraphs and all(p in body.text_content() for p in paragraphs)
    assert "data:" not in text and body.xpath("//img | //h1 | //nav | //style | //script") == []
    assert all(h.startswith(("https://", "mailto:", "tel:")) for h in body.xpath("//a/@href")), body.xpath("//a/@href")
    assert original.findtext(".//h2[@id='contact-title']") in body.text_content()
    if stem == "rich":
        assert url + "#fn1" in body.xpath("//a/@href")
        assert "https://example.org/letter" in body.xpath("//a/@href")
        assert body.xpath("//figcaption/text()") == ["A protest outside the embassy in Sydney"]  # the figure's words
        assert body.xpath(f'//a[@href="{url}"]/text()') == ["of the union"]  # an inline picture: a link to see it
        parsed = feedparser.parse(_feed_of(real_pages, text))
        assert not parsed.bozo and parsed.entries[0].content[0].value.count("<table") == 2


def _feed_of(folder: Path, html: str) -> bytes:
    target = folder / "feed.atom"
    feeds.write_feed(target, NEWSROOM, [SAFETY], lang="en", content=lambda entry: html)
    return target.read_bytes()
