"""The time-expression patterns and how each resolves against the reference date (the table in
:mod:`forethought.language.horizons`). Each resolver returns the date and the words of its rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from forethought.language.dates import MONTH, MONTHS, YEAR, month_end

_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "eighteen": 18,
    "twenty": 20, "thirty": 30, "a couple of": 2, "couple of": 2,
}
_N = r"(?P<n>\d{1,3}|a couple of|couple of|an?|one|two|three|four|five|six|seven|eight|nine|ten" \
     r"|eleven|twelve|fifteen|eighteen|twenty|thirty)"
_VAGUE_DAYS = {"hour": 7, "day": 7, "week": 28, "month": 90}


def _week_end(d: date) -> date:
    return d + timedelta(days=6 - d.weekday())


def _quarter_end(year: int, q: int) -> date:
    return month_end(year, 3 * q)


def _period_end(unit: str, ref: date, ahead: int) -> date:
    if unit == "week":
        return _week_end(ref) + timedelta(days=7 * ahead)
    if unit == "month":
        m = ref + relativedelta(months=ahead)
        return month_end(m.year, m.month)
    if unit == "quarter":
        q = (ref.month - 1) // 3 + ahead
        return _quarter_end(ref.year + q // 4, q % 4 + 1)
    return date(ref.year + ahead, 12, 31)


def _plus(ref: date, n: int, unit: str) -> date:
    unit = unit.rstrip("s")
    if unit == "hour":
        return ref + timedelta(days=-(-n // 24))
    if unit == "day":
        return ref + timedelta(days=n)
    if unit == "week":
        return ref + timedelta(weeks=n)
    if unit == "quarter":
        return ref + relativedelta(months=3 * n)
    if unit == "month":
        return ref + relativedelta(months=n)
    if unit == "decade":
        return ref + relativedelta(years=10 * n)
    if unit in ("century", "centurie"):
        return ref + relativedelta(years=100 * n)
    return ref + relativedelta(years=n)


def next_month_end(ref: date, month: int, day: int | None = None, year: int | None = None):
    y = year if year is not None else ref.year
    d = month_end(y, month) if day is None else date(y, month, min(day, month_end(y, month).day))
    if year is None and d < ref:
        return next_month_end(ref, month, day, ref.year + 1)
    return d


_YEAR_PART = {"early": (4, 30), "mid": (6, 30), "middle of": (6, 30), "late": (12, 31),
              "end of": (12, 31), "first half of": (6, 30), "second half of": (12, 31),
              "start of": (1, 1), "beginning of": (1, 1)}
_SEASON = {"spring": (5, 31), "summer": (8, 31), "autumn": (11, 30), "fall": (11, 30),
           "winter": (2, 28)}
_QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
             "4th": 4}

Resolver = Callable[[re.Match[str], date], tuple[date, str]]


def _vague(m: re.Match[str], ref: date) -> tuple[date, str]:
    """in the coming days / weeks / months / year; in the weeks ahead; within weeks; over a
    number of days."""
    unit = (m.group("unit") or m.group("unit2") or m.group("unit3")).lower()
    if unit.startswith("year"):
        return ref + relativedelta(years=1), "+1 year"
    days = _VAGUE_DAYS[unit.rstrip("s")]
    return ref + timedelta(days=days), f"+{days} days"


def _n_units(m: re.Match[str], ref: date) -> tuple[date, str]:
    raw = " ".join((m.group("n") or m.group("n_b")).lower().split())
    n = int(raw) if raw.isdigit() else _WORDS[raw]
    alt = re.search(r"\bor\s+(two|three)\b", m.group(0), re.I)
    if alt:  # "within the next day or two": the far end
        n = _WORDS[alt.group(1).lower()]
    unit = (m.group("unit") or m.group("unit_b")).lower().rstrip("s")
    unit = "century" if unit.startswith("centur") else unit
    return _plus(ref, n, unit), f"+{n} {unit}{'s' if n != 1 else ''}"


def _next_period(m: re.Match[str], ref: date) -> tuple[date, str]:
    unit = (m.group("unit") or "week").lower()
    return _period_end(unit, ref, 1), f"end of next calendar {unit}"


def _this_period(m: re.Match[str], ref: date) -> tuple[date, str]:
    groups = m.groupdict()
    unit = (groups.get("unit") or groups.get("unit2") or groups.get("unit3") or "week").lower()
    unit = "week" if unit == "weekend" else unit
    return _period_end(unit, ref, 0), f"end of this calendar {unit}"


def _end_of(m: re.Match[str], ref: date) -> tuple[date, str]:
    unit = (m.group("unit") or m.group("u2") or "year").lower()
    if m.group("ye"):
        unit = "month" if "month" in m.group("ye").lower() else "year"
    if unit == "decade":
        return date(ref.year // 10 * 10 + 9, 12, 31), "end of the decade"
    return _period_end(unit, ref, 0), f"end of this calendar {unit}"


def _soon(m: re.Match[str], ref: date) -> tuple[date, str]:
    return ref + timedelta(days=30), "+30 days"


def _relday(m: re.Match[str], ref: date) -> tuple[date, str]:
    word = m.group(0).lower()
    if "after" in word:
        return ref + timedelta(days=2), "+2 days"
    if "tomorrow" in word:
        return ref + timedelta(days=1), "+1 day"
    return ref, "the reference day"


def _year_part(m: re.Match[str], ref: date) -> tuple[date, str]:
    part = re.sub(r"^(?:by|in)\s+", "", " ".join(m.group("part").lower().split()))
    part = re.sub(r"^the\s+", "", part)
    which = " ".join(m.group("which").lower().split())
    year = int(which) if which.isdigit() else ref.year + (1 if which.startswith("next") else 0)
    month, day = _YEAR_PART[part]
    return date(year, month, day), date(year, month, day).isoformat()


def _month_part(m: re.Match[str], ref: date) -> tuple[date, str]:
    part = m.group("part").lower()
    month = MONTHS[m.group("month")]
    year = int(m.group("year")) if m.group("year") else None
    day = {"early": 10, "mid": 20}.get(part)
    d = next_month_end(ref, month, day, year)
    return d, f"day {day or 'last'} of the {'' if year else 'next such '}month"


def _season(m: re.Match[str], ref: date) -> tuple[date, str]:
    name = m.group("season").lower()
    month, _day = _SEASON[name]
    if m.group("year"):
        year = int(m.group("year")) + (1 if name == "winter" else 0)
        return month_end(year, month), f"end of {name}"
    d = month_end(ref.year, month)
    if d < ref:
        d = month_end(ref.year + 1, month)
    if m.group("pre").lower() == "next" and (d - ref).days < 92:
        d = month_end(d.year + 1, month)
    return d, f"end of the {'next ' if m.group('pre').lower() == 'next' else ''}{name}"


def _quarter(m: re.Match[str], ref: date) -> tuple[date, str]:
    q = int(m.group("qn")) if m.group("qn") else _QUARTERS[m.group("qw").lower()]
    if m.group("year"):
        return _quarter_end(int(m.group("year")), q), f"end of Q{q}"
    year = ref.year + (1 if m.group("nexty") else 0)
    d = _quarter_end(year, q)
    if not m.group("nexty") and d < ref:
        d = _quarter_end(year + 1, q)
    return d, f"end of the next Q{q}"


def _fiscal(m: re.Match[str], ref: date) -> tuple[date, str]:
    year = int(m.group("year"))
    year = year + 2000 if year < 100 else year
    return date(year, 12, 31), "31 Dec (calendar fiscal year assumed)"


def _next_units(m: re.Match[str], ref: date) -> tuple[date, str]:
    """within the next day or two (the far end); over the next decade / century."""
    unit = (m.group("unit") or m.group("unit_b")).lower()
    n = _WORDS[m.group("n").lower()] if m.group("n") else 1
    return _plus(ref, n, unit), f"+{n} {unit}{'s' if n != 1 else ''}"


def _decade_part(m: re.Match[str], ref: date) -> tuple[date, str]:
    """the early / mid / late 2030s: 31 Dec of the decade's 3rd / 6th / last year."""
    decade = int(m.group("dec"))
    offset = {"early": 3, "mid": 6}.get((m.group("part") or "").lower(), 9)
    return date(decade + offset, 12, 31), f"31 Dec {decade + offset}"


def _century(m: re.Match[str], ref: date) -> tuple[date, str]:
    """by the end of the century, during the 21st century: 31 Dec 2100; mid-century: 2050."""
    end = (ref.year // 100 + 1) * 100
    if m.group("mid"):
        return date(end - 50, 12, 31), f"31 Dec {end - 50} (mid-century)"
    return date(end, 12, 31), f"31 Dec {end} (end of the century)"


def _month_range(m: re.Match[str], ref: date) -> tuple[date, str]:
    """October to December, the March-May period, December-January-February: the last month."""
    last = MONTHS[m.group("m2")]
    year = int(m.group("year")) if m.group("year") else None
    return next_month_end(ref, last, None, year), "last day of the range's last month"


def _tonight(m: re.Match[str], ref: date) -> tuple[date, str]:
    return ref, "the reference day"


# (pattern, resolver, forward): ``forward`` marks expressions that can only be about the future,
# so a sentence with one and no cue may still be a forecast ("talks resume next week").
RULES: list[tuple[re.Pattern[str], Resolver, bool]] = [
    (re.compile(r"\b(?:in|over|during|within)\s+the\s+(?:coming|next|following)\s+"
                r"(?:(?:few|several)\s+)?(?P<unit>hours|days|weeks|months|year)"
                r"\b(?P<unit2>)", re.I), _vague, True),
    (re.compile(r"\b(?:in|over|during)\s+the\s+(?P<unit>days|weeks|months)\s+ahead\b|"
                r"\bover\s+a\s+number\s+of\s+(?P<unit3>days|weeks|months)\b|"
                r"\b(?:within|in)\s+(?:(?:a\s+)?few\s+|several\s+)?(?P<unit2>days|weeks|months)\b"
                r"(?!\s+(?:of|after|before|since))", re.I), _vague, True),
    (re.compile(rf"\b(?:in|within|inside(?:\s+of)?|over|during|for)\s+(?:the\s+(?:next|coming"
                rf"|following)\s+)?(?:\d{{1,2}}\s*[-–]\s*)?{_N}\s+(?:or\s+(?:two|three)\s+)?"
                rf"(?P<unit>hours?|days?|weeks?|months?|quarters?|years?|decades?|centur(?:y|ies))"
                rf"\b(?:['’]?s?\s+time)?"
                rf"|\b{_N.replace('?P<n>', '?P<n_b>')}\s+(?P<unit_b>days?|weeks?|months?|years?)"
                rf"\s+from\s+now\b", re.I), _n_units, True),
    (re.compile(r"\b(?P<part>early|mid|late|(?:by\s+)?the\s+(?:end|middle|start|beginning)\s+of"
                r"|(?:in\s+)?the\s+(?:first|second)\s+half\s+of)[\s-]+"
                rf"(?P<which>{YEAR}|next\s+year|this\s+year|the\s+year)\b", re.I),
     _year_part, True),
    (re.compile(r"\b(?P<part>(?i:early|mid|late))[\s-]+" + rf"(?P<month>{MONTH})\b"
                rf"(?:\s+(?P<year>{YEAR}))?"), _month_part, False),
    (re.compile(r"\b(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?P<unit>week|month|quarter"
                r"|year|decade)\b(?!\s+(?:19|20)\d\d)|\b(?:by|before)\s+(?P<ye>year[- ]end|"
                r"the\s+year[- ]end|end[- ]year|month[- ]end)\b|\blater\s+this\s+(?P<u2>week"
                r"|month|year)\b", re.I), _end_of, True),
    (re.compile(r"\bnext\s+(?P<unit>week|month|quarter|year)\b|\bnext\s+(?P<wkend>weekend)\b",
                re.I), _next_period, True),
    (re.compile(r"\b(?:this|the\s+current|over\s+the)\s+(?P<unit>week|weekend|month|quarter"
                r"|year)\b|\bthe\s+(?P<unit2>weekend)\b", re.I), _this_period, False),
    (re.compile(r"\b(?:for|over|in)\s+the\s+(?:full|whole|entire)\s+(?P<unit>year)\b|\bfull[- ]"
                r"(?P<unit2>year)\b|\b(?:for|over|during|in|through)\s+the\s+rest\s+of\s+(?:the|this)"
                r"\s+(?P<unit3>week|month|quarter|year)\b", re.I), _this_period, False),
    (re.compile(r"(?<!as )\b(?:soon|shortly|imminently)\b(?!\s+as\b)|\bin\s+the\s+(?:near|short)"
                r"[\s-]+(?:term|future)\b|\bnear[\s-]+term\b", re.I), _soon, True),
    (re.compile(r"\b(?:the\s+day\s+after\s+)?tomorrow\b|\b(?:later\s+)?(?:today|tonight)\b", re.I),
     _relday, False),
    (re.compile(r"\b(?P<pre>this|next|by|in|over|during|until|through|throughout|before)\s+"
                r"(?:(?:most|much|all|the\s+end|the\s+rest)\s+of\s+)?(?:the\s+)?"
                r"(?:(?-i:[A-Z]\w+)\s+){0,2}"
                r"(?P<season>spring|summer|autumn|fall|winter)\b(?!\s+(?:of|in|by)\s+(?!(?:19|20)"
                rf"\d\d))(?:\s+(?:of\s+)?(?P<year>{YEAR})(?:[-/]\d\d)?)?", re.I), _season, False),
    (re.compile(rf"\b(?:Q(?P<qn>[1-4])|(?i:the\s+)?(?P<qw>(?i:first|second|third|fourth|1st|2nd"
                rf"|3rd|4th))\s+(?i:quarter))(?:\s+(?:of\s+)?(?P<year>{YEAR})|(?P<nexty>\s+of"
                rf"\s+next\s+year))?\b"), _quarter, False),
    (re.compile(rf"\b(?:fiscal(?:\s+year)?|FY)\s?(?P<year>{YEAR}|\d\d)\b"), _fiscal, True),
    (re.compile(r"\b(?:in\s+)?(?:the\s+)?(?:(?P<part>early|mid|late)[\s-]+)?(?P<dec>(?:19|20)\d0)"
                r"['’]?s\b", re.I), _decade_part, True),
    (re.compile(r"\b(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the|this)\s+century\b|\b(?:during|in|over"
                r"|through(?:out)?|by)\s+(?:the\s+)?(?:21st|twenty-first)\s+century\b|\bthis\s+"
                r"century\b|(?P<mid>\b(?:by|until|to|through)?\s*(?:at\s+least\s+)?(?:the\s+)?"
                r"mid[\s-]+century\b|\bthe\s+middle\s+of\s+the\s+century\b)", re.I),
     _century, True),
    (re.compile(rf"\b(?:{MONTH}\s*[-–]\s*)?(?P<m1>{MONTH})\s*(?:-|–|to|through|until)\s*"
                rf"(?P<m2>{MONTH})\b(?!\s*\d{{1,2}}\b)(?:\s+(?P<year>{YEAR}))?"
                r"(?:\s+(?i:period|season|quarter))?"), _month_range,
     False),
    (re.compile(r"\bbefore\s+(?:the\s+|this\s+)?night\s+is\s+over\b|\bby\s+nightfall\b", re.I),
     _tonight, True),
    (re.compile(r"\b(?:in|within|over|during)\s+the\s+(?:next|coming)\s+(?:(?P<unit>day|week|month)"
                r"\s+or\s+(?P<n>two|three)|(?P<n_b>)(?P<unit_b>decade|century))\b", re.I),
     _next_units, True),
]


