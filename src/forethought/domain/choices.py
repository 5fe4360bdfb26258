"""The scoring vocabulary, in one numpy-free place: the choices the command line offers
(``click.Choice``) and the engine checks, so the two cannot drift apart.

What each choice computes is documented where it is computed (``scoring/``) and in
``docs/scoring.md``.
"""

from __future__ import annotations

#: scoring rules (``score --rule``)
RULES = ("brier", "log", "spherical", "baseline", "peer", "relative-brier")
#: the rules that score one forecast on its own, without the others standing
ABSOLUTE_RULES = ("brier", "log", "spherical", "baseline")
#: which direction is better, for the table header
LOWER_IS_BETTER = {"brier": True, "log": True, "relative-brier": True, "spherical": False,
                   "baseline": False, "peer": False}
#: rules with a skill score, and their perfect score
SKILL_RULES = {"brier": 0.0, "log": 0.0, "spherical": 1.0}
#: references of ``score --skill``
SKILLS = ("0.5", "base-rate", "crowd")
#: which forecasts a question's score uses (``score --policy``)
POLICIES = ("time-averaged", "daily", "final", "all", "each", "metaculus")
#: the policies whose pair scores are weighted means over time
WEIGHTED_POLICIES = ("time-averaged", "daily", "metaculus")
#: the policy whose rows weigh each pair by its number of forecasts (every forecast once)
PER_FORECAST_POLICIES = ("each",)
#: ``daily``: the days before a forecaster's first forecast
BEFORE_FIRST = ("skip", "prior", "crowd")
#: ``score --by`` keys
BY_KEYS = ("forecaster", "source", "tag", "horizon", "type", "month")
#: crowd aggregates (``score --crowd``, ``crowd:<method>`` forecasters)
CROWDS = ("median", "mean", "geo-odds")
#: Brier scales: 1 is (p - o)^2 in 0–1, 2 the two-sided 0–2 form
BRIER_SCALES = ("1", "2")


def brier_range(brier_scale: int, multiple_choice: bool = False) -> str:
    """The range of a Brier score, as a chart or a caption names it: "0–1", "0–2", or — when
    multiple-choice questions (Σ over options, 0–2 whatever the scale) are averaged in with
    binary ones on the 0–1 scale — "0–1 binary, 0–2 multiple choice"."""
    if multiple_choice and brier_scale == 1:
        return "0–1 binary, 0–2 multiple choice"
    return f"0–{brier_scale}"

#: how forecasts count in a calibration table (``calibration --weighting``)
WEIGHTINGS = ("time", "each", "final")
#: intervals for a bin's observed frequency
INTERVALS = ("wilson", "jeffreys", "clopper-pearson")
#: calibration bin specifications (``calibration --bins``; N and quantile:N take a number)
BIN_CHOICES = ("10", "<N>", "distinct", "quantile:<N>", "centered", "metaculus")
#: rules a chart of scores over time can draw
CHART_RULES = ("brier", "log", "baseline", "peer")
#: whose word a recorded time is (``score --trust``): ``stated`` takes an imported row's own
#: recorded_at as its file states it; ``recorded`` only what this workspace's ledger vouches
#: for (when it wrote the row); see domain/rules.py, forecast_exclusion
TRUST_LEVELS = ("stated", "recorded")
