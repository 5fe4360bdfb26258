"""What the sentence classifier hands the extractor: one :class:`Finding` per classified span."""

from __future__ import annotations

from dataclasses import dataclass, replace

from forethought.language.cues import CueHit
from forethought.language.horizons import HorizonMatch


@dataclass(frozen=True)
class Draft:
    """The words a title is drafted from when they are not the finding's own span: one item of
    an enumeration ("… will grow 3.4% this year and 3.6% in 2017") is drafted from the shared
    lead and its item ("… will grow 3.6% in 2017"). ``hit`` and ``spans`` are relative to
    ``text``."""

    text: str
    hit: CueHit
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Finding:
    """A classified span of one sentence (offsets relative to the sentence)."""

    kind: str
    start: int
    end: int
    rule: str
    hit: CueHit | None = None  # offsets relative to ``start`` (negative: the cue is before it)
    spans: tuple[tuple[int, int], ...] = ()  # relative to ``start``: left out of titles
    horizon: HorizonMatch | None = None
    condition: str | None = None
    said_by: str | None = None
    inherit_subject: bool = False
    future_from: int | None = None  # claims: dates after this offset are announced, ahead
    draft: Draft | None = None


def shift(hit: CueHit, by: int) -> CueHit:
    """``hit`` with every offset moved by ``by`` characters."""
    if by == 0:
        return hit

    def mv(x: int | None) -> int | None:
        return None if x is None else x + by

    subject = (hit.subject[0] + by, hit.subject[1] + by) if hit.subject else None
    return replace(hit, start=hit.start + by, end=hit.end + by, aux_start=hit.aux_start + by,
                   pred_start=mv(hit.pred_start), complement=mv(hit.complement), subject=subject)
