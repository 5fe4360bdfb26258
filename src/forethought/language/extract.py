"""Document → candidates: split, classify, read cues on a scale, resolve horizons, draft titles."""

from __future__ import annotations

import re
from datetime import date

from forethought.domain.scales import NEGATIONS, SCALES, read_cue
from forethought.language.candidates import Candidate
from forethought.language.classify import classify_sentence
from forethought.language.cues import CueHit
from forethought.language.dates import find_dates, resolve
from forethought.language.drafting import draft
from forethought.language.findings import Finding
from forethought.language.horizons import default_horizon
from forethought.language.lexicon import NEGATION_ALIASES
from forethought.language.sentences import split_sentences

_FALLBACK_SCALES = ("survey", "kent", "phia", "nato")
_NUMBER = re.compile(
    r"(?<![\w.,/-])[-−]?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?![\w/]|[.,]\d)"
    r"(?:\s*(?P<mult>thousand|million|billion|trillion|bn)\b)?"
)
_MULT = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_CAPITALISED = re.compile(r"(?<=[a-z0-9,;:] )(?:the )?([A-Z][\w'’-]+)")


def _round(x: float) -> float:
    return round(x, 4)


def read_hit(hit: CueHit | None, scale: str) -> tuple[str | None, str, float | None,
                                                      float | None, float | None]:
    """(cue, cue_class, p, p_low, p_high) for a cue on ``scale``. A negated cue reads through
    ``NEGATIONS`` ("not likely" → "unlikely"); one it does not list reads as the complement."""
    if hit is None:
        return None, "none", None, None, None
    if hit.kind == "explicit" and hit.p is not None:
        low = hit.p if hit.p_low is None else hit.p_low
        high = hit.p if hit.p_high is None else hit.p_high
        if hit.negated:
            return hit.surface, "explicit", _round(1 - hit.p), _round(1 - high), _round(1 - low)
        return hit.surface, "explicit", _round(hit.p), _round(low), _round(high)
    key, cue, flip = hit.key, hit.surface, False
    if hit.negated:
        alias = NEGATION_ALIASES.get(key, key)
        if alias in NEGATIONS:
            key = cue = NEGATIONS[alias]
        else:
            flip, cue = True, f"{hit.surface} not"
    reading = read_cue(key, scale)
    for other in _FALLBACK_SCALES:
        if reading is not None:
            break
        reading = read_cue(key, other)
        if reading is not None:
            reading = type(reading)(reading.cue, reading.scale, reading.point, reading.low,
                                    reading.high, fallback=True)
    if reading is None:
        return cue, "none", None, None, None
    p, low, high = reading.point, reading.low, reading.high
    if flip:
        p, low, high = 1 - p, 1 - high, 1 - low
    return cue, "fallback" if reading.fallback else scale, _round(p), _round(low), _round(high)


def numbers_in(text: str) -> tuple[int | float, ...]:
    """Quantities in a claim, leaving out dates, years and designations such as "F-16"."""
    taken = [(d.start, d.end) for d in find_dates(text)]
    out: list[int | float] = []
    for m in _NUMBER.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        raw = m.group("num").replace(",", "")
        if not m.group("frac") and not m.group("mult") and len(raw) == 4 and \
                1900 <= int(raw) <= 2099:
            continue  # a year
        value: float = float(raw + (m.group("frac") or ""))
        if m.group("mult"):
            value *= _MULT[m.group("mult")]
        if m.group(0).startswith(("-", "−")):
            value = -value
        out.append(int(value) if value.is_integer() else value)
    return tuple(out)


def _event_dates(text: str, reference: date, future_from: int | None = None) -> tuple[date, ...]:
    """Day-precise dates in a claim. A yearless one is the most recent at or before the reference
    (claims report the past) unless it sits in an announced future ("… will be played on June
    14"), which points ahead."""
    found: list[date] = []
    for mention in find_dates(text):
        if mention.kind in ("day", "weekday", "relday"):
            ahead = future_from is not None and mention.start >= future_from
            for d in resolve(mention, reference, "future" if ahead else "past"):
                if d not in found:
                    found.append(d)
    return tuple(found)


def _proper_words(text: str) -> set[str]:
    """Capitalised words seen inside sentences: taken as names when they open a title."""
    return {m.group(1).rstrip("'’s") for m in _CAPITALISED.finditer(text)}


def _forecast(doc: str, offset: int, sentence: str, f: Finding, reference: date, scale: str,
              default_days: int, proper: set[str],
              inherited: str | None) -> tuple[Candidate, str | None]:
    clause = sentence[f.start : f.end]
    cue, cue_class, p, low, high = read_hit(f.hit, scale)
    if f.horizon is not None:
        resolve_by, horizon_rule, horizon_text, inferred = (f.horizon.resolve_by, f.horizon.rule,
                                                            f.horizon.text, False)
    else:
        resolve_by, horizon_rule = default_horizon(reference, default_days)
        horizon_text, inferred = None, True
    words, hit, spans = (f.draft.text, f.draft.hit, list(f.draft.spans)) if f.draft else \
        (clause, f.hit, list(f.spans))
    title, criteria, subject = draft(
        words, hit, spans=spans, resolve_by=resolve_by, condition=f.condition,
        inherited_subject=inherited if f.inherit_subject else None,
        is_proper=lambda w: w.rstrip("'’s") in proper,
    )
    cue_text = sentence[f.start + f.hit.start : f.start + f.hit.end] if f.hit else None
    candidate = Candidate(
        kind="forecast", text=clause, start=offset + f.start, end=offset + f.end, rule=f.rule,
        cue=cue, cue_text=cue_text, cue_class=cue_class, p=p, p_low=low, p_high=high,
        scale=scale, resolve_by=resolve_by, horizon_rule=horizon_rule, horizon_text=horizon_text,
        horizon_inferred=inferred, negated=bool(f.hit and f.hit.negated), condition=f.condition,
        said_by=f.said_by, title_suggestion=title, criteria_suggestion=criteria,
    )
    assert doc[candidate.start : candidate.end] == clause
    return candidate, subject


def extract(
    text: str,
    published: date | None = None,
    *,
    scale: str = "icd203",
    source_name: str | None = None,
    default_horizon_days: int = 90,
) -> list[Candidate]:
    """Split ``text`` into sentences and propose a candidate for each (two for a sentence that
    coordinates two forecasts, or a forecast and a claim).

    ``published`` is the reference date for horizons and for yearless claim dates (default:
    today). ``source_name`` is recorded nowhere here; forecasts and claims in the source's own
    voice have ``said_by=None`` and the caller attributes them to it.

    >>> [c.kind for c in extract("Prices rose 3% in May. They will likely fall next month.",
    ...                          date(2024, 6, 3))]
    ['claim', 'forecast']
    """
    if scale not in SCALES:
        read_cue("likely", scale)  # raises InvalidInput naming the scales
    if not text or not text.strip():
        return []
    reference = published or date.today()
    proper = _proper_words(text)
    out: list[Candidate] = []
    for s, _e in split_sentences(text):
        sentence = text[s:_e]
        subject: str | None = None
        for f in classify_sentence(sentence, reference):
            clause = sentence[f.start : f.end]
            if not clause.strip():
                continue
            if f.kind == "forecast":
                candidate, subject = _forecast(text, s, sentence, f, reference, scale,
                                               default_horizon_days, proper, subject)
            else:
                candidate = _statement(clause, s, f, reference)
            out.append(candidate)
    return out


def _statement(clause: str, offset: int, f: Finding, reference: date) -> Candidate:
    """A claim (with its dates and numbers), an interpretation or an "other"."""
    start, end = offset + f.start, offset + f.end
    if f.kind != "claim":
        return Candidate(kind=f.kind, text=clause, start=start, end=end, rule=f.rule)
    dates = _event_dates(clause, reference, f.future_from)
    return Candidate(kind="claim", text=clause, start=start, end=end, rule=f.rule,
                     said_by=f.said_by, event_date=dates[0] if dates else None,
                     event_dates=dates, numbers=numbers_in(clause))
