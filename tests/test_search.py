"""The newsroom's search index, built with the real Pagefind and searched in headless Chromium from a local server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from presskit.errors import InputError
from presskit.site import search
from tests.site_samples import (
    CRACKDOWN,
    CRACKDOWN_FR,
    CRACKDOWN_ZH,
    JOURNALISTS_AR,
    NEWSROOM,
    SAFETY,
    served,
    write_site,
)

BASE = "/newsroom/"
"""Where the site is served: not the server's root, as on many hosts."""


def _search_page(lang: str, direction: str = "ltr") -> str:
    """A page of the site in `lang` with Pagefind's search box, loading the index by a relative path."""
    return f"""<!DOCTYPE html>
<html lang="{lang}" dir="{direction}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Search – {NEWSROOM.name}</title>
<link rel="stylesheet" href="../../pagefind/pagefind-ui.css">
<script src="../../pagefind/pagefind-ui.js"></script></head>
<body><main><h1>{NEWSROOM.name}</h1><div id="search"></div></main>
<script>
window.addEventListener("DOMContentLoaded", () => new PagefindUI({{element: "#search", showImages: false}}));
</script>
</body></html>
"""


def _listing() -> str:
    """A language index without data-pagefind-body: search leaves it out, so its words find nothing."""
    return """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Index</title></head>
<body><main><h1>Statements</h1><p>Zanzibar archive listing</p></main></body></html>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("served")
    site = root / BASE.strip("/")
    write_site(site)
    (site / "en").mkdir()
    (site / "en" / "index.html").write_text(_listing(), encoding="utf-8")
    for lang, direction in (("en", "ltr"), ("fr", "ltr"), ("zh-Hans", "ltr"), ("ar", "rtl")):
        folder = site / "search" / lang.lower()
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(_search_page(lang, direction), encoding="utf-8")
    search.index(site)
    return site


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with served(site.parent) as address:
        yield address + BASE



_SEARCH = """async (query) => {
  const pagefind = await import(new URL("../../pagefind/pagefind.js", location.href).href);
  await pagefind.init();
  const found = await pagefind.search(query);
  const results = await Promise.all(found.results.map((r) => r.data()));
  return results.map((r) => ({url: r.url, title: r.meta.title, excerpt: r.excerpt}));
}"""


def _search(chromium: Any, server: str, lang: str, query: str) -> list[dict[str, str]]:
    tab = chromium.new_page()
    try:
        tab.goto(f"{server}search/{lang.lower()}/index.html")
        return tab.evaluate(_SEARCH, query)  # type: ignore[no-any-return]
    finally:
        tab.close()


@pytest.mark.parametrize(
    ("lang", "query", "entry"),
    [
        ("en", "Philippines", SAFETY),
        ("en", "activist", CRACKDOWN),  # stemmed: the page says "activists"
        ("fr", "gazouillis", CRACKDOWN_FR),
        ("fr", "militant", CRACKDOWN_FR),  # stemmed: the page says "militants"
        ("zh-Hans", "敏感", CRACKDOWN_ZH),  # a word inside a sentence: found only when Chinese is split into words
        ("zh-Hans", "社交媒体", CRACKDOWN_ZH),
        ("ar", "صحيفتين", JOURNALISTS_AR),
    ],
)
def test_a_word_of_a_statement_finds_it_in_its_language(
    chromium: Any, server: str, lang: str, query: str, entry: Any
) -> None:
    results = _search(chromium, server, lang, query)
    assert [r["url"] for r in results] == [BASE + entry.page], results
    assert results[0]["title"] == entry.title
    assert "<mark>" in results[0]["excerpt"]


@pytest.mark.parametrize(
    ("lang", "query"),
    [
        ("en", "Zanzibar"),  # only on a page without data-pagefind-body
        ("en", "represents"),  # only in the footers, marked data-pagefind-ignore
        ("en", "fermeture"),  # French: each language has its own index
        ("fr", "Philippines"),
    ],
)
def test_what_is_not_a_statement_of_the_language_is_not_found(
    chromium: Any, server: str, lang: str, query: str
) -> None:
    assert _search(chromium, server, lang, query) == []


def test_one_index_per_language(site: Path) -> None:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert {lang: index["page_count"] for lang, index in entry["languages"].items()} == {
        "en": 3, "fr": 1, "zh-hans": 1, "ar": 1,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "query", "entry", "width"),
    [
        ("en", "Philippines", SAFETY, 1280),
        ("zh-Hans", "敏感", CRACKDOWN_ZH, 1280),
        ("ar", "صحيفتين", JOURNALISTS_AR, 375),
    ],
)
def test_the_search_box_shows_results(
    chromium: Any, server: str, site: Path, lang: str, query: str, entry: Any, width: int
) -> None:
    tab = chromium.new_page(viewport={"width": width, "height": 700})
    try:
        tab.goto(f"{server}search/{lang.lower()}/index.html")
        tab.fill(".pagefind-ui__search-input", query)
        tab.wait_for_selector(".pagefind-ui__result-link")
        links = tab.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => [e.href, e.textContent])")
        marked = tab.eval_on_selector_all(".pagefind-ui__result-excerpt mark", "els => els.map(e => e.textContent)")
        shot = site.parent / f"search-{lang.lower()}-{width}.png"
        tab.screenshot(path=str(shot), full_page=True)
    finally:
        tab.close()
    assert links == [[server + entry.page, entry.title]]
    assert [m.rstrip(".。") for m in marked] == [query]  # Pagefind marks a word with its full stop
    assert shot.stat().st_size > 5000
    print(f"screenshot: {shot}")


def test_a_failed_index_keeps_the_previous_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    write_site(site)
    search.index(site)
    before = {p.relative_to(site): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
    (site / "late" / "late.html").parent.mkdir()
    (site / "late" / "late.html").write_text("<html lang='en'><body><article data-pagefind-body>Late</article>")
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: the disk fell off' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr(search, "executable", lambda: broken)
    with pytest.raises(InputError) as caught:
        search.index(site)
    message = str(caught.value)
    assert "the search index could not be built" in message and "exit code 3" in message
    assert "the disk fell off" in message and "previous index is kept" in message
    after = {p.relative_to(site): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pagefind", "site"]  # no half-built index left


def test_a_site_without_pages_is_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    with pytest.raises(InputError) as caught:
        search.index(tmp_path / "site")
    assert "did not contain any html files" in str(caught.value)
    assert "the site has no search index yet" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_new_index_replaces_the_old_one(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(site)
    search.index(site)
    (site / "late").mkdir()
    (site / "late" / "late.html").write_text(
        "<!DOCTYPE html><html lang='la'><head><title>Late</title></head>"
        "<body><article data-pagefind-body>Sero venientibus ossa</article></body></html>"
    )
    search.index(site)
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert "la" in entry["languages"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
