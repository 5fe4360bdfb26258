"""Resolution dates from time expressions, one auditable rule each (spec: "Horizons").

| expression | resolve-by |
| --- | --- |
| in the coming / next (few) days; in the days ahead; within days | +7 days |
| in the coming / next (few, several) weeks; within weeks; weeks ahead | +28 days |
| in the coming / next (few) months; within months | +90 days |
| in the coming year | +1 year (the plural is open-ended: the default) |
| over a number of days | +7 days |
| in the next couple of months; within the next day or two; in 2-3 years | + the far end |
| within a decade; over the next century | +10 / +100 years |
| the early / mid / late 2030s | 31 Dec 2033 / 2036 / 2039 |
| by the end of the century; during the 21st century; mid-century | 31 Dec 2100; 31 Dec 2050 |
| October to December; the March-May period | last day of the last month |
| before the night is over | the reference day |
| next week / month / quarter / year | end of that calendar period (weeks end on Sunday) |
| this week / month / quarter; later this year; by (the end of the) year; year-end | end of it |
| in / within N days, weeks, months, years; N units from now | + N units |
| by (the end of) / in <month> [year] | last day of the next such month (or of that year) |
| early / mid / late <month> | day 10 / 20 / last of the next such month |
| early / mid / late <year> | 30 Apr / 30 Jun / 31 Dec |
| first / second half of <year>; Qn | 30 Jun / 31 Dec; end of that quarter |
| fiscal <year>; (for) the full year | 31 Dec (a calendar fiscal year is assumed) |
| spring / summer / autumn / winter | 31 May / 31 Aug / 30 Nov / end of Feb |
| soon; shortly; in the near term / future | +30 days |
| today, tonight / tomorrow / on <weekday> | that day (the next such weekday) |
| an explicit date ("by March 3, 2025", "on December 12") | that date (yearless: next one) |
| by / in / before <year> | 31 Dec of it (before: of the year before) |
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from forethought.language import lexicon as lx
from forethought.language.dates import find_dates, resolve
from forethought.language.horizon_rules import RULES, next_month_end


@dataclass(frozen=True)
class HorizonMatch:
    start: int
    end: int
    text: str
    resolve_by: date
    rule: str
    forward: bool  # unambiguously about the future (a cue-less sentence may be a forecast)


def _explicit(text: str, ref: date) -> list[HorizonMatch]:
    out: list[HorizonMatch] = []
    for mention in find_dates(text):
        before = text[max(0, mention.start - 20) : mention.start].lower()
        prep = re.search(r"((?:(?:by|before|until|at)\s+)?(?:the\s+)?end\s+of|by|on|in|until|till"
                         r"|before|through|during|since|after|from|of|next|this|as early as)"
                         r"(?:\s+both)?\W*$", before)
        found = prep.group(1) if prep else ""
        word = "end of" if found.endswith("of") and "end" in found else found
        word = "by" if word == "as early as" else word
        if word in ("since", "after", "from"):
            continue
        forward = word in ("by", "until", "till", "before", "next")
        if mention.kind in ("day", "weekday"):
            dates = resolve(mention, ref, "future")
            if not dates:
                continue
            d = dates[-1]
            if mention.kind == "weekday" and word == "next" and d == ref:
                d = d + timedelta(days=7)
            rule = "explicit date" if mention.year else "explicit date, next such day"
            forward = forward and (mention.year is not None or mention.kind == "weekday")
        elif mention.kind == "month" and mention.month:
            d = next_month_end(ref, mention.month, None, mention.year)
            rule = "last day of that month" if mention.year else "last day of the next such month"
        elif mention.kind == "year" and mention.year:
            if word not in ("by", "in", "until", "till", "before", "through", "during", "end of"):
                continue
            y = mention.year - (1 if word == "before" else 0)
            d, rule = date(y, 12, 31), f"31 Dec {y}"
        else:
            continue
        if d < ref:
            continue
        start = mention.start - (len(before) - before.rfind(found)) if found else mention.start
        out.append(HorizonMatch(start, mention.end, text[start : mention.end], d,
                                f"{text[start:mention.end]} → {rule}", forward))
    return out


_LEAD = re.compile(r"\b(?:by|in|before|until|during|through|throughout|within|for|over|at)"
                   r"(?:\s+the)?\s+$", re.I)


def _with_preposition(text: str, h: HorizonMatch) -> HorizonMatch:
    """Take a leading "by"/"in" into the span, so the title drafter can drop the whole phrase."""
    lead = _LEAD.search(text, max(0, h.start - 12), h.start)
    if lead is None:
        return h
    words = " ".join(text[lead.start() : h.end].split())
    rule = words + h.rule[len(" ".join(h.text.split())) :]
    return HorizonMatch(lead.start(), h.end, text[lead.start() : h.end], h.resolve_by, rule,
                        h.forward)


def find_horizons(text: str, reference: date) -> list[HorizonMatch]:
    """All time expressions in ``text`` with their resolve-by dates, left to right, without
    overlaps (the longer expression wins)."""
    found: list[tuple[int, int, HorizonMatch]] = []
    for i, (pattern, resolver, forward) in enumerate(RULES):
        for m in pattern.finditer(text):
            d, how = resolver(m, reference)
            words = " ".join(m.group(0).split())
            found.append((i, 0, HorizonMatch(m.start(), m.end(), m.group(0), d,
                                             f"{words} → {how}", forward)))
    found += [(len(RULES), 1, h) for h in _explicit(text, reference)]
    found = [(i, k, _with_preposition(text, h)) for i, k, h in found]
    found.sort(key=lambda t: (-(t[2].end - t[2].start), t[0]))
    chosen: list[HorizonMatch] = []
    for _, _, h in found:
        if all(h.end <= c.start or c.end <= h.start for c in chosen):
            chosen.append(h)
    chosen += _second_years(text, chosen)
    ahead = (h for h in chosen if h.resolve_by >= reference and not _looks_back(text, h))
    return sorted(ahead, key=lambda h: h.start)


_AND_YEAR = re.compile(r"\s*(?:,|and|or|,\s*and)\s+(?P<year>(?:19|20)\d\d)\b(?![-/:.]\d)")


def _second_years(text: str, chosen: list[HorizonMatch]) -> list[HorizonMatch]:
    """"in both 2023 and 2024", "in 2025 and 2026": the second year is a horizon of its own."""
    out = []
    for h in chosen:
        m = _AND_YEAR.match(text, h.end)
        if m and h.rule.startswith(tuple(f"{w} " for w in ("in", "during", "by", "for"))) \
                and h.resolve_by.month == 12 and h.resolve_by.day == 31:
            year = int(m.group("year"))
            if year >= h.resolve_by.year and all(m.end() <= c.start or c.end <= m.start("year")
                                                 for c in chosen):
                out.append(HorizonMatch(m.start("year"), m.end(), m.group("year"),
                                        date(year, 12, 31), f"{year} → 31 Dec {year}", h.forward))
    return out


# Time expressions that look back, not ahead: "held in April" (a past participle), "hasn't
# experienced in 150 years", "warmer than it is today".
_PAST_BEFORE = re.compile(r"\b(?P<verb>[a-z]+)\s+(?P<prep>(?:on|in|during)\s+)?$")
_NOT_SINCE = re.compile(r"(?:n['’]t|\bnot|\bnever|\bfirst\s+time|\bsince)\s+(?:[\w'’]+\s+){0,3}$",
                        re.I)
_THAN_NOW = re.compile(r"\bthan\s+(?:\w+\s+){0,2}$", re.I)


def _looks_back(text: str, h: HorizonMatch) -> bool:
    head = text[max(0, h.start - 40) : h.start]
    m = _PAST_BEFORE.search(head)
    dated = m is not None and (m.group("prep") or re.match(r"(?:on|in|during)\s", h.text, re.I))
    if m and dated and m.group("verb") not in lx.NOT_PAST_ED and (
            m.group("verb") in lx.IRREGULAR_PAST or m.group("verb").endswith("ed")):
        lead = head[: m.start()].split()[-1:]
        if not lead or lead[0].lower() not in ("be", "been", "being", "will", "to", "is", "are"):
            return True
    if _NOT_SINCE.search(head) and re.match(r"(?:in|for|over)\s", h.text, re.I):
        return True
    return bool(_THAN_NOW.search(head)) and h.text.lower().strip() in ("today", "now")


def parse_horizon(text: str, reference: date) -> tuple[date, str, str] | None:
    """The resolve-by date of the first time expression in ``text``, the rule that set it and the
    matched text; ``None`` when there is none (the caller applies its default horizon).

    >>> parse_horizon("further engagements in the coming weeks", date(2024, 11, 28))
    (datetime.date(2024, 12, 26), 'in the coming weeks → +28 days', 'in the coming weeks')
    """
    found = find_horizons(text, reference)
    if not found:
        return None
    h = found[0]
    return h.resolve_by, h.rule, h.text


def default_horizon(reference: date, days: int) -> tuple[date, str]:
    rule = f"no time expression → +{days} days (default, inferred)"
    return reference + timedelta(days=days), rule
