"""Estimative words and phrases: adjectives ("is likely to"), adverbs ("will probably"),
chance phrases ("a realistic possibility"), comparisons ("more likely") and superlatives
("the most probable"); attributive uses ("the likely winner") are not cues."""

from __future__ import annotations

from forethought.language import lexicon as lx
from forethought.language.cues.hit import CueHit
from forethought.language.cues.modals import Modals
from forethought.language.tokens import (
    ADVERBS,
    BE_CONTRACTED,
    GENERIC_ADVERBS,
    PREDICATIVE_NEXT,
    QUOTES,
    is_past_word,
    negated,
)


class Words(Modals):
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
        """An estimative adjective at tokens ``i``..``last``: predicative ("is likely to", "it
        is likely that") it is a cue; attributive ("the likely winner") it is skipped."""
        prev, nxt = self.prev(i), self.low(last + 1)
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
            return self.adverb(i, last, key, surface) if key == "likely" else True
        if prev in GENERIC_ADVERBS:
            # "it's always possible that the favourite won't win": a truism, and its complement
            # is no forecast either.
            self._consume_clause(last + 1)
            return True
        if key in ("possible", "impossible") and nxt == "to":
            return True  # "it was not possible to forecast accurately": feasibility
        reading = self._predicative(i, last, key, be, compared is not None)
        if reading is None:
            return True
        status, pred, comp = reading
        aux = self.toks[be].start if be is not None else self.toks[i].start
        neg = (negated(self.toks[be:i]) if be is not None else False) != self.subject_negated(i)
        self.add(CueHit(self.toks[i].start, self.toks[last].end, surface, key, "adj", status,
                        negated=neg, aux_start=aux, pred_start=pred, complement=comp),
                 *range(i, last + 1))
        return True

    def _predicative(self, i: int, last: int, key: str, be: int | None,
                     compared: bool) -> tuple[str, int | None, int | None] | None:
        """(status, predicate start, complement start) of a predicative adjective, or None when
        it is no cue ("possible" before a noun, a comparative "than" without "more")."""
        nxt, nxt2 = self.low(last + 1), self.low(last + 2)
        after = self.toks[last + 2].start if last + 2 < len(self.toks) else None
        status = "ok"
        if be is not None and self.low(be) in lx.BE_PAST and not self._reported_future(i, nxt):
            status = "hedge-past"
        if nxt == "to":
            return ("hedge-past" if nxt2 == "have" else status), after, None
        if nxt == "that":
            # "it is likely that some Novichoks had passed testing": about the past
            return ("hedge-past" if self._past_complement(last + 2) else status), None, after
        if nxt in lx.PRONOUNS and any(self.low(k) in lx.MODALS or self.low(k).endswith("'ll")
                                      for k in range(last + 2, last + 4)):
            return status, None, self.toks[last + 1].start  # "It's not likely we will hike"
        predicative = nxt in PREDICATIVE_NEXT or nxt == ""
        if key == "possible" and not predicative or nxt == "than" and not compared:
            return None
        if not (predicative or compared and nxt in ("than", "as")) and status == "ok":
            status = "hedge-present"
        return status, None, None

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
