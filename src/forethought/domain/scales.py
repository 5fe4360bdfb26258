"""Estimative-language scales: a verbal cue → a point probability and a range.

Sources (see ../shared/specs/estimative-language.md):

* ``icd203`` — US Intelligence Community Directive 203 (2015). The directive defines bands only;
  the point we store is a representative value inside each band, chosen near the survey medians
  (e.g. "likely" 55–80 % → 0.70, as the seed document's table in DESIGN.md uses).
* ``kent`` — Sherman Kent (1964), "Words of Estimative Probability": point ± stated spread.
* ``phia`` — UK Professional Head of Intelligence Assessment probability yardstick: band midpoints.
* ``nato`` — NATO AJP-2.1 (2016): band midpoints, open ends closed at 0 and 1.
* ``survey`` — medians and interquartile ranges of public surveys (probly, Fagen-Ulmschneider,
  Mauboussin & Mauboussin 2018).

No standard defines may / might / could / possibly / "expected to" / an unhedged "will"; every scale
falls back to :data:`UNCOVERED` for those, and says so (``Reading.fallback``).
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SCALE = "icd203"


@dataclass(frozen=True)
class Reading:
    """How one cue reads on one scale."""

    cue: str
    scale: str
    point: float
    low: float
    high: float
    fallback: bool = False


def _band(terms: tuple[str, ...], point: float, low: float, high: float):
    return [(t, (point, low, high)) for t in terms]


ICD203 = dict(
    _band(("almost no chance", "remote"), 0.03, 0.01, 0.05)
    + _band(("very unlikely", "highly improbable"), 0.10, 0.05, 0.20)
    + _band(("unlikely", "improbable"), 0.30, 0.20, 0.45)
    + _band(("roughly even chance", "roughly even odds", "even chance"), 0.50, 0.45, 0.55)
    + _band(("likely", "probable", "probably"), 0.70, 0.55, 0.80)
    + _band(("very likely", "highly probable", "highly likely"), 0.90, 0.80, 0.95)
    + _band(("almost certain", "almost certainly", "nearly certain"), 0.97, 0.95, 0.99)
)

KENT = dict(
    _band(("certain",), 1.0, 1.0, 1.0)
    + _band(("almost certain", "almost certainly", "highly likely", "very likely"),
            0.93, 0.87, 0.99)
    + _band(("probable", "probably", "likely", "we believe"), 0.75, 0.63, 0.87)
    + _band(("chances about even", "about even", "even chance", "roughly even chance"),
            0.50, 0.40, 0.60)
    + _band(("probably not", "unlikely", "improbable"), 0.30, 0.20, 0.40)
    + _band(("almost certainly not", "very unlikely", "highly unlikely", "almost no chance"),
            0.07, 0.02, 0.12)
    + _band(("impossible",), 0.0, 0.0, 0.0)
)

PHIA = dict(
    _band(("remote chance", "remote", "almost no chance"), 0.03, 0.0, 0.05)
    + _band(("highly unlikely", "very unlikely"), 0.15, 0.10, 0.20)
    + _band(("unlikely",), 0.30, 0.25, 0.35)
    + _band(("realistic possibility",), 0.45, 0.40, 0.50)
    + _band(("likely", "probably", "probable"), 0.65, 0.55, 0.75)
    + _band(("highly likely", "very likely"), 0.85, 0.80, 0.90)
    + _band(("almost certain", "almost certainly"), 0.975, 0.95, 1.0)
)

NATO = dict(
    _band(("highly unlikely", "very unlikely"), 0.05, 0.0, 0.10)
    + _band(("unlikely",), 0.25, 0.10, 0.40)
    + _band(("even chance", "roughly even chance"), 0.50, 0.40, 0.60)
    + _band(("likely", "probably", "probable"), 0.75, 0.60, 0.90)
    + _band(("highly likely", "very likely"), 0.95, 0.90, 1.0)
)

SURVEY = dict(
    _band(("almost certainly", "almost certain"), 0.93, 0.90, 0.97)
    + _band(("highly likely", "very likely"), 0.90, 0.80, 0.95)
    + _band(("likely", "probably", "probable"), 0.70, 0.60, 0.75)
    + _band(("we believe",), 0.72, 0.60, 0.85)
    + _band(("better than even", "more often than not"), 0.60, 0.55, 0.65)
    + _band(("real possibility", "realistic possibility"), 0.60, 0.40, 0.70)
    + _band(("about even", "even chance", "roughly even chance"), 0.50, 0.50, 0.50)
    + _band(("maybe", "may"), 0.50, 0.40, 0.50)
    + _band(("possibly", "possible"), 0.45, 0.27, 0.50)
    + _band(("might", "could"), 0.40, 0.20, 0.50)
    + _band(("probably not",), 0.26, 0.15, 0.39)
    + _band(("unlikely",), 0.20, 0.10, 0.30)
    + _band(("highly unlikely", "very unlikely"), 0.05, 0.05, 0.10)
    + _band(("almost no chance",), 0.02, 0.01, 0.05)
)

# Cues no standard covers (spec: "Default mapping for cues no standard covers").
UNCOVERED = dict(
    _band(("may", "maybe"), 0.45, 0.25, 0.50)
    + _band(("could", "might", "possibly", "potentially", "possible"), 0.40, 0.20, 0.50)
    + _band(("expected to", "set to", "poised to", "plans to", "expects", "expect"),
            0.70, 0.55, 0.80)
    + _band(("will",), 0.85, 0.75, 0.95)
)

SCALES: dict[str, dict[str, tuple[float, float, float]]] = {
    "icd203": ICD203,
    "kent": KENT,
    "phia": PHIA,
    "nato": NATO,
    "survey": SURVEY,
}

# What "not <cue>" flips to, before the scale is consulted.
NEGATIONS = {
    "likely": "unlikely",
    "probable": "improbable",
    "probably": "probably not",
    "very likely": "very unlikely",
    "highly likely": "highly unlikely",
    "almost certain": "almost no chance",
    "almost certainly": "almost certainly not",
    "unlikely": "likely",
    "expected to": "unlikely",
}


def scale_names() -> list[str]:
    return sorted(SCALES)


def scale_name(name: str) -> str:
    """A scale's name as typed (``KENT``, `` Kent``) → its key (``kent``), or refused naming
    the scales."""
    key = name.strip().lower().replace("-", "").replace(" ", "")
    if key not in SCALES:
        from forethought.errors import InvalidInput

        raise InvalidInput(
            f"unknown scale {name!r}; choose one of: {', '.join(scale_names())}"
        )
    return key


def normalise_cue(cue: str) -> str:
    return " ".join(cue.lower().replace("-", " ").split())


def read_cue(cue: str, scale: str = DEFAULT_SCALE) -> Reading | None:
    """Return how ``cue`` reads on ``scale``, or ``None`` when neither the scale nor the fallback
    table knows it.

    >>> read_cue("likely").point
    0.7
    >>> read_cue("may").fallback
    True
    """
    scale = scale_name(scale)
    key = normalise_cue(cue)
    table = SCALES[scale]
    if key in table:
        point, low, high = table[key]
        return Reading(key, scale, point, low, high, fallback=False)
    if key in UNCOVERED:
        point, low, high = UNCOVERED[key]
        return Reading(key, scale, point, low, high, fallback=True)
    # "almost certainly not" style words only some scales list: fall back to ICD 203's band.
    if key in ICD203 and scale != "icd203":
        point, low, high = ICD203[key]
        return Reading(key, scale, point, low, high, fallback=True)
    return None


def known_cues() -> set[str]:
    cues: set[str] = set(UNCOVERED)
    for table in SCALES.values():
        cues.update(table)
    return cues
