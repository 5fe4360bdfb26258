"""Find the estimative cue on the main predicate of a clause.

Every cue-like word becomes a :class:`CueHit` with a ``status``: ``"ok"`` when it makes the clause
a forecast, otherwise the reason it does not ("past-modal" for "could have", "hypothetical" for an
unreported "would", "attributive" is never returned: a nominal "potential" or "the likely winner"
is simply not a hit). :func:`main_cue` then takes the first ok cue on a finite predicate, so in
"NATO's potential increase could alter …, possibly leading to …" the cue is "could".
"""

from forethought.language.cues.hit import CueHit
from forethought.language.cues.scanner import find_cues, main_cue

__all__ = ["CueHit", "find_cues", "main_cue"]
