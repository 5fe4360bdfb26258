"""Decompositions of the Brier score (and, for CORP, of other proper rules).

All take binary forecasts ``p`` (probability of yes) and outcomes ``o`` (0/1), optionally with
non-negative ``weights`` (every mean below is then a weighted mean; with unit weights the formulas
are the textbook ones). N is the number (total weight) of forecasts, ō the base rate.
"""

from __future__ import annotations

import numpy as np

from forethought.errors import InvalidInput
from forethought.scoring._checks import (
    as_float_array,
    binary_inputs,
    check_choice,
    check_same_length,
    check_weights,
)
from forethought.scoring.bins import make_bins, to_ppm
from forethought.scoring.rules import LOG_CLIP, log_kernel

CORP_RULES = ("brier", "log", "spherical")


def _inputs(p: object, o: object, weights: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pa, oa = binary_inputs(p, o)
    if weights is None:
        w = np.ones_like(pa)
    else:
        w = check_weights(as_float_array(weights, "weights"))
        check_same_length(("probabilities", "weights"), (pa, w))
    if len(pa) == 0 or w.sum() <= 0:
        raise InvalidInput("there are no forecasts to decompose")
    return pa, oa, w


def _strata(idx: np.ndarray, p: np.ndarray, o: np.ndarray, w: np.ndarray, n: int):
    W = np.bincount(idx, weights=w, minlength=n)
    keep = W > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        fbar = np.bincount(idx, weights=w * p, minlength=n) / W
        obar = np.bincount(idx, weights=w * o, minlength=n) / W
    return W, fbar, obar, keep


def murphy(p: object, o: object, weights: object = None) -> dict[str, float]:
    """Murphy (1973) decomposition stratified by distinct forecast value:
    ``REL = Σ_k n_k (f_k − ō_k)² / N``, ``RES = Σ_k n_k (ō_k − ō)² / N``, ``UNC = ō(1 − ō)``,
    and ``BS = REL − RES + UNC`` exactly (up to rounding), since each stratum has one value.
    """
    pa, oa, w = _inputs(p, o, weights)
    _, idx = np.unique(pa, return_inverse=True)
    idx = idx.reshape(-1)
    W, fbar, obar, keep = _strata(idx, pa, oa, w, int(idx.max()) + 1)
    N = W.sum()
    base = float((w * oa).sum() / N)
    rel = float((W[keep] * (fbar[keep] - obar[keep]) ** 2).sum() / N)
    res = float((W[keep] * (obar[keep] - base) ** 2).sum() / N)
    return {"rel": rel, "res": res, "unc": base * (1 - base)}


def binned_decomposition(p: object, o: object, edges: object = "10",
                         weights: object = None) -> dict[str, float]:
    """Stephenson, Coelho & Jolliffe (2008) five-term decomposition for binned forecasts:

    ``REL = Σ_k n_k (f̄_k − ō_k)² / N``, ``RES = Σ_k n_k (ō_k − ō)² / N``, ``UNC = ō(1 − ō)``,
    ``WBV = Σ_k Σ_{i∈k} (f_i − f̄_k)² / N`` (within-bin variance of the forecasts),
    ``WBC = 2 Σ_k Σ_{i∈k} (o_i − ō_k)(f_i − f̄_k) / N`` (within-bin covariance), so that
    ``BS = REL − RES + UNC + WBV − WBC`` exactly. ``f̄_k`` is the bin's mean forecast.
    ``edges`` is any binning of :func:`forethought.scoring.bins.make_bins` (default 10 equal bins).
    """
    pa, oa, w = _inputs(p, o, weights)
    b = make_bins(edges, pa)
    idx = b.assign(to_ppm(pa))
    W, fbar, obar, keep = _strata(idx, pa, oa, w, len(b))
    N = W.sum()
    base = float((w * oa).sum() / N)
    dev_f = pa - fbar[idx]
    return {
        "rel": float((W[keep] * (fbar[keep] - obar[keep]) ** 2).sum() / N),
        "res": float((W[keep] * (obar[keep] - base) ** 2).sum() / N),
        "unc": base * (1 - base),
        "wbv": float((w * dev_f**2).sum() / N),
        "wbc": float(2 * (w * (oa - obar[idx]) * dev_f).sum() / N),
    }


def ferro_fricker(p: object, o: object, edges: object = "10", weights: object = None,
                  clamp: bool = False) -> dict[str, float]:
    """Ferro & Fricker (2012) bias-corrected reliability and resolution (raw formula):

    ``c = Σ_k n_k ō_k(1 − ō_k)/(n_k − 1) / N`` (bins with n_k = 1 add 0), ``t = ō(1 − ō)/(N − 1)``;
    ``REL′ = REL − c``, ``RES′ = RES − c + t``, ``UNC′ = UNC + t = N ō(1 − ō)/(N − 1)``, where REL
    and RES are the binned terms with the bins' mean forecasts. The raw terms can be negative;
    REL′ − RES′ + UNC′ = REL − RES + UNC.

    ``clamp=True`` applies SpecsVerification's ``BrierDecomp`` safeguard instead: the corrections
    are scaled by the largest α in [0, 1] keeping REL′, RES′ ≥ 0 and UNC′ ≤ ¼.
    With weights, n_k and N become Kish effective counts ``(Σw)²/Σw²`` (an approximation; with
    unit weights the formula above). Needs N > 1.
    """
    pa, oa, w = _inputs(p, o, weights)
    b = make_bins(edges, pa)
    idx = b.assign(to_ppm(pa))
    W, fbar, obar, keep = _strata(idx, pa, oa, w, len(b))
    N = W.sum()
    sq = np.bincount(idx, weights=w * w, minlength=len(b))
    n_eff = np.where(sq > 0, W**2 / np.where(sq > 0, sq, 1), 0.0)
    N_eff = N**2 / (w * w).sum()
    if N_eff <= 1:
        raise InvalidInput("the bias-corrected decomposition needs at least two forecasts")
    base = float((w * oa).sum() / N)
    rel = float((W[keep] * (fbar[keep] - obar[keep]) ** 2).sum() / N)
    res = float((W[keep] * (obar[keep] - base) ** 2).sum() / N)
    unc = base * (1 - base)
    many = keep & (n_eff > 1)
    c = float((W[many] * obar[many] * (1 - obar[many]) / (n_eff[many] - 1)).sum() / N)
    t = unc / (N_eff - 1)
    alpha = 1.0
    if clamp:
        with np.errstate(divide="ignore", invalid="ignore"):
            candidates = [rel / c if c > 0 else np.inf,
                          max(res / (c - t), (res - 1) / (c - t)) if c != t else np.inf,
                          (1 - 4 * unc) / (4 * t) if t > 0 else np.inf, 1.0]
        alpha = float(min(max(min(candidates), 0.0), 1.0))
    return {"rel": float(rel - alpha * c), "res": float(res - alpha * c + alpha * t),
            "unc": float(unc + alpha * t)}


def _rule_loss(rule: str, x: np.ndarray, o: np.ndarray,
               clip: tuple[float, float] | None) -> np.ndarray:
    f_out = np.where(o == 1, x, 1 - x)
    if rule == "brier":
        return (1 - f_out) ** 2
    if rule == "log":
        return log_kernel(f_out, clip)
    return 1 - f_out / np.sqrt(x**2 + (1 - x) ** 2)


def corp(p: object, o: object, rule: str = "brier", weights: object = None,
         clip: tuple[float, float] | None = LOG_CLIP) -> dict[str, float]:
    """CORP decomposition (Dimitriadis, Gneiting & Jordan 2021, PNAS 118: e2016191118).

    The recalibrated forecast r is the isotonic (PAV) regression of outcomes on forecasts, fitted
    by :func:`scipy.optimize.isotonic_regression` on the distinct forecast values, each carrying
    its forecasts' summed weight and mean outcome (tied forecasts pooled, as CORP requires).
    With S̄(x) the mean score of forecasts x: ``score = S̄(p)``, ``MCB = S̄(p) − S̄(r)``,
    ``DSC = S̄(ō) − S̄(r)``, ``UNC = S̄(ō)``, so ``score = MCB − DSC + UNC``.

    ``rule``: ``brier`` ((p − o)², 0–1), ``log`` (bits, ``f_outcome`` clipped to ``clip`` as in
    the score table; ``clip=None`` for the raw score), ``spherical`` (as the loss
    1 − f_outcome/‖f‖, so that lower is better and MCB, DSC ≥ 0).
    """
    check_choice(rule, CORP_RULES, "rule")
    pa, oa, w = _inputs(p, o, weights)
    _, fitted, idx, _ = _pav(pa, oa, w)
    recal = fitted[idx]
    N = w.sum()
    base = float((w * oa).sum() / N)
    s = float((w * _rule_loss(rule, pa, oa, clip)).sum() / N)
    s_rc = float((w * _rule_loss(rule, recal, oa, clip)).sum() / N)
    unc = float((w * _rule_loss(rule, np.full_like(pa, base), oa, clip)).sum() / N)
    return {"score": s, "mcb": s - s_rc, "dsc": unc - s_rc, "unc": unc}


def _pav(pa: np.ndarray, oa: np.ndarray, w: np.ndarray
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Isotonic fit of outcomes on forecasts with ties pooled: (distinct values, fitted values,
    index of each forecast's value, weight of each value)."""
    from scipy.optimize import isotonic_regression  # here: scipy.optimize costs ~0.4 s to load

    values, idx = np.unique(pa, return_inverse=True)
    idx = idx.reshape(-1)
    W = np.bincount(idx, weights=w, minlength=len(values))
    Wo = np.bincount(idx, weights=w * oa, minlength=len(values))
    has = W > 0
    fitted = np.zeros(len(values))
    fitted[has] = isotonic_regression(Wo[has] / W[has], weights=W[has], increasing=True).x
    return values, np.clip(fitted, 0.0, 1.0), idx, W


def corp_curve(p: object, o: object, weights: object = None) -> tuple[np.ndarray, np.ndarray]:
    """The CORP reliability curve: each distinct forecast value and its recalibrated
    probability (the isotonic fit behind :func:`corp`), for drawing as steps."""
    pa, oa, w = _inputs(p, o, weights)
    values, fitted, _, W = _pav(pa, oa, w)
    return values[W > 0], fitted[W > 0]


def decomposition(p: object, o: object, bins: object = "10", weights: object = None,
                  rule: str = "brier", clamp: bool = False) -> dict[str, dict[str, float]]:
    """All four decompositions in the JSON shape of ``forethought calibration --decompose``:
    ``{"murphy": {rel, res, unc}, "binned": {rel, res, unc, wbv, wbc},
    "bias_corrected": {rel, res, unc}, "corp": {score, mcb, dsc, unc}}``.
    ``bins`` drives the binned and bias-corrected terms; ``rule`` only CORP.
    """
    return {
        "murphy": murphy(p, o, weights),
        "binned": binned_decomposition(p, o, bins, weights),
        "bias_corrected": ferro_fricker(p, o, bins, weights, clamp=clamp),
        "corp": corp(p, o, rule, weights),
    }
