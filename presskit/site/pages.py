"""The newsroom's pages: what each shows (plain data, planned while tasks load) and writing them.

A page's plan is JSON-like data: it is both what its task's `config_changed` compares and what the task's action
renders, so a page is rebuilt exactly when what it shows changes.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from presskit import language, output
from presskit.errors import fail
from presskit.project import Project
from presskit.site.catalog import PER_PAGE, Entry, Newsroom, feed_path, language_folder, tag_folder, tagged

SITE = "site"
"""The newsroom's folder in `build/`."""
TEMPLATES = "site"
"""The folder of a layout holding the newsroom's templates and stylesheet."""
DOWNLOADS = (".pdf", ".docx", ".txt")
"""The outputs a statement's page offers for download, copied beside it."""
CARD = ".card.png"
"""Suffix of a statement's share card."""
FONTS = "fonts"
"""The folder of `build/site/` holding the brand's fonts as WOFF2 files, shared by every page through `site.css`."""

Plan = dict[str, Any]


def site_folder(project: Project) -> Path:
    """Where the newsroom is written: `build/site/`."""
    return project.build / SITE


def site_facts(newsroom: Newsroom, lang: str) -> dict[str, str]:
    """What every page shows of the newsroom: its name (in its brand's language `lang`) and its address."""
    return {"name": newsroom.name, "base_url": newsroom.base_url, "lang": lang}


def listing_pages(newsroom: Newsroom, entries: list[Entry], site: dict[str, str]) -> list[Plan]:
    """Every listing page: each language's index, tag pages and year archives (each paged), and the root index."""
    shown: dict[str, dict[str, Any]] = {e.stem: _shown(e) for e in entries}
    by_lang: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_lang[language_folder(entry.lang)].append(entry)
    languages = [[lang, f"{language_folder(lang)}/index.html"] for lang in newsroom.languages]
    plans: list[Plan] = []
    for lang in newsroom.languages:
        folder = language_folder(lang)
        listed = by_lang[folder]
        years = sorted({e.date.year for e in listed}, reverse=True)
        common = {"lang": lang, "site": site, "languages": languages, "feed": feed_path(lang),
                  "years": [[str(y), f"{folder}/{y}/index.html"] for y in years]}  # fmt: skip
        plans.extend(_paged({**common, "kind": "index", "name": ""}, folder, [shown[e.stem] for e in listed]))
        for year in years:
            chunk = [shown[e.stem] for e in listed if e.date.year == year]
            plans.extend(_paged({**common, "kind": "year", "name": str(year)}, f"{folder}/{year}", chunk))
        for name, statements in tagged(listed):
            named = {**common, "kind": "tag", "name": name, "feed": feed_path(lang, name)}
            plans.extend(_paged(named, f"{folder}/tags/{tag_folder(name)}", [shown[e.stem] for e in statements]))
    home = next((p for p in plans if p["kind"] == "index"), None)
    if home is not None:
        plans.append({**home, "kind": "home", "target": "index.html"})
    else:
        own = newsroom.languages[0] if newsroom.languages else "en"
        plans.append({"lang": own, "site": site, "languages": [], "years": [], "kind": "home", "feed": "",
                      "target": "index.html", "name": "", **_UNPAGED, "entries": []})  # fmt: skip
    return plans


_UNPAGED: Plan = {"front": "", "newer": "", "older": ""}
"""The navigation of a listing on one page: no front page, newer or older page to link to."""


def _paged(listing: Plan, folder: str, listed: list[dict[str, Any]]) -> list[Plan]:
    """A listing of statements (newest first) in `folder`: its front page, `index.html`, showing the newest
    `PER_PAGE`, and once they do not all fit there, its archive pages, `page-1.html`, `page-2.html`...

    The archive pages hold `PER_PAGE` statements each counted from the oldest, newest first within a page.
    Counting from the oldest keeps a statement on the same page when newer ones are published, so a link to an
    archive page stays valid and a new statement rewrites only the front page and the page it falls into.
    """
    front = f"{folder}/index.html"
    chunks = [] if len(listed) <= PER_PAGE else _chunks(listed[::-1])
    archive = [f"{folder}/page-{k}.html" for k in range(1, len(chunks) + 1)]
    # the front page's older neighbour is the archive page of the first statement it leaves out
    older = archive[(len(listed) - PER_PAGE - 1) // PER_PAGE] if archive else ""
    plans = [{**listing, "target": front, "front": "", "newer": "", "older": older, "entries": listed[:PER_PAGE]}]
    for k, (path, chunk) in enumerate(zip(archive, chunks, strict=True)):
        plans.append({**listing, "target": path, "front": front, "older": archive[k - 1] if k else "",
                      "newer": archive[k + 1] if k + 1 < len(archive) else front, "entries": chunk})  # fmt: skip
    return plans


def _chunks(oldest_first: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """`PER_PAGE` statements a page from the oldest, each page newest first."""
    return [oldest_first[start : start + PER_PAGE][::-1] for start in range(0, len(oldest_first), PER_PAGE)]


def _shown(entry: Entry) -> dict[str, Any]:
    """What a listing shows of a statement."""
    return {
        "stem": entry.stem,
        "page": entry.page,
        "lang": entry.lang,
        "dir": entry.direction,
        "title": entry.title,
        "summary": entry.summary,
        "date": entry.date.isoformat(),
        "versions": [[v.lang, v.page] for v in entry.versions],
        "tags": [[tag, f"{language_folder(entry.lang)}/tags/{tag_folder(tag)}/index.html"] for tag in entry.tags],
    }


def statement_page(entry: Entry, site: dict[str, str]) -> Plan:
    """What a statement's page adds to its HTML output: the newsroom, its published versions, downloads, card."""
    return {
        "stem": entry.stem,
        "slug": entry.slug,
        "lang": entry.lang,
        "title": entry.title,
        "site": site,
        "versions": [[v.lang, v.page] for v in entry.versions],
        "downloads": list(DOWNLOADS),
        "feed": feed_path(entry.lang),
    }


def not_found_page(newsroom: Newsroom, site: dict[str, str]) -> Plan:
    """The 404 page: the newsroom's name, its languages."""
    languages = [[lang, f"{language_folder(lang)}/index.html"] for lang in newsroom.languages]
    own = newsroom.languages[0] if newsroom.languages else ""
    return {"target": "404.html", "lang": own, "site": site, "feed": "",
            "languages": languages}  # fmt: skip


# --- writing ------------------------------------------------------------------------------------------------


def _brand(project: Project) -> Any:
    from presskit.read import brand as brands

    return brands.load(project.layouts, brands.BASE_LAYOUT, project.root)


def _words(brand: Any, lang: str) -> dict[str, str]:
    from presskit.read import labels

    return labels.for_lang(brand, lang or brand.lang)


def _render(project: Project, template: str, lang: str, target: str, **context: Any) -> str:
    from presskit import language
    from presskit.formats import templates

    brand = _brand(project)
    lang = lang or brand.lang
    depth = target.count("/")
    context.setdefault("inline_css", "")
    return templates.render(
        brand,
        f"{TEMPLATES}/{template}",
        lang=lang,
        dir=language.direction(lang),
        words=_words(brand, lang),
        root="../" * depth,
        language_name=language.language_name,
        long_date=_long_date,
        **context,
    )


def _long_date(iso: str, lang: str) -> str:
    import datetime as dt

    from presskit import language

    return language.long_date(dt.date.fromisoformat(iso), lang)


def write_listing(project: Project, plan: Plan) -> None:
    """Write one listing page: an index page, a tag page, a year archive or the root index."""
    words = _words(_brand(project), plan["lang"])
    kicker, heading = "", words["site_statements"]
    title = heading
    if plan["kind"] == "tag":
        kicker, heading, title = words["site_tag"], plan["name"], f"{words['site_tag']}: {plan['name']}"
    elif plan["kind"] == "year":
        kicker, heading, title = words["site_archive"], plan["name"], f"{words['site_archive']} {plan['name']}"
    if plan["front"]:  # an archive page: its dates tell it from the listing's other pages
        dates = [e["date"] for e in plan["entries"]]
        title = f"{title}, {_long_date(min(dates), plan['lang'])} – {_long_date(max(dates), plan['lang'])}"
    switch = [[lang, path, lang == plan["lang"]] for lang, path in plan["languages"]]
    html = _render(
        project, "listing.html", plan["lang"], plan["target"], page=plan, switch=switch, title=title,
        heading=heading, kicker=kicker, canonical=plan["target"], downloads=[],
    )  # fmt: skip
    output.write(site_folder(project) / plan["target"], html)


def write_not_found(project: Project, plan: Plan) -> None:
    """Write the 404 page, its stylesheet inlined, since it is served at whatever address was missing.

    Its text is set in the fonts' fallbacks: the font files' addresses, relative to the site's root, would not
    resolve from a missing page's address.
    """
    css = Markup(stylesheet(project))
    words = _words(_brand(project), plan["lang"])
    switch = [[lang, path, False] for lang, path in plan["languages"]]
    html = _render(
        project, "404.html", plan["lang"], plan["target"], page=plan, inline_css=css, switch=switch,
        title=words["site_not_found"], canonical="", downloads=[],
    )  # fmt: skip
    output.write(site_folder(project) / plan["target"], html)


def stylesheet(project: Project, fonts: str = "") -> str:
    """The site's stylesheet: `fonts` (`@font-face` rules), the newsroom brand's colours and font stacks, the
    page's look, then the site's own rules."""
    from presskit.formats import templates
    from presskit.read.brand import layout_file

    brand = _brand(project)
    parts = [*([fonts] if fonts else []), templates.render(brand, "brand.css", embed_fonts=False,
                                                          font_rules=language.font_rules())]
    for name in ("page.css", f"{TEMPLATES}/site.css"):
        parts.append(layout_file(project.layouts, brand.name, name).read_text(encoding="utf-8"))
    return "\n".join(parts)


_EMBEDDED_FONT = re.compile(r'url\("data:font/woff2;base64,([A-Za-z0-9+/=]+)"\)')


def shared_fonts(project: Project) -> dict[str, str]:
    """The font files `site.css` loads, by the SHA-256 of their bytes: `{digest: file name}`."""
    from presskit.read.brand import BASE_LAYOUT
    from presskit.tasks.statements import brand_assets

    files = tuple((str(path), path.stat().st_mtime_ns) for path in brand_assets(project, BASE_LAYOUT) if path.exists())
    return _shared_fonts(str(project.root), files)


@lru_cache(maxsize=4)
def _shared_fonts(root: str, _files: tuple[tuple[str, int], ...]) -> dict[str, str]:
    from presskit.formats import webfonts

    _css, files = webfonts.site_fonts(_brand(Project(Path(root))), webfonts.piece_characters())
    return {hashlib.sha256(data).hexdigest(): name for name, data in files.items()}


def _sharing_fonts(page: str, shared: dict[str, str], root: str) -> str:
    """A page whose embedded fonts are the site's font files, each loaded from that file instead.

    Each piece of a font is the same bytes whatever the page (see `webfonts`), so a statement's page in the
    brand of the newsroom carries none of its own: the browser fetches each piece once for the whole site.
    """

    def linked(match: re.Match[str]) -> str:
        name = shared.get(hashlib.sha256(base64.b64decode(match.group(1))).hexdigest())
        return f'url("{root}{FONTS}/{name}")' if name else match.group(0)

    return _EMBEDDED_FONT.sub(linked, page)


def write_stylesheet(project: Project, _plan: Plan) -> None:
    """Write `site.css`, shared by every page of the newsroom, and the brand's font files it loads.

    Every piece of the fonts is offered (Latin, Latin Extended, Greek, Cyrillic...: each with its `unicode-range`),
    so one stylesheet serves pages of any language; a browser fetches only the pieces a page's text falls in.
    """
    from presskit.formats import webfonts

    folder = site_folder(project) / FONTS
    css, files = webfonts.site_fonts(_brand(project), webfonts.piece_characters(), prefix=f"{FONTS}/")
    for name, data in files.items():
        if not (folder / name).is_file():  # named by a hash of its content: a file of that name holds these bytes
            output.write(folder / name, data)
    output.write(site_folder(project) / "site.css", stylesheet(project, css))
    for stale in folder.iterdir() if folder.is_dir() else ():
        if stale.name not in files:
            stale.unlink()


def write_statement(project: Project, plan: Plan) -> None:
    """Copy a statement's page and downloads into the newsroom, its page with the site's navigation."""
    built = project.build / plan["slug"]
    folder = site_folder(project) / plan["slug"]
    stem = plan["stem"]
    for suffix in [*plan["downloads"], CARD]:
        with output.replacing(folder / f"{stem}{suffix}") as temp:
            shutil.copyfile(built / f"{stem}{suffix}", temp)
    page = _sharing_fonts((built / f"{stem}.html").read_text(encoding="utf-8"), shared_fonts(project), "../")
    switch = [[lang, path, path == f"{plan['slug']}/{stem}.html"] for lang, path in plan["versions"]]
    bar = _render(project, "bar.html", plan["lang"], f"{plan['slug']}/x", page=plan, switch=switch)
    head = _render(project, "head.html", plan["lang"], f"{plan['slug']}/x", page=plan)
    output.write(folder / f"{stem}.html", with_navigation(page, head, bar))


_VERSIONS = re.compile(r'<nav class="versions".*?</nav>\s*', re.DOTALL)
_ALTERNATE = re.compile(r'<link rel="alternate" hreflang="[^"]*" href="[^"]*">\s*')
_CANONICAL = re.compile(r'<(?:link rel="canonical"|meta property="og:url") [^>]*>\s*')
_TWITTER_CARD = re.compile(r'<meta name="twitter:card" content="[^"]*">\s*')
_EMBARGO = re.compile(r'<meta name="robots" content="noindex">\s*|<p class="embargo" role="note">.*?</p>\s*', re.DOTALL)
_CHARSET = re.compile(r"<meta charset=[^>]*>\n?")
_HEAD = re.compile(r"<head>\n?")
_BODY = re.compile(r"<body[^>]*>\n?")
_MAIN = re.compile(r"<main>")
_UNSEARCHED = re.compile(r'<(p class="kind"|footer class="statement-footer")>')
"""What every statement says (its kind, the press contact, the boilerplate): a search for it would find them all."""


def with_navigation(page: str, head: str, bar: str) -> str:
    """A statement's HTML output as the newsroom serves it: the site's head and navigation bar added.

    What the output says about language versions, its canonical address and its embargo is taken out: the
    newsroom shows only published versions, its own address, and a statement only once its embargo is over.
    """
    for pattern in (_VERSIONS, _ALTERNATE, _CANONICAL, _TWITTER_CARD, _EMBARGO):
        page = pattern.sub("", page)
    # after the charset, which browsers look for in a page's first 1024 bytes only
    anchor = _CHARSET if _CHARSET.search(page) else _HEAD
    page = anchor.sub(lambda m: m.group(0) + head, page, count=1)
    page = _BODY.sub(lambda m: m.group(0) + bar, page, count=1)
    page = _UNSEARCHED.sub(r"<\1 data-pagefind-ignore>", page)
    return _MAIN.sub('<main id="content" data-pagefind-body>', page, count=1)


def write_feed(project: Project, plan: Plan) -> None:
    """Write the Atom feed of a language, or of one tag of it, each entry's full text read from its page."""
    from presskit.site import feeds

    newsroom = addressed(project, plan["newsroom"])
    site = site_folder(project)
    entries = [entry_of(e) for e in plan["entries"]]
    feeds.write_feed(site / plan["target"], newsroom, entries, lang=plan["lang"], tag=plan["tag"],
                     content=feeds.page_content(site, newsroom))  # fmt: skip


def write_sitemap(project: Project, plan: Plan) -> None:
    """Write `sitemap.xml`: the listing pages, then every statement's page with its language versions."""
    from presskit.site import sitemap

    entries = [entry_of(e) for e in plan["entries"]]
    newsroom = addressed(project, plan["newsroom"])
    sitemap.write_sitemap(site_folder(project) / plan["target"], newsroom, entries, plan["pages"])


def write_robots(project: Project, plan: Plan) -> None:
    """Write `robots.txt`, naming the sitemap."""
    from presskit.site import sitemap

    sitemap.write_robots(site_folder(project) / plan["target"], addressed(project, plan["newsroom"]))


def write_search(project: Project, _plan: Plan) -> None:
    """Build the search index of every page of the site (`pagefind/`), once the pages are written."""
    from presskit.site import search

    search.index(site_folder(project))


def newsroom_facts(newsroom: Newsroom) -> dict[str, Any]:
    """What feeds and the sitemap show of the newsroom (not its languages), as plain data for a plan."""
    return {"name": newsroom.name, "base_url": newsroom.base_url}


def newsroom_of(facts: dict[str, Any]) -> Newsroom:
    """The newsroom from `newsroom_facts`."""
    return Newsroom(facts["name"], facts["base_url"], ())


def addressed(project: Project, facts: dict[str, Any]) -> Newsroom:
    """The newsroom from `newsroom_facts`, for a file that must give absolute addresses (a feed, the sitemap,
    robots.txt); an InputError naming the brand's field when it has no address."""
    from presskit.read import brand as brands

    if not facts["base_url"]:
        path = brands.folder(project.layouts, brands.BASE_LAYOUT) / brands.BRAND_FILE
        raise fail(
            os.path.relpath(path, project.root),
            "the newsroom has no address: feeds, the sitemap and robots.txt need absolute links; set it as "
            "meta.link.home, e.g. 'home: https://www.example.org/newsroom/'",
            field="meta.link.home",
        )
    return newsroom_of(facts)


def entry_facts(entry: Entry) -> dict[str, Any]:
    """A published statement as plain data, for the plan of a feed or the sitemap."""
    return {
        "stem": entry.stem, "slug": entry.slug, "lang": entry.lang, "direction": entry.direction,
        "title": entry.title, "summary": entry.summary, "tags": list(entry.tags), "date": entry.date.isoformat(),
        "published": entry.published.isoformat(), "updated": entry.updated.isoformat(), "layout": entry.layout,
        "versions": [[v.lang, v.page] for v in entry.versions],
    }  # fmt: skip


def entry_of(facts: dict[str, Any]) -> Entry:
    """A published statement from `entry_facts`."""
    import datetime as dt

    from presskit.site.catalog import Version

    return Entry(
        stem=facts["stem"], slug=facts["slug"], lang=facts["lang"], direction=facts["direction"],
        title=facts["title"], summary=facts["summary"], tags=tuple(facts["tags"]),
        date=dt.date.fromisoformat(facts["date"]), published=dt.datetime.fromisoformat(facts["published"]),
        updated=dt.datetime.fromisoformat(facts["updated"]), layout=facts["layout"],
        versions=tuple(Version(lang, page) for lang, page in facts["versions"]),
    )  # fmt: skip


WRITERS = {
    "page": write_statement,
    "listing": write_listing,
    "notfound": write_not_found,
    "stylesheet": write_stylesheet,
    "feed": write_feed,
    "sitemap": write_sitemap,
    "robots": write_robots,
    "search": write_search,
}
"""What writes each kind of the newsroom's files, by the name its tasks give it."""
