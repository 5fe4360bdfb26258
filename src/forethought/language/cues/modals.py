"""Modals on the main predicate ("could", "may", "will likely") and why one may not be a
forecast: "could have" (past), "could not confirm" (ability), an unreported "would"
(hypothetical), "when it will be" (an indirect question), "I will" (an undertaking)."""

from __future__ import annotations

from forethought.language import lexicon as lx
from forethought.language.cues.context import Context
from forethought.language.cues.hit import CueHit
from forethought.language.tokens import (
    ADVERB_CUES,
    ADVERBS,
    MIGHT_NOUN_BEFORE,
    NOUN_NEXT,
    WILL_LIKE,
    WILL_NOUN_BEFORE,
    is_ly_adverb,
    negated,
)


class Modals(Context):
    def modal(self, i: int, adverb: tuple[int, int, str, str] | None = None) -> bool:
        """A modal at token ``i`` (``adverb``: an estimative adverb next to it, as found by
        :meth:`Words.adverb`, that makes "will probably" read as "probably")."""
        tok = self.toks[i]
        key = "will" if tok.low.endswith("'ll") else lx.MODALS[tok.low]
        if self._not_a_modal(i, key):
            return False
        j = self._verb_after(i)
        status = self._modal_status(i, j, key, adverb)
        surface, read_key = ("will" if key == "will" else key), lx.MODAL_KEYS.get(key, key)
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
                read_key, surface, end = found
                kind = "adv"
        pred = self.toks[j].start if j < len(self.toks) else None
        self.add(CueHit(start, end, surface, read_key, kind, status, negated=self._negated(i, j),
                        aux_start=min(start, tok.start), pred_start=pred), i)
        return True

    def _not_a_modal(self, i: int, key: str) -> bool:
        """"political will", "the will of the people", "military might", the month "May"."""
        tok, prev = self.toks[i], self.prev(i)
        if key == "will" and (prev in WILL_NOUN_BEFORE or (tok.text == "Will" and i > 0)):
            return True
        if key == "will" and self.low(i + 1) in NOUN_NEXT | {"power", "and"}:
            return True
        if key == "might" and prev in MIGHT_NOUN_BEFORE:
            return True
        return tok.text == "May"  # mid-sentence the month; opening a statement, no subject

    def _verb_after(self, i: int) -> int:
        """The token of the verb a modal governs, past adverbs and negations."""
        j = i + 1
        while j < len(self.toks) and j < i + 5 and (
                self.low(j) in ADVERBS or self.low(j) in lx.NEGATORS
                or self.low(j) in ("-", ",") or is_ly_adverb(self.low(j))):
            if self.low(j) == "," and self.low(j + 1) not in ADVERBS:
                break
            j += 1
        return j

    def _negated(self, i: int, j: int) -> bool:
        word, prev = self.low(i), self.prev(i)
        own = negated(self.toks[i:j]) or "n't" in word or word == "wont" or prev == "nor"
        return own != self.subject_negated(i)

    def _modal_status(self, i: int, j: int, key: str,
                      adverb: tuple[int, int, str, str] | None) -> str:
        """"ok", or why the modal at ``i`` (its verb at ``j``) makes no forecast."""
        prev, verb = self.prev(i), self.low(j)
        perfect = verb == "have" and self.low(j + 1) != "to"  # "might have to" is obligation
        status = "ok"
        if perfect and key != "will":
            status = "past-modal"
        elif key == "could" and self._past_ability(j, self._negated(i, j)):
            status = "past-ability"
        elif key == "will" and (prev == "i" or self.low(i) == "i'll"):
            status = "promise"  # "I will not comment …": the speaker's own undertaking
        elif self.indirect_question(i, any_head=key == "would"):
            status = "indirect"
        elif key == "would":
            hedged = adverb is not None or any(self.low(k) in ADVERB_CUES for k in range(i + 1, j))
            ahead = self.reporting_before(i) or self.reported or (
                hedged and not lx.COUNTERFACTUAL.search(self.text))
            status = "ok" if ahead else "hypothetical"
        elif key == "should" and not self.forward:
            status = "normative"
        elif key in ("could", "may", "might") and verb == "be" and not self.forward \
                and self._names_someone(j + 1):
            status = "hedge-present"  # "The hacking, he said, could be Russia"
        if status == "ok" and self.announced_before(i):
            status = "announced"
        if status == "ok" and self.relative_before(i):
            status = "relative"
        return status

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
