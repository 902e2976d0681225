"""Brands: one `_brand.yml` per folder of `layouts/` (the brand.yml schema) drives every format."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PureWindowsPath
from typing import Any
from urllib.parse import urlparse

from presskit import bounds, cache, characters
from presskit.errors import InputError, Problem, fail, nearest
from presskit.read import contrast, frontmatter
from presskit.read.frontmatter import parse_yaml

BRAND_FILE = "_brand.yml"
BASE_LAYOUT = "default"
"""Templates and stylesheets a brand does not provide itself come from this layout."""

PAGE_SIZES = ("A4", "Letter")
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3u")
HEADLINE_STYLES = ("upper", "title", "as-written")
_AT_HANDLES = {"twitter", "x", "instagram", "threads", "tiktok", "bluesky"}


@dataclass(frozen=True)
class Contact:
    """A press contact."""

    name: str
    """Person or desk to contact."""
    email: str
    """Address journalists write to."""
    phone: str | None = None
    """Telephone number, in international format."""


@dataclass(frozen=True)
class FontFile:
    """A font file shipped in the layout folder."""

    family: str
    """CSS family name the file provides."""
    path: Path
    """Absolute path of the file."""
    weight: int
    """CSS weight, 100 to 900."""
    style: str
    """`normal` or `italic`."""


@dataclass(frozen=True)
class Social:
    """A social network account of the organisation."""

    network: str
    """Network name as shown, e.g. `Twitter`."""
    handle: str
    """Account as people type it, e.g. `@ifjasiapacific`."""
    url: str
    """Address of the account page."""


@dataclass(frozen=True)
class BrandTexts:
    """The organisation's texts in one more language (`defaults.presskit.translations`); what it leaves out is the
    brand's own."""

    lang: str
    """BCP 47 tag of the language, as written."""
    organisation: str | None = None
    """Full name of the organisation in that language."""
    short_name: str | None = None
    """Short name or acronym in that language."""
    boilerplate: str | None = None
    """The "About" paragraph in that language, as Markdown."""
    contact_name: str | None = None
    """Name of the press contact (person or desk) in that language."""
    social: tuple[Social, ...] = ()
    """Accounts in that language, each replacing the brand's account on the same network."""


@dataclass(frozen=True)
class WireSettings:
    """How the plain-text wire copy is laid out."""

    width: int = 72
    """Longest line, in columns (40 to 100)."""
    end_mark: str = "###"
    """Line that ends the copy: `###`, `-30-` or `ENDS`."""
    headline: str = "upper"
    """Headline case: `upper`, `title` or `as-written`."""
    ascii: bool = False
    """Transliterate to 7-bit ASCII for systems that cannot take UTF-8."""
    dateline: str = "{CITY}, {date} --"
    """Dateline opening the first paragraph: `{CITY}` (upper case) or `{city}`, and `{date}` in full."""
    corrected: str | None = None
    """Word opening a corrected statement's copy and e-mail subject in every language; else the label's."""
    updated: str | None = None
    """Word opening an updated statement's copy and e-mail subject in every language; else the label's."""


@dataclass(frozen=True, eq=False)  # compared by identity: loads are cached per file version
class Brand:
    """Everything a layout says about how an organisation's statements look."""

    name: str
    """Folder name under `layouts/`."""
    folder: Path
    """The layout folder."""
    organisation: str
    """Full name of the organisation."""
    short_name: str
    """Short name or acronym."""
    logo: Path
    """SVG logo file."""
    colors: dict[str, str]
    """Resolved colours: at least `primary`, `foreground`, `background`."""
    body_font: str
    """Family of body text."""
    heading_font: str
    """Family of headings."""
    font_files: tuple[FontFile, ...]
    """Font files the layout ships."""
    lang: str
    """Language of statements that do not name one."""
    boilerplate: str
    """The "About" paragraph, as Markdown."""
    contact: Contact
    """Press contact of statements that do not name one."""
    social: tuple[Social, ...]
    """Social network accounts."""
    site_url: str | None
    """Web newsroom address, used for canonical links."""
    page_size: str
    """`A4` or `Letter`."""
    wire: WireSettings
    """Wire copy settings."""
    pdf_variant: str = "pdf/ua-1"
    """PDF standard the PDF follows: `pdf/ua-1` (accessible) or `pdf/a-3u` (archival)."""
    languages: tuple[str, ...] = ()
    """Languages every statement of the brand should be published in (BCP 47 tags)."""
    render_seconds: int = bounds.RENDER_SECONDS
    """Longest time one output of one statement may take, in seconds."""
    render_megabytes: int = bounds.RENDER_MEGABYTES
    """Most memory one output of one statement may take, in megabytes."""
    timezone: str | None = None
    """IANA time zone of the press office (`Europe/Brussels`): what "today" is for `doit new`; None: the machine's."""
    translations: tuple[BrandTexts, ...] = ()
    """The organisation's name, boilerplate, contact name and accounts in other languages."""

    @property
    def path(self) -> Path:
        """The brand file."""
        return self.folder / BRAND_FILE


def in_language(brand: Brand, lang: str) -> Brand:
    """The brand as a statement in `lang` shows it: its texts in the translation that suits the language best
    (`fr-BE` takes `fr`; `zh-HK` takes `zh-Hant` before `zh`), each text a translation leaves out the brand's own,
    with the numbers of an untranslated boilerplate written as `lang` writes them (`600,000` is `600 000` in
    French)."""
    return _in_language(brand, lang)


@lru_cache(maxsize=64)  # one brand object per language: formats key their caches on the brand
def _in_language(brand: Brand, lang: str) -> Brand:
    from presskit import language

    # in the statement's script only: Simplified names in a Traditional text read as a mistake, the brand's own don't
    found = [t for t in language.fallbacks(lang, [t.lang for t in brand.translations])
             if language.likely(t)[:2] == language.likely(lang)[:2]]  # fmt: skip
    if language.covers(brand.lang, lang) and not (found and language.normalized(found[0]) == language.normalized(lang)):
        found = []  # the brand's own language: its own texts, unless one is given for exactly this variant
    texts = next((t for t in brand.translations if found and t.lang == found[0]), None)
    boilerplate = texts.boilerplate if texts is not None and texts.boilerplate is not None else None
    if boilerplate is None:
        boilerplate = language.numbers(brand.boilerplate, brand.lang, lang)
    if texts is None:
        return dataclasses.replace(brand, boilerplate=boilerplate, translations=())
    replaced = {s.network: s for s in texts.social}
    known = {s.network for s in brand.social}
    return dataclasses.replace(
        brand,
        organisation=texts.organisation or brand.organisation,
        # an acronym stays unless the language gives its own; a brand named in full is named in full
        short_name=texts.short_name
        or (brand.short_name if brand.short_name != brand.organisation else None)
        or texts.organisation
        or brand.organisation,
        boilerplate=boilerplate,
        contact=dataclasses.replace(brand.contact, name=texts.contact_name or brand.contact.name),
        social=tuple(replaced.get(s.network, s) for s in brand.social)
        + tuple(s for s in texts.social if s.network not in known),
        translations=(),
    )


def layout_names(layouts: Path) -> list[str]:
    """Names of the layouts that have a brand file."""
    return sorted(p.parent.name for p in layouts.glob(f"*/{BRAND_FILE}") if is_layout_name(p.parent.name))


@lru_cache(maxsize=64)  # asked for every statement while doit loads; an archive has a few layouts
def is_layout_name(layout: str) -> bool:
    """True for a plain folder name: no separator, no `..`, not absolute, no leading dot, no control character."""
    return (
        bool(layout)
        and not layout.startswith(".")
        and ".." not in layout
        and not any(c in "/\\" or ord(c) < 32 or ord(c) == 127 for c in layout)
        and not PureWindowsPath(layout).drive
    )


def folder(layouts: Path, layout: str) -> Path:
    """The folder of a layout in `layouts/`: every layout name becomes a path here, and only a plain name does."""
    if not is_layout_name(layout):
        raise InputError([name_problem(layouts, layout, "layouts/", None)])
    return layouts / layout


def name_problem(layouts: Path, layout: str, display: str, line: int | None) -> Problem:
    """The problem of a layout name that is not a folder name of `layouts/`."""
    return Problem(
        display,
        line,
        "layout",
        f"{layout!r} is not the name of a layout: a layout is a folder of layouts/, named without '/', '\\', "
        f"'..' or a leading dot; available: {', '.join(layout_names(layouts))}",
    )


def layout_file(layouts: Path, layout: str, name: str) -> Path:
    """The file `name` of a layout, falling back to the base layout's."""
    own = folder(layouts, layout) / name
    return own if own.exists() else layouts / BASE_LAYOUT / name


def written(layouts: Path, layout: str) -> dict[str, Any] | None:
    """A brand file as written, parsed without its checks (kept per version of the file); None when unreadable.

    For what doit needs while it loads the tasks of every statement, where checking the whole brand would cost
    more than the rest: the files it names, its language. Building a statement checks the brand (`load`).
    """
    path = folder(layouts, layout) / BRAND_FILE
    try:
        version = path.stat().st_mtime_ns
    except OSError:
        return None
    return _written(path, version)


@lru_cache(maxsize=16)
def _written(path: Path, _version: int) -> dict[str, Any] | None:
    try:
        data, _ = parse_yaml(frontmatter.read_settings(path, str(path)), str(path), first_line=1)
    except (OSError, InputError):  # the brand's own check says what is wrong
        return None
    return data


def asset_files(layouts: Path, layout: str) -> tuple[Path, ...]:
    """Files a brand file names (logo and font files) that exist, read cheaply; none when the brand file is
    broken."""
    path = folder(layouts, layout) / BRAND_FILE
    try:
        version = path.stat().st_mtime_ns
    except OSError:
        return ()
    return _asset_files(path, version)


@lru_cache(maxsize=32)  # every format of every statement asks, while doit loads
def _asset_files(path: Path, version: int) -> tuple[Path, ...]:
    data = _written(path, version)
    if data is None:
        return ()
    found: list[Any] = []
    logo = data.get("logo")
    if isinstance(logo, str):
        found.append(logo)
    elif isinstance(logo, dict):
        images = logo.get("images") or {}
        for size in ("small", "medium", "large"):
            value = logo.get(size)
            value = images.get(value, value) if isinstance(images, dict) and isinstance(value, str) else value
            found.append(value.get("path") if isinstance(value, dict) else value)  # brand.yml allows {path, alt}
    typography = data.get("typography")
    named = typography.get("fonts") if isinstance(typography, dict) else None
    for font in named if isinstance(named, list) else []:
        files = font.get("files") if isinstance(font, dict) else None
        for entry in files if isinstance(files, list) else []:
            found.append(entry.get("path") if isinstance(entry, dict) else entry)
    files = {Path(os.path.normpath(path.parent / f)) for f in found if isinstance(f, str)}
    return tuple(sorted(f for f in files if frontmatter.is_file(f)))


_LANGUAGE_SHAPE = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")


def written_lang(layouts: Path, layout: str) -> str | None:
    """The language a brand file sets for its statements (`defaults.presskit.lang`) as written, unchecked."""
    data = written(layouts, layout)
    defaults = data.get("defaults") if data is not None else None
    settings = defaults.get("presskit") if isinstance(defaults, dict) else None
    lang = settings.get("lang") if isinstance(settings, dict) else None
    # Only its shape, which is all a path or a task's name needs: loading tasks imports no language database;
    # the brand's check, when a statement is built, says whether it is a language.
    return lang if isinstance(lang, str) and _LANGUAGE_SHAPE.fullmatch(lang) else None


def load(layouts: Path, layout: str, root: Path) -> Brand:
    """Load and check a layout's brand file, raising InputError listing every problem."""
    path = folder(layouts, layout) / BRAND_FILE
    return _load_cached(path, path.stat().st_mtime_ns, root)


@lru_cache(maxsize=16)
def _load_cached(path: Path, _mtime: int, root: Path) -> Brand:
    # A checked brand is kept on disk: checking imports brand.yml's schema (pydantic), which takes
    # longer than the rest of a one-statement rebuild. Any change to the layouts or this code is a new key.
    layouts = path.parent.parent
    state = sorted(
        f"{p.relative_to(layouts)}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in layouts.rglob("*") if p.is_file()
    )
    code = b"".join((Path(__file__).read_bytes(), Path(contrast.__file__).read_bytes()))
    text = frontmatter.read_settings(path, _display(path, root))
    name = cache.key(str(path.resolve()), str(root), text, code, *state)
    kept = _from_json(cache.get(name, "brand.json"))
    if kept is not None and (trusted := _trusted(kept, path, root, text)) is not None:
        return trusted
    brand = _check(path, root, text)
    cache.put(name, "brand.json", json.dumps(dataclasses.asdict(brand), default=str).encode("utf-8"))
    return brand


class _Unlike(Exception):
    """Kept data that does not have the shape of the value it should hold."""


def _from_json(data: bytes | None) -> Brand | None:
    """A brand kept as JSON, or None when there is none or it is not exactly a brand (then it is checked again).

    The cache is data, never code: whoever can write `build/` cannot make presskit run anything.
    """
    if data is None:
        return None
    try:
        brand = _typed(json.loads(data), Brand)
    except (ValueError, RecursionError, _Unlike):
        return None
    return brand if isinstance(brand, Brand) else None


def _typed(value: Any, kind: Any) -> Any:
    """A JSON value as the given type (a dataclass, a tuple, a dict of text, text, a number, a path)."""
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = typing.get_type_hints(kind)
        names = {f.name for f in dataclasses.fields(kind)}
        if not isinstance(value, dict) or set(value) != names:
            raise _Unlike(kind.__name__)
        return kind(**{n: _typed(value[n], hints[n]) for n in names})
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        for option in args:
            try:
                return _typed(value, option)
            except _Unlike:
                continue
        raise _Unlike(str(kind))
    if origin is tuple and isinstance(value, list):
        return tuple(_typed(v, args[0]) for v in value)
    if origin is dict and isinstance(value, dict):
        return {_typed(k, args[0]): _typed(v, args[1]) for k, v in value.items()}
    if kind is type(None) and value is None:
        return None
    if kind is Path and isinstance(value, str):
        return Path(value)
    if kind in (str, bool) and type(value) is kind:
        return value
    if kind is int and type(value) is int:
        return value
    raise _Unlike(str(kind))


def _trusted(kept: Brand, path: Path, root: Path, text: str) -> Brand | None:
    """A brand from the cache, or None unless all it holds could come from the brand file itself.

    Whoever can write `build/` can write an entry under the right key: the paths are taken from the brand
    file's own place, its `defaults.presskit` settings read again from the file, and the rest checked again.
    """
    display = _display(path, root)
    data, lines = parse_yaml(text, display, first_line=1)
    problems: list[Problem] = []
    own = _own_settings(data, display, lines, problems)
    named = set(_asset_files(path, path.stat().st_mtime_ns))
    logo_rel = os.path.relpath(kept.logo, path.parent)
    if (
        problems
        or Path(os.path.normpath(kept.logo)) not in named
        or _logo_problem(kept.logo, logo_rel, display, _display(path.parent, root)) is not None
        or any(Path(os.path.normpath(f.path)) not in named or not is_font(f.path) for f in kept.font_files)
        or any(contrast.srgb(value) is None for value in kept.colors.values())
        or any(characters.control_problem(t) for t in (kept.organisation, kept.short_name, kept.body_font))
        or any(urlparse(url).scheme not in ("http", "https") for url in _urls(kept))
    ):
        return None
    return dataclasses.replace(kept, name=path.parent.name, folder=path.parent, **own)


def _urls(brand: Brand) -> list[str]:
    return [s.url for s in brand.social] + ([brand.site_url] if brand.site_url else [])


def _own_settings(
    data: dict[str, Any], display: str, lines: Mapping[str, int], problems: list[Problem]
) -> dict[str, Any]:
    """The brand's `defaults.presskit` settings, checked, as the fields of a Brand."""
    defaults = data.get("defaults")
    own = defaults.get("presskit") if isinstance(defaults, dict) else None
    settings = _check_settings(own or {}, display, problems)
    contact = check_contact(settings.get("contact"), display, "defaults.presskit.contact", problems, lines)
    languages = _languages(settings.get("languages"), display, problems)
    lang = settings.get("lang", "en")
    if not isinstance(lang, str) or not _is_language_code(lang):
        field = "defaults.presskit.lang"
        message = f"'{lang}' is not a BCP 47 language tag; use one such as en, fr, es, zh-Hans or ar"
        problems.append(Problem(display, lines.get(field), field, message))
    translations = _translations(settings.get("translations"), display, lines, problems)
    return {
        "lang": lang,
        "translations": translations,
        "boilerplate": settings.get("boilerplate", ""),
        "contact": contact,
        "page_size": settings.get("page_size", "A4"),
        "wire": WireSettings(**settings.get("wire", {})),
        "pdf_variant": settings.get("pdf_variant", PDF_VARIANTS[0]),
        "languages": languages,
        "render_seconds": settings.get("render_seconds", bounds.RENDER_SECONDS),
        "render_megabytes": settings.get("render_megabytes", bounds.RENDER_MEGABYTES),
        "timezone": settings.get("timezone"),
    }


def _is_language_code(text: str) -> bool:
    from presskit.read.statement import is_language_code  # the statement module reads brands

    return is_language_code(text)


def _logo_problem(logo: Path, logo_rel: str, display: str, where: str) -> Problem | None:
    """What is wrong with the logo file: missing, not an SVG, or an SVG that is unsafe to draw."""
    if not frontmatter.is_file(logo):
        return Problem(display, None, "logo", f"file {logo_rel} not found in {where}")
    if logo.suffix.lower() != ".svg":
        return Problem(display, None, "logo", f"{logo_rel} is not an SVG file; give the logo as SVG, which stays "
                       "sharp in print and in every mail program's rendering of the e-mail")  # fmt: skip
    from presskit.prepare import media  # media reads brands

    found = media.check(logo, "image/svg+xml")
    return None if found is None else Problem(display, None, "logo", f"{logo_rel} {found}")


def _check(path: Path, root: Path, text: str) -> Brand:
    display = _display(path, root)
    from brand_yml import Brand as BrandYml  # heavy import, only when rendering
    from pydantic import ValidationError
    from ruamel.yaml.error import YAMLError

    data, lines = parse_yaml(text, display, first_line=1)
    try:
        spec = BrandYml.from_yaml_str(text, path=path)
    except ValidationError as exc:
        raise InputError(
            Problem(display, None, ".".join(str(p) for p in err["loc"]), err["msg"]) for err in exc.errors()
        ) from None
    except YAMLError as exc:  # what the first reading lets through, such as a key twice in a nested mapping
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise fail(display, f"the file is not valid YAML ({problem}); fix the line", line=line) from None
    problems: list[Problem] = []
    own = _own_settings(data, display, lines, problems)

    def need(value: Any, field: str) -> Any:
        if not value:
            problems.append(Problem(display, None, field, "is required"))
        return value

    name = spec.meta.name if spec.meta else None
    organisation = need(name.full if name else None, "meta.name.full")
    short_name = (name.short if name else None) or organisation
    logo_rel = need(_logo(spec), "logo")
    logo = path.parent / str(logo_rel) if logo_rel else path.parent
    if logo_rel and (found := _logo_problem(logo, str(logo_rel), display, _display(path.parent, root))) is not None:
        problems.append(found)
    colors = {k: v for k, v in (spec.color.to_dict() if spec.color else {}).items() if isinstance(v, str)}
    need(colors.get("primary"), "color.primary")
    colors.setdefault("foreground", "#1a1a1a")
    colors.setdefault("background", "#ffffff")
    colors.setdefault("secondary", colors.get("primary", "#000000"))
    if colors.get("primary"):
        problems.extend(Problem(display, None, field, message) for field, message in contrast.problems(colors))
    typo = spec.typography
    body_font = (typo.base.family if typo and typo.base and typo.base.family else None) or "DejaVu Sans"
    heading_font = (typo.headings.family if typo and typo.headings and typo.headings.family else None) or body_font
    font_files = _font_files(typo, path.parent, display, problems)
    social, site_url = _links(spec)
    if problems:
        raise InputError(problems)
    assert own["contact"] is not None
    return Brand(
        name=path.parent.name,
        folder=path.parent,
        organisation=organisation,
        short_name=short_name,
        logo=logo,
        colors=colors,
        body_font=body_font,
        heading_font=heading_font,
        font_files=font_files,
        social=social,
        site_url=site_url,
        **own,
    )


_SETTINGS = {"lang", "boilerplate", "contact", "page_size", "wire", "pdf_variant", "languages", "render_seconds",
             "render_megabytes", "timezone", "translations"}  # fmt: skip
_TEXTS = {"organisation", "short_name", "boilerplate", "contact", "social"}
"""What a brand may give in another language."""
_NETWORKS = {"mastodon", "github", "linkedin", "bluesky", "twitter", "x", "facebook", "instagram", "threads",
             "tiktok", "youtube"}  # fmt: skip
"""Networks a translation may give an account on."""


def _translations(
    value: Any, display: str, lines: Mapping[str, int], problems: list[Problem]
) -> tuple[BrandTexts, ...]:
    """The brand's texts in other languages (`defaults.presskit.translations`), checked."""
    prefix = "defaults.presskit.translations"
    if value is None:
        return ()
    if not isinstance(value, dict):
        message = "must list languages, each with its texts, e.g. 'fr:' then 'organisation: ...'"
        problems.append(Problem(display, lines.get(prefix), prefix, message))
        return ()
    found: list[BrandTexts] = []
    for tag, texts in value.items():
        tag = str(tag)
        field = f"{prefix}.{tag}"
        line = lines.get(field)
        if not _is_language_code(tag):
            problems.append(Problem(display, line, field, f"'{tag}' is not a language tag; name the language with "
                                    "a BCP 47 code such as fr, es, zh-Hans or zh-Hant"))  # fmt: skip
            continue
        if not isinstance(texts, dict):
            problems.append(Problem(display, line, field, "must list the texts in that language, e.g. "
                                    "'organisation: ...' and 'boilerplate: ...'"))  # fmt: skip
            continue
        before = len(problems)
        for key in texts:
            if str(key) not in _TEXTS:
                problems.append(Problem(display, lines.get(f"{field}.{key}", line), f"{field}.{key}",
                                        unknown_key_message(str(key), _TEXTS)))  # fmt: skip
        one_line = {k: _one_line_text(texts.get(k), display, f"{field}.{k}", lines, problems)
                    for k in ("organisation", "short_name")}  # fmt: skip
        boilerplate = texts.get("boilerplate")
        if boilerplate is not None and (not isinstance(boilerplate, str) or characters.control_problem(boilerplate)):
            at = f"{field}.boilerplate"
            control = characters.control_problem(boilerplate) if isinstance(boilerplate, str) else None
            problems.append(Problem(display, lines.get(at, line), at, control or "must be text"))
        contact_name = None
        if "contact" in texts:
            contact = texts["contact"]
            at = f"{field}.contact"
            if not isinstance(contact, dict) or set(contact) - {"name"}:
                problems.append(Problem(display, lines.get(at, line), at, "may only give the contact's name in that "
                                        "language, as 'name: ...'; the address and phone are the brand's"))  # fmt: skip
            else:
                contact_name = _one_line_text(contact.get("name"), display, f"{at}.name", lines, problems)
        social = _translated_social(texts.get("social"), display, f"{field}.social", lines, problems)
        if len(problems) == before:
            found.append(BrandTexts(tag, one_line["organisation"], one_line["short_name"],
                                    boilerplate.strip() if isinstance(boilerplate, str) else None, contact_name,
                                    social))  # fmt: skip
    return tuple(found)


def _one_line_text(
    value: Any, display: str, field: str, lines: Mapping[str, int], problems: list[Problem]
) -> str | None:
    """A name given in another language: text on one line that may go into an e-mail header."""
    if value is None:
        return None
    line = lines.get(field)
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(display, line, field, "must be text on one line"))
    elif found := characters.control_problem(value) or characters.encoded_word_problem(value):
        problems.append(Problem(display, line, field, found))
    elif len(value.strip().splitlines()) > 1:
        problems.append(Problem(display, line, field, "must be on one line; remove the line break"))
    else:
        return value.strip()
    return None


def _translated_social(
    value: Any, display: str, field: str, lines: Mapping[str, int], problems: list[Problem]
) -> tuple[Social, ...]:
    """Accounts in another language: network names, each with the address of the account's page."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        problems.append(Problem(display, lines.get(field), field, "must list networks with addresses, e.g. "
                                "'twitter: https://twitter.com/...'"))  # fmt: skip
        return ()
    found = []
    for network, url in value.items():
        at = f"{field}.{network}"
        line = lines.get(at, lines.get(field))
        if str(network) not in _NETWORKS:
            problems.append(Problem(display, line, at, unknown_key_message(str(network), _NETWORKS)))
        elif (
            not isinstance(url, str)
            or urlparse(url.strip()).scheme not in ("http", "https")
            or not urlparse(url.strip()).netloc
            or characters.control_problem(url)
        ):
            problems.append(Problem(display, line, at, "must be the address of the account's page, starting with "
                                    "https://"))  # fmt: skip
        else:
            found.append(_social(str(network), url.strip()))
    return tuple(found)


_LIMITS = {"render_seconds": (1, 3600), "render_megabytes": (100, 64_000)}


def _languages(value: Any, display: str, problems: list[Problem]) -> tuple[str, ...]:
    """The brand's required languages: a list of BCP 47 tags."""
    if value is None:
        return ()
    import langcodes

    field = "defaults.presskit.languages"
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(display, None, field, "must be a list of language codes, e.g. [en, fr, es]"))
        return ()
    for tag in value:
        if not langcodes.tag_is_valid(tag) or not _is_language_code(tag):
            problems.append(Problem(display, None, field, f"'{tag}' is not a language code; use e.g. en, fr, zh-Hans"))
    return tuple(value)


_WIRE = {"width", "end_mark", "headline", "ascii", "dateline", "corrected", "updated"}
END_MARKS = ("###", "-30-", "ENDS")
DATELINE_FIELDS = {"CITY", "city", "date"}


def _check_settings(own: Any, display: str, problems: list[Problem]) -> dict[str, Any]:
    prefix = "defaults.presskit"
    if not isinstance(own, dict):
        problems.append(Problem(display, None, prefix, "must be a mapping of settings"))
        return {}
    for key in own:
        if key not in _SETTINGS:
            problems.append(Problem(display, None, f"{prefix}.{key}", unknown_key_message(key, _SETTINGS)))
    if "page_size" in own and own["page_size"] not in PAGE_SIZES:
        problems.append(Problem(display, None, f"{prefix}.page_size", f"must be one of {', '.join(PAGE_SIZES)}"))
    if "pdf_variant" in own and own["pdf_variant"] not in PDF_VARIANTS:
        problems.append(Problem(display, None, f"{prefix}.pdf_variant", f"must be one of {', '.join(PDF_VARIANTS)}"))
    for key, (low, high) in _LIMITS.items():
        value = own.get(key, low)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems.append(Problem(display, None, f"{prefix}.{key}", f"must be a whole number from {low} to {high}"))
    if "timezone" in own and (message := _zone_problem(own["timezone"])):
        problems.append(Problem(display, None, f"{prefix}.timezone", message))
    if "boilerplate" in own and not isinstance(own["boilerplate"], str):
        problems.append(Problem(display, None, f"{prefix}.boilerplate", "must be text"))
    wire = own.get("wire", {})
    if not isinstance(wire, dict):
        problems.append(Problem(display, None, f"{prefix}.wire", "must be a mapping"))
        return {k: v for k, v in own.items() if k != "wire"}
    for key in wire:
        if key not in _WIRE:
            problems.append(Problem(display, None, f"{prefix}.wire.{key}", unknown_key_message(key, _WIRE)))
    width = wire.get("width", 72)
    if not isinstance(width, int) or isinstance(width, bool) or not 40 <= width <= 100:
        problems.append(Problem(display, None, f"{prefix}.wire.width", "must be a whole number from 40 to 100"))
    if wire.get("headline", "upper") not in HEADLINE_STYLES:
        problems.append(
            Problem(display, None, f"{prefix}.wire.headline", f"must be one of {', '.join(HEADLINE_STYLES)}")
        )
    if not isinstance(wire.get("ascii", False), bool):
        problems.append(Problem(display, None, f"{prefix}.wire.ascii", "must be true or false"))
    if wire.get("end_mark", "###") not in END_MARKS:
        problems.append(Problem(display, None, f"{prefix}.wire.end_mark", f"must be one of {', '.join(END_MARKS)}"))
    if "dateline" in wire and (message := _dateline_problem(wire["dateline"])):
        problems.append(Problem(display, None, f"{prefix}.wire.dateline", message))
    for key in ("corrected", "updated"):
        if key in wire and (message := _word_problem(wire[key])):
            problems.append(Problem(display, None, f"{prefix}.wire.{key}", message))
    return {**own, "wire": {k: v for k, v in wire.items() if k in _WIRE}}


def _word_problem(value: Any) -> str | None:
    """What is wrong with the word that marks a corrected or updated statement (it starts an e-mail subject)."""
    if not isinstance(value, str) or not value.strip():
        return "must be a short word such as CORRECTED or UPDATED"
    if len(value) > 40 or len(value.splitlines()) > 1 or characters.control_problem(value):
        return "must be a short word on one line, such as CORRECTED or UPDATED"
    return None


def _zone_problem(value: Any) -> str | None:
    """What is wrong with a time zone name, or None."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    how = "use a name of the time zone database such as Europe/Brussels or Australia/Sydney"
    if not isinstance(value, str) or not value.strip():
        return f"must be the name of a time zone; {how}"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone '{value}'; {how}"
    return None


def _dateline_problem(value: Any) -> str | None:
    """What is wrong with a dateline format, or None."""
    import string

    example = "write it like '{CITY}, {date} --'"
    if not isinstance(value, str) or not value.strip() or len(value.splitlines()) > 1:
        return f"must be text on one line; {example}"
    try:
        parsed = list(string.Formatter().parse(value))
    except ValueError:
        return f"has an unmatched brace; {example}"
    names = [name for _, name, _, _ in parsed if name is not None]
    if found := format_problem(parsed, example):
        return found
    unknown = [n for n in names if n not in DATELINE_FIELDS]
    if unknown:
        return f"unknown placeholder {{{unknown[0]}}}; use {{CITY}} or {{city}}, and {{date}}"
    if "date" not in names:
        return f"must contain {{date}}; {example}"
    return None


def format_problem(parsed: list[tuple[str, str | None, str | None, str | None]], advice: str) -> str | None:
    """What is wrong with a placeholder that formats its value (`{date:>99}`, `{n!r}`), or None.

    A format spec can ask for a value padded to a billion characters: only plain `{name}` placeholders are read.
    """
    for _, name, spec, conversion in parsed:
        if name is not None and (spec or conversion):
            written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            return f"'{written}' formats its value, which presskit does not do; {advice}"
    return None


def check_contact(
    value: Any, display: str, field: str, problems: list[Problem], lines: Mapping[str, int] | None = None
) -> Contact | None:
    """Check a contact mapping (name, email, phone), appending any problem at the line of the field concerned."""
    lines = lines or {}
    line = lines.get(field)

    def at(key: str) -> int | None:
        return lines.get(f"{field}.{key}", line)

    if not isinstance(value, dict):
        problems.append(Problem(display, line, field, "must be a mapping with name, email and phone"))
        return None
    unknown = set(value) - {"name", "email", "phone"}
    for key in sorted(unknown):
        message = unknown_key_message(key, {"name", "email", "phone"})
        problems.append(Problem(display, at(key), f"{field}.{key}", message))
    for key in ("name", "email"):
        if not isinstance(value.get(key), str) or not value[key].strip():
            problems.append(Problem(display, at(key), f"{field}.{key}", "is required"))
        elif found := characters.control_problem(value[key].strip()):
            problems.append(Problem(display, at(key), f"{field}.{key}", found))
        elif len(value[key].strip().splitlines()) > 1:  # it goes into e-mail headers
            problems.append(Problem(display, at(key), f"{field}.{key}", "must be on one line; remove the line break"))
        elif found := characters.encoded_word_problem(value[key]):
            problems.append(Problem(display, at(key), f"{field}.{key}", found))
        elif key == "email" and (reason := address_problem(value[key].strip())):
            address = value[key].strip()
            message = f"{address!r} is not an e-mail address ({reason}); write it as name@example.org"
            problems.append(Problem(display, at(key), f"{field}.email", message))
    phone = value.get("phone")
    if phone is not None and not isinstance(phone, str):
        problems.append(Problem(display, at("phone"), f"{field}.phone", "must be text; put the number in quotes"))
    elif isinstance(phone, str) and (found := characters.control_problem(phone)):
        problems.append(Problem(display, at("phone"), f"{field}.phone", found))
    if unknown or any(p.field and p.field.startswith(field) for p in problems):
        return None
    return Contact(value["name"].strip(), value["email"].strip(), phone)


def address_problem(address: str) -> str | None:
    """Why `address` cannot be written into an e-mail header, or None; its syntax only, nothing is looked up."""
    import email_validator

    # RFC 2606 reserves .invalid for addresses that must never reach anyone: the placeholder of a new project
    # (REPLACE-ME@example.invalid). The library's documented list of refused special-use domains is a list.
    if "invalid" in email_validator.SPECIAL_USE_DOMAIN_NAMES:
        email_validator.SPECIAL_USE_DOMAIN_NAMES.remove("invalid")
    try:
        # no SMTPUTF8: the e-mail's headers are written as plain ASCII, which has no form for an accented user name
        email_validator.validate_email(address, check_deliverability=False, allow_smtputf8=False)
    except email_validator.EmailNotValidError as exc:
        reason = str(exc).rstrip(".")
        return reason[:1].lower() + reason[1:]
    return None


def unknown_key_message(key: str, known: set[str] | frozenset[str]) -> str:
    """Message for an unknown key, suggesting the nearest known one."""
    near = nearest(key, known)
    if near:
        return f"unknown field; did you mean '{near}'?"
    return f"unknown field; known fields are {', '.join(sorted(known))}"


def _logo(spec: Any) -> str | None:
    logo = spec.logo
    if logo is None:
        return None
    if isinstance(logo, str):
        return logo
    for size in ("large", "medium", "small"):
        resource = getattr(logo, size, None)
        if resource is not None:
            return str(getattr(resource, "path", resource))
    return None


def _font_files(typo: Any, folder: Path, display: str, problems: list[Problem]) -> tuple[FontFile, ...]:
    found: list[FontFile] = []
    for font in (typo.fonts if typo and typo.fonts else []) or []:
        if getattr(font, "source", None) != "file":
            continue
        for entry in font.files:
            path = folder / str(entry.path)
            if not frontmatter.is_file(path):
                problems.append(Problem(display, None, "typography.fonts", f"font file {entry.path} not found"))
                continue
            if not is_font(path):
                problems.append(Problem(display, None, "typography.fonts", not_a_font(str(entry.path))))
                continue
            weight = getattr(entry.weight, "root", entry.weight)
            found.append(FontFile(font.family, path, _weight(weight), str(entry.style or "normal")))
    return tuple(found)


def _weight(value: Any) -> int:
    """A CSS font weight from brand.yml's: a number, `bold`, or `auto` and the like (400)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return 700 if value == "bold" else 400


_FONT_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf", b"wOFF", b"wOF2")


def is_font(path: Path) -> bool:
    """Whether a file starts as a TrueType, OpenType or WOFF font does."""
    try:
        with path.open("rb") as handle:
            return handle.read(4) in _FONT_MAGIC
    except OSError:
        return False


def not_a_font(name: str) -> str:
    """The message for a font file that is not a font."""
    return f"{name} is not a font file (TrueType, OpenType or WOFF), or it is damaged; download the font again"


def _links(spec: Any) -> tuple[tuple[Social, ...], str | None]:

    link = spec.meta.link if spec.meta else None
    if link is None:
        return (), None
    urls = {k: str(v) for k, v in link.model_dump().items() if v}
    home = urls.pop("home", None)
    return tuple(_social(network, url) for network, url in urls.items()), home


def _social(network: str, url: str) -> Social:
    """An account as shown: the network's name and the handle the address ends with."""
    segment = urlparse(url).path.strip("/").split("/")[-1]
    handle = f"@{segment.lstrip('@')}" if network in _AT_HANDLES else segment
    label = {"x": "X", "linkedin": "LinkedIn", "github": "GitHub", "youtube": "YouTube", "tiktok": "TikTok"}.get(
        network, network.capitalize())  # fmt: skip
    return Social(label, handle, url)


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def suggested_layout(layout: str, names: list[str]) -> str | None:
    """The layout a name not found most likely meant: one it begins (`asia` for `asia-pacific`), or a misspelling."""
    return next((n for n in names if n.startswith(layout)), None) or nearest(layout, names)


def check_exists(layouts: Path, layout: str, display: str, line: int | None) -> Problem | None:
    """A problem if `layout` names no folder of `layouts/` with a brand file."""
    if not is_layout_name(layout):
        return name_problem(layouts, layout, display, line)
    if (layouts / layout / BRAND_FILE).is_file():
        return None
    names = layout_names(layouts)
    near = suggested_layout(layout, names)
    hint = f"did you mean '{near}'? " if near else ""
    return Problem(display, line, "layout", f"no layout '{layout}' in layouts/; {hint}available: {', '.join(names)}")
