"""Which forecasts a question's score uses, and with what weight (``docs/scoring.md``).

Every score is a weighted mean over **intervals** [a, b) during which one value stands (a
forecast, a (segment, forecast) cell, or a crowd segment). Per (question, forecaster) pair:

* ``time-averaged`` — weight b − a (exact nanoseconds); divided by close − first forecast.
* ``daily`` — whole days counted from ``opened_at``: day k (k = 1 … D, D = ⌈(close − opened)/1 d⌉)
  ends at ``opened + k days`` (the last day, possibly partial, ends at the close) and takes the
  forecast standing at its end — so of several forecasts made in one day the last counts (Good
  Judgment Open, Cultivate Labs). An interval's weight is the number of day ends in (a, b], counted
  arithmetically. Days before the forecaster's first forecast: ``before_first="skip"`` leaves them
  out (the mean is over the days with a forecast), ``"prior"`` scores them as 0.5 (1/K for K
  options), ``"crowd"`` as the crowd standing at each day's end (0.5 before anyone forecast). They
  are never scored as perfect, unlike Fatebook.
* ``final`` — only the interval that reaches the close (the last forecast before it).
* ``all`` — every forecast once within its pair (PredictionBook); each pair then counts once.
* ``each`` — the pairs of ``all``, but a row weighs each pair by its number of forecasts, so
  every forecast in the row counts once (what ``calibration --weighting each`` counts).
* ``metaculus`` — weight = overlap of [a, b) with [opened_at, close); divided by
  scheduled close − opened_at. Time before the first forecast adds 0: neutral for ``baseline`` and
  ``peer``, but for Brier and log that time counts as a perfect 0 — use it with those rules knowing
  that (the score table notes it).
"""

from __future__ import annotations

import numpy as np

from forethought.domain.choices import WEIGHTED_POLICIES
from forethought.scoring.frames import DAY_US, Prepared

WEIGHTED = WEIGHTED_POLICIES


def n_days(P: Prepared, q: np.ndarray) -> np.ndarray:
    """D: the number of (whole or final partial) days from opened_at to the close."""
    span = P.close[q] - P.opened[q]
    return np.maximum(-((-span) // DAY_US), 0)


def day_count(P: Prepared, a: np.ndarray, b: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Number of day ends in (a, b] for intervals of question q (b ≤ close)."""
    D = n_days(P, q)
    fa = (a - P.opened[q]) // DAY_US
    fb = (b - P.opened[q]) // DAY_US
    regular = np.maximum(np.minimum(fb, D - 1) - np.maximum(fa, 0), 0)
    last = (b == P.close[q]) & (D >= 1) & (a < b)
    return (regular + last).astype(float)


def days_before(P: Prepared, t: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Number of day ends at or before time t (t before the close)."""
    D = n_days(P, q)
    return np.clip((t - P.opened[q]) // DAY_US, 0, np.maximum(D - 1, 0)).astype(float)


def interval_weights(policy: str, P: Prepared, a: np.ndarray, b: np.ndarray, q: np.ndarray,
                     is_first: np.ndarray, is_last: np.ndarray) -> np.ndarray:
    if policy == "time-averaged":
        return (b - a).astype(float)
    if policy == "daily":
        return day_count(P, a, b, q)
    if policy == "metaculus":
        return np.maximum(b - np.maximum(a, P.opened[q]), 0).astype(float)
    if policy == "final":
        return is_last.astype(float)
    return is_first.astype(float)


def weighted_sums(pair: np.ndarray, w: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Σ w · value per pair; zero-weight intervals add nothing even if their value is infinite."""
    live = w > 0
    return np.bincount(pair[live], weights=w[live] * values[live], minlength=n)
