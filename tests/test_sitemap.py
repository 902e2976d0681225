"""sitemap.xml against the official schemas, and robots.txt."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from presskit.site import sitemap
from tests.site_samples import CRACKDOWN, CRACKDOWN_FR, CRACKDOWN_ZH, ENTRIES, JOURNALISTS_AR, NEWSROOM, SAFETY

SCHEMAS = Path(__file__).parent / "schemas"
NS = {"s": sitemap.SITEMAP, "x": sitemap.XHTML}
PAGES = ["index.html", "en/index.html", "en/page-2.html", "en/tags/press-freedom/index.html", "en/2018/index.html",
         "zh-hans/tags/新闻自由/index.html", "ar/index.html", "404.html"]  # fmt: skip


class _Local(etree.Resolver):
    """The W3C's xml.xsd from tests/schemas/, where xhtml1-strict.xsd imports it from the web."""

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        if system_url == "http://www.w3.org/2001/xml.xsd":
            return self.resolve_filename(str(SCHEMAS / "xml.xsd"), context)
        return None


def _schema(*imports: tuple[str, str]) -> etree.XMLSchema:
    """A schema importing each (namespace, file of tests/schemas/), as a sitemap's xsi:schemaLocation pairs them."""
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Local())
    lines = "".join(f'<xs:import namespace="{ns}" schemaLocation="{name}"/>' for ns, name in imports)
    text = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{lines}</xs:schema>'
    return etree.XMLSchema(etree.fromstring(text, parser, base_url=str(SCHEMAS / "driver.xsd")))


SITEMAP_AND_XHTML = [(sitemap.SITEMAP, "sitemap.xsd"), (sitemap.XHTML, "xhtml1-strict.xsd")]


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return _schema(*SITEMAP_AND_XHTML)


@pytest.fixture
def written(tmp_path: Path) -> etree._Element:
    target = tmp_path / "site" / "sitemap.xml"
    sitemap.write_sitemap(target, NEWSROOM, ENTRIES, PAGES)
    return etree.parse(str(target)).getroot()


def test_the_sitemap_is_valid_against_the_official_schemas(schema: etree.XMLSchema, written: etree._Element) -> None:
    assert schema.validate(written), schema.error_log


def test_the_official_schema_checks_every_xhtml_link_strictly(written: etree._Element) -> None:
    # sitemap.xsd admits elements of other namespaces with processContents="strict": without the XHTML schema
    # an xhtml:link is an error, so the validation above really checks each link against XHTML's <link>.
    alone = _schema((sitemap.SITEMAP, "sitemap.xsd"))
    assert not alone.validate(written)
    assert "link" in str(alone.error_log) and "strict" in str(alone.error_log)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda root: root.find(".//x:link", NS).set("hreflang", "not a language"), "hreflang"),
        (lambda root: root.find(".//x:link", NS).set("colour", "red"), "colour"),
        (lambda root: etree.SubElement(root.find(".//x:link", NS), f"{{{sitemap.XHTML}}}b"), "link"),
        (lambda root: setattr(root.find(".//s:lastmod", NS), "text", "23 November 2018"), "lastmod"),
        (lambda root: root.find(".//s:url", NS).remove(root.find(".//s:loc", NS)), "loc"),
    ],
)
def test_a_broken_sitemap_is_refused(
    schema: etree.XMLSchema, written: etree._Element, change: Callable[[etree._Element], object], expected: str
) -> None:
    change(written)
    assert not schema.validate(written)
    assert expected in str(schema.error_log)


def test_every_page_and_statement_is_listed_with_its_language_versions(written: etree._Element) -> None:
    locs = written.xpath("//s:url/s:loc/text()", namespaces=NS)
    base = NEWSROOM.base_url
    assert locs[: len(PAGES)] == [base + p for p in PAGES[:5]] + [
        base + "zh-hans/tags/%E6%96%B0%E9%97%BB%E8%87%AA%E7%94%B1/index.html",
        base + "ar/index.html",
        base + "404.html",
    ]
    assert sorted(locs[len(PAGES) :]) == sorted(base + e.page for e in ENTRIES)
    assert len(locs) == len(set(locs))
    for entry in ENTRIES:
        (url,) = written.xpath(f'//s:url[s:loc="{base + entry.page}"]', namespaces=NS)
        lastmod = url.findtext("s:lastmod", namespaces=NS)
        assert lastmod == entry.updated.isoformat(timespec="seconds")
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
        if len(entry.versions) > 1:
            assert alternates == {v.lang: base + v.page for v in entry.versions}
            assert {link.get("rel") for link in url.findall("x:link", NS)} == {"alternate"}
        else:
            assert alternates == {}
    crackdown = {e.stem for e in (CRACKDOWN, CRACKDOWN_FR, CRACKDOWN_ZH)}
    assert {e.stem for e in ENTRIES if len(e.versions) == 3} == crackdown
    assert written.xpath(f'//s:url[s:loc="{base + JOURNALISTS_AR.page}"]/x:link', namespaces=NS) == []
    for page in PAGES:
        assert written.xpath(f'//s:url[s:loc="{sitemap.url(NEWSROOM, page)}"]/s:lastmod', namespaces=NS) == []


def test_the_same_input_writes_the_same_bytes(tmp_path: Path) -> None:
    sitemap.write_sitemap(tmp_path / "a.xml", NEWSROOM, ENTRIES, PAGES)
    sitemap.write_sitemap(tmp_path / "b.xml", NEWSROOM, tuple(reversed(ENTRIES)), PAGES)
    assert (tmp_path / "a.xml").read_bytes() == (tmp_path / "b.xml").read_bytes()


def test_more_addresses_than_a_sitemap_may_hold_are_refused(tmp_path: Path) -> None:
    many = [dataclasses.replace(SAFETY, stem=f"s{n}", slug=f"s{n}") for n in range(sitemap.MAX_URLS)]
    with pytest.raises(ValueError, match="at most 50000"):
        sitemap.write_sitemap(tmp_path / "sitemap.xml", NEWSROOM, many, ["index.html"])
    assert not (tmp_path / "sitemap.xml").exists()


def test_robots_names_the_sitemap(tmp_path: Path) -> None:
    sitemap.write_robots(tmp_path / "robots.txt", NEWSROOM)
    lines = (tmp_path / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "Sitemap: https://example.org/newsroom/sitemap.xml" in lines
    assert lines[:2] == ["User-agent: *", "Disallow:"]  # nothing withheld: embargoed statements are not in the site
