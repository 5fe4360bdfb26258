"""One cue-like expression found in a clause."""

from __future__ import annotations

from dataclasses import dataclass


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
