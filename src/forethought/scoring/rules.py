"""Scoring rules, one score per forecast. The caller aggregates.

Notation (``docs/scoring.md``): ``p`` is the probability given to "yes", ``o`` is 1 for yes and 0
for no; for K options ``f_k`` is the probability on option k and ``e_k`` is 1 for the option that
happened. ``p_outcome`` (``f_outcome``) is the probability the forecast gave to what happened.
Lower is better unless a docstring says otherwise.

Every public function validates its inputs first and raises :class:`forethought.errors.InvalidInput`
with a message naming the bad value. The ``_``-prefixed kernels below skip validation; the score
table calls them after checking the frames once.
"""

from __future__ import annotations

import numpy as np

from forethought.errors import InvalidInput
from forethought.scoring._checks import (
    as_float_array,
    binary_inputs,
    check_clip,
    check_probabilities,
    check_same_length,
    matrix_inputs,
)

#: Metaculus's bounds: probabilities are clipped to this range before any logarithm.
LOG_CLIP = (0.001, 0.999)


# --- kernels (no validation) -------------------------------------------------------------------

def _clip(x: np.ndarray, clip: tuple[float, float] | None) -> np.ndarray:
    return x if clip is None else np.clip(x, clip[0], clip[1])


def brier_kernel(f_out: np.ndarray, ss: np.ndarray, binary: np.ndarray,
                 scale: int) -> np.ndarray:
    """Brier from the outcome probability and the sum of squares of the forecast vector.

    Binary questions: ``scale · (1 − f_outcome)²``, i.e. (p − o)² or 2(p − o)².
    Multiple choice: ``Σ (f_k − e_k)² = ‖f‖² − 2 f_outcome + 1`` (0–2, whatever ``scale``).
    """
    return np.where(binary, scale * (1.0 - f_out) ** 2, ss - 2.0 * f_out + 1.0)


def log_kernel(f_out: np.ndarray, clip: tuple[float, float] | None) -> np.ndarray:
    """Log score in bits of the probability given to what happened, ``-log2 f``, clipped."""
    with np.errstate(divide="ignore"):
        return -np.log2(_clip(f_out, clip))


def spherical_kernel(f_out: np.ndarray, ss: np.ndarray) -> np.ndarray:
    """Spherical score ``f_outcome / ‖f‖``."""
    return f_out / np.sqrt(ss)


def baseline_kernel(f_out: np.ndarray, k: np.ndarray,
                    clip: tuple[float, float] | None) -> np.ndarray:
    """Metaculus's baseline score ``100 · ln(K f) / ln K`` (0 for the uniform forecast)."""
    with np.errstate(divide="ignore"):
        return 100.0 * np.log(k * _clip(f_out, clip)) / np.log(k)


def _peer(f_out: np.ndarray, groups: np.ndarray, n_groups: int,
          clip: tuple[float, float] | None, alone: float) -> np.ndarray:
    with np.errstate(divide="ignore"):
        ln = np.log(_clip(f_out, clip))
    total = np.bincount(groups, weights=ln, minlength=n_groups)[groups]
    count = np.bincount(groups, minlength=n_groups)[groups]
    with np.errstate(divide="ignore", invalid="ignore"):
        peer = 100.0 * (ln - (total - ln) / (count - 1))
    return np.where(count >= 2, peer, alone)


def grouped_median(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Median of ``values`` within each group 0 … n_groups − 1 (NaN for an empty group).

    One sort of (group, value); the median is read from the middle one or two positions of each
    group's run, so no Python loop over groups.
    """
    order = np.lexsort((values, groups))
    return _sorted_median(values[order], groups, n_groups)


def grouped_median_coded(codes: np.ndarray, uniques: np.ndarray, groups: np.ndarray,
                         n_groups: int) -> np.ndarray:
    """:func:`grouped_median` of ``uniques[codes]``, where ``uniques`` is sorted (as from
    ``np.unique``): one sort of a single integer key (group, code) instead of a two-key
    lexsort, about twice as fast on millions of values drawn from few distinct ones."""
    width = len(uniques)
    if width == 0 or n_groups >= np.iinfo(np.int64).max // max(width, 1):
        return grouped_median(uniques[codes] if width else codes.astype(float), groups, n_groups)
    key = groups.astype(np.int64) * width + codes
    key.sort()
    return _sorted_median(uniques[key % width], groups, n_groups)


def _sorted_median(v: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    counts = np.bincount(groups, minlength=n_groups)
    starts = np.cumsum(counts) - counts
    out = np.full(n_groups, np.nan)
    has = counts > 0
    lo = starts[has] + (counts[has] - 1) // 2
    hi = starts[has] + counts[has] // 2
    out[has] = (v[lo] + v[hi]) / 2.0
    return out


# --- public rules ------------------------------------------------------------------------------

def brier_scores(p: object, o: object, scale: int = 1) -> np.ndarray:
    """Brier score of each binary forecast: ``scale · (p − o)²``.

    ``scale=1`` gives the 0–1 form (Brier 1950 for one event; scikit-learn's
    ``brier_score_loss``); ``scale=2`` the two-sided 0–2 form of Good Judgment Open and Fatebook,
    equal to the K-option Brier with K = 2.

    >>> round(brier_scores([0.1, 0.9, 0.8, 0.3], [0, 1, 1, 0]).mean(), 12)  # scikit-learn's
    0.0375
    """
    if scale not in (1, 2):
        raise InvalidInput(f"brier scale must be 1 (0–1) or 2 (0–2); got {scale!r}")
    pa, oa = binary_inputs(p, o)
    return scale * (pa - oa) ** 2


def multi_brier_scores(F: object, E: object) -> np.ndarray:
    """Brier score of each K-option forecast: ``Σ_k (f_k − e_k)²`` (range 0–2; Brier 1950).

    ``F`` has one row per forecast and one column per option; ``E`` is the index of the option
    that happened, or a one-hot table shaped like ``F``.

    >>> F = [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.2, 0.2, 0.6]]
    >>> round(multi_brier_scores(F, [0, 1, 2]).mean(), 6)
    0.146667
    """
    Fa, idx = matrix_inputs(F, E)
    Ea = np.zeros_like(Fa)
    Ea[np.arange(len(idx)), idx] = 1.0
    return ((Fa - Ea) ** 2).sum(axis=1)


def log_scores(p_outcome: object, clip: tuple[float, float] | None = LOG_CLIP) -> np.ndarray:
    """Log score in bits: ``−log2 f_outcome`` (Good 1952), lower is better.

    ``f_outcome`` is first clipped to ``clip`` (default [0.001, 0.999], Metaculus's bounds), so a
    confident miss costs at most log2(1000) ≈ 9.97 bits; ``clip=None`` gives the raw score
    (infinite at 0). :func:`n_clipped` counts the values the clipping moved.
    """
    f = check_probabilities(as_float_array(p_outcome, "probabilities"))
    return log_kernel(f, check_clip(clip))


def n_clipped(p_outcome: object, clip: tuple[float, float] | None = LOG_CLIP) -> int:
    """How many outcome probabilities lie outside ``clip`` (and are moved by the log rules)."""
    f = check_probabilities(as_float_array(p_outcome, "probabilities"))
    bounds = check_clip(clip)
    if bounds is None:
        return 0
    return int(((f < bounds[0]) | (f > bounds[1])).sum())


def spherical_scores(F: object, E: object) -> np.ndarray:
    """Spherical score ``f_outcome / ‖f‖`` (Roby 1965; Gneiting & Raftery 2007). Higher is better;
    1 for a certain, correct forecast.

    ``F`` is an (n, K) table with ``E`` the outcome indices (or one-hot); a flat ``F`` is read as
    binary probabilities of yes with ``E`` the 0/1 outcomes.
    """
    if np.ndim(np.asarray(F, dtype=object)) == 1:
        pa, oa = binary_inputs(F, E)
        f_out = np.where(oa == 1, pa, 1 - pa)
        return spherical_kernel(f_out, pa**2 + (1 - pa) ** 2)
    Fa, idx = matrix_inputs(F, E)
    return spherical_kernel(Fa[np.arange(len(idx)), idx], (Fa**2).sum(axis=1))


def baseline_scores(p_outcome: object, k: int | object = 2,
                    clip: tuple[float, float] | None = LOG_CLIP) -> np.ndarray:
    """Metaculus baseline score ``100 · ln(K · f_outcome) / ln K``; higher is better, 0 for the
    uniform forecast 1/K. Binary: ``100 · (log2 p_outcome + 1)``, so 80 % scores +67.8 when right
    and −132.2 when wrong. ``f_outcome`` is clipped as in :func:`log_scores`.
    """
    f = check_probabilities(as_float_array(p_outcome, "probabilities"))
    ka = np.broadcast_to(np.asarray(k), f.shape).astype(float)
    if np.any(ka < 2) or np.any(ka != np.round(ka)):
        raise InvalidInput(f"the number of options k must be a whole number of at least 2; "
                           f"got {k!r}")
    return baseline_kernel(f, ka, check_clip(clip))


def peer_scores(p_outcome: object, groups: object,
                clip: tuple[float, float] | None = LOG_CLIP) -> np.ndarray:
    """Metaculus peer score ``100 · (ln f_outcome − mean over the others of ln f'_outcome)``.

    ``groups`` labels which forecasts are compared with each other (one label per question, or
    per question and moment). Higher is better; the scores in a group sum to 0. A group with a
    single forecast has no peers: its score is NaN (the score table uses 0 there, as Metaculus
    does for a lone forecaster).
    """
    f = check_probabilities(as_float_array(p_outcome, "probabilities"))
    g = np.asarray(groups)
    check_same_length(("probabilities", "groups"), (f, g))
    codes, uniq = _codes(g)
    return _peer(f, codes, len(uniq), check_clip(clip), np.nan)


def relative_brier_scores(brier: object, groups: object) -> np.ndarray:
    """Brier minus the median Brier of its group (the forecasters standing at the same moment on
    the same question, the forecast itself included): Good Judgment Open's relative accuracy.
    Negative is better than the median forecaster.
    """
    b = as_float_array(brier, "Brier scores")
    if not np.isfinite(b).all() or (b < 0).any():
        raise InvalidInput("Brier scores must be finite and not negative")
    g = np.asarray(groups)
    check_same_length(("Brier scores", "groups"), (b, g))
    codes, uniq = _codes(g)
    return b - grouped_median(b, codes, len(uniq))[codes]


def skill_scores(score: object, reference: object, perfect: float = 0.0) -> np.ndarray:
    """Skill against a reference: ``(S − S_ref) / (S_perfect − S_ref)``, which for rules whose
    perfect score is 0 (Brier, log) is the usual ``1 − S / S_ref`` (Murphy 1973). 1 is perfect,
    0 is no better than the reference, negative is worse. NaN where ``S_ref == S_perfect``.
    """
    s = as_float_array(score, "scores")
    r = as_float_array(reference, "reference scores")
    check_same_length(("scores", "reference scores"), (s, r))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (s - r) / (perfect - r)
    return np.where(r == perfect, np.nan, out)


def _codes(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    uniq, codes = np.unique(g, return_inverse=True)
    return codes.reshape(-1), uniq
