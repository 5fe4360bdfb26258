"""The crowd as a forecaster: its forecasts as a frame, for calibration and charts.

:func:`crowd_frame` reuses the scoring grid (vectorised over every resolved question);
:func:`crowd_series` serves one question of any status (a chart), with pandas.
Both aggregate, at each change point, the latest standing forecast of everyone who has forecast
so far (see :mod:`forethought.scoring.grid` for the three methods).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forethought.domain.choices import CROWDS
from forethought.scoring._checks import check_choice
from forethought.scoring.frames import prepare
from forethought.scoring.grid import build_grid, crowd_forecasts
from forethought.scoring.rules import LOG_CLIP


def crowd_frame(questions: pd.DataFrame, forecasts: pd.DataFrame,
                method: str = "median") -> pd.DataFrame:
    """The crowd's binary forecasts on resolved questions, as a forecasts frame whose
    forecaster is ``crowd:<method>``: one row per change point (made_at = the change)."""
    check_choice(method, CROWDS, "crowd")
    P = prepare(questions, forecasts, binary_only=True)
    columns = ["forecast_id", "question_id", "forecaster", "made_at", "probability",
               "distribution", "source_id"]
    if len(P.fq) == 0:
        return pd.DataFrame(columns=columns)
    G = build_grid(P, cells=True)
    c_out, _ = crowd_forecasts(P, G, method)
    yes = P.yes[G.seg_q]
    keep = np.isfinite(yes) & np.isfinite(c_out)
    p_yes = np.where(yes == 1, c_out, 1 - c_out)[keep]
    return pd.DataFrame({
        "forecast_id": np.arange(1, int(keep.sum()) + 1, dtype=np.int64),
        "question_id": P.qid[G.seg_q[keep]],
        "forecaster": f"crowd:{method}",
        "made_at": pd.to_datetime(G.seg_a[keep], unit="us", utc=True),
        "probability": p_yes,
        "distribution": None,
        "source_id": None,
    })


def crowd_series(forecasts: pd.DataFrame, method: str = "median") -> pd.DataFrame:
    """The crowd over time for ONE binary question: columns ``made_at``, ``probability``."""
    check_choice(method, CROWDS, "crowd")
    f = forecasts.dropna(subset=["probability"]).sort_values(["made_at", "forecast_id"]
                                                             if "forecast_id" in forecasts
                                                             else ["made_at"])
    if f.empty:
        return pd.DataFrame({"made_at": pd.Series([], dtype="datetime64[us, UTC]"),
                             "probability": pd.Series([], dtype=float)})
    wide = f.pivot_table(index="made_at", columns="forecaster", values="probability",
                         aggfunc="last").ffill()
    if method == "median":
        agg = wide.median(axis=1, skipna=True)
    elif method == "mean":
        agg = wide.mean(axis=1, skipna=True)
    else:
        clipped = wide.clip(*LOG_CLIP)
        agg = 1 / (1 + np.exp(-np.log(clipped / (1 - clipped)).mean(axis=1, skipna=True)))
    return pd.DataFrame({"made_at": agg.index, "probability": agg.to_numpy()})
