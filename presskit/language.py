"""The one language helper: what a BCP 47 tag decides (locale, direction, quotation marks, dates, names)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton

RTL_SCRIPTS = {"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg"}


@lru_cache(maxsize=64)
def locale(lang: str) -> Locale:
    """The Babel locale of a BCP 47 tag, falling back to its language alone, then English."""
    for candidate in (lang, lang.split("-")[0], "en"):
        try:
            return Locale.parse(candidate, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("English locale missing from Babel")  # pragma: no cover


def long_date(date: dt.date, lang: str) -> str:
    """A date as the statement's language writes it in full, e.g. `23 November 2018`."""
    return format_date(date, format="long", locale=locale(lang))


def embargo_time(local: dt.datetime, lang: str) -> str:
    """An embargo in its own zone, then in GMT: `00:01 CET, 24 November 2018 (23:01 GMT, 23 November)`."""
    loc = locale(lang)
    utc = local.astimezone(dt.UTC)
    zone = local.tzname() or "UTC"
    if zone[:1] in "+-":  # zones without an abbreviation are named by their offset, e.g. +08
        zone = f"UTC{zone}"
    if zone.startswith("UTC") and zone != "UTC":
        zone = zone.replace(":00", "")
    local_text = f"{local:%H:%M} {zone}, {format_date(local.date(), format='long', locale=loc)}"
    if zone in ("UTC", "GMT"):
        return local_text
    gmt = f"{utc:%H:%M} GMT"
    if utc.date() != local.date():
        gmt += f", {format_skeleton('MMMMd', utc.date(), locale=loc)}"
    return f"{local_text} ({gmt})"


# Quotation marks by language (CLDR): outer open, outer close, inner open, inner close.
_QUOTES = {
    "en": "“”‘’", "es": "«»“”", "pt": "«»“”", "it": "«»“”", "de": "„“‚‘", "nl": "“”‘’",
    "ru": "«»„“", "uk": "«»„“", "pl": "„”«»", "zh": "“”‘’", "zh-Hant": "「」『』", "ja": "「」『』",
    "ko": "“”‘’", "ar": "”“’‘", "he": "”“’‘", "tr": "“”‘’",
}  # fmt: skip


def quotes(lang: str) -> tuple[str, str, str, str]:
    """The quotation marks a language uses (French with its narrow no-break spaces inside)."""
    base = lang.split("-")[0]
    if base == "fr":
        return ("«\u202f", "\u202f»", "“", "”")
    if base == "zh" and ("Hant" in lang or lang.endswith(("-TW", "-HK", "-MO"))):
        base = "zh-Hant"
    marks = _QUOTES.get(base, _QUOTES["en"])
    return (marks[0], marks[1], marks[2], marks[3])


def direction(lang: str) -> str:
    """`rtl` for languages written right to left, else `ltr`."""
    loc = locale(lang)
    if loc.character_order == "right-to-left":
        return "rtl"
    script = lang.split("-")[1] if "-" in lang else None
    return "rtl" if script in RTL_SCRIPTS else "ltr"


def language_name(lang: str) -> str:
    """A language's name in that language, e.g. `français`, `中文 (简体)`."""
    loc = locale(lang)
    # The language and its script (中文 (简体)), not its region: English, not English (United Kingdom).
    plain = Locale(loc.language, script=loc.script if "-" in lang and len(lang.split("-")[1]) == 4 else None)
    return plain.get_display_name(plain) or lang
