"""Which statements the newsroom publishes now: read from the sniffs task naming already makes, embargoes kept.

The newsroom is the default brand's (`layouts/default/_brand.yml`): its name (`meta.name.full`) heads every page
and its address (`meta.link.home`) gives the canonical URLs. Statements of every brand are listed in it; each
statement's page keeps its own brand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from presskit import cache, language
from presskit.errors import fail
from presskit.project import Project
from presskit.read import brand as brands
from presskit.read import statement
from presskit.site.catalog import Entry, Newsroom, Version, language_folder
from presskit.translate import translation

NOW = "PRESSKIT_NOW"
"""The environment variable that sets "now" for embargoes (ISO 8601 with its offset), for tests and scheduled runs."""


def now(environ: Mapping[str, str]) -> dt.datetime:
    """The moment embargoes are checked against: `PRESSKIT_NOW` when set, else the clock."""
    text = environ.get(NOW, "").strip()
    if not text:
        return dt.datetime.now(dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise fail(
            NOW,
            f"'{text}' is not a date and time with its offset; set it like 2018-11-24T00:01+01:00, or unset it "
            "to use the clock",
        )
    return moment


def newsroom_brand(project: Project) -> tuple[str, str, str]:
    """The newsroom's name, base URL (ending with `/`, or empty) and language, from the default brand's file.

    Read as written (the brand's own check runs when a statement of it is built): `meta.name.full` (or
    `meta.name` when it is plain text), `meta.link.home`, `defaults.presskit.lang`.
    """
    data = brands.written(project.layouts, brands.BASE_LAYOUT) or {}
    meta: dict[str, Any] = data["meta"] if isinstance(data.get("meta"), dict) else {}
    name = meta.get("name")
    if isinstance(name, dict):
        name = name.get("full") or name.get("short")
    link = meta.get("link")
    home = link.get("home") if isinstance(link, dict) else None
    base = home.rstrip("/") + "/" if isinstance(home, str) and home.startswith(("https://", "http://")) else ""
    lang = brands.written_lang(project.layouts, brands.BASE_LAYOUT) or "en"
    return (name.strip() if isinstance(name, str) and name.strip() else "Newsroom"), base, lang


def published(project: Project, moment: dt.datetime) -> tuple[Newsroom, list[Entry]]:
    """The newsroom and its published statements, newest first.

    A statement under embargo at `moment` is left out, a translation also while its original is, and so is one
    whose listed fields (title, date, summary, tags, embargo, updated, language, layout) have a problem: its own
    build reports it.
    """
    from presskit.tasks.statements import sniff_sources

    found = sniff_sources(project)
    scanned = translation.scan(project.sources, project.layouts, found)
    stems: dict[str, int] = defaultdict(int)
    for _path, sniffed in found:
        stems[sniffed.stem] += 1
    layouts_ok: dict[str, bool] = {}
    listable: list[tuple[translation.Entry, statement.Listed, bool]] = []
    for (_path, sniffed), scan in zip(found, scanned, strict=True):
        fields = sniffed.fields
        if stems[sniffed.stem] > 1:
            continue  # a slug clash: neither statement is built
        if "lang" in fields and not (isinstance(fields["lang"], str) and statement.is_language_code(fields["lang"])):
            continue
        if sniffed.layout not in layouts_ok:
            layouts_ok[sniffed.layout] = (brands.folder(project.layouts, sniffed.layout) / brands.BRAND_FILE).is_file()
        if not layouts_ok[sniffed.layout] or (shown := statement.listed(fields)) is None:
            continue
        listable.append((scan, shown, "translation_of" in fields))
    # A translation waits for its original: its own embargo was copied from the original's when it was
    # imported, and the original's may have been set or pushed back since.
    originals = {scan.slug: shown.embargo for scan, shown, is_translation in listable if not is_translation}
    kept: list[tuple[translation.Entry, statement.Listed, bool]] = []
    for scan, shown, is_translation in listable:
        ends = [shown.embargo, originals.get(scan.slug) if is_translation else None]
        embargo = max((end for end in ends if end is not None), default=None)
        if embargo is not None and embargo > moment:
            continue
        kept.append((scan, dataclasses.replace(shown, embargo=embargo), is_translation))
    embargoes = [shown.embargo for _, shown, _ in listable if shown.embargo is not None]
    versions: dict[str, list[tuple[bool, str, str]]] = defaultdict(list)
    for scan, _shown, is_translation in kept:
        versions[scan.slug].append((is_translation, scan.lang.lower(), scan.stem))
    # one spelling per language (`en-gb` and `en-GB` written by two statements are one), so one folder and feed
    langs = {scan.stem: language.normalized(scan.lang) for scan, _, _ in kept}
    pages = {scan.stem: Version(langs[scan.stem], f"{scan.slug}/{scan.stem}.html") for scan, _, _ in kept}
    entries = []
    for scan, shown, _ in kept:
        start = shown.embargo or dt.datetime.combine(shown.date, dt.time(), dt.UTC)
        family = tuple(pages[stem] for _, _, stem in sorted(versions[scan.slug]))
        entries.append(
            Entry(
                stem=scan.stem,
                slug=scan.slug,
                lang=langs[scan.stem],
                direction=_direction(scan.lang),
                title=shown.title,
                summary=shown.summary or "",
                tags=shown.tags,
                date=shown.date,
                published=start,
                updated=shown.updated or start,
                layout=scan.layout,
                versions=family,
            )
        )
    entries.sort(key=lambda e: (-e.date.toordinal(), -e.published.timestamp(), e.stem))
    name, base_url, own = newsroom_brand(project)
    return Newsroom(name, base_url, languages(own, entries), tuple(sorted(embargoes))), entries


def languages(own: str, entries: list[Entry]) -> tuple[str, ...]:
    """The languages with a published statement, one tag per folder, the brand's own language first."""
    tags: dict[str, str] = {}
    for entry in sorted(entries, key=lambda e: e.lang):
        tags.setdefault(language_folder(entry.lang), entry.lang)
    return tuple(sorted(tags.values(), key=lambda t: (language_folder(t) != language_folder(own), t.lower())))


_directions: dict[str, str] = {}


def _direction(lang: str) -> str:
    """A language's writing direction, kept in the build cache: asking Babel costs more than listing the archive."""
    found = _directions.get(lang)
    if found is None:
        name = cache.key("direction", lang)
        found = cache.get_text(name, "direction.txt")
        if found not in ("ltr", "rtl"):
            from presskit import language

            found = language.direction(lang)
            cache.put(name, "direction.txt", found.encode("ascii"))
        _directions[lang] = found
    return found
