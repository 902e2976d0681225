"""The one language helper: what a BCP 47 tag decides (locale, direction, quotation marks, dates, names)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

# Babel and langcodes are imported where they are used: naming the tasks of an archive asks which language each
# statement is in (`statement_language`), and that must not load a language database.
RTL_SCRIPTS = {"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg"}
_TRADITIONAL_REGIONS = {"TW", "HK", "MO"}


@lru_cache(maxsize=256)
def _parts(tag: str) -> tuple[str, str | None, str | None]:
    import langcodes

    try:
        found = langcodes.Language.get(tag, normalize=False)
    except (langcodes.tag_parser.LanguageTagError, ValueError):
        return tag.split("-")[0].lower(), None, None
    return (found.language or tag.split("-")[0]).lower(), found.script, found.territory


def base(tag: str) -> str:
    """The language of a BCP 47 tag without script or region, lower case: `zh` for `zh-Hans-CN`."""
    return _parts(tag)[0]


def script(tag: str) -> str | None:
    """The script a tag names explicitly (`Hant` in `zh-Hant-HK`), or None."""
    return _parts(tag)[1]


def region(tag: str) -> str | None:
    """The region a tag names explicitly (`HK` in `zh-Hant-HK`), or None."""
    return _parts(tag)[2]


def is_traditional_chinese(tag: str) -> bool:
    """Whether a tag is Chinese in traditional characters: the Hant script, or a region that writes it."""
    return base(tag) == "zh" and likely(tag)[1] == "Hant"


@lru_cache(maxsize=256)
def likely(tag: str) -> tuple[str, str | None, str | None]:
    """Language, script and region of a tag, the ones it leaves out filled in as CLDR's likely subtags:
    `zh-TW` is `zh, Hant, TW`, `zh` is `zh, Hans, CN`, `sr-Latn` is `sr, Latn, RS`, `en` is `en, Latn, US`."""
    import langcodes

    try:
        found = langcodes.Language.get(tag).maximize()
    except (langcodes.tag_parser.LanguageTagError, ValueError, LookupError):
        return base(tag), script(tag), region(tag)
    return (found.language or base(tag)).lower(), found.script, found.territory


def normalized(tag: str) -> str:
    """A tag in its standard form and case: `zh-hant-hk` is `zh-Hant-HK`, `iw` is `he`."""
    return _normalized(tag)


@lru_cache(maxsize=256)
def _normalized(tag: str) -> str:
    import langcodes

    try:
        return str(langcodes.Language.get(tag))
    except (langcodes.tag_parser.LanguageTagError, ValueError, LookupError):
        return tag


def fallbacks(tag: str, available: Iterable[str]) -> list[str]:
    """The entries of `available` (language tags naming texts, labels, marks) that suit `tag`, best first.

    First the tag itself, then one meaning the same (`zh-HK` for `zh-Hant-HK`), then the language in the same
    script without a region (`zh-Hant`, then `zh-TW` is no match for `zh-Hans-HK`), then the same script in
    another region (`pt-PT` for `pt-BR`), last the language in another script (`zh` for `zh-Hant`, better than
    another language). Scripts and regions a tag leaves out are CLDR's likely ones: `zh-TW` is Traditional,
    `pt` is Brazilian, `sr` is Cyrillic.
    """
    return [entry for _, entry in sorted(_ranked(tag, tuple(available)))]


@lru_cache(maxsize=512)
def _ranked(tag: str, available: tuple[str, ...]) -> tuple[tuple[tuple[int, int, int], str], ...]:
    lang, writing, place = likely(tag)
    wanted = normalized(tag).lower()
    parents = _parents(wanted)
    ranked = []
    for position, entry in enumerate(available):
        e_lang, e_script, e_region = likely(entry)
        if e_lang != lang:
            continue
        explicit_script, explicit_region = script(entry), region(entry)
        if normalized(entry).lower() == wanted:
            rank = 0
        elif normalized(entry).lower() in parents or (
            e_script == writing and explicit_region is not None and e_region == place
        ):  # the same variant written otherwise, or CLDR's parent locale: es-MX is es-419, pt-AO is pt-PT
            rank = 1
        elif e_script == writing and explicit_region is None:
            rank = 2
        elif e_script == writing:
            rank = 3
        elif explicit_script is None and explicit_region is None:
            rank = 4
        else:
            rank = 5
        # among equals, the one that names more (zh-Hant before zh for zh-HK), then the order given
        ranked.append(((rank, -(explicit_script is not None) - (explicit_region is not None), position), entry))
    return tuple(ranked)


@lru_cache(maxsize=256)
def _parents(tag: str) -> tuple[str, ...]:
    """The regional parents CLDR gives a tag, nearest first (`es-mx`: `es-419`; `en-au`: `en-001`), lower case."""
    from babel.core import get_global

    exceptions = get_global("parent_exceptions")
    found: list[str] = []
    current = tag.replace("-", "_")
    while (parent := next((v for k, v in exceptions.items() if k.lower() == current), None)) and len(found) < 4:
        found.append(parent.replace("_", "-").lower())
        current = parent.lower()
    return tuple(found)


def covers(required: str, have: str) -> bool:
    """Whether a text in `have` is one in `required`: the same language and script, and no other region
    (`en-GB` is `en`; `zh-TW` is `zh-Hant`, not `zh-Hans`; `pt-PT` is not `pt-BR`)."""
    (lang, writing, place), (h_lang, h_writing, h_place) = likely(required), likely(have)
    if (lang, writing) != (h_lang, h_writing):
        return False
    return region(required) is None or region(have) is None or place == h_place


def best(tag: str, available: Iterable[str]) -> str | None:
    """The entry of `available` that suits `tag` best (`fallbacks`), or None."""
    found = fallbacks(tag, available)
    return found[0] if found else None


def statement_language(written: str | None, suffix: str | None, brand: str | Callable[[], str]) -> str:
    """The language a statement is in: its `lang:` field, else its file name's `.LANG`, else its brand's.

    A bare language that is the brand's takes the brand's script and region (`en` under an `en-GB` brand is
    `en-GB`, with British dates). `brand` may be a function, asked only when the answer needs it. Cheap: no
    language database is loaded.
    """
    chosen = written or suffix
    if chosen is not None and "-" in chosen:
        return chosen
    brand_lang = brand() if callable(brand) else brand
    if chosen is None:
        return brand_lang
    if "-" in brand_lang and chosen.lower() == brand_lang.partition("-")[0].lower():
        return brand_lang
    return chosen


@lru_cache(maxsize=64)
def locale(lang: str) -> Locale:
    """The Babel locale of a BCP 47 tag, falling back to its language alone, then English."""
    from babel import Locale, UnknownLocaleError

    for candidate in (lang, base(lang), "en"):
        try:
            return Locale.parse(candidate, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("English locale missing from Babel")  # pragma: no cover


def long_date(date: dt.date, lang: str) -> str:
    """A date as the statement's language writes it in full, e.g. `23 November 2018`."""
    from babel.dates import format_date

    return native_digits(format_date(date, format="long", locale=locale(lang)), lang)


# The zero of each numbering system CLDR gives languages as their default (Persian: arabext), other than latn.
_ZEROS = {"arab": 0x0660, "arabext": 0x06F0, "beng": 0x09E6, "deva": 0x0966, "mymr": 0x1040, "tibt": 0x0F20}


# The CSS counter style that writes each of those numbering systems' digits.
_COUNTERS = {
    "arab": "arabic-indic", "arabext": "persian", "beng": "bengali", "deva": "devanagari", "mymr": "myanmar",
    "tibt": "tibetan",
}  # fmt: skip


def counter_style(lang: str) -> str:
    """The CSS counter style of the language's default digits (`persian` for Persian), for page numbers."""
    return _COUNTERS.get(locale(lang).default_numbering_system, "decimal")


def native_digits(text: str, lang: str) -> str:
    """Text with the digits 0-9 in the language's own digits where CLDR makes them its default (`۲۰۲۴` in Persian)."""
    zero = _ZEROS.get(locale(lang).default_numbering_system)
    return text if zero is None else text.translate({0x30 + i: zero + i for i in range(10)})


_COMMAS = {"Arab": "، ", "Hans": "，", "Hant": "，", "Jpan": "、"}
"""The comma of the scripts that write their own, by the language's likely script (a wide one takes no space)."""
_WIDE = ("Hans", "Hant", "Jpan")
"""Scripts written with full-width punctuation: Chinese and Japanese."""


def comma(lang: str) -> str:
    """The comma between two parts of a line, with its space: `، ` in Arabic script (Arabic, Persian, Urdu,
    Pashto, Kurdish...), `，` in Chinese, `、` in Japanese, else `, `."""
    return _COMMAS.get(likely(lang)[1] or "", ", ")


def wide_punctuation(lang: str) -> bool:
    """Whether a language writes full-width punctuation (`联系方式：`): Chinese and Japanese."""
    return likely(lang)[1] in _WIDE


def embargo_time(local: dt.datetime, lang: str) -> str:
    """An embargo in its own zone, then in GMT: `00:01 CET, 24 November 2018 (23:01 GMT, 23 November)`."""
    from babel.dates import format_date, format_skeleton

    loc = locale(lang)
    utc = local.astimezone(dt.UTC)
    zone = zone_name(local)
    local_text = f"{local:%H:%M} {zone}{comma(lang)}{format_date(local.date(), format='long', locale=loc)}"
    if zone in ("UTC", "GMT"):
        return native_digits(local_text, lang)
    gmt = f"{utc:%H:%M} GMT"
    if utc.date() != local.date():
        gmt += f"{comma(lang)}{format_skeleton('MMMMd', utc.date(), locale=loc)}"
    return native_digits(f"{local_text} ({gmt})", lang)


def zone_name(local: dt.datetime) -> str:
    """The abbreviation of a time's zone (`CET`), or its offset from UTC when it has none (`UTC+8`)."""
    zone = local.tzname() or "UTC"
    if zone[:1] in "+-":  # zones without an abbreviation are named by their offset, e.g. +08
        zone = f"UTC{zone}"
    if zone.startswith("UTC") and zone != "UTC":
        zone = zone.replace(":00", "")
    return zone


def date_time(local: dt.datetime, lang: str) -> str:
    """A date and time in its own zone as the language writes them: `November 23, 2018, 15:05 CET`."""
    pattern = str(locale(lang).datetime_formats["long"]).replace("'", "")
    return native_digits(pattern.format(f"{local:%H:%M} {zone_name(local)}", long_date(local.date(), lang)), lang)


# The one table of quotation marks, by language: outer open, outer close, inner open, inner close; matched
# as BCP 47 (`fallbacks`), so `pt` is CLDR's Brazilian and `pt-PT` the European, `zh-HK` takes `zh-Hant`.
# Regional entries are CLDR's; Arabic presses set guillemets, as the Arab news agencies do; Hebrew keeps CLDR's
# marks; Spanish keeps the guillemets of the Spanish academy, Latin America CLDR's curly marks.
_QUOTES = {
    "en": "“”‘’", "es": "«»“”", "es-419": "“”‘’", "pt": "“”‘’", "pt-PT": "«»“”", "it": "«»“”",
    "de": "„“‚‘", "nl": "“”‘’", "ru": "«»„“", "uk": "«»„“", "pl": "„”«»", "zh": "“”‘’", "zh-Hant": "「」『』",
    "ja": "「」『』", "ko": "“”‘’", "ar": "«»“”", "he": "”“’‘", "tr": "“”‘’", "sr": "„“‘‘", "sr-Latn": "„”’’",
    "fr": "«»“”", "fr-CH": "«»‹›", "de-CH": "„“‚‘", "it-CH": "«»“”", "el": "«»“”",
}  # fmt: skip


def quotes(lang: str) -> tuple[str, str, str, str]:
    """The quotation marks a language uses (French with its narrow no-break spaces inside), in every output."""
    key = best(lang, _QUOTES) or "en"
    marks = _QUOTES[key]
    if base(lang) == "fr":
        return ("«\u202f", "\u202f»", marks[2], marks[3])
    return (marks[0], marks[1], marks[2], marks[3])


# Noto CJK draws each han character in the forms its language and region expect: a Chinese text set in the
# Japanese font, or a Hong Kong text in the Taiwanese one, shows some characters in forms its readers do not use.
_CJK_FONTS = {"zh": "Noto Sans CJK SC", "zh-Hant": "Noto Sans CJK TC", "zh-Hant-HK": "Noto Sans CJK HK",
              "zh-Hant-MO": "Noto Sans CJK HK", "ja": "Noto Sans CJK JP", "ko": "Noto Sans CJK KR"}  # fmt: skip


def cjk_font(lang: str) -> str | None:
    """The Noto CJK family with the glyph forms of a Chinese, Japanese or Korean tag (`zh-HK`: HK), else None."""
    key = best(lang, _CJK_FONTS)
    if key is None or likely(key)[1] != likely(lang)[1]:  # Chinese in another script takes no han font
        return None
    return _CJK_FONTS[key]


_CJK_ALIASES = {"zh-Hant": ("zh-TW",), "zh-Hant-HK": ("zh-HK",), "zh-Hant-MO": ("zh-MO",)}
"""Tags without a script that CSS's `:lang()` must be told write a Traditional form (CLDR's likely script)."""


def font_rules() -> list[tuple[str, str]]:
    """`cjk_font` as CSS: a `:lang()` selector and the family set first, for a stylesheet shared by pages in many
    languages (the newsroom's); later rules are the more specific, so they win."""
    return [
        (", ".join(f":root:lang({tag})" for tag in (key, *_CJK_ALIASES.get(key, ()))), family)
        for key, family in _CJK_FONTS.items()
    ]


def font_families(lang: str) -> tuple[str, ...]:
    """The font families set before the brand's for a language's script: its CJK forms first, so that its
    punctuation and quotation marks take full-width forms; empty when the brand's fonts come first."""
    found = cjk_font(lang)
    return (found,) if found else ()


def hyphenation(lang: str) -> str | None:
    """The hyphenation dictionary (pyphen's) for a language: `pt_PT`, `sr_Latn`, `en_GB`; None without one."""
    return _hyphenation(normalized(lang))


@lru_cache(maxsize=64)
def _hyphenation(tag: str) -> str | None:
    import pyphen

    lang, writing, place = likely(tag)
    # the dictionary of the region the tag names or implies (`en` is American, `pt` Brazilian), then of its CLDR
    # parent (`pt-AO` is written as in Portugal), then of its script (`sr-Latn`); the language's own name last,
    # and only in its usual script (pyphen's `sr` is Cyrillic)
    candidates = [f"{lang}_{writing}_{place}", f"{lang}_{place}"]
    candidates += [parent.replace("-", "_") for parent in _parents(normalized(tag).lower())]
    candidates += [f"{lang}_{writing}"] + ([lang] if likely(lang)[1] == writing else [])
    known = {name.lower(): name for name in pyphen.LANGUAGES}
    return next((known[c.lower()] for c in candidates if c.lower() in known), None)


def word_lang(lang: str) -> str:
    """The tag Word and LibreOffice are given for a language: Chinese by region (`zh-CN`, `zh-TW`, `zh-HK`),
    which is how they choose glyph forms and proofing tools, everything else as written."""
    lang_, writing, place = likely(lang)
    if lang_ != "zh":
        return lang
    if writing == "Hant":
        return f"zh-{place}" if place in _TRADITIONAL_REGIONS else "zh-TW"
    return f"zh-{place}" if place in ("CN", "SG") else "zh-CN"


def from_word_lang(tag: str) -> str:
    """A tag Word marks text with, as sources are named: Chinese by script (`zh-CN` is `zh-Hans`, `zh-TW` is
    `zh-Hant`, `zh-HK` is `zh-Hant-HK`, which keeps its own glyph forms), everything else as written."""
    lang_, writing, place = likely(tag)
    if lang_ != "zh" or writing not in ("Hans", "Hant") or region(tag) is None:
        return tag
    usual = {"Hans": "CN", "Hant": "TW"}[writing]
    return f"zh-{writing}" if place in (usual, None) else f"zh-{writing}-{place}"


_SPACES = "\u00a0\u202f "


def numbers(text: str, written_in: str, lang: str) -> str:
    """Text with the numbers that `written_in` groups (`600,000` in English) as `lang` writes them (`600 000`,
    with CLDR's narrow no-break space, in French); years, dates, phone numbers and numbers written without a
    grouping separator are left as written."""
    source, target = locale(written_in), locale(lang)
    if _symbols(source) == _symbols(target):
        return text

    def converted(match: re.Match[str]) -> str:
        group, decimal = _symbols(source)[:2]
        whole, _, fraction = match.group(0).partition(decimal)
        value = Decimal(re.sub(f"[{re.escape(group)}{_SPACES}]", "", whole) + (f".{fraction}" if fraction else ""))
        from babel.numbers import format_decimal

        grouping = "#,##,##0" if _symbols(target)[2] == 2 else "#,##0"
        pattern = grouping + (f".{'0' * len(fraction)}" if fraction else "")
        return str(format_decimal(value, format=pattern, locale=target, numbering_system="latn"))

    return _grouped(source).sub(converted, text)


def _symbols(loc: Locale) -> tuple[str, str, int]:
    """A locale's grouping separator, decimal sign and size of the groups after the first (2 in India)."""
    symbols = loc.number_symbols.get("latn", loc.number_symbols)
    pattern = loc.decimal_formats.get(None)
    return symbols["group"], symbols["decimal"], pattern.grouping[1] if pattern is not None else 3


@lru_cache(maxsize=16)
def _grouped(loc: Locale) -> re.Pattern[str]:
    """Numbers written with a locale's grouping separator, standing alone: not part of a phone number or a date."""
    group, decimal, size = _symbols(loc)
    sep = f"[{_SPACES}]" if group in _SPACES else re.escape(group)
    rest = f"(?:{sep}\\d{{2}})*{sep}\\d{{3}}" if size == 2 else f"(?:{sep}\\d{{3}})+"
    # not after or before another digit, sign or separator: `+32 2 000 00 00`, `23.11.2018`, `1,000,00`
    return re.compile(
        f"(?<![\\w+/.,:'’-])(?<!\\d[{_SPACES}])\\d{{1,3}}{rest}(?:{re.escape(decimal)}\\d+)?"
        f"(?![\\w]|[.,:/'’-]\\d|[{_SPACES}]\\d)"
    )


_TONOS = "\u0301"
_DIAERESIS = "\u0308"
_GREEK = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")


def upper(text: str, lang: str) -> str:
    """Text in capitals as the language writes them: Greek capitals drop their accents (`Αθήνα` is `ΑΘΗΝΑ`), and
    an accent that kept two vowels apart becomes a diaeresis (`τσάι` is `ΤΣΑΪ`); the word `ή` keeps its own."""
    if base(lang) != "el":
        return text.upper()
    import unicodedata

    out: list[str] = []
    for word in re.split(r"(\s+)", unicodedata.normalize("NFD", text)):
        if word in ("η\u0301", "Η\u0301"):  # `ή`, "or", keeps its accent to be told from the article
            out.append(word)
            continue
        chars = list(word)
        for i, char in enumerate(chars):
            letter = next((c for c in reversed(chars[:i]) if c and not unicodedata.combining(c[0])), "")
            if char != _TONOS or not _GREEK.match(letter[:1]):
                continue
            chars[i] = ""
            following = "".join(chars[i + 1 : i + 3])
            if chars[i - 1] in "αεηουΑΕΗΟΥ" and following[:1] in ("ι", "υ", "Ι", "Υ") and following[1:2] != _DIAERESIS:
                chars[i + 1] += _DIAERESIS  # ά then ι is two vowels, not the diphthong αι
        out.append("".join(chars))
    return unicodedata.normalize("NFC", "".join(out).upper())


def direction(lang: str) -> str:
    """`rtl` for languages written right to left, else `ltr`."""
    loc = locale(lang)
    if loc.character_order == "right-to-left":
        return "rtl"
    return "rtl" if script(lang) in RTL_SCRIPTS else "ltr"


def language_name(lang: str) -> str:
    """A language's name in that language, e.g. `français`, `中文 (简体)`."""
    from babel import Locale

    loc = locale(lang)
    # The language and its script (中文 (简体)), not its region: English, not English (United Kingdom).
    plain = Locale(loc.language, script=loc.script if script(lang) else None)
    return plain.get_display_name(plain) or lang
