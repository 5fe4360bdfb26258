"""Probabilities as people write them: ``0.7``, ``.7``, ``70%``, ``3:1`` (odds on yes), ``1 in 20``
and estimative words (``likely``) read through a named scale.

The parsed value keeps how it was entered, so nothing a user typed is lost.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from forethought.domain.scales import (
    DEFAULT_SCALE,
    NEGATIONS,
    known_cues,
    normalise_cue,
    read_cue,
)
from forethought.errors import InvalidProbability

SUM_TOLERANCE = 1e-9

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_DECIMAL = re.compile(rf"^[-+]?{_NUMBER}$")
_PERCENT = re.compile(rf"^({_NUMBER})\s*%$")
_ODDS = re.compile(rf"^({_NUMBER})\s*:\s*({_NUMBER})$")
_ONE_IN = re.compile(rf"^({_NUMBER})\s+in\s+({_NUMBER})$", re.IGNORECASE)
# a decimal comma, as much of Europe writes it: "0,7", "70,5%" (one comma between digits)
_DECIMAL_COMMA = re.compile(r"^(\d*),(\d+)(\s*%?)$")
_SLASH = re.compile(rf"^({_NUMBER})\s*[/-]\s*({_NUMBER})$")
# what people say for an even chance, read as the scale's "even chance"
EVEN = {"toss up", "tossup", "coin flip", "coin toss", "fifty fifty", "50 50"}

HINT = "write it as 0.7, 70%, 3:1 (odds), 1 in 20, or a word such as 'likely'"


@dataclass(frozen=True)
class ParsedProbability:
    """A probability and how it was written; ``cue``, ``scale``, ``low``, ``high`` for words."""

    value: float
    entered_as: str
    cue: str | None = None
    scale: str | None = None
    low: float | None = None
    high: float | None = None


def _checked(value: float, text: str) -> float:
    if math.isnan(value) or math.isinf(value):
        raise InvalidProbability(f"probability {text!r} is not a number; {HINT}")
    if value < 0 or value > 1:
        raise InvalidProbability(
            f"probability {text!r} is outside 0–1 (it reads as {value:g}); {HINT}"
        )
    return value


def parse_probability(text: str, scale: str = DEFAULT_SCALE) -> ParsedProbability:
    """Parse one probability.

    >>> parse_probability("3:1").value
    0.75
    >>> parse_probability("1 in 20").value
    0.05
    >>> parse_probability("likely").cue
    'likely'
    """
    raw = str(text).strip()
    if not raw:
        raise InvalidProbability(f"no probability given; {HINT}")
    m = _DECIMAL_COMMA.match(raw)
    if m:
        value = parse_probability(f"{m.group(1) or '0'}.{m.group(2)}{m.group(3)}", scale)
        return ParsedProbability(value.value, raw)
    m = _SLASH.match(raw)
    if m:
        return _slash(raw, float(m.group(1)), float(m.group(2)))
    if _DECIMAL.match(raw):
        return ParsedProbability(_checked(float(raw), raw), raw)
    m = _PERCENT.match(raw)
    if m:
        return ParsedProbability(_checked(float(m.group(1)) / 100.0, raw), raw)
    m = _ODDS.match(raw)
    if m:
        a, b = float(m.group(1)), float(m.group(2))
        if a + b == 0:
            raise InvalidProbability(f"odds {raw!r} are 0:0, which says nothing; {HINT}")
        return ParsedProbability(_checked(a / (a + b), raw), raw)
    m = _ONE_IN.match(raw)
    if m:
        k, n = float(m.group(1)), float(m.group(2))
        if n == 0:
            raise InvalidProbability(f"{raw!r} divides by zero; {HINT}")
        return ParsedProbability(_checked(k / n, raw), raw)
    return _parse_words(raw, scale)


def _slash(raw: str, a: float, b: float) -> ParsedProbability:
    """"50/50" and "50-50" are an even chance; any other a/b is refused, since a fraction
    (1/4 = 25%) and fractional odds (1/4 = 1:4 = 20%) read it differently."""
    if a == b and a > 0:
        return ParsedProbability(0.5, raw)
    raise InvalidProbability(
        f"{raw!r} is ambiguous (a fraction, or odds for or against?); write it as a percentage "
        f"such as 25%, or as odds on yes with a colon such as {a:g}:{b:g}")


def _parse_words(raw: str, scale: str) -> ParsedProbability:
    cue = normalise_cue(raw)
    if not re.fullmatch(r"[a-z0-9 ]+", cue):
        raise InvalidProbability(f"cannot read {raw!r} as a probability; {HINT}")
    if cue in EVEN:
        cue = "even chance"
    if cue.startswith("not ") and cue[4:] in NEGATIONS:
        cue = NEGATIONS[cue[4:]]
    reading = read_cue(cue, scale)
    if reading is None:
        raise InvalidProbability(f"cannot read {raw!r} as a probability; {_did_you_mean(cue)}"
                                 f"{HINT}")
    return ParsedProbability(
        reading.point, raw, cue=reading.cue, scale=reading.scale, low=reading.low,
        high=reading.high
    )


def _did_you_mean(cue: str) -> str:
    """"did you mean 'very likely'? " for a word close to one the scales know."""
    import difflib

    close = difflib.get_close_matches(cue, sorted(known_cues() | EVEN), n=1, cutoff=0.75)
    return f"did you mean {close[0]!r}? " if close else ""


def parse_distribution(text: str, options: list[str]) -> dict[str, float]:
    """Parse ``A=0.5,B=0.3,C=0.2`` for a multiple-choice question with ``options``.

    Every option must be named once and the numbers must sum to 1 within 1e-9.
    """
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    if not parts:
        raise InvalidProbability("no distribution given; write it as A=0.5,B=0.3,C=0.2")
    lookup = {o.lower(): o for o in options}
    result: dict[str, float] = {}
    for part in parts:
        if "=" not in part:
            raise InvalidProbability(
                f"{part!r} is not OPTION=PROBABILITY; write it as A=0.5,B=0.3,C=0.2"
            )
        name, _, value = part.rpartition("=")
        option = lookup.get(name.strip().lower())
        if option is None:
            raise InvalidProbability(
                f"{name.strip()!r} is not an option of this question; "
                f"the options are: {', '.join(options)}"
            )
        if option in result:
            raise InvalidProbability(f"option {option!r} is given twice")
        result[option] = parse_probability(value).value
    missing = [o for o in options if o not in result]
    for o in missing:
        result[o] = 0.0
    total = math.fsum(result.values())
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise InvalidProbability(
            f"the probabilities sum to {total:.10g}, not 1; adjust them so they add up to 1"
        )
    return {o: result[o] for o in options}


def in_option_order(distribution: dict[str, float], options: Sequence[str]) -> dict[str, float]:
    """``distribution`` in the question's declared option order ("Low, Medium, High", never
    alphabetical): the store keeps a distribution as JSON with sorted keys, so every place that
    prints one puts it back in order first. Keys the options lack come last, as they were."""
    ordered = {o: distribution[o] for o in options if o in distribution}
    ordered.update((k, v) for k, v in distribution.items() if k not in ordered)
    return ordered
