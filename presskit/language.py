"""The one language helper: what a BCP 47 tag decides (locale, direction, quotation marks, dates, names)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton

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
    return base(tag) == "zh" and (script(tag) == "Hant" or region(tag) in _TRADITIONAL_REGIONS)


@lru_cache(maxsize=64)
def locale(lang: str) -> Locale:
    """The Babel locale of a BCP 47 tag, falling back to its language alone, then English."""
    for candidate in (lang, base(lang), "en"):
        try:
            return Locale.parse(candidate, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("English locale missing from Babel")  # pragma: no cover


def long_date(date: dt.date, lang: str) -> str:
    """A date as the statement's language writes it in full, e.g. `23 November 2018`."""
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


def embargo_time(local: dt.datetime, lang: str) -> str:
    """An embargo in its own zone, then in GMT: `00:01 CET, 24 November 2018 (23:01 GMT, 23 November)`."""
    loc = locale(lang)
    utc = local.astimezone(dt.UTC)
    zone = zone_name(local)
    local_text = f"{local:%H:%M} {zone}, {format_date(local.date(), format='long', locale=loc)}"
    if zone in ("UTC", "GMT"):
        return native_digits(local_text, lang)
    gmt = f"{utc:%H:%M} GMT"
    if utc.date() != local.date():
        gmt += f", {format_skeleton('MMMMd', utc.date(), locale=loc)}"
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


# The one table of quotation marks, by language: outer open, outer close, inner open, inner close.
# Arabic presses set guillemets, as the Arab news agencies do; Hebrew keeps CLDR's marks.
_QUOTES = {
    "en": "“”‘’", "es": "«»“”", "pt": "«»“”", "it": "«»“”", "de": "„“‚‘", "nl": "“”‘’",
    "ru": "«»„“", "uk": "«»„“", "pl": "„”«»", "zh": "“”‘’", "zh-Hant": "「」『』", "ja": "「」『』",
    "ko": "“”‘’", "ar": "«»“”", "he": "”“’‘", "tr": "“”‘’",
}  # fmt: skip


def quotes(lang: str) -> tuple[str, str, str, str]:
    """The quotation marks a language uses (French with its narrow no-break spaces inside), in every output."""
    key = base(lang)
    if key == "fr":
        return ("«\u202f", "\u202f»", "“", "”")
    if is_traditional_chinese(lang):
        key = "zh-Hant"
    marks = _QUOTES.get(key, _QUOTES["en"])
    return (marks[0], marks[1], marks[2], marks[3])


def direction(lang: str) -> str:
    """`rtl` for languages written right to left, else `ltr`."""
    loc = locale(lang)
    if loc.character_order == "right-to-left":
        return "rtl"
    return "rtl" if script(lang) in RTL_SCRIPTS else "ltr"


def language_name(lang: str) -> str:
    """A language's name in that language, e.g. `français`, `中文 (简体)`."""
    loc = locale(lang)
    # The language and its script (中文 (简体)), not its region: English, not English (United Kingdom).
    plain = Locale(loc.language, script=loc.script if script(lang) else None)
    return plain.get_display_name(plain) or lang
