"""Explicit date mentions in running text, and how they resolve against a reference date.

Only our own patterns are used, never a fuzzy date parser, because the usual libraries fall into
three traps (see the spec): the modal "may" read as the month May (month names must be
capitalised, and a bare "May" needs a day, a year or a preposition such as "in"/"by"); "2025"
read as a clock time (a four-digit number is only ever a year here); and "on November 27" read as
next year (the caller chooses: claims resolve a yearless date to the most recent such date at or
before the reference, forecasts to the next one at or after it).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            (),
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sept", "Sep"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ]
    )
    for name in names
}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Case-sensitive on purpose: "may" and "march" in lower case are never months.
MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"
_I = "(?i:{})"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"\b(?P<year>{YEAR})-(?P<mm>[01]\d)-(?P<dd>[0-3]\d)\b")),
    (
        "md",
        re.compile(
            rf"\b(?P<month>{MONTH})\.?\s+(?P<days>{_DAY}(?:\s*(?:,|and|&|or|-|–|to)\s*{_DAY}"
            rf"(?!\d))*)(?:,?\s+(?P<year>{YEAR}))?(?![\d])\b"
        ),
    ),
    (
        "dm",
        re.compile(
            rf"\b(?P<days>{_DAY}(?:\s*(?:,|and|&|-|–|to)\s*{_DAY})*)\s+(?:of\s+)?"
            rf"(?P<month>{MONTH})\b\.?(?:,?\s+(?P<year>{YEAR})\b)?"
        ),
    ),
    ("my", re.compile(rf"\b(?P<month>{MONTH})\.?\s+(?:of\s+)?(?P<year>{YEAR})\b")),
    (
        "month",
        re.compile(
            _I.format(r"\b(?:in|by|until|till|before|after|since|through|throughout|during|from"
                      r"|to|of|early|mid|late|end of|start of|beginning of|middle of|the)")
            + rf"[\s-]+(?P<month>{MONTH})\b(?!\.?\s*\d)"
        ),
    ),
    (
        "year",
        re.compile(
            _I.format(r"\b(?:in|by|until|till|before|after|since|through|during|for|of|from"
                      r"|early|mid|late|fiscal|fiscal year|FY|end of|as early as)(?:\s+both)?")
            + rf"[\s-]*(?P<year>{YEAR})\b(?![-/:.]\d)"
        ),
    ),
    ("weekday", re.compile(r"\b(?P<weekday>" + "|".join(WEEKDAYS) + r")\b")),
    ("relday", re.compile(r"\b(?P<rel>today|tonight|yesterday|tomorrow)\b", re.IGNORECASE)),
]
_DAY_NUM = re.compile(r"\d{1,2}")


@dataclass(frozen=True)
class DateMention:
    """One date-like expression; ``kind`` says how precise it is."""

    start: int
    end: int
    kind: str  # "day", "month", "year", "weekday", "relday"
    year: int | None = None
    month: int | None = None
    days: tuple[int, ...] = ()
    weekday: int | None = None
    rel: int | None = None  # day offset for today/yesterday/tomorrow


def _mention(kind: str, m: re.Match[str]) -> DateMention | None:
    g = m.groupdict()
    year = int(g["year"]) if g.get("year") else None
    if kind == "iso":
        return DateMention(m.start(), m.end(), "day", year, int(g["mm"]), (int(g["dd"]),))
    if kind in ("md", "dm"):
        days = tuple(int(d) for d in _DAY_NUM.findall(g["days"]) if 1 <= int(d) <= 31)
        if not days:
            return None
        return DateMention(m.start(), m.end(), "day", year, MONTHS[g["month"]], days)
    if kind == "my":
        return DateMention(m.start(), m.end(), "month", year, MONTHS[g["month"]])
    if kind == "month":
        start = m.start("month")
        return DateMention(start, m.end(), "month", None, MONTHS[g["month"]])
    if kind == "year":
        return DateMention(m.start("year"), m.end(), "year", year)
    if kind == "weekday":
        return DateMention(m.start(), m.end(), "weekday", weekday=WEEKDAYS.index(g["weekday"]))
    rel = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[g["rel"].lower()]
    return DateMention(m.start(), m.end(), "relday", rel=rel)


def find_dates(text: str) -> list[DateMention]:
    """Every date mention in ``text``, left to right, without overlaps (the more precise pattern
    wins where two overlap)."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            mention = _mention(kind, m)
            if mention is None:
                continue
            if any(mention.start < e and s < mention.end for s, e in taken):
                continue
            found.append(mention)
            taken.append((mention.start, mention.end))
    return sorted(found, key=lambda d: d.start)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def resolve(mention: DateMention, reference: date, direction: str) -> list[date]:
    """Resolve a day-precise mention to dates. ``direction`` is ``"past"`` (claims: a yearless
    date is the most recent such date at or before ``reference``) or ``"future"`` (forecasts: the
    next one at or after it). Month and year mentions resolve to nothing here."""
    if mention.kind == "relday":
        return [reference + timedelta(days=mention.rel or 0)]
    if mention.kind == "weekday":
        delta = (mention.weekday or 0) - reference.weekday()
        if direction == "past":
            return [reference + timedelta(days=delta if delta <= 0 else delta - 7)]
        return [reference + timedelta(days=delta if delta >= 0 else delta + 7)]
    if mention.kind != "day" or mention.month is None:
        return []
    out: list[date] = []
    for day in mention.days:
        if mention.year is not None:
            d = _safe(mention.year, mention.month, day)
        else:
            d = _safe(reference.year, mention.month, day)
            if d is not None and direction == "past" and d > reference:
                d = _safe(reference.year - 1, mention.month, day)
            elif d is not None and direction == "future" and d < reference:
                d = _safe(reference.year + 1, mention.month, day)
        if d is not None:
            out.append(d)
    return out
