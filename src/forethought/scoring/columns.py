"""The score columns :func:`~forethought.scoring.table.score_table` averages: for each rule, the
score of every standing forecast, of the crowd, and of what stands in for a forecaster before
their first forecast.

* Absolute rules (brier, log, spherical, baseline) score each forecast on its own
  (``on="forecast"``).
* ``peer`` and ``relative-brier`` compare a forecast with the others standing in the same
  segment of the question's grid, so they are scored per cell (``on="cell"``).
* ``ref:<rule>`` columns hold the skill reference's score under the same rule (``--skill``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from forethought.domain.choices import ABSOLUTE_RULES, SKILL_RULES
from forethought.scoring.frames import Prepared
from forethought.scoring.grid import Grid, segment_stats
from forethought.scoring.rules import baseline_kernel, brier_kernel, log_kernel, spherical_kernel


@dataclass
class Column:
    """One score column of the pair table."""

    name: str
    real: np.ndarray                 # per forecast (on="forecast") or per cell (on="cell")
    on: str = "forecast"
    crowd: np.ndarray | None = None  # per segment
    fill: np.ndarray | None = None   # per segment, for days before a first forecast
    nobody: np.ndarray | None = None  # per question, before anyone forecast


@dataclass
class _Setting:
    """What every column is scored from: the forecasts, the grid, the crowd per segment (None
    without cells) and the scale and clipping of the rules."""

    P: Prepared
    G: Grid | None
    scale: int
    clip: tuple[float, float] | None
    c_out: np.ndarray | None
    c_ss: np.ndarray | None
    crowd_fill: bool  # before a first forecast the crowd stands in (else the 1/K prior)
    seg_q: np.ndarray = field(init=False)
    prior_out: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.seg_q = self.G.seg_q if self.G is not None else np.zeros(0, dtype=np.int64)
        self.prior_out = 1.0 / self.P.k

    def score(self, rule: str, f_out: np.ndarray, ss: np.ndarray | None, per: str
              ) -> np.ndarray:
        """An absolute rule's score of values given ``per`` forecast, segment or question."""
        kq, binary = self.P.k, np.isfinite(self.P.yes)
        index = {"forecast": self.P.fq, "segment": self.seg_q, "question": None}[per]
        k, b = (kq, binary) if index is None else (kq[index], binary[index])
        return _absolute(rule, f_out, ss, k, self.scale, self.clip, b)

    def fill_forecast(self) -> tuple[np.ndarray, np.ndarray]:
        """(probability of the outcome, sum of squares) per segment of what stands before a
        forecaster's first forecast."""
        if self.crowd_fill:
            assert self.c_out is not None and self.c_ss is not None
            return self.c_out, self.c_ss
        prior = self.prior_out[self.seg_q]
        return prior, prior


def score_columns(P: Prepared, G: Grid | None, rules: list[str], skill: str | None,
                  before_first: str, scale: int, clip: tuple[float, float] | None,
                  c_out: np.ndarray | None, c_ss: np.ndarray | None) -> list[Column]:
    """One column per rule, then with ``skill`` one ``ref:<rule>`` column per skill rule."""
    s = _Setting(P, G, scale, clip, c_out, c_ss, before_first == "crowd")
    cols = [_rule_column(s, r) for r in rules]
    if skill is not None:
        cols += [_reference_column(s, r, skill) for r in rules if r in SKILL_RULES]
    return cols


def _absolute(rule: str, f_out: np.ndarray, ss: np.ndarray | None, k: np.ndarray, scale: int,
              clip: tuple[float, float] | None, binary: np.ndarray) -> np.ndarray:
    assert ss is not None
    if rule == "brier":
        return brier_kernel(f_out, ss, binary, scale)
    if rule == "log":
        return log_kernel(f_out, clip)
    if rule == "spherical":
        return spherical_kernel(f_out, ss)
    return baseline_kernel(f_out, k, clip)


def _rule_column(s: _Setting, rule: str) -> Column:
    if rule in ABSOLUTE_RULES:
        return _absolute_column(s, rule)
    if rule == "peer":
        return _peer_column(s)
    return _relative_brier_column(s)


def _absolute_column(s: _Setting, rule: str) -> Column:
    P = s.P
    real = s.score(rule, P.f_out, P.ss, "forecast")
    crowd = None if s.c_out is None else s.score(rule, s.c_out, s.c_ss, "segment")
    prior = s.score(rule, s.prior_out, s.prior_out, "question")
    fill = crowd if s.crowd_fill else prior[s.seg_q]
    return Column(rule, real, crowd=crowd, fill=fill, nobody=prior)


def _peer_column(s: _Setting) -> Column:
    """100 · (ln f − the mean ln of the others standing), 0 while alone; the crowd and the fill
    against everyone standing."""
    P, G, clip = s.P, s.G, s.clip
    assert G is not None and G.cell_f is not None and s.c_out is not None
    cf, cs = G.cell_f, G.cell_seg
    fill_out, _ = s.fill_forecast()
    ln = np.log(np.clip(P.f_out[cf], *clip) if clip else P.f_out[cf])
    tot, cnt, _ = segment_stats(ln, G)
    n = cnt[cs]
    with np.errstate(divide="ignore", invalid="ignore"):
        real = np.where(n >= 2, 100 * (ln - (tot[cs] - ln) / (n - 1)), 0.0)
        mean_ln = tot / cnt
    return Column("peer", real, "cell", _peer_vs(s.c_out, mean_ln, clip),
                  _peer_vs(fill_out, mean_ln, clip), np.zeros(len(P.k)))


def _peer_vs(x: np.ndarray, mean_ln: np.ndarray, clip: tuple[float, float] | None) -> np.ndarray:
    """Peer score of a forecast that is not among those standing (crowd, prior) against all of
    them: 100 · (ln x − mean ln f)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return 100 * (np.log(np.clip(x, *clip) if clip else x) - mean_ln)


def _relative_brier_column(s: _Setting) -> Column:
    """Brier minus the median Brier of everyone standing in the segment."""
    P, G = s.P, s.G
    assert G is not None and G.cell_f is not None and s.c_out is not None
    cf, cs = G.cell_f, G.cell_seg
    fill_out, fill_ss = s.fill_forecast()
    b_cell = s.score("brier", P.f_out, P.ss, "forecast")[cf]
    _, _, med = segment_stats(b_cell, G)
    return Column("relative-brier", b_cell - med[cs], "cell",
                  s.score("brier", s.c_out, s.c_ss, "segment") - med,
                  s.score("brier", fill_out, fill_ss, "segment") - med, np.zeros(len(P.k)))


def _reference_column(s: _Setting, rule: str, skill: str) -> Column:
    """The skill reference's score under ``rule``, standing where the forecasts stand."""
    P = s.P
    if skill == "crowd":
        assert s.G is not None and s.c_out is not None
        crowd = s.score(rule, s.c_out, s.c_ss, "segment")
        prior = s.score(rule, s.prior_out, s.prior_out, "question")
        return Column(f"ref:{rule}", crowd[s.G.cell_seg], "cell", crowd, crowd, prior)
    ref_out, ref_ss = s.prior_out, s.prior_out
    if skill == "base-rate":
        ref_out, ref_ss = _base_rate_forecast(P, s.prior_out)
    const = s.score(rule, ref_out, ref_ss, "question")
    return Column(f"ref:{rule}", const[P.fq], "forecast", const[s.seg_q], const[s.seg_q], const)


def _base_rate_forecast(P: Prepared, prior_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per question, (probability of the outcome, sum of squares) of always forecasting the
    share of forecast-on binary questions that resolved yes (1/K for multiple choice)."""
    binary = np.isfinite(P.yes)
    forecast_on = np.zeros(len(P.k), dtype=bool)
    forecast_on[P.fq] = True
    chosen = binary & forecast_on
    base = float(P.yes[chosen].mean()) if chosen.any() else 0.5
    ref_out = np.where(binary, np.where(P.yes == 1, base, 1 - base), prior_out)
    ref_ss = np.where(binary, base**2 + (1 - base) ** 2, prior_out)
    return ref_out, ref_ss
