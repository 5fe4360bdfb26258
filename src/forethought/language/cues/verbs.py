"""Expectation and intention verbs: "is expected to", "is set to", "plans to", "expects X to",
"NOAA is predicting that", "the forecast calls for", "Biden predicted that … would",
"believes … will", "is seen easing", "is projected at 4.2%"."""

from __future__ import annotations

from forethought.language import lexicon as lx
from forethought.language.cues.context import Context
from forethought.language.cues.hit import CueHit
from forethought.language.tokens import (
    BASE_SUBJECTS,
    DO_FORMS,
    NEVER_NOUNS,
    NOUN_NEXT,
    PREDICATIVE_NEXT,
    PREPOSITIONS,
    QUESTION_WORDS,
    negated,
)


class Verbs(Context):
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
