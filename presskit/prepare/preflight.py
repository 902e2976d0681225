"""Pre-flight checks: mistakes worth a warning before a statement goes out, which do not stop the build."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from babel.dates import get_day_names, get_month_names

from presskit import language
from presskit.errors import WARNING, Problem
from presskit.read import frontmatter
from presskit.read.statement import Statement

SUMMARY_LIMIT = 300
"""Longest summary, in characters, that newswires and search engines show whole."""


def warnings(statement: Statement, now: dt.datetime | None = None) -> list[Problem]:
    """Every pre-flight warning for a statement, each naming its file, line and field."""
    lines = frontmatter.read(statement.source, statement.display).lines
    found: list[Problem] = []

    def warn(field: str, line: int, message: str) -> None:
        found.append(Problem(statement.display, line, field, message, WARNING))

    now = now or dt.datetime.now(dt.UTC)
    if statement.embargo is not None and statement.embargo <= now:
        when = language.embargo_time(statement.embargo, "en-GB")
        warn("embargo", lines.get("embargo", 2), f"the embargo ended at {when}, before this build; "
             "correct the date or remove the embargo line if the statement may be published now")  # fmt: skip
    if statement.summary and len(statement.summary) > SUMMARY_LIMIT:
        warn("summary", lines.get("summary", 2), f"is {len(statement.summary)} characters long; newswires and "
             f"search engines cut it after {SUMMARY_LIMIT}, so shorten it to one sentence")  # fmt: skip
    names = _names(language.locale(statement.lang).language)
    if statement.dateline:
        for match in names.weekday.finditer(statement.dateline):
            written = names.weekdays[match.group(0).casefold()]
            if written != statement.date.weekday():
                warn("dateline", lines.get("dateline", 2), _mismatch(match.group(0), statement.date, statement.lang))
    for match in names.dated.finditer(statement.body):
        day = match.group("d1") or match.group("d2")
        month = names.months[(match.group("m1") or match.group("m2")).casefold()]
        year = int(match.group("y") or statement.date.year)
        try:
            date = dt.date(year, month, int(day))
        except ValueError:
            continue  # not a day of the calendar: not a date this check can judge
        if names.weekdays[match.group("wd").casefold()] != date.weekday():
            line = statement.body_line + statement.body.count("\n", 0, match.start())
            warn("body", line, _mismatch(match.group("wd"), date, statement.lang, match.group(0)))
    return found


def _mismatch(weekday: str, date: dt.date, lang: str, written: str | None = None) -> str:
    actual = get_day_names("wide", locale=language.locale(lang))[date.weekday()]
    where = f"'{written}' says" if written else "says"
    return f"{where} {weekday}, but {language.long_date(date, lang)} is a {actual}; correct the weekday or the date"


class _Names:
    """Weekday and month names of a language, and the patterns that find them in text."""

    def __init__(self, lang: str) -> None:
        loc = language.locale(lang)
        self.weekdays: dict[str, int] = {}
        self.months: dict[str, int] = {}
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_day_names(width, context, loc).items():
                    self.weekdays.setdefault(name.casefold().rstrip("."), number)
                for number, name in get_month_names(width, context, loc).items():
                    self.months.setdefault(name.casefold().rstrip("."), number)
        # only full weekday names: abbreviations such as "Sun" or "Wed" are too often other words
        full = {n.casefold() for n in get_day_names("wide", "format", loc).values()}
        weekday = _alternatives(full)
        month = _alternatives(set(self.months))
        self.weekday = re.compile(rf"\b(?:{weekday})\b", re.IGNORECASE)
        self.dated = re.compile(
            rf"\b(?P<wd>{weekday}),?\s+(?:(?:the\s+)?(?P<d1>\d{{1,2}})(?:st|nd|rd|th|er|º|\.)?\s+(?:of\s+|de\s+)?"
            rf"(?P<m1>{month})\b"
            rf"|(?P<m2>{month})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)(?:,?\s+(?:de\s+)?(?P<y>\d{{4}})\b)?",
            re.IGNORECASE,
        )


def _alternatives(names: set[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if n)


@lru_cache(maxsize=16)
def _names(language: str) -> _Names:
    return _Names(language)
