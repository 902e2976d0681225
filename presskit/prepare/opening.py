"""The dateline a statement's body already opens with (`GENEVA, 12 May 2024 — The ...`), so that none is added."""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass
from functools import lru_cache

from presskit import language
from presskit.errors import NOTE, WARNING, Problem
from presskit.read.statement import Statement

_MARKUP = re.compile(r"\*\*|__|(?<!\w)[*_]|</?(?:p|strong|b|em|i|span|div)(?:\s[^<>]*)?>", re.IGNORECASE)
"""Emphasis and the HTML of an export around a dateline: `**GENEVA**, ...`, `<p><strong>GENEVA</strong>, ...`."""
_WORD = r"[^\W\d_][^\s,，、،(（:：—–―－]*"
_CITY = rf"(?P<city>{_WORD}(?:[ \u00a0]{_WORD}){{0,3}}?)"
_DASH = r"(?:—+|–|―|－|‒|--)"
_AFTER_DATE = rf"(?:\s*{_DASH}\s*|\s+-\s+|\.\s*[-–—]\s*|:\s+|\s*：\s*)"
_DATE = r"(?P<date>[^\n—–―－:：()（）]{1,60}?)"
_FORMS = (
    # GENEVA, 12 May 2024 —   Sydney, November 23, 2018:   北京，2024年5月12日——   جنيف، 12 مايو 2024 —
    re.compile(rf"{_CITY}\s*[,，、،]\s*{_DATE}{_AFTER_DATE}(?=\S)"),
    # Geneva (12 May 2024) –   Genève (12 mai 2024) :
    re.compile(rf"{_CITY}\s*[(（]{_DATE}[)）]{_AFTER_DATE}(?=\S)"),
    # BRUSSELS --   Brussels — The ...   (no date: the city must be written in capitals, or the next word start one)
    re.compile(rf"{_CITY}(?:\s*\([A-Z]{{2,10}}\))?(?:\s*{_DASH}\s*|\s+-\s+)(?=(?P<next>\S))"),
)
_JOINING = frozenset({"de", "del", "da", "do", "dos", "la", "le", "les", "el", "al", "am", "an", "upon", "on", "sur"})
"""Small words inside a city's name: Rio de Janeiro, Frankfurt am Main, Châlons-en-Champagne."""
_DATE_WORDS = frozenset(
    {
        "le",
        "la",
        "de",
        "del",
        "of",
        "the",
        "den",
        "am",
        "em",
        "th",
        "st",
        "nd",
        "rd",
        "er",
        "à",
        "року",
        "р",
        "г",
        "года",
    }
)
"""Small words of a written date: le 12 mai, 12 de mayo de 2024, the 12th of May."""
_CJK_DATE = re.compile(r"\d{1,4}\s*[年月日]")


@dataclass(frozen=True)
class Opening:
    """A dateline a body opens with."""

    city: str
    """The city, as written (`GENEVA`)."""
    text: str
    """The dateline as written, separator included (`GENEVA, 12 May 2024 —`)."""
    dated: bool
    """Whether it gives the date as well as the city."""


def applied(st: Statement) -> tuple[Statement, list[Problem]]:
    """The statement marked as opening with its own dateline (its city the dateline if none is given), and a note."""
    found = find(st.body, st.lang)
    if found is None:
        return st, []
    line = st.body_line + st.body[: len(st.body) - len(st.body.lstrip())].count("\n")
    said = f"the text opens with its own dateline '{found.text}'"
    if st.dateline is None:
        note = f"{said}, so presskit adds none and takes its city '{found.city}' as the statement's dateline"
        problem = Problem(st.display, line, "body", note, NOTE)
    elif found.city.casefold() == st.dateline.casefold():
        problem = Problem(st.display, line, "body", f"{said}, so presskit adds none", NOTE)
    else:
        mismatch = (f"{said}, but the front matter says 'dateline: {st.dateline}'; correct one of them "
                    "(presskit adds no second dateline)")  # fmt: skip
        problem = Problem(st.display, line, "body", mismatch, WARNING)
    dateline = st.dateline or found.city
    return dataclasses.replace(st, dateline=dateline, opening=found.text, opening_dated=found.dated), [problem]


def find(body: str, lang: str) -> Opening | None:
    """The dateline the body's first paragraph opens with, or None for an ordinary first sentence."""
    first = body.lstrip().split("\n\n", 1)[0][:300]
    exported = first.lower().startswith(("<p", "<strong", "<b"))  # a CMS's HTML around the first paragraph
    if not first or (first[0] in "#>|!-+`[<" and not exported):  # a heading, quote, list, table, image...
        return None
    plain = html.unescape(_MARKUP.sub("", first)).replace("\u00a0", " ").lstrip()
    for number, form in enumerate(_FORMS):
        match = form.match(plain)
        if match is None:
            continue
        city = match.group("city")
        date = match.groupdict().get("date")
        if not _is_city(city, dated=date is not None, follower=match.groupdict().get("next")):
            continue
        if date is not None and not _is_date(date, lang):
            continue
        return Opening(city, plain[: match.end()].strip(), dated=number < 2)
    return None


def _is_city(city: str, *, dated: bool, follower: str | None) -> bool:
    """Whether words look like a place: capitalised, or written in a script without capitals (Arabic, Chinese)."""
    words = city.replace("-", " ").split()
    if not words:
        return False
    if not any(ch.isupper() or ch.islower() for ch in city):  # Arabic, Chinese, Japanese: only a dated form
        return dated and len(city) <= 20
    if not (words[0][:1].isupper() and words[-1][:1].isupper()):
        return False
    if not all(w[:1].isupper() or w.casefold() in _JOINING for w in words):
        return False
    if dated:
        return True
    # Without a date: `BRUSSELS --`, or `Brussels — The ...`; never `Paris — the city of light — is ...`
    capitals = all(not ch.islower() for ch in city) and sum(ch.isalpha() for ch in city) >= 3
    return capitals or (follower is not None and follower[:1].isupper())


def _is_date(text: str, lang: str) -> bool:
    """Whether text between a city and a dash is a date: numbers, month and weekday names, and their small words."""
    if not any(ch.isdigit() for ch in text):
        return False
    if _CJK_DATE.search(text):
        return True
    names = _names(lang)
    has_year = has_month = False
    for token in re.findall(r"\w+", text):
        folded = token.casefold()
        if token.isdigit():
            has_year = has_year or (len(token) == 4 and 1900 <= int(token) <= 2100)
        elif folded in names[0]:
            has_month = True
        elif folded in names[1] or folded in _DATE_WORDS or re.fullmatch(r"\d{1,2}(?:st|nd|rd|th|er|e|º)", folded):
            continue
        else:
            return False
    return has_year or has_month or bool(re.fullmatch(r"\s*\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?\s*", text))


@lru_cache(maxsize=16)
def _names(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """The month names and the weekday names of a language and of English, folded, full and abbreviated."""
    from babel.dates import get_day_names, get_month_names

    months: set[str] = set()
    days: set[str] = set()
    for loc in {language.locale(lang), language.locale("en")}:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                months.update(n.casefold().rstrip(".") for n in get_month_names(width, context, loc).values())
                days.update(n.casefold().rstrip(".") for n in get_day_names(width, context, loc).values())
    return frozenset(w for n in months for w in n.split()), frozenset(w for n in days for w in n.split())
