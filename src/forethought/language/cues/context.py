"""What the cue readers ask about a token's surroundings: the "be" before it, a negated
subject, a reporting verb, an indirect question, a relative clause, a complement after it."""

from __future__ import annotations

from forethought.language import lexicon as lx
from forethought.language.cues.hit import CueHit
from forethought.language.tokens import (
    ADVERB_CUES,
    BE_CONTRACTED,
    COMPLEMENT_TAKERS,
    LOOKBACK_SKIP,
    NEGATIVE_SUBJECTS,
    QUESTION_WORDS,
    UNCERTAIN_HEADS,
    is_past_word,
    tokenize,
)


class Context:
    def __init__(self, text: str, masks: list[tuple[int, int]], forward: bool,
                 reported: bool = False):
        self.text = text
        self.toks = tokenize(text)
        self.masks = masks
        self.forward = forward
        self.reported = reported
        self.hits: list[CueHit] = []
        self.consumed: set[int] = set()

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
