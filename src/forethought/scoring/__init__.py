"""Scoring engine: pure functions over numpy arrays and pandas frames (``docs/scoring.md``).

No storage, no command line: the store hands in frames, the CLI formats what comes back.

* rules, one score per forecast: :func:`brier_scores`, :func:`multi_brier_scores`,
  :func:`log_scores`, :func:`spherical_scores`, :func:`baseline_scores`, :func:`peer_scores`,
  :func:`relative_brier_scores`, :func:`skill_scores`;
* :func:`score_table` — policy scores per (question, forecaster), grouped;
* calibration: :func:`calibration_table`, :func:`calibration_weights`, exact bins
  (:mod:`forethought.scoring.bins`);
* decompositions: :func:`murphy`, :func:`binned_decomposition`, :func:`ferro_fricker`,
  :func:`corp`, :func:`decomposition`.
"""

from forethought.scoring.bins import make_bins
from forethought.scoring.calibration import (
    binomial_interval,
    calibration_table,
    calibration_weights,
    consistency_band,
)
from forethought.scoring.crowd import crowd_frame, crowd_series
from forethought.scoring.decompose import (
    binned_decomposition,
    corp,
    corp_curve,
    decomposition,
    ferro_fricker,
    murphy,
)
from forethought.scoring.rules import (
    LOG_CLIP,
    baseline_scores,
    brier_scores,
    log_scores,
    multi_brier_scores,
    n_clipped,
    peer_scores,
    relative_brier_scores,
    skill_scores,
    spherical_scores,
)
from forethought.scoring.table import RULES, ScoreResult, score_table

__all__ = [
    "LOG_CLIP",
    "RULES",
    "ScoreResult",
    "baseline_scores",
    "binned_decomposition",
    "binomial_interval",
    "brier_scores",
    "calibration_table",
    "calibration_weights",
    "consistency_band",
    "corp",
    "corp_curve",
    "crowd_frame",
    "crowd_series",
    "decomposition",
    "ferro_fricker",
    "log_scores",
    "make_bins",
    "multi_brier_scores",
    "murphy",
    "n_clipped",
    "peer_scores",
    "relative_brier_scores",
    "score_table",
    "skill_scores",
    "spherical_scores",
]
