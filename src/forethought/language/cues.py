"""Find the estimative cue on the main predicate of a clause.

Every cue-like word becomes a :class:`CueHit` with a ``status``: ``"ok"`` when it makes the clause
a forecast, otherwise the reason it does not ("past-modal" for "could have", "hypothetical" for an
unreported "would", "attributive" is never returned: a nominal "potential" or "the likely winner"
is simply not a hit). :func:`main_cue` then takes the first ok cue on a finite predicate, so in
"NATO's potential increase could alter …, possibly leading to …" the cue is "could".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from forethought.language import lexicon as lx
from forethought.language.tokens import (
    ADVERB_CUES,
    ADVERBS,
    BASE_SUBJECTS,
    BE_CONTRACTED,
    BOUND,
    BOUND_ABOVE,
    CHANCE_NOUNS,
    COMPLEMENT_TAKERS,
    DO_FORMS,
    EXPLICIT,
    EXPLICIT_BRACKETED,
    EXPLICIT_NOUN_FIRST,
    EXPLICIT_RANGE,
    GENERIC_ADVERBS,
    LOOKBACK_SKIP,
    MIGHT_NOUN_BEFORE,
    NEGATIVE_SUBJECTS,
    NEVER_NOUNS,
    NOUN_NEXT,
    NUMBER_WORDS,
    PREDICATIVE_NEXT,
    PREPOSITIONS,
    QUESTION_WORDS,
    QUOTES,
    UNCERTAIN_HEADS,
    WILL_LIKE,
    WILL_NOUN_BEFORE,
    is_ly_adverb,
    is_past_word,
    negated,
    number,
    tokenize,
)


@dataclass(frozen=True)
class CueHit:
    """One cue-like expression in a clause (character offsets are clause-relative)."""

    start: int
    end: int
    surface: str  # what was written, normalised ("will likely" → "likely"; "won't" → "will")
    key: str  # the word looked up on the scales
    kind: str  # explicit | chance | adj | adv | adv-alone | expectation | intention | verb | modal
    status: str  # "ok", or why this is not a forecast cue
    negated: bool = False
    aux_start: int = 0  # where the subject ends (the modal, "is", "does not" …)
    pred_start: int | None = None  # where the base verb phrase starts; None → "occur"
    complement: int | None = None  # start of a that-clause that carries the event
    subject: tuple[int, int] | None = None  # an explicit subject span ("expects X to …")
    p: float | None = None  # explicit probabilities only
    p_low: float | None = None  # explicit ranges ("between 20 and 25 per cent")
    p_high: float | None = None
    complement_end: int | None = None  # where the event named after the cue ends


class _Scanner:
    def __init__(self, text: str, masks: list[tuple[int, int]], forward: bool,
                 reported: bool = False):
        self.text = text
        self.toks = tokenize(text)
        self.masks = masks
        self.forward = forward
        self.reported = reported
        self.hits: list[CueHit] = []
        self.consumed: set[int] = set()

    # -- helpers ------------------------------------------------------------------------------
    def low(self, i: int) -> str:
        return self.toks[i].low if 0 <= i < len(self.toks) else ""

    def masked(self, i: int) -> bool:
        t = self.toks[i]
        return any(s <= t.start < e for s, e in self.masks)

    def prev(self, i: int) -> str:
        return self.low(i - 1)

    def be_before(self, i: int) -> int | None:
        """Index of a form of "be" (or "seems", "looks" …) just before token ``i``."""
        j = i - 1
        while j >= 0 and (self.low(j) in LOOKBACK_SKIP or self.low(j) in lx.NEGATORS
                          or self.low(j) in ADVERB_CUES):
            j -= 1
        if j >= 0 and (self.low(j) in lx.BE_PRESENT or self.low(j) in lx.BE_PAST
                       or self.low(j) in BE_CONTRACTED):
            return j
        return None

    def subject_negated(self, i: int) -> bool:
        """"Neither side is likely to …", "No agreement is expected …": the subject negates."""
        for j in range(i - 1, -1, -1):
            low = self.low(j)
            if low in (",", ";", ":") or low in lx.REPORTED_FUTURE or low == "that":
                return False
            if low in NEGATIVE_SUBJECTS and self.low(j + 1) not in ("longer", "doubt", "chance"):
                return True
        return False

    def reporting_before(self, i: int) -> bool:
        return any(self.low(j) in lx.REPORTED_FUTURE and not self.masked(j) for j in range(i))

    def indirect_question(self, i: int, any_head: bool) -> bool:
        """"… could not say when production would restart", "it is unclear whether the tariffs
        will survive", "talking about when it will be appropriate": a reported question, not a
        forecast. "whether" reaches across a coordinated "or may …"."""
        for j in range(i - 1, max(-1, i - 20), -1):
            low = self.low(j)
            if low == ";":
                return False
            if low == "," and QUESTION_WORDS.isdisjoint((self.low(j - 1), self.low(j + 1))):
                return False
            if low == "whether":
                return True
            if i - j <= 12 and low in QUESTION_WORDS | {"where", "which"} and (
                    any_head or self.prev(j) in UNCERTAIN_HEADS):
                return True
        return False

    def announced_before(self, i: int) -> bool:
        return any(self.low(j) in lx.ANNOUNCEMENT_VERBS and not self.masked(j) for j in range(i))

    def relative_before(self, i: int) -> bool:
        """``that``/``which``/``who`` opening a relative clause shortly before token ``i``."""
        for j in range(i - 1, max(-1, i - 9), -1):
            low = self.low(j)
            if low in (",", ";") or low in lx.REPORTED_FUTURE:
                return False
            # "a situation where 1.5C could be exceeded", "positions where Russia plans to …"
            if low == "where" and i - j <= 5 or low in ("which", "who") and i - j <= 2:
                return True
            if low == "that":
                before = self.low(j - 1)
                # "predicted during a news conference that …": a complement, not a relative.
                reporting = any(self.low(k) in lx.REPORTING for k in range(max(0, j - 8), j))
                # A relative clause with its own verb before the cue ("the shock that began in
                # 2021 will continue") has ended: the cue is the main clause's.
                verb_between = any(is_past_word(t) for t in self.toks[j + 1 : i])
                return before not in COMPLEMENT_TAKERS and not before.endswith("ed") \
                    and before not in (",", "", "and", "or", "but") and not reporting \
                    and not verb_between
        return False

    def add(self, hit: CueHit, *indices: int) -> None:
        self.hits.append(hit)
        self.consumed.update(indices)

    # -- kinds --------------------------------------------------------------------------------
    def explicit(self, i: int) -> bool:
        at = self.toks[i].start
        for pattern in (EXPLICIT_NOUN_FIRST, EXPLICIT_RANGE, EXPLICIT_BRACKETED):
            r = pattern.match(self.text, at)
            if r is not None and self.ranged(i, r):
                return True
        m = EXPLICIT.match(self.text, at)
        if m is None:
            return False
        pct = m.group("pct") or m.group("pct2") or m.group("pct3")
        if pct:
            value = float(pct) / 100
        else:
            a, b = (number(m.group(g)) for g in ("a", "b"))
            if a is None or not b:
                return False
            value = a / b
        if not 0 <= value <= 1:
            return False
        end = max(k for k, t in enumerate(self.toks) if t.start < m.end())
        be = self.be_before(i)
        status = "past" if be is not None and self.low(be) in lx.BE_PAST else "ok"
        surface = f"{round(value * 100, 1):g}%"
        low, high, start = value, value, self.toks[i].start
        bound = BOUND.search(self.text, 0, start)
        if bound is not None:  # "a better than 50% chance": the range above (or below) it
            surface = f"{' '.join(bound.group('op').lower().split())} {surface}"
            low, high = (value, 1.0) if bound.group("op").lower() in BOUND_ABOVE else (0.0, value)
            start = bound.start("op")
        comp, comp_end = self._complement_after(end), None
        if m.group("event3"):  # "put the odds of a rate cut at about 60 percent"
            comp, comp_end = m.start("event3"), m.end("event3")
        self.add(CueHit(start, self.toks[end].end, surface, surface, "explicit",
                        status, aux_start=start, complement=comp, p=value, p_low=low,
                        p_high=high, complement_end=comp_end), *range(i, end + 1))
        return True

    def ranged(self, i: int, m: re.Match[str]) -> bool:
        """An explicit probability or range read from ``m`` (groups ``lo``, ``hi``, ``event``)."""
        lo = float(m.group("lo")) / 100
        hi = float(m.group("hi")) / 100 if m.groupdict().get("hi") else lo
        if not 0 <= lo <= hi <= 1:
            return False
        end = max(k for k, t in enumerate(self.toks) if t.start < m.end())
        surface = f"{round(lo * 100, 1):g}%" if hi == lo else \
            f"{round(lo * 100, 1):g}-{round(hi * 100, 1):g}%"
        comp = comp_end = None
        if m.groupdict().get("event"):
            comp, comp_end = m.start("event"), m.end("event")
        else:
            comp = self._complement_after(end)
        be = self.be_before(i)
        status = "past" if be is not None and self.low(be) in lx.BE_PAST else "ok"
        self.add(CueHit(self.toks[i].start, self.toks[end].end, surface, surface, "explicit",
                        status, aux_start=self.toks[i].start, complement=comp,
                        p=round((lo + hi) / 2, 4), p_low=lo, p_high=hi, complement_end=comp_end),
                 *range(i, end + 1))
        return True

    def _clause_follows(self, k: int) -> bool:
        """A clause without "that" starts at token ``k``: a modal comes within a few words."""
        for j in range(k, min(len(self.toks), k + 8)):
            low = self.low(j)
            if low in lx.MODALS or low.endswith("'ll"):
                return j > k
            if low in (",", ";", ".", "to"):
                return False
        return False

    def _complement_after(self, j: int) -> int | None:
        nxt = self.low(j + 1)
        if nxt not in ("that", "of") and self._clause_follows(j + 1):
            return self.toks[j + 1].start  # 'a "very high" likelihood Russia will invade'
        nxt = self.low(j + 1)
        if nxt == "that" and j + 2 < len(self.toks):
            return self.toks[j + 2].start
        if nxt == "of" and j + 2 < len(self.toks):
            return self.toks[j + 2].start
        return None

    def phrase(self, i: int) -> bool:
        # Quotation marks inside a phrase do not break it: 'a "very high" likelihood'.
        idx = [k for k in range(i, min(len(self.toks), i + lx.MAX_PHRASE + 4))
               if self.low(k) not in QUOTES]
        if not idx or idx[0] != i:
            return False
        for n in range(min(lx.MAX_PHRASE, len(idx)), 0, -1):
            key = tuple(self.low(k) for k in idx[:n])
            if key in lx.PHRASE_CUES:
                cue, kind = lx.PHRASE_CUES[key]
                surface, last = " ".join(key), idx[n - 1]
                if kind == "chance":
                    return self.chance(i, last, cue, surface)
                if kind == "adv":
                    return self.adverb(i, last, cue, surface)
                return self.adjective(i, last, cue, surface, kind)
        return False

    def chance(self, i: int, last: int, key: str, surface: str) -> bool:
        be = self.be_before(i if self.prev(i) not in ("a", "an") else i - 1)
        status = "past" if be is not None and self.low(be) in lx.BE_PAST else "ok"
        neg = self.prev(i) == "not" or (self.prev(i) in ("a", "an") and self.prev(i - 1) == "not")
        self.add(CueHit(self.toks[i].start, self.toks[last].end, surface, key, "chance", status,
                        negated=neg, aux_start=self.toks[i].start,
                        complement=self._complement_after(last)), *range(i, last + 1))
        return True

    def adjective(self, i: int, last: int, key: str, surface: str, kind: str) -> bool:
        prev = self.prev(i)
        nxt, nxt2 = self.low(last + 1), self.low(last + 2)
        if prev == "most" and self.prev(i - 1) == "the":
            return self.superlative(i, last, key, nxt)
        compared = self._comparison(i, key)
        if compared is not None:
            surface = key = f"{compared} {surface}"  # no scale reads it: the cue, without a p
        elif prev in lx.DETERMINERS or (prev.endswith("'s") and prev not in BE_CONTRACTED) \
                or prev == "as":
            return True  # attributive ("the likely winner"): not a cue, skip the words
        be = self.be_before(i)
        if kind == "adj-certain" and not (be is not None and nxt == "to"):
            return True
        if be is None and nxt not in ("to", "that"):
            if key == "likely":
                return self.adverb(i, last, key, surface)
            return True
        if prev in GENERIC_ADVERBS:
            # "it's always possible that the favourite won't win": a truism, and its complement
            # is no forecast either.
            self._consume_clause(last + 1)
            return True
        if key in ("possible", "impossible") and nxt == "to":
            return True  # "it was not possible to forecast accurately": feasibility
        aux = self.toks[be].start if be is not None else self.toks[i].start
        neg = (negated(self.toks[be:i]) if be is not None else False) != self.subject_negated(i)
        status = "ok"
        if be is not None and self.low(be) in lx.BE_PAST and not self._reported_future(i, nxt):
            status = "hedge-past"
        pred = comp = None
        if nxt == "that" and self._past_complement(last + 2):
            status = "hedge-past"  # "it is likely that some Novichoks had passed testing"
        if nxt == "to":
            if nxt2 == "have":
                status = "hedge-past"
            pred = self.toks[last + 2].start if last + 2 < len(self.toks) else None
            surface = surface if surface.endswith(" to") else surface
        elif nxt == "that":
            comp = self.toks[last + 2].start if last + 2 < len(self.toks) else None
        elif nxt in lx.PRONOUNS and any(self.low(k) in lx.MODALS or self.low(k).endswith("'ll")
                                        for k in range(last + 2, last + 4)):
            comp = self.toks[last + 1].start  # "It's not likely we will hike further"
        elif key == "possible" and not (nxt in PREDICATIVE_NEXT or nxt == ""):
            return True
        elif not (nxt in PREDICATIVE_NEXT or nxt == "" or compared and nxt in ("than", "as")) \
                and status == "ok":
            status = "hedge-present"
        if nxt == "than" and compared is None:
            return True
        self.add(CueHit(self.toks[i].start, self.toks[last].end, surface, key, "adj", status,
                        negated=neg, aux_start=aux, pred_start=pred, complement=comp),
                 *range(i, last + 1))
        return True

    def _comparison(self, i: int, key: str) -> str | None:
        """"more likely", "as likely … as", "twice as likely": a comparison the labels keep as
        the cue; it makes a forecast without a probability."""
        prev = self.prev(i)
        if key != "likely" or prev not in ("more", "less", "as"):
            return None
        if prev == "as" and self.prev(i - 1) in ("twice", "half", "times", "equally"):
            return f"{self.prev(i - 1)} as"
        if prev == "as" and not any(self.low(k) == "as" for k in range(i + 1, i + 12)):
            return None  # "as likely" without its "as …": attributive
        return prev

    def superlative(self, i: int, last: int, key: str, nxt: str) -> bool:
        """"neutral conditions are the most probable by a small margin"."""
        be = self.be_before(i - 2)
        if be is None or not (nxt in PREDICATIVE_NEXT or nxt == ""):
            return True  # "the most likely category": attributive
        self.add(CueHit(self.toks[i - 1].start, self.toks[last].end, f"most {self.low(i)}", key,
                        "adj", "ok", negated=negated(self.toks[be:i]),
                        aux_start=self.toks[be].start), *range(i - 1, last + 1))
        return True

    def _consume_clause(self, k: int) -> None:
        while k < len(self.toks) and self.low(k) not in (",", ";", "–", "—", ":"):
            self.consumed.add(k)
            k += 1

    def _reported_future(self, i: int, nxt: str) -> bool:
        """"Inflation was likely to turn negative in the coming months" (minutes), "an official
        said Trump was unlikely to nominate Cohn": a forecast in reported speech, not a hedge
        about the past."""
        return nxt == "to" and (self.forward or self.reporting_before(i))

    def _past_complement(self, k: int) -> bool:
        """Whether the that-clause starting at token ``k`` is about the past: its first verb
        is past tense or perfect, with no modal before it."""
        end = k
        while end < len(self.toks) and end < k + 16 and self.low(end) not in (",", ";"):
            end += 1
        lows = [self.low(j) for j in range(k, end)]
        if any(low in lx.MODALS or low.endswith("'ll") for low in lows):
            return False  # "that terrorists linked to bin Laden will attempt …"
        return any(low in ("had", "has", "have", "was", "were", "did") or (
            is_past_word(self.toks[j]) and self.low(j - 1) not in lx.DETERMINERS)
            for j, low in zip(range(k, end), lows, strict=True))

    def _modal_near(self, i: int, last: int) -> int | None:
        for j in (i - 1, i - 2, last + 1, last + 2):
            if 0 <= j < len(self.toks) and (self.low(j) in lx.MODALS
                                            or self.low(j).endswith("'ll")):
                between = range(min(j, i) + 1, max(j, last))
                if all(self.low(k) in lx.NEGATORS or self.low(k) in ADVERBS
                       or k in range(i, last + 1) for k in between):
                    return j
        return None

    def adverb(self, i: int, last: int, key: str, surface: str) -> bool:
        prev, nxt = self.prev(i), self.low(last + 1)
        if prev in lx.DETERMINERS:
            return True
        m = self._modal_near(i, last)
        if m is not None:
            modal = lx.MODALS.get(self.low(m), "will")
            if modal in ("may", "might", "could"):
                return True  # the hedged modal itself is the cue
            return self.modal(m, adverb=(i, last, key, surface))
        if nxt == "going" and self.low(last + 2) == "to":
            return True  # "is probably going to" is read at "going to" with this adverb
        status = "ok"
        follower = self.toks[last + 1] if last + 1 < len(self.toks) else None
        if prev == "," and nxt.endswith("ing"):
            status = "participial"
        elif follower is not None and is_past_word(follower):
            status = "hedge-past"
        elif self.be_before(i) is not None or not self.forward:
            status = "hedge-present"
        pred = follower.start if follower is not None else None
        self.add(CueHit(self.toks[i].start, self.toks[last].end, surface, key, "adv-alone",
                        status, aux_start=self.toks[i].start, pred_start=pred),
                 *range(i, last + 1))
        return True

    def expectation(self, i: int) -> bool:
        word = self.low(i)
        start = i - 1 if word in ("track", "course") and self.prev(i) == "on" else i
        if word in ("track", "course") and start == i:
            return False
        be = self.be_before(start)
        if word in lx.NEEDS_BE and be is None:
            return False
        key = lx.EXPECTATION_CUES[word]
        surface = " ".join(t.low for t in self.toks[start : i + 2])
        status = "ok"
        if be is not None and self.low(be) in lx.BE_PAST and not self._reported_future(i, "to"):
            status = "past"
        if self.low(i + 2) == "have":
            status = "hedge-past"
        neg = (negated(self.toks[be:start]) if be is not None else False) != \
            self.subject_negated(start)
        aux = self.toks[be].start if be is not None else self.toks[start].start
        pred = self.toks[i + 2].start if i + 2 < len(self.toks) else None
        adverb = self._adverb_before(start, be)
        if adverb is not None and key == "will":
            key, surface = adverb
        kind = "modal" if key == "will" else "expectation"
        self.add(CueHit(self.toks[start].start, self.toks[i + 1].end, surface, key, kind, status,
                        negated=neg, aux_start=aux, pred_start=pred), *range(start, i + 2))
        return True

    def seen(self, i: int) -> bool:
        """"inflation is seen easing to 2%", "officials see inflation peaking in September": the
        wire-service idiom for an expectation."""
        word = self.low(i)
        if word == "seen":
            be = self.be_before(i)
            nxt = self.low(i + 1)
            if be is None or self.low(be) in lx.BE_PAST or not nxt.endswith("ing") \
                    or nxt in ("being",):
                return False
            self.add(CueHit(self.toks[i].start, self.toks[i].end, "seen", "expected to",
                            "expectation", "ok", negated=negated(self.toks[be:i]),
                            aux_start=self.toks[be].start, pred_start=self.toks[i + 1].start), i)
            return True
        prev = self.prev(i)
        if prev in lx.DETERMINERS or prev in PREPOSITIONS or prev in ("to", "can", "could",
                                                                      "will", "we'll", ""):
            return False
        k = i + 1
        while k < len(self.toks) and k < i + 6 and not self.low(k).endswith("ing") and \
                self.low(k) not in (",", ".", ";", "that", "as"):
            k += 1
        if k == i + 1 or k >= len(self.toks) or not self.low(k).endswith("ing"):
            return False
        self.add(CueHit(self.toks[i].start, self.toks[i].end, word, lx.VERB_KEY, "verb", "ok",
                        aux_start=self.toks[i].start,
                        subject=(self.toks[i + 1].start, self.toks[k - 1].end)), i)
        return True

    def valued(self, i: int) -> bool:
        """"Global inflation is projected at 4.2% in 2025": an expectation with its value."""
        be = self.be_before(i)
        if be is None or self.low(be) in lx.BE_PAST or not self.low(i + 2)[:1].isdigit():
            return False
        self.add(CueHit(self.toks[i].start, self.toks[i].end, self.low(i), "expected to",
                        "expectation", "ok", negated=negated(self.toks[be:i]),
                        aux_start=self.toks[be].start, pred_start=self.toks[i + 1].start), i)
        return True

    def expected_alone(self, i: int) -> bool:
        """"a crowd of 60,000 is expected": a predicative passive of expect."""
        be = self.be_before(i)
        nxt = self.low(i + 1)
        if be is None or self.low(be) in lx.BE_PAST or not (nxt in PREDICATIVE_NEXT or nxt == ""):
            return False
        if nxt in ("that", "to", "by") or self.low(be) not in ("is", "are", "'s", "be"):
            return False
        self.add(CueHit(self.toks[i].start, self.toks[i].end, "expected", "expected to",
                        "expectation", "ok", negated=negated(self.toks[be:i]),
                        aux_start=self.toks[be].start), i)
        return True

    def _adverb_before(self, start: int, be: int | None) -> tuple[str, str] | None:
        if be is None:
            return None
        words = tuple(t.low for t in self.toks[be + 1 : start] if t.low not in lx.NEGATORS)
        if words and words in lx.PHRASE_CUES and lx.PHRASE_CUES[words][1] == "adv":
            return lx.PHRASE_CUES[words][0], " ".join(words)
        return None

    def intention(self, i: int) -> bool:
        prev = self.prev(i)
        if prev in lx.DETERMINERS or prev.endswith("'s") or prev in PREPOSITIONS:
            return False
        j = i - 1
        while j >= 0 and (self.low(j) in lx.NEGATORS or self.low(j) in ("do", "does", "also",
                                                                         "still", "now")):
            j -= 1
        neg = negated(self.toks[j + 1 : i]) or self.prev(i) == "no"
        aux = self.toks[j + 1].start
        key = lx.INTENTION_CUES[self.low(i)]
        pred = self.toks[i + 2].start if i + 2 < len(self.toks) else None
        status = "relative" if self.relative_before(i) else "ok"
        self.add(CueHit(self.toks[i].start, self.toks[i + 1].end, f"{self.low(i)} to", key,
                        "intention", status, negated=neg, aux_start=aux, pred_start=pred),
                 i, i + 1)
        return True

    def verb(self, i: int, last: int | None = None) -> bool:
        """"The IMF now projects …", "ECB staff continue to expect …", "NOAA is predicting
        that …", "the forecast calls for three major hurricanes" (``last``: the "for")."""
        last = i if last is None else last
        word, prev, nxt = self.low(i), self.prev(i), self.low(last + 1)
        if prev == "" and self.toks[i].text == "Expect":
            prev = "we"  # the imperative of a preview ("Expect the Hawks to press high")
        if prev == "to" and self.low(i - 2) in lx.CONTINUE:
            prev = "we"  # "continue to expect": the expectation holds now
        progressive = word.endswith("ing")
        if progressive and self.be_before(i) is None:
            return False
        if prev in lx.DETERMINERS or prev.endswith("'s") or prev in PREPOSITIONS or prev == "":
            return False
        if prev in ("cannot", "can't", "can", "couldn't") or nxt in QUESTION_WORDS:
            return False  # "we cannot predict whether …": uncertainty, not an expectation
        if nxt in NOUN_NEXT - {"to", "that"} or (nxt == "to" and word not in NEVER_NOUNS):
            return False
        base = not word.endswith("s") and word not in NEVER_NOUNS and not progressive
        plural = prev.endswith("s") and not prev.endswith("'s")
        if base and not (prev in BASE_SUBJECTS or plural):
            return False
        return self._expectation_verb(i, last, word if last == i else f"{word} for", "ok")

    def past_verb(self, i: int) -> bool:
        """"policymakers … expected inflation to become negative in the coming months", "Biden
        predicted that Putin would 'move in'": an expectation stated in the past is a forecast
        while its complement is still ahead (a future time or a reported "would")."""
        prev, nxt = self.prev(i), self.low(i + 1)
        if prev in lx.DETERMINERS or prev in PREPOSITIONS or prev in ("than", "as", "", "had",
                                                                     "been", "be", "being"):
            return False
        if self.be_before(i) is not None or nxt in NOUN_NEXT - {"that"} or nxt == "to":
            return False
        ahead = self.forward or any(self.low(k) in ("would", "will")
                                    for k in range(i + 1, min(len(self.toks), i + 14)))
        return self._expectation_verb(i, i, self.low(i), "ok" if ahead else "past")

    def nominal_expectation(self, i: int) -> bool:
        """"market participants' expectations for the ECB to cut rates later this year"."""
        k = i + 2
        while k < len(self.toks) and k < i + 10 and self.low(k) not in ("to", ",", ";"):
            k += 1
        if self.low(k) != "to" or k + 1 >= len(self.toks) or self.prev(i) in ("than", "with"):
            return False
        self.add(CueHit(self.toks[i].start, self.toks[i].end, self.low(i), lx.VERB_KEY, "verb",
                        "ok", aux_start=self.toks[i].start,
                        subject=(self.toks[i + 2].start, self.toks[k - 1].end),
                        pred_start=self.toks[k + 1].start), i)
        return True

    def belief(self, i: int) -> bool:
        """"FOMC reiterated that it believes ongoing increases will be necessary": a belief
        about the future is an expectation; "I don't believe they interfered" is not."""
        prev = self.prev(i)
        if prev in lx.DETERMINERS or prev in PREPOSITIONS or prev in ("", "reason"):
            return False
        end = i + 1
        while end < len(self.toks) and end < i + 14 and self.low(end) not in (",", ";", ":"):
            end += 1
        if not any(self.low(k) in ("will", "won't", "would") or self.low(k).endswith("'ll")
                   for k in range(i + 1, end)):
            return False
        return self._expectation_verb(i, i, self.low(i), "ok")

    def _expectation_verb(self, i: int, last: int, surface: str, status: str) -> bool:
        nxt = self.low(last + 1)
        j = i - 1
        while j >= 0 and (self.low(j) in lx.NEGATORS or self.low(j) in DO_FORMS):
            j -= 1
        toks = self.toks
        after = toks[last + 2].start if last + 2 < len(toks) else None
        complement = pred = subject = None
        if nxt == "that":
            complement = after
        elif nxt == "to":
            pred = after
        elif self._clause_follows(last + 1):
            complement = toks[last + 1].start  # "projects the world economy will grow 3.4%"
        else:  # "expects <subject> to <verb>" or "expects <a rebound>"
            k = last + 1
            while k < len(toks) and self.low(k) not in ("to", ",", ".", ";") and k < last + 10:
                k += 1
            if last + 1 < len(toks):
                subject = (toks[last + 1].start, toks[k - 1].end)
            if self.low(k) == "to" and k > last + 1 and k + 1 < len(toks):
                pred = toks[k + 1].start
        self.add(CueHit(toks[i].start, toks[last].end, surface, lx.VERB_KEY, "verb", status,
                        negated=negated(toks[j + 1 : i]), aux_start=toks[j + 1].start,
                        pred_start=pred, complement=complement, subject=subject),
                 *range(i, last + 1))
        return True

    def modal(self, i: int, adverb: tuple[int, int, str, str] | None = None) -> bool:
        tok, prev = self.toks[i], self.prev(i)
        word = tok.low
        key = "will" if word.endswith("'ll") else lx.MODALS[word]
        if key == "will" and (prev in WILL_NOUN_BEFORE or (tok.text == "Will" and i > 0)):
            return False
        if key == "will" and self.low(i + 1) in NOUN_NEXT | {"power", "and"}:
            return False
        if key == "might" and prev in MIGHT_NOUN_BEFORE:
            return False
        if tok.text == "May":
            return False  # mid-sentence it is the month; opening a statement it has no subject
        j = i + 1
        while j < len(self.toks) and (self.low(j) in ADVERBS or self.low(j) in lx.NEGATORS
                                      or self.low(j) in ("-", ",") or is_ly_adverb(self.low(j)))\
                and j < i + 5:
            if self.low(j) == "," and self.low(j + 1) not in ADVERBS:
                break
            j += 1
        verb = self.low(j)
        neg = (negated(self.toks[i:j]) or "n't" in word or word == "wont" or prev == "nor") != \
            self.subject_negated(i)
        status = "ok"
        perfect = verb == "have" and self.low(j + 1) != "to"  # "might have to" is obligation
        if perfect and key not in ("will",):
            status = "past-modal"
        elif key == "could" and self._past_ability(j, neg):
            status = "past-ability"
        elif key == "will" and (prev == "i" or word in ("i'll",)):
            status = "promise"  # "I will not comment …": the speaker's own undertaking
        elif self.indirect_question(i, any_head=key == "would"):
            status = "indirect"
        elif key == "would":
            hedged = adverb is not None or any(self.low(k) in ADVERB_CUES for k in range(i + 1, j))
            ahead = self.reporting_before(i) or self.reported or (
                hedged and not lx.COUNTERFACTUAL.search(self.text))
            status = "past-modal" if perfect else ("ok" if ahead else "hypothetical")
        elif key == "should" and not self.forward:
            status = "normative"
        elif key in ("could", "may", "might") and verb == "be" and not self.forward \
                and self._names_someone(j + 1):
            status = "hedge-present"  # "The hacking, he said, could be Russia"
        if status == "ok" and self.announced_before(i):
            status = "announced"
        if status == "ok" and self.relative_before(i):
            status = "relative"
        surface = "will" if key == "will" else key
        read_key = lx.MODAL_KEYS.get(key, key)
        start, end, kind = tok.start, tok.end, "modal"
        if adverb is not None and key in WILL_LIKE:
            a_start, a_last, read_key, surface = adverb
            start = min(tok.start, self.toks[a_start].start)
            end = max(tok.end, self.toks[a_last].end)
            kind = "adv"
            self.consumed.update(range(a_start, a_last + 1))
        elif adverb is None:
            found = self._adverb_between(i, j)
            if found is not None and key in WILL_LIKE:
                read_key, surface, a_end = found
                end, kind = a_end, "adv"
        pred = self.toks[j].start if j < len(self.toks) else None
        self.add(CueHit(start, end, surface, read_key, kind, status, negated=neg,
                        aux_start=min(start, tok.start), pred_start=pred), i)
        return True

    def _past_ability(self, j: int, neg: bool) -> bool:
        """"could not confirm", "could not be ruled out", "could not see": a limit of ability or
        knowledge. Without the negation these are forecasts ("the Atlantic could see another
        active season", "the 2C target could be reached even sooner")."""
        verb = self.low(j)
        if verb in lx.PAST_ABILITY | lx.PERCEPTION:
            return neg
        return neg and verb == "be" and self.low(j + 1) in lx.PAST_ABILITY_PASSIVE

    def _names_someone(self, k: int) -> bool:
        """A proper name right after "could be" and ending the clause."""
        if k >= len(self.toks) or not self.toks[k].text[:1].isupper():
            return False
        k += 1
        while k < len(self.toks) and self.toks[k].text[:1].isupper():
            k += 1
        return self.low(k) in ("", ".", ",", ";", "\"", "”", "'", "’", "or", "and")

    def _adverb_between(self, i: int, j: int) -> tuple[str, str, int] | None:
        words = [t for t in self.toks[i + 1 : j] if t.low not in lx.NEGATORS]
        for n in range(len(words), 0, -1):
            for s in range(0, len(words) - n + 1):
                key = tuple(t.low for t in words[s : s + n])
                if key in lx.PHRASE_CUES and lx.PHRASE_CUES[key][1] in ("adv", "adj"):
                    cue = lx.PHRASE_CUES[key][0]
                    self.consumed.update(self.toks.index(t) for t in words[s : s + n])
                    return cue, " ".join(key), words[s + n - 1].end
        return None

    # -- driver -------------------------------------------------------------------------------
    def scan(self) -> list[CueHit]:
        for i, tok in enumerate(self.toks):
            if i in self.consumed:
                continue
            if self.masked(i):
                # "by the end of the century (10% chance)": a bracketed probability qualifies
                # the clause it follows.
                if tok.low == "(" and (r := EXPLICIT_BRACKETED.match(self.text, tok.start)):
                    self.ranged(i, r)
                continue
            low = tok.low
            if (low[:1].isdigit() or low in NUMBER_WORDS or low in CHANCE_NOUNS) and \
                    self.explicit(i):
                continue
            if self.low(i + 1) == "to" and low in lx.EXPECTATION_CUES and \
                    low not in ("likely", "unlikely", "certain") and self.expectation(i):
                continue
            if low == "expected" and self.low(i + 1) != "to" and self.expected_alone(i):
                continue
            if low in ("see", "sees", "seen") and self.seen(i):
                continue
            if low in lx.VALUE_CUES and self.low(i + 1) == "at" and self.valued(i):
                continue
            if low in ("on",) and self.low(i + 1) in ("track", "course") and \
                    self.low(i + 2) == "to":
                continue
            if low in lx.INTENTION_CUES and self.low(i + 1) == "to" and self.intention(i):
                continue
            if low in lx.VERB_CUES and self.verb(i):
                continue
            if low in lx.CALLS_FOR and self.low(i + 1) == "for" and self.verb(i, i + 1):
                continue
            if low in lx.PAST_VERB_CUES and self.past_verb(i):
                continue
            if low in lx.BELIEF_VERBS and self.belief(i):
                continue
            if low in ("expectations", "expectation") and self.low(i + 1) == "for" and \
                    self.nominal_expectation(i):
                continue
            if (low in lx.MODALS or low.endswith("'ll")) and self.modal(i):
                continue
            self.phrase(i)
        return sorted(self.hits, key=lambda h: h.start)


def find_cues(text: str, masks: list[tuple[int, int]] | None = None,
              forward: bool = False, reported: bool = False) -> list[CueHit]:
    """Every cue-like expression in ``text`` outside ``masks``, with its status. ``forward`` says
    whether the clause has a time expression about the future (it licenses "should" and a bare
    "probably"); ``reported`` whether its sentence reports someone's words (", the Fund said"),
    which makes a "would" a reported "will"."""
    return _Scanner(text, masks or [], forward, reported).scan()


def main_cue(hits: list[CueHit]) -> CueHit | None:
    """The cue on the main predicate: an explicit probability if there is one, else the first ok
    cue on a finite predicate, else a free-standing adverb."""
    ok = [h for h in hits if h.status == "ok"]
    for kinds in (("explicit",), ("chance", "adj", "adv", "expectation", "intention", "verb",
                                  "modal"), ("adv-alone",)):
        found = [h for h in ok if h.kind in kinds]
        if found:
            return _in_complement(found) or found[0]
    return None


def _in_complement(found: list[CueHit]) -> CueHit | None:
    """"predicts it will most likely be", "anticipates that … may be appropriate": an estimative
    word after an expectation verb is the cue; a plain "will" there is tense, and the verb stays
    the cue (REAL.md)."""
    first = found[0]
    if first.kind != "verb":
        return None
    later = [h for h in found[1:] if h.kind in ("adj", "adv", "chance")
             or (h.kind == "modal" and h.key != "will")]
    return later[0] if later else None
