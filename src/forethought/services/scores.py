"""Scores and calibration for a workspace, or for any CSV table of forecasts and outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from forethought.domain.timeparse import parse_when
from forethought.errors import InvalidInput
from forethought.store.columns import Frames, read_frames
from forethought.store.engine import Store


def load_frames(store: Store, *, tag: str | None = None, full: bool = False) -> Frames:
    """The store's frames (one snapshot, see :mod:`forethought.store.columns`), optionally one
    tag's questions only. ``full=True`` keeps every documented column (title, cue, scale,
    recorded_at) for the report and the analysis API."""
    data = read_frames(store, full=full)
    if tag is None:
        return data
    q, f, t = data.questions, data.forecasts, data.tags
    keep = set(t.loc[t["tag"] == tag, "question_id"])
    return Frames(q[q["question_id"].isin(keep)].reset_index(drop=True),
                  f[f["question_id"].isin(keep)].reset_index(drop=True),
                  t[t["question_id"].isin(keep)].reset_index(drop=True))


def score(store: Store, *, rules: Sequence[str] = ("brier", "log"),
          policy: str = "time-averaged", brier_scale: int = 1,
          by: Sequence[str] = ("forecaster",), before_first: str = "skip",
          crowd: str | None = None, skill: str | None = None, since: str | None = None,
          until: str | None = None, tag: str | None = None, forecaster: str | None = None):
    """Score the workspace; returns the scoring engine's ScoreResult (``.frame``, ``.meta``).

    ``forecaster`` keeps only that forecaster's rows in the result; everyone's forecasts still
    count where a rule compares forecasters (peer, relative Brier, the crowd)."""
    data = load_frames(store, tag=tag)
    from forethought.scoring import score_table  # after the read, which imports pandas meanwhile

    result = score_table(data.questions, data.forecasts, data.tags, rules=tuple(rules),
                         policy=policy, brier_scale=brier_scale, by=tuple(by),
                         before_first=before_first, crowd=crowd, skill=skill,
                         since=parse_when(since) if since else None,
                         until=parse_when(until) if until else None)
    if forecaster is not None:
        if "forecaster" not in by:
            raise InvalidInput("--as needs --by forecaster (the default)")
        result.frame = result.frame[result.frame["forecaster"] == forecaster].reset_index(
            drop=True)
    return result


def score_json(result: Any, rules: Sequence[str], policy: str) -> dict[str, Any]:
    """What ``score --json`` prints (and the API's ``GET /api/score`` answers)."""
    frame, meta = result.frame, result.meta
    rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    return {"policy": meta.get("policy", policy), "scale": meta.get("scale"),
            "rules": list(rules), "rows": rows,
            "meta": {k: v for k, v in meta.items() if k not in ("policy", "scale")}}


def read_csv_table(path: Path, p_col: str, o_col: str):
    """Forecast and outcome columns from any CSV (outcomes 0/1)."""
    import numpy as np
    import pandas as pd

    try:
        table = pd.read_csv(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read {path} as CSV: {exc}") from None
    for col in (p_col, o_col):
        if col not in table.columns:
            raise InvalidInput(f"{path} has no column {col!r}; its columns are: "
                               f"{', '.join(map(str, table.columns))}")
    p = pd.to_numeric(table[p_col], errors="coerce").to_numpy(dtype=float)
    o = pd.to_numeric(table[o_col], errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(p) | (p < 0) | (p > 1))
    if bad.size:
        row = int(bad[0])
        raise InvalidInput(f"{path}: row {row + 2}, column {p_col!r}: "
                           f"{table[p_col].iloc[row]!r} is not a probability between 0 and 1")
    bad = np.flatnonzero(~np.isin(o, (0.0, 1.0)))
    if bad.size:
        row = int(bad[0])
        raise InvalidInput(f"{path}: row {row + 2}, column {o_col!r}: "
                           f"{table[o_col].iloc[row]!r} is not an outcome 0 or 1")
    return p, o.astype(int)


def csv_scores(p, o, rules: Sequence[str], brier_scale: int = 1) -> dict[str, Any]:
    """Mean score per rule for a plain table of binary forecasts."""
    import numpy as np

    from forethought.scoring import brier_scores, log_scores, n_clipped, spherical_scores

    out: dict[str, Any] = {"forecasts": int(len(p))}
    p_out = np.where(o == 1, p, 1 - p)
    F = np.column_stack([p, 1 - p])
    E = np.column_stack([o, 1 - o])
    for rule in rules:
        if rule == "brier":
            out["brier"] = float(np.mean(brier_scores(p, o, scale=brier_scale)))
        elif rule == "log":
            out["log"] = float(np.mean(log_scores(p_out)))
            out["log_clipped"] = int(n_clipped(p_out))
        elif rule == "spherical":
            out["spherical"] = float(np.mean(spherical_scores(F, E)))
        elif rule == "baseline":
            from forethought.scoring import baseline_scores

            out["baseline"] = float(np.mean(baseline_scores(p_out, 2)))
        else:
            raise InvalidInput(f"--rule {rule} needs a workspace (it compares forecasters); "
                               "with --csv use brier, log, spherical or baseline")
    return out
