"""Statements: check a source file's front matter and combine it with its brand's defaults."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from presskit import characters, language, output
from presskit.errors import NOTE, InputError, Problem, fail, nearest
from presskit.read import brand as brands
from presskit.read import frontmatter, images
from presskit.read.brand import Brand, Contact

FIELDS = frozenset(
    {
        "title", "date", "dateline", "lang", "layout", "contact", "embargo",
        "tags", "summary", "slug", "translation_of", "source_sha256", "updated", "correction",
    }
)  # fmt: skip
YEARS = (1900, 2100)
"""Years a statement's date may fall in (a DOCX cannot even be dated after 2107)."""
NAMING = ("slug", "layout", "lang", "translation_of", "source_sha256", "date", "updated",
          "title", "summary", "tags", "embargo")  # fmt: skip
"""The front matter fields a sniff keeps: what naming a statement's tasks and its language versions needs,
and what the newsroom lists of it."""
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?)?$")
"""A date, or a date and time as Jekyll and Hugo write it (`2018-11-23 10:00:00 +0100`): the day is the date."""
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")
_LANG_CODE = re.compile(r"[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_LANG_SUFFIX = re.compile(r"\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)$")
_ZONE_SUFFIX = re.compile(r"^(?P<local>\S+[T ]\S+)\s+(?P<zone>[A-Za-z_]+(?:/[A-Za-z_+-]+)+|UTC|GMT)$")


class Extra(Mapping[str, Any]):
    """Front matter fields presskit does not use, read-only; in a template, a field a statement lacks reads as empty.

    A brand's template may show `{{ extra.author }}` for the statements exported with an author, and the others
    still build (the templates refuse any other unknown name).
    """

    def __init__(self, fields: Mapping[str, Any] | None = None) -> None:
        self._fields = dict(fields or {})

    def __getitem__(self, key: str) -> Any:
        return self._fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._fields.get(name, "")

    def __repr__(self) -> str:
        return f"Extra({self._fields!r})"


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
    updated: dt.datetime | None = None
    """When the statement was last updated or corrected after it was sent, with its zone."""
    correction: str | None = None
    """One sentence of Markdown saying what a correction changed."""
    correction_line: int | None = None
    """Line of the source on which `correction:` is written."""
    extra: Extra = dataclasses.field(default_factory=Extra, compare=False)
    """The front matter fields presskit does not use (`author`, `categories` from another system), read-only, for
    templates as `extra`."""
    notes: tuple[Problem, ...] = ()
    """What is worth knowing about how the source was read, such as the fields kept as `extra`."""
    opening: str | None = None
    """The dateline the body opens with, as written (`GENEVA, 12 May 2024 —`): no format adds one of its own."""
    opening_dated: bool = False
    """Whether that dateline gives the date too; if not, the formats that show the date apart still show it."""


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
    """The fields of the front matter that name and relate statements (`NAMING`), as far as they could be read."""
    sha256: str = ""
    """SHA-256 of the file's bytes."""
    images: tuple[str, ...] = ()
    """Words of its text that end like an image file name: the files its outputs may read."""


def is_slug(text: str) -> bool:
    """True for a slug: lower-case letters a-z, digits and single hyphens."""
    return bool(_SLUG.fullmatch(text))


_languages: dict[str, bool] = {}
"""Whether each tag asked about is a language code; kept in the sniff index, so a run without a new tag
needs no language database."""
_file_names: dict[str, tuple[str, str | None]] = {}
"""The slug and language suffix of each file name asked about; kept in the sniff index too."""


def is_language_code(text: str) -> bool:
    """True for a valid BCP 47 tag written with letters, digits and hyphens only: safe in a file name."""
    found = _languages.get(text)
    if found is None:
        import langcodes

        found = _languages[text] = bool(_LANG_CODE.fullmatch(text)) and langcodes.tag_is_valid(text)
    return found


def slug_from_name(path: Path) -> tuple[str, str | None]:
    """The slug a file name gives (dates and a `.LANG` suffix removed), and that language suffix."""
    found = _file_names.get(path.name)
    if found is None:
        found = _file_names[path.name] = _slug_from_name(path.name)
    return found


def _slug_from_name(name: str) -> tuple[str, str | None]:
    from slugify import slugify

    suffix = Path(name).suffix
    stem = name[: -len(suffix)] if suffix else name
    lang = None
    match = _LANG_SUFFIX.search(stem)
    if match and "." in stem and is_language_code(match.group(1)):  # `notes.zz.md` is not in a language zz
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
    The index is JSON, and only the front matter and hash of each file are taken from it (names are
    worked out again): whoever can write `build/` can at worst make a sniff wrong, never run code.
    """
    name = index.with_name(f"{index.stem}-{_sniff_code()}.json")  # a new presskit never reads old sniffs
    if name not in _loaded:
        _loaded.add(name)
        _seen.update(_read_index(name))
    known = len(_seen)
    found, versions = [], []
    for path in sorted(sources.glob("*.md"), key=str):  # the order of Paths, without comparing Path objects
        version = _version(path)
        found.append((path, _sniff_version(path, version)))
        versions.append(version)
    if len(_seen) != known:
        current = [
            [str(path), list(version), sniffed.fields, sniffed.sha256, list(sniffed.images)]
            for (path, sniffed), version in zip(found, versions, strict=True)
            if version is not None and _plain_data(sniffed.fields)
        ]
        names = {path.name: _file_names[path.name] for path, _ in found if path.name in _file_names}
        kept = {"sniffs": current, "names": names, "languages": _languages}
        with contextlib.suppress(OSError, ValueError):  # a read-only build folder only costs the next run some time
            output.write(name, json.dumps(kept, allow_nan=False))
    return found


def _plain_data(fields: dict[str, Any]) -> bool:
    """True when the fields come back from JSON exactly as they are (no dates, no integer keys, no NaN)."""
    try:
        return bool(json.loads(json.dumps(fields, allow_nan=False)) == fields)
    except (TypeError, ValueError):
        return False


def _read_index(path: Path) -> dict[tuple[str, _Version], Sniff]:
    """The sniffs an index file keeps; a missing, damaged or strange file is as good as none."""
    try:
        kept = json.loads(path.read_bytes())
        entries, names, languages = kept["sniffs"], kept.get("names"), kept.get("languages")
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return {}
    # Only what is safe in a path is taken: a changed index can make a name or a language wrong, no more.
    for tag, valid in languages.items() if isinstance(languages, dict) else ():
        if type(valid) is bool and _LANG_CODE.fullmatch(tag):
            _languages.setdefault(tag, valid)
    for file_name, value in names.items() if isinstance(names, dict) else ():
        if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)):
            continue
        slug, lang = value
        if _SLUG.fullmatch(slug) and (lang is None or (isinstance(lang, str) and _LANG_CODE.fullmatch(lang))):
            _file_names.setdefault(file_name, (slug, lang))
    found: dict[tuple[str, _Version], Sniff] = {}
    for entry in entries if isinstance(entries, list) else []:
        if not (isinstance(entry, list) and len(entry) == 5):
            continue
        source, version, fields, sha, pictures = entry
        if not (isinstance(source, str) and isinstance(fields, dict) and isinstance(sha, str)):
            continue
        if not (isinstance(pictures, list) and all(images.is_candidate(name) for name in pictures)):
            continue
        if not (isinstance(version, list) and len(version) == 4 and all(type(v) is int for v in version)):
            continue
        if not all(isinstance(k, str) for k in fields) or not re.fullmatch(r"[0-9a-f]{64}", sha):
            continue
        key = (source, (version[0], version[1], version[2], version[3]))
        found[key] = _named(Path(source), fields, sha, tuple(pictures))
    return found


@lru_cache(maxsize=1)
def _sniff_code() -> str:
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for module in ("statement.py", "frontmatter.py", "brand.py", "images.py"):
        digest.update((here / module).read_bytes())
    return digest.hexdigest()[:16]


def _sniff(path: Path) -> Sniff:
    fields: dict[str, Any] = {}
    pictures: tuple[str, ...] = ()
    digest = hashlib.sha256()
    try:
        # Only a regular file of sources/ is read: a link to /dev/zero or a named pipe would never end.
        if _readable(path):
            with path.open("rb") as handle:
                head = handle.read(frontmatter.MAX_BYTES)
                digest.update(head)
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            text = head.decode("utf-8-sig", errors="replace")
            pictures = tuple(sorted(images.candidates(text)))
            with contextlib.suppress(InputError):
                fields = frontmatter.split(frontmatter.newlines(text), str(path)).fields
    except OSError:
        pass
    return _named(path, fields, digest.hexdigest(), pictures)


def _readable(path: Path) -> bool:
    """True for a regular file that lies in its folder (or a link to one there)."""
    try:
        found = path.stat()
    except OSError:
        return False
    inside = not path.is_symlink() or path.resolve().is_relative_to(path.parent.resolve())
    return stat.S_ISREG(found.st_mode) and inside


def _named(path: Path, fields: dict[str, Any], sha256: str, pictures: tuple[str, ...] = ()) -> Sniff:
    """A sniff from a source's path, front matter and hash: the slug, output name and layout they give."""
    slug, lang = slug_from_name(path)
    layout = brands.BASE_LAYOUT
    if isinstance(fields.get("slug"), str) and is_slug(fields["slug"]):
        slug = fields["slug"]
    named = fields.get("layout")
    if isinstance(named, str) and brands.is_layout_name(named):
        layout = named  # anything else is no folder of layouts/: the full check says so, naming the file
    kept = {key: fields[key] for key in NAMING if key in fields}
    if isinstance(kept.get("lang"), str):
        is_language_code(kept["lang"])  # asked by every run's task naming: the answer goes into the index
    return Sniff(slug, f"{slug}.{lang}" if lang else slug, layout, kept, sha256, pictures)


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

    extra: dict[str, Any] = {}
    for key in fields:
        if key not in FIELDS:  # YAML keys may be numbers or null (`? `): named as written
            name = "null" if key is None else str(key)
            if nearest(name, FIELDS):
                problem(name, brands.unknown_key_message(name, FIELDS))
            else:
                extra[name] = _frozen(fields[key])
    notes = [_extra_note(display, extra, lines)] if extra else []
    title = _one_line(fields.get("title"), "title", problem, required="title: Our statement on ...", header=True)
    date = _date(fields.get("date"), problem)
    dateline = _one_line(fields.get("dateline"), "dateline", problem)
    summary = _one_line(fields.get("summary"), "summary", problem)
    tags = _tags(fields.get("tags"), problem)
    embargo = _embargo(fields.get("embargo"), problem)
    updated = _moment(fields.get("updated"), "updated", "so nobody knows when it changed", problem)
    if updated is not None and date is not None and updated.date() < date:
        problem("updated", f"'{fields['updated']}' is before the statement's date {date.isoformat()}; an update "
                "comes after the statement was sent: check the day")  # fmt: skip
        updated = None
    correction = _one_line(fields.get("correction"), "correction", problem)
    if correction is not None and updated is None and "updated" not in fields:
        problem("correction", "needs the time of the correction; add a line such as "
                "'updated: 2018-11-23 15:05 Europe/Brussels' to the front matter")  # fmt: skip
    layout = fields.get("layout", brands.BASE_LAYOUT)
    brand: Brand | None = None
    if not isinstance(layout, str) or not layout:
        problem("layout", "must be the name of a folder in layouts/")
    elif missing := brands.check_exists(layouts, layout, display, lines.get("layout", 2)):
        problems.append(_unknown_layout(layouts, layout, missing))
    else:
        try:
            brand = brands.load(layouts, layout, root)
        except InputError as exc:
            problems.extend(exc.problems)
    lang = _lang(fields.get("lang"), problem)
    contact = None
    if "contact" in fields:
        contact = brands.check_contact(fields["contact"], display, "contact", problems, lines)
    name_slug, name_lang = slug_from_name(path)
    slug = fields.get("slug", name_slug)
    if not isinstance(slug, str) or not is_slug(slug):
        problem("slug", "use only lower-case letters a-z, digits and hyphens, e.g. 'press-freedom-day'")
    translation_of = _one_line(fields.get("translation_of"), "translation_of", problem)
    source_sha = fields.get("source_sha256")
    if source_sha is not None and not (isinstance(source_sha, str) and re.fullmatch(r"[0-9a-f]{64}", source_sha)):
        problem("source_sha256", "must be the 64-character SHA-256 written by the translation import")
    if not src.body.strip():
        problems.append(Problem(display, src.closing_line, "body", "the statement has no text after the front matter"))
    elif (at := characters.first_control(src.body)) is not None:
        line = src.body_line + src.body.count("\n", 0, at)
        problems.append(Problem(display, line, "body", characters.control_problem(src.body[at]) or ""))
    if problems:
        raise InputError(problems)
    assert brand is not None and title is not None and date is not None
    lang = language.statement_language(lang, name_lang, brand.lang)  # as translation.scan names the versions
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
            contact=contact or brands.in_language(brand, lang).contact,
            embargo=embargo,
            tags=tags,
            summary=summary,
            body=src.body,
            body_line=src.body_line,
            translation_of=translation_of,
            source_sha256=source_sha,
            sha256=src.sha256,
            updated=updated,
            correction=correction,
            correction_line=lines.get("correction") if correction else None,
            extra=Extra(extra),
            notes=tuple(notes),
        ),
        brand,
    )


def _frozen(value: Any) -> Any:
    """A front matter value that templates can read but not change: mappings read-only, lists as tuples."""
    if isinstance(value, dict):
        return Extra({str(k): _frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def _extra_note(display: str, extra: dict[str, Any], lines: dict[str, int]) -> Problem:
    """The note naming the fields kept for templates, on the line of the first."""
    first = next(iter(extra))
    example = f"extra.{first}" if first.isidentifier() else f"extra[{first!r}]"
    line = min((lines[name] for name in extra if name in lines), default=2)
    message = f"kept for templates as extra, not used by presskit: {', '.join(extra)} (e.g. {{{{ {example} }}}})"
    return Problem(display, line, None, message, NOTE)


def _unknown_layout(layouts: Path, layout: str, missing: Problem) -> Problem:
    """The problem of a `layout:` naming no folder of layouts/, saying that another system's layout is no brand."""
    names = brands.layout_names(layouts)
    if not brands.is_layout_name(layout) or not names:
        return missing
    near = brands.suggested_layout(layout, names)
    hint = (
        f"did you mean '{near}'?"
        if near
        else "a 'layout' from another system names a page template, not a brand: remove the line or name one of these"
    )
    message = f"'{layout}' is not a layout of this project (layouts/ has: {', '.join(names)}); {hint}"
    return dataclasses.replace(missing, message=message)


Report = Callable[[str, str], None]
"""Records a problem with a field: report(field, message)."""


@dataclass(frozen=True)
class Listed:
    """What a listing shows of a statement, checked from its front matter as `load` checks it."""

    title: str
    date: dt.date
    summary: str | None
    tags: tuple[str, ...]
    embargo: dt.datetime | None
    updated: dt.datetime | None


def listed(fields: dict[str, Any]) -> Listed | None:
    """The facts a listing shows, from a sniff's fields; None when one of them has a problem (its build says which)."""
    problems: list[str] = []

    def problem(field: str, message: str) -> None:
        problems.append(field)

    title = _one_line(fields.get("title"), "title", problem, required="title", header=True)
    date = _date(fields.get("date"), problem)
    summary = _one_line(fields.get("summary"), "summary", problem)
    tags = _tags(fields.get("tags"), problem)
    embargo = _embargo(fields.get("embargo"), problem)
    updated = _moment(fields.get("updated"), "updated", "", problem)
    if problems or title is None or date is None:
        return None
    return Listed(title, date, summary, tags, embargo, updated)


def _one_line(
    value: Any, field: str, problem: Report, required: str | None = None, *, header: bool = False
) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problem(field, f"is missing; add a line such as '{required}' to the front matter")
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        problem(field, "must be text on one line")
        return None
    if found := characters.control_problem(value.strip()):  # it goes into XML document properties
        problem(field, found)
        return None
    if len(value.strip().splitlines()) > 1:  # every kind of line break: the title becomes an e-mail header
        problem(field, "must be on one line; remove the line break")
        return None
    if header and (found := characters.encoded_word_problem(value)):  # the title is the e-mail's subject
        problem(field, found)
        return None
    return value.strip()


def _date(value: Any, problem: Report) -> dt.date | None:
    if value is None:
        problem("date", "is missing; add a line such as 'date: 2018-11-23' (year-month-day)")
        return None
    text = str(value).strip()
    if not (match := _DATE.match(text)):
        problem("date", f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2018-11-23")
        return None
    text = match.group(1)
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
    return _moment(value, "embargo", "so nobody knows when it ends", problem)


def _moment(value: Any, field: str, unknown: str, problem: Report) -> dt.datetime | None:
    """A date and time with an offset or a zone name, as `embargo:` and `updated:` are written."""
    if value is None:
        return None
    text = str(value).strip()
    how = "write it with an offset or a zone, e.g. '2018-11-24T00:01+01:00' or '2018-11-24 00:01 Europe/Brussels'"
    zone = None
    if len(text) > 80:  # a date, a time and a zone name are far shorter; _ZONE_SUFFIX is slow on long text
        problem(field, f"'{text[:40]}…' is not a date and time; {how}")
        return None
    if match := _ZONE_SUFFIX.match(text):
        text = match.group("local")
        try:
            zone = ZoneInfo("UTC" if match.group("zone") == "GMT" else match.group("zone"))
        except (ZoneInfoNotFoundError, ValueError):
            problem(field, f"unknown time zone '{match.group('zone')}'; {how}")
            return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        problem(field, f"'{value}' is not a date and time; {how}")
        return None
    if zone is not None:
        if moment.tzinfo is not None:
            problem(field, "give either an offset or a zone name, not both")
            return None
        moment = moment.replace(tzinfo=zone)
    if moment.tzinfo is None:
        problem(field, f"'{value}' has no time zone, {unknown}; {how}")
        return None
    try:  # '0001-01-01 00:00+05:00' is in the year 0 in UTC, which no calendar library holds
        moment.astimezone(dt.UTC)
    except OverflowError:
        problem(field, f"'{value}' falls outside the years 1 to 9999 once converted to UTC; check the year")
        return None
    return moment


def _tags(value: Any, problem: Report) -> tuple[str, ...]:
    if value is None:
        return ()
    tags: tuple[str, ...] | None = None
    if isinstance(value, str):
        tags = tuple(t.strip() for t in value.split(",") if t.strip())
    elif isinstance(value, list) and all(isinstance(t, (str, int, float)) and not isinstance(t, bool) for t in value):
        tags = tuple(str(t).strip() for t in value if str(t).strip())
    if tags is not None:
        found = next((p for t in tags if (p := characters.control_problem(t))), None)
        if found:
            problem("tags", found)
            return ()
        return tags
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
    if tag is None or not tag.is_valid() or not tag.language or not is_language_code(text):
        problem("lang", f"'{text}' is not a BCP 47 language tag; use one such as en, fr, es, zh-Hans or ar")
        return None
    return text
