"""Exact probability bins.

A probability is first rounded to the nearest millionth (``ppm = round(p · 10⁶)``); every edge is a
fraction ``num / den`` of integers, and a probability is compared with an edge as
``ppm · den`` against ``num · 10⁶`` — integers, so 0.15, 0.3, 0.35 or 0.7 never fall on the wrong
side of an edge by float luck.

Binnings (``bins=``), with their exact edges:

* ``"10"`` or any integer N (default 10): equal width, edges k/N, right-closed ``(a, b]`` with the
  first bin ``[0, 1/N]`` (scikit-learn ≥ 1.1, R's ``cut(include.lowest = TRUE)``). With N = 10:
  0.1 → [0, 0.1]; 0.15 → (0.1, 0.2]; 0.3 → (0.2, 0.3]; 0.35 → (0.3, 0.4]; 0.5 → (0.4, 0.5];
  0.7 → (0.6, 0.7]; 1.0 → (0.9, 1].
* ``"distinct"``: one bin per distinct (ppm-rounded) value, lower = upper = the value.
* ``"quantile:N"``: right-closed like equal width, outer edges 0 and 1, interior edges the
  ``k/N`` quantiles (``inverted_cdf``, so each edge is an observed value) of the forecasts; edges
  that coincide are merged, so there may be fewer than N bins.
* ``"centered"``: 11 bins around 0 %, 10 %, …, 100 % (Fatebook's chart), rounded half up like
  Fatebook's ``Math.round(p · 10) / 10``: ``[0, 0.05)``, ``[0.05, 0.15)``, …, ``[0.85, 0.95)``,
  ``[0.95, 1]``. So 0.05 → 10 %, 0.15 → 20 %, 0.35 → 40 %.
* ``"metaculus"``: finer at the extremes: three 1/24-wide bins at each end and 5 % bins between —
  edges 0, 1/24, 2/24, 3/24 (= 0.125), 0.175, 0.225, …, 0.825, 0.875 (= 21/24), 22/24, 23/24, 1
  (21 bins), right-closed with the first bin closed; every edge is a multiple of 1/120.
* a sequence of edges (floats, increasing, from 0 to 1): right-closed, each edge rounded to ppm.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from forethought.domain.choices import BIN_CHOICES
from forethought.errors import InvalidInput

PPM = 1_000_000



@dataclass(frozen=True)
class Bins:
    """Edges ``num / den`` (integers) and which side of each bin is closed."""

    num: np.ndarray
    den: int
    closed: str = "right"  # "right": (a, b], first bin closed; "left": [a, b), last bin closed
    distinct: bool = False

    @property
    def lower(self) -> np.ndarray:
        return self.num[:-1] / self.den if not self.distinct else self.num / self.den

    @property
    def upper(self) -> np.ndarray:
        return self.num[1:] / self.den if not self.distinct else self.num / self.den

    def __len__(self) -> int:
        return len(self.num) if self.distinct else len(self.num) - 1

    def assign(self, ppm: np.ndarray) -> np.ndarray:
        """Bin index of each ppm-rounded probability."""
        if self.distinct:
            return np.searchsorted(self.num, ppm)
        interior = self.num[1:-1].astype(np.int64) * PPM
        scaled = ppm.astype(np.int64) * self.den
        if self.closed == "right":
            return np.searchsorted(interior, scaled, side="left")
        return np.searchsorted(interior, scaled, side="right")


def to_ppm(p: np.ndarray) -> np.ndarray:
    """Probabilities rounded to the nearest millionth, as integers (half to even)."""
    return np.rint(np.asarray(p, dtype=float) * PPM).astype(np.int64)


def make_bins(spec: object, p: np.ndarray | None = None) -> Bins:
    """The :class:`Bins` for ``spec`` (see the module docstring); ``p`` is needed for
    data-dependent binnings (``distinct``, ``quantile:N``)."""
    if isinstance(spec, (int, np.integer)) and not isinstance(spec, bool):
        return _equal(int(spec))
    if isinstance(spec, str):
        s = spec.strip().lower()
        if s.isdigit():
            return _equal(int(s))
        if s == "distinct":
            return Bins(np.unique(to_ppm(_need(p, s))), PPM, distinct=True)
        if s.startswith("quantile:") and s[9:].isdigit():
            return _quantile(int(s[9:]), _need(p, s))
        if s == "centered":
            return Bins(np.array([0, *range(1, 20, 2), 20]), 20, closed="left")
        if s == "metaculus":
            return Bins(np.array([0, 5, 10, *range(15, 106, 6), 110, 115, 120]), 120)
        raise InvalidInput(f"unknown bins {spec!r}; choose one of: {', '.join(BIN_CHOICES)}")
    if isinstance(spec, Sequence) or isinstance(spec, np.ndarray):
        return _explicit(np.asarray(spec, dtype=float))
    raise InvalidInput(f"unknown bins {spec!r}; choose one of: {', '.join(BIN_CHOICES)}")


def _need(p: np.ndarray | None, spec: str) -> np.ndarray:
    if p is None:
        raise InvalidInput(f"bins {spec!r} depend on the forecasts; pass them")
    return np.asarray(p, dtype=float)


def _equal(n: int) -> Bins:
    if n < 1 or n > PPM:
        raise InvalidInput(f"the number of bins must be between 1 and {PPM}; got {n}")
    return Bins(np.arange(n + 1), n)


def _quantile(n: int, p: np.ndarray) -> Bins:
    if n < 1:
        raise InvalidInput(f"the number of quantile bins must be at least 1; got {n}")
    if len(p) == 0:
        raise InvalidInput("quantile bins need at least one forecast")
    ppm = to_ppm(p)
    qs = np.quantile(ppm, np.arange(1, n) / n, method="inverted_cdf") if n > 1 else []
    interior = np.unique(np.asarray(qs, dtype=np.int64))
    interior = interior[interior < PPM]
    return Bins(np.concatenate(([0], interior, [PPM])).astype(np.int64), PPM)


def _explicit(edges: np.ndarray) -> Bins:
    if edges.ndim != 1 or len(edges) < 2 or not np.isfinite(edges).all():
        raise InvalidInput("bin edges must be at least two numbers from 0 to 1")
    num = to_ppm(edges)
    if num[0] != 0 or num[-1] != PPM or np.any(np.diff(num) <= 0):
        raise InvalidInput("bin edges must increase strictly from 0 to 1")
    return Bins(num, PPM)
