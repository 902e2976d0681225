"""Statements: check a source file's front matter and combine it with its brand's defaults."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import os
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from presskit import brand as brands
from presskit import frontmatter, output
from presskit.brand import Brand, Contact
from presskit.errors import InputError, Problem, fail

FIELDS = frozenset(
    {
        "title", "date", "dateline", "lang", "layout", "contact", "embargo",
        "tags", "summary", "slug", "translation_of", "source_sha256",
    }
)  # fmt: skip
YEARS = (1900, 2100)
"""Years a statement's date may fall in (a DOCX cannot even be dated after 2107)."""
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")
_LANG_SUFFIX = re.compile(r"\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)$")
_ZONE_SUFFIX = re.compile(r"^(?P<local>\S+[T ]\S+)\s+(?P<zone>[A-Za-z_]+(?:/[A-Za-z_+-]+)+|UTC|GMT)$")


@dataclass(frozen=True)
class Statement:
    """A checked statement, ready to render."""

    source: Path
    """The Markdown file."""
    display: str
    """The file's name as shown to the user."""
    slug: str
    """Name of the statement's folder in `build/`."""
    stem: str
    """Base name of its outputs: the slug, plus `.LANG` for a translation."""
    title: str
    """Headline."""
    date: dt.date
    """Date of release."""
    dateline: str | None
    """City the statement is issued from."""
    lang: str
    """BCP 47 language tag."""
    layout: str
    """Folder of `layouts/` whose brand it uses."""
    contact: Contact
    """Press contact."""
    embargo: dt.datetime | None
    """Time before which the statement must not be published, with its zone."""
    tags: tuple[str, ...]
    """Keywords."""
    summary: str | None
    """One-sentence summary."""
    body: str
    """Markdown body."""
    body_line: int
    """Line of the source on which the body starts."""
    translation_of: str | None
    """Slug of the original, for a translation."""
    source_sha256: str | None
    """SHA-256 of the original's source the translation was made from."""
    sha256: str
    """SHA-256 of this statement's source file."""
    versions: tuple[Version, ...] = ()
    """The statement's other language versions, which its outputs link to or name."""
    notice: str | None = None
    """For a translation whose original has changed since: the note every output shows."""


@dataclass(frozen=True)
class Version:
    """Another language version of the same statement."""

    lang: str
    """Its BCP 47 language tag."""
    stem: str
    """Base name of its outputs, e.g. `slug.fr`."""
    name: str
    """The language's name in that language, e.g. `français`."""


@dataclass(frozen=True)
class Sniff:
    """What task generation needs to know about a source, read cheaply and never failing."""

    slug: str
    """Slug from the front matter or the file name."""
    stem: str
    """Base name of the outputs."""
    layout: str
    """Layout named in the front matter, or the default."""
    fields: dict[str, Any] = dataclasses.field(default_factory=dict)
    """The front matter as far as it could be read; empty when it could not."""
    sha256: str = ""
    """SHA-256 of the file's bytes."""


def slug_from_name(path: Path) -> tuple[str, str | None]:
    """The slug a file name gives (dates and a `.LANG` suffix removed), and that language suffix."""
    from slugify import slugify

    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    lang = None
    match = _LANG_SUFFIX.search(stem)
    if match and "." in stem:
        lang, stem = match.group(1), stem[: match.start()]
    stem = _DATE_PREFIX.sub("", stem)
    return slugify(stem) or "statement", lang


_Version = tuple[int, int, int, int]
_seen: dict[tuple[str, _Version], Sniff] = {}
"""Sniffs by file and file version (inode, size, modification and change times): one read per version."""
_loaded: set[Path] = set()
"""Index files already merged into `_seen` by this process."""


def _version(path: Path) -> _Version | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns


def sniff(path: Path) -> Sniff:
    """Read just enough of a source to name its tasks; any problem is left for the full check."""
    return _sniff_version(path, _version(path))


def _sniff_version(path: Path, version: _Version | None) -> Sniff:
    if version is None:
        return _sniff(path)
    key = (str(path), version)
    found = _seen.get(key)
    if found is None:
        found = _seen[key] = _sniff(path)
    return found


def sniff_folder(sources: Path, index: Path) -> list[tuple[Path, Sniff]]:
    """Every source of a folder, sorted, with its sniff; `index` keeps the sniffs of unchanged files between runs.

    Reading the front matter of a thousand statements is most of what `doit` does when nothing changed.
    """
    name = index.with_name(f"{index.stem}-{_sniff_code()}{index.suffix}")  # a new presskit never reads old sniffs
    if name not in _loaded:
        _loaded.add(name)
        with contextlib.suppress(OSError, EOFError, pickle.UnpicklingError, AttributeError, TypeError, ValueError):
            kept = pickle.loads(name.read_bytes())
            if isinstance(kept, dict):
                _seen.update(kept)
    known = len(_seen)
    found, current = [], {}
    for path in sorted(sources.glob("*.md")):
        version = _version(path)
        sniffed = _sniff_version(path, version)
        found.append((path, sniffed))
        if version is not None:
            current[(str(path), version)] = sniffed
    if len(_seen) != known:
        with contextlib.suppress(OSError):  # a read-only build folder only costs the next run some time
            output.write(name, pickle.dumps(current))
    return found


@lru_cache(maxsize=1)
def _sniff_code() -> str:
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for module in ("statement.py", "frontmatter.py", "brand.py"):
        digest.update((here / module).read_bytes())
    return digest.hexdigest()[:16]


def _sniff(path: Path) -> Sniff:
    slug, lang = slug_from_name(path)
    layout = brands.BASE_LAYOUT
    try:
        data = path.read_bytes()
    except OSError:
        data = b""
    try:
        head = data[: frontmatter.MAX_BYTES].decode("utf-8-sig", errors="replace")
        fields = frontmatter.split(frontmatter.newlines(head), str(path)).fields
    except InputError:
        fields = {}
    if isinstance(fields.get("slug"), str) and _SLUG.match(fields["slug"]):
        slug = fields["slug"]
    if isinstance(fields.get("layout"), str) and fields["layout"]:
        layout = fields["layout"]
    return Sniff(slug, f"{slug}.{lang}" if lang else slug, layout, fields, hashlib.sha256(data).hexdigest())


def load(path: Path, root: Path, sources: Path, layouts: Path) -> tuple[Statement, Brand]:
    """Read and check a statement and its brand, raising InputError that lists every problem."""
    display = os.path.relpath(path, root)
    if path.is_symlink() and not path.resolve().is_relative_to(sources.resolve()):
        raise fail(display, "is a symbolic link to a file outside sources/; copy the file into sources/ instead")
    src = frontmatter.read(path, display)
    problems: list[Problem] = []
    fields, lines = src.fields, src.lines

    def problem(field: str, message: str) -> None:
        problems.append(Problem(display, lines.get(field.split(".")[0], 2), field, message))

    for key in fields:
        if key not in FIELDS:
            problem(key, brands.unknown_key_message(key, FIELDS))
    title = _one_line(fields.get("title"), "title", problem, required="title: Our statement on ...")
    date = _date(fields.get("date"), problem)
    dateline = _one_line(fields.get("dateline"), "dateline", problem)
    summary = _one_line(fields.get("summary"), "summary", problem)
    tags = _tags(fields.get("tags"), problem)
    embargo = _embargo(fields.get("embargo"), problem)
    layout = fields.get("layout", brands.BASE_LAYOUT)
    brand: Brand | None = None
    if not isinstance(layout, str) or not layout:
        problem("layout", "must be the name of a folder in layouts/")
    elif missing := brands.check_exists(layouts, layout, display, lines.get("layout", 2)):
        problems.append(missing)
    else:
        try:
            brand = brands.load(layouts, layout, root)
        except InputError as exc:
            problems.extend(exc.problems)
    lang = _lang(fields.get("lang"), problem)
    contact = None
    if "contact" in fields:
        contact = brands.check_contact(fields["contact"], display, "contact", problems, lines.get("contact"))
    name_slug, name_lang = slug_from_name(path)
    slug = fields.get("slug", name_slug)
    if not isinstance(slug, str) or not _SLUG.match(slug):
        problem("slug", "use only lower-case letters a-z, digits and hyphens, e.g. 'press-freedom-day'")
    translation_of = _one_line(fields.get("translation_of"), "translation_of", problem)
    source_sha = fields.get("source_sha256")
    if source_sha is not None and not (isinstance(source_sha, str) and re.fullmatch(r"[0-9a-f]{64}", source_sha)):
        problem("source_sha256", "must be the 64-character SHA-256 written by the translation import")
    if not src.body.strip():
        problems.append(Problem(display, src.closing_line, "body", "the statement has no text after the front matter"))
    if problems:
        raise InputError(problems)
    assert brand is not None and title is not None and date is not None
    lang = lang or name_lang or brand.lang  # as translation.scan names the language versions
    return (
        Statement(
            source=path,
            display=display,
            slug=slug,
            stem=f"{slug}.{name_lang}" if name_lang else slug,
            title=title,
            date=date,
            dateline=dateline,
            lang=lang,
            layout=layout,
            contact=contact or brand.contact,
            embargo=embargo,
            tags=tags,
            summary=summary,
            body=src.body,
            body_line=src.body_line,
            translation_of=translation_of,
            source_sha256=source_sha,
            sha256=src.sha256,
        ),
        brand,
    )


Report = Callable[[str, str], None]
"""Records a problem with a field: report(field, message)."""


def _one_line(value: Any, field: str, problem: Report, required: str | None = None) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problem(field, f"is missing; add a line such as '{required}' to the front matter")
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        problem(field, "must be text on one line")
        return None
    if len(value.strip().splitlines()) > 1:  # every kind of line break: the title becomes an e-mail header
        problem(field, "must be on one line; remove the line break")
        return None
    return value.strip()


def _date(value: Any, problem: Report) -> dt.date | None:
    if value is None:
        problem("date", "is missing; add a line such as 'date: 2018-11-23' (year-month-day)")
        return None
    text = str(value).strip()
    if not _DATE.match(text):
        problem("date", f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2018-11-23")
        return None
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        problem("date", f"'{text}' is not a day of the calendar; check the month and day")
        return None
    if not YEARS[0] <= date.year <= YEARS[1]:
        problem("date", f"'{text}' is not between the years {YEARS[0]} and {YEARS[1]}; check the year")
        return None
    return date


def _embargo(value: Any, problem: Report) -> dt.datetime | None:
    if value is None:
        return None
    text = str(value).strip()
    how = "write it with an offset or a zone, e.g. '2018-11-24T00:01+01:00' or '2018-11-24 00:01 Europe/Brussels'"
    zone = None
    if match := _ZONE_SUFFIX.match(text):
        text = match.group("local")
        try:
            zone = ZoneInfo("UTC" if match.group("zone") == "GMT" else match.group("zone"))
        except (ZoneInfoNotFoundError, ValueError):
            problem("embargo", f"unknown time zone '{match.group('zone')}'; {how}")
            return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        problem("embargo", f"'{value}' is not a date and time; {how}")
        return None
    if zone is not None:
        if moment.tzinfo is not None:
            problem("embargo", "give either an offset or a zone name, not both")
            return None
        moment = moment.replace(tzinfo=zone)
    if moment.tzinfo is None:
        problem("embargo", f"'{value}' has no time zone, so nobody knows when it ends; {how}")
        return None
    try:  # '0001-01-01 00:00+05:00' is in the year 0 in UTC, which no calendar library holds
        moment.astimezone(dt.UTC)
    except OverflowError:
        problem("embargo", f"'{value}' falls outside the years 1 to 9999 once converted to UTC; check the year")
        return None
    return moment


def _tags(value: Any, problem: Report) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(t.strip() for t in value.split(",") if t.strip())
    if isinstance(value, list) and all(isinstance(t, (str, int, float)) and not isinstance(t, bool) for t in value):
        return tuple(str(t).strip() for t in value if str(t).strip())
    problem("tags", "must be a list such as [press freedom, China] or text such as 'press freedom, China'")
    return ()


def _lang(value: Any, problem: Report) -> str | None:
    if value is None:
        return None
    import langcodes

    text = str(value).strip()
    try:
        tag = langcodes.Language.get(text)
    except (ValueError, LookupError):
        tag = None
    if tag is None or not tag.is_valid() or not tag.language:
        problem("lang", f"'{text}' is not a BCP 47 language tag; use one such as en, fr, es, zh-Hans or ar")
        return None
    return text
