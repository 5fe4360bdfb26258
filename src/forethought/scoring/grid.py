"""The change-point grid of each question, and the crowd built on it.

A question's **segments** are the intervals between consecutive distinct forecast times (any
forecaster's), the last one ending at the close. A forecast standing over [made_at, end) covers a
contiguous run of segments, so the (segment, standing forecast) **cells** are made with one
``np.repeat`` — no loop over questions, forecasts or days.

Crowd aggregates (``docs/scoring.md``) of the forecasts standing in each segment, i.e. of
everyone who has forecast so far on the question, each counted once with their latest forecast:

* ``median`` — binary: the median probability of yes (the mean of the middle two when even);
  multiple choice: the median of each option, then renormalised to sum to 1.
* ``mean`` — the mean probability (of each option; already sums to 1).
* ``geo-odds`` — the geometric mean of the odds (Satopää et al. 2014); probabilities are first
  clipped to [0.001, 0.999] so no odds are 0 or infinite. For multiple choice: the geometric mean of
  each option's probability, renormalised — which for two options is exactly the geometric mean of
  the odds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forethought.scoring.frames import Prepared
from forethought.scoring.rules import LOG_CLIP, grouped_median, grouped_median_coded


@dataclass
class Grid:
    seg_q: np.ndarray      # question of each segment
    seg_a: np.ndarray      # segment start (ns)
    seg_b: np.ndarray      # segment end (ns)
    q_first: np.ndarray    # first segment of each question (len = questions + 1, offsets)
    f_seg: np.ndarray      # each forecast's first segment
    f_seg_end: np.ndarray  # one past each forecast's last segment
    cell_f: np.ndarray | None = None
    cell_seg: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.seg_q)


def build_grid(P: Prepared, cells: bool) -> Grid:
    """Segments for every question with forecasts; with ``cells`` also the cell table."""
    order = np.lexsort((P.t, P.fq))
    qs, ts = P.fq[order], P.t[order]
    new = np.ones(len(qs), dtype=bool)
    new[1:] = (qs[1:] != qs[:-1]) | (ts[1:] != ts[:-1])
    seg_sorted = np.cumsum(new) - 1
    f_seg = np.empty(len(qs), dtype=np.int64)
    f_seg[order] = seg_sorted
    seg_q, seg_a = qs[new], ts[new]
    seg_b = P.close[seg_q].copy()
    same_q = seg_q[1:] == seg_q[:-1]
    seg_b[:-1][same_q] = seg_a[1:][same_q]
    q_first = np.searchsorted(seg_q, np.arange(len(P.qid) + 1), side="left")
    # a forecast stands until its pair's next forecast, i.e. up to that forecast's segment
    f_end = q_first[P.fq + 1].copy()
    same_pair = P.pair[1:] == P.pair[:-1]
    f_end[:-1][same_pair] = f_seg[1:][same_pair]
    grid = Grid(seg_q, seg_a, seg_b, q_first, f_seg, f_end)
    if cells:
        length = f_end - f_seg
        total = int(length.sum())
        grid.cell_f = np.repeat(np.arange(len(length)), length)
        starts = np.cumsum(length) - length
        grid.cell_seg = np.repeat(f_seg - starts, length) + np.arange(total)
    return grid


def crowd_forecasts(P: Prepared, G: Grid, method: str) -> tuple[np.ndarray, np.ndarray]:
    """The crowd's outcome probability and sum of squares in each segment."""
    assert G.cell_f is not None and G.cell_seg is not None
    n = G.n
    q_binary = np.isfinite(P.yes)
    if q_binary.all():  # the usual case: no mask over millions of cells
        binary_cell = None
        cf, cs = G.cell_f, G.cell_seg
    else:
        binary_cell = q_binary[P.fq[G.cell_f]]
        cf, cs = G.cell_f[binary_cell], G.cell_seg[binary_cell]
    if method == "median":
        # forecasts take few distinct values: sort (segment, value code), not (segment, value)
        uniques, codes = np.unique(P.p_yes, return_inverse=True)
        agg = grouped_median_coded(codes.reshape(-1)[cf], uniques, cs, n)
    elif method == "mean":
        with np.errstate(invalid="ignore"):
            agg = (np.bincount(cs, weights=P.p_yes[cf], minlength=n)
                   / np.bincount(cs, minlength=n))
    else:
        pc = np.clip(P.p_yes[cf], *LOG_CLIP)
        with np.errstate(invalid="ignore"):
            mean_logit = (np.bincount(cs, weights=np.log(pc / (1 - pc)), minlength=n)
                          / np.bincount(cs, minlength=n))
        agg = 1.0 / (1.0 + np.exp(-mean_logit))
    yes = P.yes[G.seg_q]
    c_out = np.where(yes == 1, agg, 1 - agg)
    c_ss = agg**2 + (1 - agg) ** 2
    if binary_cell is not None and len(P.multi_rows) and (~binary_cell).any():
        m_out, m_ss, m_seg = _crowd_multi(P, G, ~binary_cell, method)
        c_out[m_seg] = m_out
        c_ss[m_seg] = m_ss
    return c_out, c_ss


def _crowd_multi(P: Prepared, G: Grid, mask: np.ndarray,
                 method: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Aggregate each option over the standing forecasts, then renormalise."""
    assert G.cell_f is not None and G.cell_seg is not None
    cf, cs = G.cell_f[mask], G.cell_seg[mask]
    k = P.k[P.fq[cf]].astype(np.int64)
    # forecast i's K option rows are contiguous in the dense table, starting at row_start[i]
    row_start = np.searchsorted(P.multi_rows, np.arange(len(P.fq)))
    seg_k = P.k[G.seg_q].astype(np.int64)
    multi_seg = ~np.isfinite(P.yes[G.seg_q])
    seg_off = np.cumsum(np.where(multi_seg, seg_k, 0)) - np.where(multi_seg, seg_k, 0)
    rep_cell = np.repeat(np.arange(len(cf)), k)
    within = np.arange(len(rep_cell)) - np.repeat(np.cumsum(k) - k, k)
    vals = P.multi_vals[row_start[cf][rep_cell] + within]
    group = seg_off[cs][rep_cell] + within
    n_groups = int((np.where(multi_seg, seg_k, 0)).sum())
    if method == "median":
        agg = grouped_median(vals, group, n_groups)
    elif method == "mean":
        agg = np.bincount(group, weights=vals, minlength=n_groups) / np.bincount(
            group, minlength=n_groups)
    else:
        agg = np.exp(np.bincount(group, weights=np.log(np.clip(vals, *LOG_CLIP)),
                                 minlength=n_groups) / np.bincount(group, minlength=n_groups))
    segs = np.flatnonzero(multi_seg)
    group_seg = np.repeat(segs, seg_k[segs])
    total = np.bincount(group_seg, weights=agg, minlength=G.n)[segs]
    total_sq = np.bincount(group_seg, weights=agg**2, minlength=G.n)[segs]
    out_group = seg_off[segs] + P.outcome_k[G.seg_q[segs]]
    return agg[out_group] / total, total_sq / total**2, segs


def segment_stats(values: np.ndarray, G: Grid) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per segment: sum and count of a per-cell value, and its median."""
    assert G.cell_seg is not None
    total = np.bincount(G.cell_seg, weights=values, minlength=G.n)
    count = np.bincount(G.cell_seg, minlength=G.n)
    return total, count, grouped_median(values, G.cell_seg, G.n)
