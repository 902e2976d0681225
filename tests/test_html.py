"""The newsroom page's DOM: semantics, language, search and social metadata, structured data."""

from __future__ import annotations

import json

from tests.conftest import SEED_SLUG, Project
from tests.extract import html_tree

SEED_URL = f"https://www.ifj.org/{SEED_SLUG}/{SEED_SLUG}.html"


def test_seed_page_is_semantic(built: Project) -> None:
    tree = html_tree(built.output(SEED_SLUG, ".html"))
    assert tree.get("lang") == "en-GB" and tree.get("dir") == "ltr"
    article = tree.find(".//main/article")
    assert article is not None
    header = article.find("header")
    assert header is not None and header.findtext("h1") is not None
    assert header.findtext("h1").startswith("China’s online crackdown")  # type: ignore[union-attr]
    time = header.find(".//time")
    assert time is not None and time.get("datetime") == "2018-11-23" and time.text == "23 November 2018"
    quotes = article.findall(".//blockquote")
    assert len(quotes) == 1 and "crackdown of the online sphere" in quotes[0].text_content()
    assert len(tree.findall(".//h1")) == 1
    assert tree.find(".//img[@class='logo']").get("alt")  # type: ignore[union-attr]


def test_seed_page_metadata(built: Project) -> None:
    tree = html_tree(built.output(SEED_SLUG, ".html"))

    def meta(attribute: str, name: str) -> list[str]:
        return [m.get("content") for m in tree.findall(f".//head/meta[@{attribute}='{name}']")]

    assert meta("name", "description")[0].startswith("The IFJ has voiced strong concerns")
    assert [link.get("href") for link in tree.findall(".//head/link[@rel='canonical']")] == [SEED_URL]
    assert meta("property", "og:type") == ["article"]
    assert meta("property", "og:url") == [SEED_URL]
    assert meta("property", "og:title") == [tree.findtext(".//h1")]
    assert meta("property", "og:description") == meta("name", "description")
    assert meta("property", "og:locale") == ["en_GB"]
    assert meta("property", "article:tag") == ["China", "press freedom", "social media", "online censorship"]
    assert meta("name", "twitter:card") == ["summary"]
    assert meta("name", "twitter:site") == ["@ifjasiapacific"]


def test_seed_page_structured_data(built: Project) -> None:
    tree = html_tree(built.output(SEED_SLUG, ".html"))
    scripts = tree.findall(".//script[@type='application/ld+json']")
    assert len(scripts) == 1
    data = json.loads(scripts[0].text)
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "China’s online crackdown continues with Twitter, Weibo and Wechat shutdowns"
    assert data["datePublished"] == "2018-11-23"
    assert data["inLanguage"] == "en-GB"
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "International Federation of Journalists – Asia-Pacific",
        "url": "https://www.ifj.org/",
    }
    assert data["description"].startswith("The IFJ has voiced strong concerns")
    assert data["url"] == SEED_URL


def test_structured_data_cannot_close_its_script(project: Project) -> None:
    project.write(
        "sources/tricky.md",
        "---\ntitle: \"A </script><script>alert(1)</script> headline & more\"\ndate: 2020-01-01\n---\n\nText.\n",
    )
    run = project.doit("html:tricky")
    assert run.returncode == 0, run.output
    page = project.output("tricky", ".html")
    tree = html_tree(page)
    assert [s.get("type") for s in tree.findall(".//script")] == ["application/ld+json"]
    assert json.loads(tree.find(".//script").text)["headline"] == "A </script><script>alert(1)</script> headline & more"  # type: ignore[union-attr]


def test_no_social_tags_without_a_site_url(project: Project) -> None:
    brand = project.root / "layouts" / "asia-pacific" / "_brand.yml"
    brand.write_text(
        brand.read_text(encoding="utf-8").replace("    home: https://www.ifj.org/\n", ""), encoding="utf-8"
    )
    run = project.doit("html")
    assert run.returncode == 0, run.output
    tree = html_tree(project.output(SEED_SLUG, ".html"))
    assert tree.findall(".//link[@rel='canonical']") == []
    assert tree.findall(".//meta[@property='og:url']") == []
    data = json.loads(tree.find(".//script[@type='application/ld+json']").text)  # type: ignore[union-attr]
    assert "url" not in data and data["@type"] == "NewsArticle"


def test_page_has_a_print_stylesheet(built: Project) -> None:
    styles = "".join(s.text or "" for s in html_tree(built.output(SEED_SLUG, ".html")).findall(".//style"))
    assert "@media print" in styles


def test_contrast_ratios_follow_wcag() -> None:
    from presskit.read import contrast

    assert round(contrast.ratio("#000", "#fff"), 2) == 21.0
    assert round(contrast.ratio("#777777", "white"), 2) == 4.48
    assert round(contrast.ratio("rgb(22, 62, 108)", "#ffffff"), 1) == 10.8
    colours = {"primary": "#163e6c", "secondary": "#ff8800", "foreground": "#1b1f24", "background": "#fff"}
    assert [field for field, _ in contrast.problems(colours)] == ["color.secondary"]
    assert contrast.problems({**colours, "primary": "banana"}) == [
        ("color.primary", "'banana' is not a colour; write it as #rrggbb")
    ]
