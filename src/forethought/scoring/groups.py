"""Group (question, forecaster) scores into the rows of a score table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forethought.scoring.frames import DAY_US

#: Horizon buckets on resolve_by − (UTC date of the pair's first forecast), in whole days.
HORIZONS = ("<=7d", "8-30d", "31-90d", "91-365d", ">365d", "unknown")
_HORIZON_EDGES = np.array([7, 30, 90, 365])


def horizon_labels(resolve_day: np.ndarray, first_t: np.ndarray) -> pd.Categorical:
    """Bucket of ``resolve_by − made_at`` in days (made_at's UTC date): ≤ 7, 8–30, 31–90,
    91–365, longer; a forecast made after its resolve_by date counts as ≤ 7."""
    days = resolve_day - np.floor_divide(first_t, DAY_US)
    idx = np.searchsorted(_HORIZON_EDGES, days, side="left")
    idx = np.where(np.isnan(days), len(HORIZONS) - 1, idx)
    return pd.Categorical.from_codes(idx.astype(np.int64), categories=list(HORIZONS),
                                     ordered=True)


def group_scores(pairs: pd.DataFrame, by: list[str], values: list[str], tags: pd.DataFrame | None,
                 crowd_name: str | None, weighted: bool, *,
                 per_forecast: bool = False) -> pd.DataFrame:
    """Mean of each value over the pairs in each group, with ``questions`` (distinct questions),
    ``forecasts`` (forecasts used) and, for weighted policies, mean ``coverage``. With
    ``per_forecast`` each pair weighs as many forecasts as it used, so a row's value is the mean
    over its forecasts rather than over its pairs (a pair without a value adds no weight).

    A question with several tags counts in each of its tags' rows; untagged questions go to the
    row whose tag is empty (None). With a crowd and no ``forecaster`` in ``by``, a ``forecaster``
    key is added anyway so the crowd is never averaged with the people: everyone else is
    ``"all"``.
    """
    frame = pairs
    keys = list(by)
    if crowd_name is not None and "forecaster" not in keys:
        frame = frame.assign(forecaster=np.where(frame["forecaster"] == crowd_name,
                                                 crowd_name, "all"))
        keys = ["forecaster", *keys]
    if "tag" in keys:
        t = pd.DataFrame({"question": [], "tag": []}) if tags is None else pd.DataFrame(
            {"question": tags["question_id"].astype(object), "tag": tags["tag"].astype(object)})
        frame = frame.merge(t.drop_duplicates(), on="question", how="left")
        frame["tag"] = frame["tag"].astype(object).where(frame["tag"].notna(), None)
    spec: dict[str, tuple[str, str]] = {
        "questions": ("question", "nunique"),
        "forecasts": ("forecasts", "sum"),
    }
    if weighted:
        spec["coverage"] = ("coverage", "mean")
    if per_forecast:
        frame = frame.copy()
        count = frame["forecasts"].to_numpy(float)
        for v in values:
            known = frame[v].notna().to_numpy()
            frame[f"_w:{v}"] = np.where(known, count, 0.0)
            frame[f"_s:{v}"] = np.where(known, frame[v].to_numpy(float) * count, 0.0)
            spec[f"_w:{v}"] = (f"_w:{v}", "sum")
            spec[f"_s:{v}"] = (f"_s:{v}", "sum")
    else:
        spec.update({v: (v, "mean") for v in values})
    if not keys:
        row = {name: getattr(frame[col], how)() for name, (col, how) in spec.items()}
        out = pd.DataFrame([row]) if len(frame) else pd.DataFrame(columns=list(spec))
        return _forecast_means(out, values) if per_forecast else out
    out = frame.groupby(keys, dropna=False, sort=True, observed=True).agg(**spec).reset_index()
    if per_forecast:
        out = _forecast_means(out, values)
    for key in keys:  # plain Python values; a missing key (no source, no tag) is None
        col = out[key].astype(object)
        out[key] = col.where(col.notna(), None)
    return out


def _forecast_means(out: pd.DataFrame, values: list[str]) -> pd.DataFrame:
    """Turn the ``_s:``/``_w:`` sums of ``per_forecast`` into each value's mean (NaN where a
    group has no forecast with a value)."""
    for v in values:
        s, w = out.pop(f"_s:{v}").to_numpy(float), out.pop(f"_w:{v}").to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[v] = np.where(w > 0, s / np.where(w > 0, w, 1.0), np.nan)
    return out
