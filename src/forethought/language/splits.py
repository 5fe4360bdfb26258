"""One forecast per item of an enumeration (REAL.md: "one forecast per coordinated clause, per
probability, per threshold and per year").

* Probabilities: "a 45 percent chance of an above normal season, a 35 percent chance of a near
  normal season and only a 20 percent chance of a below-normal season" is three forecasts, and
  "is likely in the next couple of months, with a 71% chance of La Niña" two.
* Years: "will grow 3.4 percent this year and 3.6 percent in 2017" is two forecasts, each with
  its own horizon, drafted from the shared lead ("… will grow 3.6 percent in 2017").

Items are cut at a coordinator (a comma, "and", "with", "while", "but", "leaving", "then") that
stands between two anchors outside brackets; with no coordinator between them, there is one item.
"""

from __future__ import annotations

import re
from dataclasses import replace

from forethought.language.cues import CueHit, find_cues, main_cue
from forethought.language.findings import Draft, Finding, shift
from forethought.language.horizons import HorizonMatch

_COORDINATOR = re.compile(r",\s*(?:(?:and|but|while|with|leaving)\s+)?(?:then\s+)?"
                          r"|\s+(?:and|with|while|but|leaving)\s+(?:then\s+)?"
                          r"|\s+(?=to\s+[\d$€£])")  # "from 2.9% this year to 2.3% in 2025"
_ITEM_LEAD = re.compile(r"^\s*(?:[,;]\s*)?(?:(?:and|but|while|with|leaving|then|only)\s+)*",
                        re.IGNORECASE)
_NUMBER = re.compile(r"\d")
_BRACKETS = re.compile(r"\([^()]*\)")
_VALUE_LEAD = re.compile(r"(?:\b(?:from|to|at|of|by|around|about|some|roughly|nearly|just"
                         r"|an\s+average\s+of|average)\s+)+$")


def _top_level(text: str, pos: int) -> bool:
    return text.count("(", 0, pos) <= text.count(")", 0, pos)


def _cut(text: str, a: int, b: int) -> tuple[int, int] | None:
    """The last coordinator between offsets ``a`` and ``b`` of ``text``: (start, end)."""
    found = [m for m in _COORDINATOR.finditer(text, a, b) if _top_level(text, m.start())]
    return (found[-1].start(), found[-1].end()) if found else None


def _item_start(text: str, at: int) -> int:
    return at + _ITEM_LEAD.match(text[at:]).end()  # type: ignore[union-attr]


def _own(f: Finding, a: int, b: int, hit: CueHit, horizon: HorizonMatch | None,
         draft: Draft | None = None) -> Finding:
    """A finding for the sentence span [a, b) with the cue ``hit`` (sentence-relative)."""
    spans = tuple((s + f.start - a, e + f.start - a) for s, e in f.spans
                  if a <= s + f.start and e + f.start <= b)
    if horizon is not None and a <= horizon.start and horizon.end <= b:
        spans += ((horizon.start - a, horizon.end - a),)
    rule = f.rule.replace(f"'{f.hit.surface}'", f"'{hit.surface}'") if f.hit else f.rule
    return replace(f, start=a, end=b, hit=shift(hit, -a), spans=spans, horizon=horizon, rule=rule,
                   draft=draft, inherit_subject=f.inherit_subject if a == f.start else True)


def by_probability(f: Finding, hits: list[CueHit], horizons: list[HorizonMatch],
                   sentence: str) -> list[Finding]:
    """Split ``f`` at each explicit probability after the first anchor (``hits`` are relative
    to ``f.start``; ``horizons`` to the sentence). An item without a time expression of its own
    keeps the whole clause's."""
    assert f.hit is not None
    ok = [h for h in hits if h.status == "ok"]
    explicit = [h for h in ok if h.kind == "explicit"]
    if not explicit:
        return [f]
    words = [h for h in ok if h.kind != "explicit" and h.kind != "adv-alone"
             and h.end <= explicit[0].start]
    anchors = ([words[0]] if words else []) + explicit
    if len(anchors) < 2:
        return [f]
    text = sentence[f.start : f.end]
    bounds: list[int] = [0]
    kept = [anchors[0]]
    for prev, nxt in zip(anchors, anchors[1:], strict=False):
        cut = _cut(text, prev.end, nxt.start)
        if cut is None:
            if kept[-1].kind != "explicit":
                kept[-1] = nxt  # "predict a 45 percent chance of …": the number is the cue
            continue
        bounds.append(cut[0])
        kept.append(nxt)
    if len(kept) < 2:
        return [f]
    bounds.append(len(text))
    out = []
    for k, hit in enumerate(kept):
        a = f.start + (bounds[k] if k == 0 else _item_start(text, bounds[k]))
        b = f.start + bounds[k + 1]
        inside = [h for h in horizons if a <= h.start and h.end <= b]
        out.append(_own(f, a, b, shift(hit, f.start), inside[0] if inside else f.horizon))
    return out


def _year_chain(sentence: str, own: list[HorizonMatch]) -> list[HorizonMatch]:
    """The time expressions that each close an item of one enumeration, left to right."""
    chain = own[:1]
    for h in own[1:]:
        prev = chain[-1]
        cut = _cut(sentence, prev.end, h.start)
        if cut is None or h.start - prev.end > 90:
            break
        # The new item's value follows the cut; a number before it (outside brackets) makes a
        # range ("between $4.1 billion and $4.3 billion in fiscal 2025"), not a new item.
        if _NUMBER.search(_BRACKETS.sub("", sentence[prev.end : cut[0]])):
            break
        if not _NUMBER.search(sentence, cut[1], h.start) and cut[1] != h.start:
            break  # "in both 2023 and 2024": the year alone is the item
        chain.append(h)
    return chain


def by_year(f: Finding, horizons: list[HorizonMatch], sentence: str) -> list[Finding]:
    """Split ``f`` at each coordinated time expression after its cue that carries its own
    value ("3.4 percent this year and 3.6 percent in 2017"). ``horizons`` are sentence-relative
    and outside asides."""
    assert f.hit is not None
    cue_end = f.start + f.hit.end
    chain = _year_chain(sentence, [h for h in horizons if cue_end <= h.start and h.end <= f.end])
    if len(chain) < 2:
        return [f]
    first_value = _value_start(sentence, cue_end, chain[0].start, f.start + (f.hit.pred_start
                                                                          or f.hit.end))
    lead = sentence[f.start : first_value]
    out: list[Finding] = []
    a = f.start
    for k, h in enumerate(chain):
        b = f.end if k == len(chain) - 1 else h.end
        item_a = a if k == 0 else _item_start(sentence, a)
        draft, hit = None, shift(f.hit, f.start)
        own_cue = main_cue(find_cues(sentence[item_a:b])) if k > 0 else None
        if own_cue is not None:
            hit = shift(own_cue, item_a)
        elif k > 0:
            at = len(lead) - item_a
            draft = Draft(lead + sentence[item_a:b], f.hit, ((h.start + at, h.end + at),))
        out.append(_own(f, item_a, b, hit, h, draft))
        a = h.end
    return out


# "Global warming of 1.5°C and 2°C will be exceeded": one forecast per threshold.
_UNIT = r"\s*(?:°\s*[CF]|ºC|C\b|degrees|%|per\s*cent)"
_THRESHOLDS = re.compile(rf"(?<!between\s)(?P<a>\d+(?:\.\d+)?{_UNIT})\s+(?:and|or)\s+"
                         rf"(?P<b>\d+(?:\.\d+)?{_UNIT})")


def by_threshold(f: Finding, sentence: str) -> list[Finding]:
    """Two coordinated thresholds of one quantity ("1.5°C and 2°C") are two forecasts, each
    drafted with its own value; both keep the whole clause as their span."""
    assert f.hit is not None
    text = sentence[f.start : f.end]
    m = _THRESHOLDS.search(text)
    if m is None or f.hit.kind == "explicit":
        return [f]
    a, b = m.start("a"), m.end("b")
    out = []
    for value in (m.group("a"), m.group("b")):
        delta = len(value) - (b - a)

        def moved(x: int, delta: int = delta) -> int:
            return x + delta if x >= b else x

        hit = shift(f.hit, delta) if f.hit.start >= b else f.hit
        spans = tuple((moved(s_), moved(e)) for s_, e in f.spans)
        out.append(replace(f, draft=Draft(text[:a] + value + text[b:], hit, spans)))
    return out


_AND_TO = re.compile(r",?\s+and\s+(?=to\s+[a-z])")


def by_infinitive(f: Finding, horizons: list[HorizonMatch], sentence: str) -> list[Finding]:
    """"… are likely to result in tighter credit conditions … and to weigh on economic
    activity": one forecast per coordinated infinitive after the cue, the second drafted from
    the shared lead ("Recent developments are likely to weigh on …")."""
    assert f.hit is not None
    if f.hit.pred_start is None or f.hit.kind not in ("adj", "expectation", "intention", "verb"):
        return [f]
    text = sentence[f.start : f.end]
    m = next((m for m in _AND_TO.finditer(text, f.hit.pred_start)
              if _top_level(text, m.start())), None)
    if m is None:
        return [f]
    first_end, second = f.start + m.start(), f.start + m.end()
    inside = [h for h in horizons if second <= h.start and h.end <= f.end]
    horizon = inside[0] if inside else f.horizon
    lead = sentence[f.start : f.start + f.hit.pred_start]
    body_at = second + len("to ")
    at = len(lead) - body_at
    spans = tuple((h.start + at, h.end + at) for h in inside[:1])
    before = [h for h in horizons if f.start <= h.start and h.end <= first_end]
    first = _own(f, f.start, first_end, shift(f.hit, f.start),
                 before[0] if before else f.horizon)
    return [first, _own(f, second, f.end, shift(f.hit, f.start), horizon,
                        Draft(lead + sentence[body_at : f.end], f.hit, spans))]


def _value_start(sentence: str, cue_end: int, horizon_start: int, pred_start: int) -> int:
    """Where the first item's value begins ("from 2.9% this year" → at "from"): the first
    number after the cue, with the prepositions that introduce it."""
    m = _NUMBER.search(sentence, cue_end, horizon_start)
    if m is None:
        word = re.match(r"\s*\S+\s*", sentence[pred_start:])
        return pred_start + (word.end() if word else 0)
    at = sentence.rfind(" ", 0, m.start()) + 1
    lead = _VALUE_LEAD.search(sentence[:at])
    return lead.start() if lead else at
