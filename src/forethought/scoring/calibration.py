"""Calibration tables: exact bins (see :mod:`forethought.scoring.bins`), mean forecast, observed
frequency and a binomial interval per bin, plus an optional consistency band."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from forethought.domain.choices import INTERVALS, WEIGHTINGS
from forethought.errors import InvalidInput
from forethought.scoring._checks import (
    as_float_array,
    binary_inputs,
    check_choice,
    check_same_length,
    check_weights,
)
from forethought.scoring.bins import make_bins, to_ppm

COLUMNS = ["lower", "upper", "n", "mean_forecast", "observed", "interval_low", "interval_high"]


def binomial_interval(k: object, n: object, method: str = "wilson",
                      level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided interval for a proportion with ``k`` successes in ``n`` trials.

    * ``wilson`` (default; Wilson 1927): centre ``(p̂ + z²/2n) / (1 + z²/n)``, half-width
      ``z / (1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²)``.
    * ``jeffreys`` (Brown, Cai & DasGupta 2001): Beta(k + ½, n − k + ½) quantiles, with the lower
      end 0 when k = 0 and the upper end 1 when k = n.
    * ``clopper-pearson`` (1934, "exact"): Beta(k, n − k + 1) and Beta(k + 1, n − k) quantiles,
      0 and 1 at the extremes.

    ``k`` and ``n`` may be fractional (effective counts of weighted data). NaN where n = 0.
    """
    check_choice(method, INTERVALS, "interval")
    if not 0 < level < 1:
        raise InvalidInput(f"the interval level must be between 0 and 1; got {level!r}")
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    alpha = 1.0 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "wilson":
            z = NormalDist().inv_cdf(1 - alpha / 2)
            ph = k / n
            denom = 1 + z**2 / n
            centre = (ph + z**2 / (2 * n)) / denom
            half = z / denom * np.sqrt(ph * (1 - ph) / n + z**2 / (4 * n**2))
            low, high = centre - half, centre + half
        else:
            from scipy import stats  # imported here: scipy.stats costs ~1 s of start-up

            a_lo, b_lo, a_hi, b_hi = (
                (k + 0.5, n - k + 0.5, k + 0.5, n - k + 0.5) if method == "jeffreys"
                else (k, n - k + 1, k + 1, n - k)
            )
            low = np.where(k <= 0, 0.0, stats.beta.ppf(alpha / 2, np.maximum(a_lo, 1e-300), b_lo))
            high = np.where(k >= n, 1.0,
                            stats.beta.ppf(1 - alpha / 2, a_hi, np.maximum(b_hi, 1e-300)))
    empty = ~(n > 0)
    low = np.where(empty, np.nan, np.clip(low, 0.0, 1.0))
    high = np.where(empty, np.nan, np.clip(high, 0.0, 1.0))
    return low, high


def consistency_band(mean_forecast: object, n: object,
                     level: float = 0.90) -> tuple[np.ndarray, np.ndarray]:
    """Where a perfectly calibrated forecaster would land: the ``(1 ± level)/2`` quantiles of
    Binomial(n, m̄) / n, with m̄ the bin's mean forecast (Bröcker & Smith 2007's consistency
    bars, with the binomial in place of resampling). Treating every forecast in the bin as m̄
    gives a band slightly wider than the exact Poisson-binomial one. ``n`` is rounded to a whole
    count (at least 1); NaN for empty bins.
    """
    m = np.asarray(mean_forecast, dtype=float)
    nn = np.maximum(np.rint(np.asarray(n, dtype=float)), 1.0)
    ok = np.isfinite(m) & (np.asarray(n, dtype=float) > 0)
    tail = (1.0 - level) / 2.0
    mm = np.where(ok, m, 0.5)
    from scipy import stats

    low = stats.binom.ppf(tail, nn, mm) / nn
    high = stats.binom.ppf(1 - tail, nn, mm) / nn
    return np.where(ok, low, np.nan), np.where(ok, high, np.nan)


def calibration_table(p: object, o: object, weights: object = None, *, bins: object = "10",
                      interval: str = "wilson", level: float = 0.95, consistency: bool = False,
                      consistency_level: float = 0.90) -> pd.DataFrame:
    """One row per bin: ``lower, upper, n, mean_forecast, observed, interval_low, interval_high``.

    ``n`` counts the forecasts in the bin; empty bins are kept with n = 0 and NaN elsewhere.
    ``mean_forecast`` is the x position of the bin (not its centre). Bins are exact — see
    :mod:`forethought.scoring.bins` for every binning's edges.

    With ``weights``, ``mean_forecast`` and ``observed`` are weighted means, a ``weight`` column
    holds the bin's summed weight, and the interval uses Kish's effective count
    ``n_eff = (Σw)² / Σw²`` with ``observed · n_eff`` successes (for equal weights n_eff = n).
    ``consistency=True`` adds ``consistency_low, consistency_high`` (:func:`consistency_band`,
    computed with n, or n_eff rounded when weighted).

    >>> calibration_table([0.1, 0.15, 0.7], [0, 1, 1]).loc[[0, 1, 6], "n"].tolist()
    [1, 1, 1]
    """
    pa, oa = binary_inputs(p, o)
    check_choice(interval, INTERVALS, "interval")
    b = make_bins(bins, pa)
    idx = b.assign(to_ppm(pa))
    nb = len(b)
    n = np.bincount(idx, minlength=nb)
    if weights is None:
        w = None
        total, wp, wo, n_eff = n.astype(float), pa, oa, n.astype(float)
    else:
        w = check_weights(as_float_array(weights, "weights"))
        check_same_length(("probabilities", "weights"), (pa, w))
        total = np.bincount(idx, weights=w, minlength=nb)
        wp, wo = w * pa, w * oa
        sq = np.bincount(idx, weights=w * w, minlength=nb)
        with np.errstate(divide="ignore", invalid="ignore"):
            n_eff = np.where(sq > 0, total**2 / sq, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_f = np.where(total > 0, np.bincount(idx, weights=wp, minlength=nb) / total, np.nan)
        observed = np.where(total > 0, np.bincount(idx, weights=wo, minlength=nb) / total, np.nan)
    low, high = binomial_interval(np.nan_to_num(observed) * n_eff, n_eff, interval, level)
    table = pd.DataFrame({
        "lower": b.lower, "upper": b.upper, "n": n.astype(np.int64), "mean_forecast": mean_f,
        "observed": observed, "interval_low": low, "interval_high": high,
    })
    if w is not None:
        table["weight"] = total
    if consistency:
        table["consistency_low"], table["consistency_high"] = consistency_band(
            mean_f, n_eff, consistency_level)
    return table




def calibration_weights(questions: pd.DataFrame, forecasts: pd.DataFrame,
                        weighting: str = "time", *, since: object = None,
                        until: object = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(p, o, w)`` for :func:`calibration_table` from the store's frames: resolved binary
    questions only, forecasts made before the close.

    * ``time`` (default) — each (question, forecaster) pair carries total weight 1, spread over
      its forecasts in proportion to how long each stood before the close;
    * ``each`` — every forecast once (Fatebook, PredictionBook);
    * ``final`` — the last forecast of each pair before the close, weight 1.

    Of two forecasts by one forecaster at the same instant only the later counts.
    """
    from forethought.scoring.frames import prepare

    check_choice(weighting, WEIGHTINGS, "weighting")
    P = prepare(questions, forecasts, since, until, binary_only=True)
    p, o = P.p_yes, P.yes[P.fq]
    if weighting == "each":
        w = np.ones(len(p))
    elif weighting == "final":
        w = (P.end == P.close[P.fq]).astype(float)
    else:
        stood = (P.end - P.t).astype(float)
        total = np.bincount(P.pair, weights=stood, minlength=P.n_pairs)
        w = stood / total[P.pair]
    keep = w > 0
    return p[keep], o[keep], w[keep]
