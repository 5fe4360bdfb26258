"""Calibration tables, decompositions and the reliability diagram, for a workspace or a CSV.

The one calibration use case: the command line, the report and the analysis API all take their
series from :func:`frame_series` (or :func:`workspace_series`, which reads the store first) and
their tables from :func:`calibrate`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forethought.errors import InvalidInput
from forethought.services.scores import load_frames, read_csv_table
from forethought.store.columns import Frames
from forethought.store.engine import Store


@dataclass
class Series:
    """Forecasts (p), outcomes (o) and weights (w) for one line of a calibration chart."""

    p: Any
    o: Any
    w: Any = None
    #: forecasts on resolved multiple-choice questions, which a calibration table of binary
    #: forecasts leaves out (said, so a user does not think they were counted)
    left_out: int = 0


@dataclass
class Calibrated:
    n: int
    brier: float | None
    table: Any  # DataFrame
    bins: list[dict[str, Any]]
    decomposition: dict[str, dict[str, float]] | None = None
    corp_curve: dict[str, Any] | None = field(default=None)

    @property
    def brier_text(self) -> str:
        return "-" if self.brier is None else f"{self.brier:.4f} (0–1 scale)"


def workspace_arrays(store: Store, *, weighting: str = "time", forecaster: str | None = None,
                     tag: str | None = None) -> Series:
    """Binary forecasts on resolved questions; ``forecaster`` may be ``crowd:median`` etc."""
    return next(iter(workspace_series(store, [forecaster], weighting=weighting,
                                      tag=tag).values()))


def workspace_series(store: Store, forecasters: Sequence[str | None], *,
                     weighting: str = "time", tag: str | None = None) -> dict[str, Series]:
    """:func:`workspace_arrays` for several forecasters (None: everyone) from one read, keyed
    by name ("everyone" for None)."""
    return frame_series(load_frames(store, tag=tag), forecasters, weighting=weighting)


def frame_series(data: Frames, forecasters: Sequence[str | None], *,
                 weighting: str = "time") -> dict[str, Series]:
    """The calibration series of ``forecasters`` from frames already read. With no resolved
    binary question yet, each series is empty (and its table has every bin at n = 0)."""
    import numpy as np

    from forethought.scoring import calibration_weights, crowd_frame

    q, every = data.questions, data.forecasts
    for forecaster in forecasters:
        if forecaster and not forecaster.startswith("crowd:") and not (
                every["forecaster"] == forecaster).any():
            raise InvalidInput(f"no forecasts by {forecaster!r}; check the name with "
                               "`forethought score`")
    multiple = set(q.loc[(q["type"] == "multiple") & q["outcome"].notna()
                         & ~q["outcome"].isin(["ambiguous", "annulled"]), "question_id"])

    def left_out(forecaster: str | None) -> int:
        if not multiple or (forecaster and forecaster.startswith("crowd:")):
            return 0
        mine = every if not forecaster else every[every["forecaster"] == forecaster]
        return int(mine["question_id"].isin(multiple).sum())

    if not ((q["type"] == "binary") & q["outcome"].isin(["yes", "no"])).any():
        return {forecaster or "everyone": Series(np.zeros(0), np.zeros(0, dtype=int),
                                                 np.zeros(0), left_out(forecaster))
                for forecaster in forecasters}
    out: dict[str, Series] = {}
    for forecaster in forecasters:
        f = every
        if forecaster and forecaster.startswith("crowd:"):
            f = crowd_frame(q, f, forecaster.split(":", 1)[1])
        elif forecaster:
            f = f[(f["forecaster"] == forecaster).to_numpy()]
        p, o, w = calibration_weights(q, f, weighting)
        out[forecaster or "everyone"] = Series(p, o, w, left_out(forecaster))
    return out


def csv_arrays(path: Path, p_col: str, o_col: str) -> Series:
    p, o = read_csv_table(path, p_col, o_col)
    return Series(p, o, None)


def _records(table) -> list[dict[str, Any]]:
    out = []
    for row in table.to_dict(orient="records"):
        clean = {}
        for k, v in row.items():
            if hasattr(v, "item"):
                v = v.item()
            if isinstance(v, float) and math.isnan(v):
                v = None
            clean[k] = v
        out.append(clean)
    return out


def calibrate(series: Mapping[str, Series], *, bins: str = "10", interval: str = "wilson",
              level: float = 0.95, decompose: bool = False,
              consistency: bool = False) -> dict[str, Calibrated]:
    import numpy as np

    from forethought.scoring import calibration_table, corp_curve, decomposition

    results = {}
    for name, s in series.items():
        p = np.asarray(s.p, dtype=float)
        o = np.asarray(s.o, dtype=float)
        w = None if s.w is None else np.asarray(s.w, dtype=float)
        table = calibration_table(p, o, w, bins=bins, interval=interval, level=level,
                                  consistency=consistency)
        if len(p):
            weights = np.ones_like(p) if w is None else w
            brier = float(np.sum(weights * (p - o) ** 2) / np.sum(weights))
        else:
            brier = None
        parts = decomposition(p, o, bins=bins, weights=w) if decompose and len(p) else None
        curve = None
        if decompose and len(p):
            x, y = corp_curve(p, o, w)
            curve = {"x": x, "y": y}
        columns = ["lower", "upper", "n", "mean_forecast", "observed", "interval_low",
                   "interval_high"] + (["consistency_low", "consistency_high"]
                                       if consistency else [])
        results[name] = Calibrated(len(p), brier, table, _records(table[columns]), parts, curve)
    return results


def calibration_json(results: Mapping[str, Calibrated]) -> dict[str, Any]:
    """What ``calibration --json`` prints (and the API's ``GET /api/calibration`` answers)."""
    first = next(iter(results.values()))
    payload: dict[str, Any] = {"bins": first.bins, "decomposition": first.decomposition}
    if len(results) > 1:
        payload["series"] = {k: {"bins": v.bins, "decomposition": v.decomposition}
                             for k, v in results.items()}
    return payload


def draw(results: Mapping[str, Calibrated], out: Path, *, consistency: bool = False,
         corp: bool = False) -> Path:
    from forethought.charts import plot_calibration, save_figure

    tables = {name: r.table for name, r in results.items()}
    briers = {name: r.brier for name, r in results.items() if r.brier is not None}
    curves = None
    if corp:
        curves = {name: {**r.corp_curve, **(r.decomposition or {}).get("corp", {})}
                  for name, r in results.items() if r.corp_curve is not None}
    n = sum(r.n for r in results.values())
    if len(results) == 1:
        only = next(iter(results.values()))
        ax = plot_calibration(only.table if len(tables) == 1 else tables,
                              brier=only.brier, scale_label="Brier 0–1",
                              consistency=consistency, corp=curves)
    else:
        ax = plot_calibration(tables, brier=briers, scale_label="Brier 0–1",
                              consistency=consistency, corp=curves)
    if n == 0:
        ax.set_title("Calibration — no resolved binary forecasts yet")
    return save_figure(ax, out)
