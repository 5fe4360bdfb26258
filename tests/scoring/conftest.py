"""Builders for the frames the store hands to the scoring engine."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

DAY = pd.Timedelta(days=1)
T0 = pd.Timestamp("2024-01-01", tz="UTC")


def ts(days: float) -> pd.Timestamp:
    """T0 plus a number of days."""
    return T0 + pd.Timedelta(days=days)


def make_questions(rows: list[dict]) -> pd.DataFrame:
    """Each row: id, outcome, and optionally type, options, opened (days after T0), resolve_by
    (days), close (known_at, days), resolved (days), source."""
    out = []
    for r in rows:
        opened = ts(r.get("opened", 0))
        resolve_by_day = (T0 + pd.Timedelta(days=r.get("resolve_by", 30))).date()
        close = r.get("close", r.get("resolve_by", 30) if r.get("outcome") else None)
        resolved = r.get("resolved", close)
        out.append({
            "question_id": r["id"], "type": r.get("type", "binary"),
            "options": r.get("options", []), "opened_at": opened, "resolve_by": resolve_by_day,
            "scheduled_close": pd.Timestamp(resolve_by_day, tz="UTC") + DAY,
            "outcome": r.get("outcome"),
            "close_at": ts(close) if close is not None else pd.NaT,
            "resolved_at": ts(resolved) if resolved is not None else pd.NaT,
            "source_id": r.get("source"),
        })
    frame = pd.DataFrame(out)
    for col in ("opened_at", "scheduled_close", "close_at", "resolved_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True).dt.as_unit("ns")
    frame["resolve_by"] = frame["resolve_by"].astype(object)
    frame["outcome"] = frame["outcome"].astype(object)
    frame["source_id"] = frame["source_id"].astype(object)
    return frame


def make_forecasts(rows: list[tuple]) -> pd.DataFrame:
    """Each row: (question_id, forecaster, made_at in days after T0, p or {option: p}[, source])."""
    out = []
    for i, r in enumerate(rows):
        qid, who, day, value = r[:4]
        out.append({
            "forecast_id": i + 1, "question_id": qid, "forecaster": who, "made_at": ts(day),
            "probability": np.nan if isinstance(value, dict) else float(value),
            "distribution": value if isinstance(value, dict) else None,
            "source_id": r[4] if len(r) > 4 else None,
        })
    frame = pd.DataFrame(out, columns=["forecast_id", "question_id", "forecaster", "made_at",
                                       "probability", "distribution", "source_id"])
    frame["forecast_id"] = frame["forecast_id"].astype("int64")
    frame["made_at"] = pd.to_datetime(frame["made_at"], utc=True).dt.as_unit("ns")
    frame["probability"] = frame["probability"].astype("float64")
    frame["distribution"] = frame["distribution"].astype(object)
    frame["source_id"] = frame["source_id"].astype(object)
    return frame


def make_tags(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["question_id", "tag"])


def row(frame: pd.DataFrame, **keys: object) -> pd.Series:
    """The single row of a score frame matching the given key values."""
    mask = np.ones(len(frame), dtype=bool)
    for k, v in keys.items():
        mask &= (frame[k] == v).to_numpy()
    assert mask.sum() == 1, f"{mask.sum()} rows match {keys}:\n{frame}"
    return frame[mask].iloc[0]


@pytest.fixture
def niamey() -> pd.DataFrame:
    from tests.conftest import shared

    return pd.read_csv(shared("data", "reliabilitydiag", "precip_Niamey_2016.csv"))


__all__ = ["DAY", "T0", "dt", "make_forecasts", "make_questions", "make_tags", "row", "ts"]
