"""Explicit probabilities: "a 70 percent chance", "one-in-five odds", "the chance of … is
between 20 and 25 per cent", "a better than 50% chance", "(10% chance)"."""

from __future__ import annotations

import re

from forethought.language import lexicon as lx
from forethought.language.cues.context import Context
from forethought.language.cues.hit import CueHit
from forethought.language.tokens import (
    BOUND,
    BOUND_ABOVE,
    EXPLICIT,
    EXPLICIT_BRACKETED,
    EXPLICIT_NOUN_FIRST,
    EXPLICIT_RANGE,
    number,
)


class Numbers(Context):
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
