"""The scanner: each token is offered to the readers in a fixed order, and the first that takes
it consumes it; :func:`find_cues` returns every hit, :func:`main_cue` the one on the main
predicate."""

from __future__ import annotations

from forethought.language import lexicon as lx
from forethought.language.cues.hit import CueHit
from forethought.language.cues.numbers import Numbers
from forethought.language.cues.verbs import Verbs
from forethought.language.cues.words import Words
from forethought.language.tokens import CHANCE_NOUNS, EXPLICIT_BRACKETED, NUMBER_WORDS


class Scanner(Words, Verbs, Numbers):
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
            if not self._verbal(i, tok.low):
                self.phrase(i)
        return sorted(self.hits, key=lambda h: h.start)

    def _verbal(self, i: int, low: str) -> bool:
        """Offer token ``i`` to the readers of numbers, expectation verbs and modals, in this
        order; True when one of them took it."""
        nxt = self.low(i + 1)
        if (low[:1].isdigit() or low in NUMBER_WORDS or low in CHANCE_NOUNS) and self.explicit(i):
            return True
        if nxt == "to" and low in lx.EXPECTATION_CUES and \
                low not in ("likely", "unlikely", "certain") and self.expectation(i):
            return True
        if low == "on" and nxt in ("track", "course") and self.low(i + 2) == "to":
            return True  # read at "track" / "course"
        readers = (
            (low == "expected" and nxt != "to", self.expected_alone),
            (low in ("see", "sees", "seen"), self.seen),
            (low in lx.VALUE_CUES and nxt == "at", self.valued),
            (low in lx.INTENTION_CUES and nxt == "to", self.intention),
            (low in lx.VERB_CUES, self.verb),
            (low in lx.CALLS_FOR and nxt == "for", lambda k: self.verb(k, k + 1)),
            (low in lx.PAST_VERB_CUES, self.past_verb),
            (low in lx.BELIEF_VERBS, self.belief),
            (low in ("expectations", "expectation") and nxt == "for", self.nominal_expectation),
            (low in lx.MODALS or low.endswith("'ll"), self.modal),
        )
        return any(applies and read(i) for applies, read in readers)


def find_cues(text: str, masks: list[tuple[int, int]] | None = None,
              forward: bool = False, reported: bool = False) -> list[CueHit]:
    """Every cue-like expression in ``text`` outside ``masks``, with its status. ``forward`` says
    whether the clause has a time expression about the future (it licenses "should" and a bare
    "probably"); ``reported`` whether its sentence reports someone's words (", the Fund said"),
    which makes a "would" a reported "will"."""
    return Scanner(text, masks or [], forward, reported).scan()


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
