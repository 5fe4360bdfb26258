"""Classify one sentence: forecast(s), claim(s), interpretation or other, each with its rule.

Order of the rules: questions, headlines, boilerplate and fragments are "other"; then the
sentence is cut where it coordinates clauses (", and", ";", "while", "but") and each clause looks
for a cue on its main predicate; a clause with one is a forecast, a clause with a past-tense verb
beside it is a claim. A sentence with no forecast clause is an interpretation when it hedges about
the present or past or evaluates ("indicates", "raises concerns"), a forecast without a cue when it
names a time that can only be ahead ("next week"), and otherwise a claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from forethought.language import lexicon as lx
from forethought.language import splits
from forethought.language.clauses import (
    Attribution,
    attribution,
    conditions,
    frame_date,
    leading_subordinate,
    relative_bodies,
    relative_masks,
    speaker_of,
    split_points,
)
from forethought.language.cues import CueHit, find_cues, main_cue
from forethought.language.findings import Finding, shift
from forethought.language.horizons import HorizonMatch, find_horizons
from forethought.language.tokens import is_past_word, tokenize

_BULLET = re.compile(r"^\s*(?:[-•*▪‣●◦–—]|\d{1,2}[.)])\s+")
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,40}(?:\([^)]{1,40}\))?\s*[-–—]+\s+")
_PAST_PHRASE = re.compile(r"\b(?:ago|yesterday|last\s+(?:week|month|year|quarter|season|\w+day)"
                          r"|earlier\s+this\s+\w+|so\s+far\s+this\s+\w+)\b", re.IGNORECASE)
_CONCESSION = re.compile(r"\s*(?:(?:and|but|so|yet)\s+)?(?:Although|Though|Even\s+though|While)\s+"
                         r"(?P<body>[^,;]+),")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_HEADLINE_TAG = re.compile(r"^(?:\S+\s+){0,3}\S+:\s|(?:\s[-–—]|:)\s+\S+(?:\s+\S+){0,3}$"
                           r"|\([^()]{2,60}\)$")
_HEADLINE_VERB = re.compile(r"\b(?:says|say|warns|warn|predicts|forecasts|sees|fears|tells"
                            r"|urges|expects|projects|believes|agrees|releases|issues|gives|leaves"
                            r"|lifts|publishes|unveils|announces|flags|downgrades|upgrades)\b")
_HEDGES = {"past-modal", "hedge-past", "hedge-present", "participial", "normative",
           "hypothetical"}
_KIND_RULES = {
    "explicit": "explicit probability '{}'",
    "chance": "estimative phrase '{}'",
    "adj": "estimative word '{}' on the main predicate",
    "adv": "estimative adverb '{}' with a future verb",
    "adv-alone": "estimative adverb '{}' with a future time expression",
    "expectation": "expectation '{}'",
    "intention": "stated intention '{}'",
    "verb": "expectation verb '{}'",
    "modal": "modal '{}' on the main predicate",
}


@dataclass
class _Segment:
    start: int
    end: int
    soft: bool = False
    hits: list[CueHit] = field(default_factory=list)
    main: CueHit | None = None
    past: bool = False
    words: int = 0

    @property
    def claimish(self) -> bool:
        return (self.main is None and self.past and self.words >= 4
                and not any(h.status in _HEDGES for h in self.hits))


def _past(text: str, masks: list[tuple[int, int]]) -> bool:
    for t in tokenize(text):
        if any(s <= t.start < e for s, e in masks):
            continue
        if is_past_word(t):
            return True
    return bool(_PAST_PHRASE.search(text))


def _trim(s: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (s[a].isspace() or s[a] in ",;"):
        a += 1
    while b > a and (s[b - 1].isspace() or s[b - 1] in ",;"):
        b -= 1
    return a, b


class _Sentence:
    def __init__(self, text: str, start: int, reference: date):
        self.text, self.start, self.ref = text, start, reference
        lead = leading_subordinate(text[start:])
        self.conds = conditions(text[start:])
        self.conds = [replace(c, start=c.start + start, end=c.end + start) for c in self.conds]
        self.masks = [(s + start, e + start) for s, e in relative_masks(text[start:])]
        if lead:
            self.masks.append((lead[0] + start, lead[1] + start))
        self.masks += [(c.start, c.end) for c in self.conds]
        self.horizons = [h for h in find_horizons(text, reference)
                         if h.start >= start and not frame_date(text, h.start)]
        frame = attribution(text[start:])
        self.reported = frame is not None and frame.verb not in lx.ANNOUNCEMENT_VERBS

    def masked(self, a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in self.masks)

    def rel_masks(self, a: int, b: int) -> list[tuple[int, int]]:
        return [(max(s, a) - a, min(e, b) - a) for s, e in self.masks if s < b and e > a]

    def analyse(self, seg: _Segment) -> _Segment:
        text = self.text[seg.start : seg.end]
        masks = self.rel_masks(seg.start, seg.end)
        forward = any(seg.start <= h.start and h.end <= seg.end and not self.masked(h.start, h.end)
                      for h in self.horizons)
        seg.hits = find_cues(text, masks, forward, self.reported)
        seg.main = main_cue(seg.hits)
        seg.past = _past(text, masks)
        seg.words = len(text.split())
        return seg

    def segments(self) -> list[_Segment]:
        body = self.text[self.start :]
        cuts = [(s + self.start, e + self.start, soft) for s, e, soft in split_points(body)]
        segs: list[_Segment] = []
        a = self.start
        for s, e, soft in cuts:
            if s <= a or any(m_s < s < m_e for m_s, m_e in self.masks):
                continue
            segs.append(_Segment(a, s, soft))
            a = e
        segs.append(_Segment(a, len(self.text)))
        merged = [self.analyse(segs[0])]
        for nxt in segs[1:]:
            cur, nxt = merged[-1], self.analyse(nxt)
            if cur.main is not None and nxt.main is None and cur.soft:
                # "likely to be rate hike, QE unwind would come later": a "would" coordinated
                # with a forecast continues it, it is not a hypothetical.
                would = [h for h in nxt.hits if h.status == "hypothetical" and h.key == "will"]
                nxt.main = replace(would[0], status="ok") if would else None
            both = cur.main is not None and nxt.main is not None
            mixed = (cur.main is not None and nxt.claimish) or (nxt.main is not None and
                                                                cur.claimish)
            if both or (mixed and not cur.soft):
                merged.append(nxt)
            else:
                merged[-1] = self.analyse(_Segment(cur.start, nxt.end, nxt.soft))
        return merged

    def horizon_for(self, seg: _Segment, segs: list[_Segment]) -> HorizonMatch | None:
        """The clause's own time expression; else a leading one the first clause opens with
        ("In the coming weeks, X will …, and Y will …"); else any not inside another forecast."""
        own = [h for h in self.horizons if seg.start <= h.start and h.end <= seg.end
               and not self.masked(h.start, h.end)]
        if own:
            # The predicate's time beats one inside the subject ("Saturday's winner will … next
            # weekend"); a leading adverbial ("By March, …") is the only one before the cue.
            cue_at = seg.start + (seg.main.start if seg.main else 0)
            after = [h for h in own if h.start >= cue_at]
            return after[0] if after else own[0]
        first = segs[0]
        if seg is not first and first.main is not None:
            cue_at = first.start + first.main.start
            lead = [h for h in self.horizons if first.start <= h.start and h.end <= cue_at
                    and "," in self.text[h.end : cue_at]]
            if lead:
                return lead[0]
        outside = [h for h in self.horizons
                   if not any(o is not seg and o.start <= h.start < o.end for o in segs)]
        return outside[0] if outside else None


def _headline(text: str) -> bool:
    """A line without final punctuation that reads as a headline: Title Case, a "Topic:" label
    or a source tag (": IMF", "– ISW", "(Reuters)"), or headline-ese present-tense reporting
    ("Opposition leader says …"). Other unpunctuated lines are bullets and read as sentences."""
    words = _WORD.findall(text)
    long = [w for w in words[1:] if len(w) >= 4]
    if long and sum(w[0].isupper() for w in long) >= 0.6 * len(long):
        return True
    return bool(_HEADLINE_TAG.search(text) or _HEADLINE_VERB.search(text))


def _other(text: str, start: int) -> Finding | None:
    core = text.rstrip().rstrip("\"'”’)]»")
    words = len(text[start:].split())
    if core.endswith("?"):
        return Finding("other", start, len(text), "question")
    if not core.endswith((".", "!", "…", ":")) and words <= 25 and _headline(text[start:]):
        return Finding("other", start, len(text), "headline (no final punctuation)")
    if text[start:].isupper():
        return Finding("other", start, len(text), "headline (capitals)")
    if lx.BOILERPLATE.search(text[start:]):
        return Finding("other", start, len(text), "boilerplate")
    if words < 3:
        return Finding("other", start, len(text), "fragment")
    return None


def _forecast(sent: _Sentence, seg: _Segment, segs: list[_Segment], inherit: bool) -> Finding:
    hit = seg.main
    assert hit is not None
    a, b = _trim(sent.text, seg.start, seg.end)
    hit = shift(hit, seg.start - a)
    horizon = sent.horizon_for(seg, segs)
    conds = [c for c in sent.conds if c.leading or seg.start + hit.start <= c.start < seg.end]
    condition = conds[0].text if conds else None
    frame = attribution(sent.text, before=seg.start + hit.start)
    speaker = None
    rule = _KIND_RULES[hit.kind].format(hit.surface)
    if frame is not None:
        # An announcement frame still names who speaks ("NOAA announced today that a
        # below-normal season is most likely"); the estimative cue makes it a forecast.
        speaker = frame.speaker
        if frame.start < seg.start + hit.start and frame.verb not in lx.ANNOUNCEMENT_VERBS:
            rule = f"reported forecast ('{frame.verb}'), " + rule
    holders = [h for h in seg.hits if h.kind in ("verb", "intention") and h.status == "ok"
               and h.start <= hit.start + a - seg.start]
    if speaker is None and holders:
        # "NOAA is also predicting a 70 percent likelihood …": whoever holds the expectation
        # made the forecast.
        speaker = holder(sent.text[seg.start : seg.start + holders[0].aux_start])
    spans = [(s - a, e - a) for s, e in sent.masks if s < b and e > a]
    if horizon is not None and a <= horizon.start and horizon.end <= b:
        spans.append((horizon.start - a, horizon.end - a))
    return Finding("forecast", a, b, rule, hit, tuple(spans), horizon, condition, speaker,
                   inherit)


_AUX_TAIL = re.compile(r"(?:\s+(?:is|are|was|were|has|have|had|been|also|now|still|currently"
                       r"|already|continues?\s+to|continued\s+to|do|does|did|not))+\s*$",
                       re.IGNORECASE)


def holder(head: str) -> str | None:
    """Who holds the expectation in "NOAA is also predicting …", "… and ECB staff expect it to
    …": the last noun phrase before the verb, its auxiliaries left out."""
    head = _AUX_TAIL.sub("", re.split(r"[,;:]", head)[-1])
    head = re.split(r"\b(?:and|but|while|as|because|whereas)\s+", head)[-1]
    return speaker_of(head, limit=16)[1]


def _claim(sent: _Sentence, a: int, b: int, hits: list[CueHit]) -> Finding:
    seg_start = a
    a, b = _trim(sent.text, a, b)
    frame: Attribution | None = attribution(sent.text[a:b])
    announced = [h for h in hits if h.status == "announced"]
    future_from = None
    if announced:
        rule = "announced decision (future complement of an announcement)"
        future_from = max(0, announced[0].start - (a - seg_start))
    elif frame is not None:
        rule = f"attributed statement ('{frame.verb}')"
    else:
        rule = "statement of fact, no hedge"
    return Finding("claim", a, b, rule, said_by=frame.speaker if frame else None,
                   future_from=future_from)


def _whole(sent: _Sentence, segs: list[_Segment]) -> Finding:
    text, start = sent.text, sent.start
    hits = [h for s in segs for h in s.hits]
    hedge = next((h for h in hits if h.status in _HEDGES), None)
    if hedge is not None:
        return Finding("interpretation", start, len(text),
                       f"hedge not about the future ({hedge.status}: '{hedge.surface}')")
    m = lx.INTERPRETIVE.search(text, start)
    if m:
        return Finding("interpretation", start, len(text), f"evaluative verb '{m.group(0)}'")
    forward = [h for h in sent.horizons if h.forward and not sent.masked(h.start, h.end)]
    asked = any(h.status == "indirect" for h in hits)  # "to determine how soon missiles …"
    if forward and not asked and not any(s.past for s in segs) and not attribution(text[start:]):
        a, b = _trim(text, start, len(text))
        h = forward[0]
        return Finding("forecast", a, b, "time expression about the future, no estimative cue",
                       None, ((h.start - a, h.end - a),), h)
    n = lx.NORMATIVE.search(text, start)
    if n and not attribution(text[start:]):
        return Finding("interpretation", start, len(text), f"prescription '{n.group(0)}'")
    return _claim(sent, start, len(text), hits)


def _announced_after(sent: _Sentence, seg: _Segment) -> bool:
    """"Prices will rise 12% from April 1, the regulator announced": a decision, not a forecast."""
    assert seg.main is not None
    frame = attribution(sent.text, before=seg.start + seg.main.start)
    return (frame is not None and frame.verb in lx.ANNOUNCEMENT_VERBS
            and frame.start > seg.start + seg.main.start)


def _items(sent: _Sentence, seg: _Segment, f: Finding) -> list[Finding]:
    """``f`` split into one forecast per enumerated probability or year."""
    hits = [shift(h, seg.start - f.start) for h in seg.hits]
    free = [h for h in sent.horizons if not sent.masked(h.start, h.end)]
    out: list[Finding] = []
    for item in splits.by_probability(f, hits, free, sent.text):
        for part in splits.by_infinitive(item, free, sent.text):
            for each in splits.by_year(part, free, sent.text):
                out.extend(splits.by_threshold(each, sent.text))
    return out


def _relative_forecasts(sent: _Sentence, main_forecast: bool) -> list[Finding]:
    """", which may lead to another active season", ", where Russia and China are almost
    certain to veto …", ", of which two to four may become major hurricanes": a relative clause
    whose own predicate carries an estimative cue (not a plain "will") is a forecast of its own.
    A ", which …" after a forecast states its consequence and stays with it (REAL.md)."""
    out = []
    bodies = [(a, b, which, False) for a, b, which in relative_bodies(sent.text[sent.start :])]
    concession = _CONCESSION.match(sent.text, sent.start)
    if concession:  # "Although the IMF expects the US to slow down, …": asserted all the same
        bodies.append((concession.start("body") - sent.start, concession.end("body") - sent.start,
                       False, True))
    for a, b, which, conceded in bodies:
        if which and main_forecast:
            continue  # ", which could favour the home side": a consequence of the forecast
        a, b = _trim(sent.text, a + sent.start, b + sent.start)
        body = sent.text[a:b]
        forward = any(a <= h.start and h.end <= b for h in sent.horizons)
        hit = main_cue(find_cues(body, [], forward, sent.reported))
        if hit is None or (not conceded and (hit.key == "will" or len(
                body[: hit.aux_start].split()) > 6)):
            continue
        if not conceded and any(is_past_word(t) for t in tokenize(body[: hit.aux_start])):
            continue
        inside = [h for h in sent.horizons if a <= h.start and h.end <= b]
        frame = attribution(sent.text, before=a + hit.start)
        said_by = frame.speaker if frame and frame.verb not in lx.ANNOUNCEMENT_VERBS else None
        spans = tuple((max(s_, a) - a, min(e, b) - a) for s_, e in sent.masks
                      if s_ < b and e > a and not (s_ <= a and b <= e))
        spans += ((inside[0].start - a, inside[0].end - a),) if inside else ()
        where = "concession" if conceded else "relative clause"
        rule = f"{where} with its own cue: " + _KIND_RULES[hit.kind].format(hit.surface)
        if said_by is None and hit.kind in ("verb", "intention"):
            said_by = holder(body[: hit.aux_start])
        out.append(Finding("forecast", a, b, rule, hit, spans, inside[0] if inside else None,
                           said_by=said_by, inherit_subject=not conceded))
    return out


def classify_sentence(text: str, reference: date) -> list[Finding]:
    """Classify one sentence (as split by :func:`split_sentences`) against the reference date."""
    start = 0
    for pattern in (_BULLET, _DATELINE):
        m = pattern.match(text, start)
        if m:
            start = m.end()
    other = _other(text, start)
    if other is not None:
        return [other]
    sent = _Sentence(text, start, reference)
    segs = sent.segments()
    if not any(s.main for s in segs) and not _relative_forecasts(sent, False):
        return [_whole(sent, segs)]
    out: list[Finding] = []
    for k, seg in enumerate(segs):
        if seg.main is not None and _announced_after(sent, seg):
            seg.main = replace(seg.main, status="announced")
            seg.hits = [seg.main]
            out.append(_claim(sent, seg.start, seg.end, seg.hits))
        elif seg.main is not None:
            inherit = k > 0 and out != [] and out[-1].kind == "forecast"
            out.extend(_items(sent, seg, _forecast(sent, seg, segs, inherit)))
        elif seg.claimish:
            out.append(_claim(sent, seg.start, seg.end, seg.hits))
    extra = _relative_forecasts(sent, any(f.kind == "forecast" for f in out))
    if extra and not out:
        out.append(_whole(sent, segs))
    return sorted(out + extra, key=lambda f: f.start)
