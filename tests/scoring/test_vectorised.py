"""Guard against per-forecast Python loops, without a clock: the number of Python function
calls the engine makes must not grow with the number of forecasts. (How fast it is lives in
bench/scoring_engine.py, which measures the 1,000,000-forecast case.)"""

from __future__ import annotations

import cProfile
import pstats

import numpy as np
import pandas as pd

from forethought.scoring import calibration_weights, decomposition, score_table

DAY_NS = 86_400 * 10**9


def synthetic(n_forecasts: int, n_questions: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    opened = pd.Timestamp("2024-01-01", tz="UTC").value + rng.integers(0, 100 * DAY_NS,
                                                                       n_questions)
    life = rng.integers(DAY_NS, 200 * DAY_NS, n_questions)
    ids = np.array([f"q{i}" for i in range(n_questions)], dtype=object)
    outcome = rng.choice(np.array(["yes", "no", "ambiguous", None], dtype=object), n_questions,
                         p=[0.45, 0.45, 0.05, 0.05])
    close = pd.to_datetime(opened + life, utc=True)
    questions = pd.DataFrame({
        "question_id": ids, "type": "binary", "options": [[]] * n_questions,
        "opened_at": pd.to_datetime(opened, utc=True), "resolve_by": close.date,
        "scheduled_close": close.normalize() + pd.Timedelta(days=1), "outcome": outcome,
        "close_at": close.where(pd.notna(outcome)), "resolved_at": close.where(pd.notna(outcome)),
        "source_id": None,
    })
    q = rng.integers(0, n_questions, n_forecasts)
    made = opened[q] + (rng.random(n_forecasts) * 1.05 * life[q]).astype(np.int64)
    forecasts = pd.DataFrame({
        "forecast_id": np.arange(n_forecasts, dtype=np.int64), "question_id": ids[q],
        "forecaster": np.array([f"f{i}" for i in range(10)], dtype=object)[
            rng.integers(0, 10, n_forecasts)],
        "made_at": pd.to_datetime(made, utc=True),
        "probability": np.round(rng.random(n_forecasts), 2), "distribution": None,
        "source_id": None,
    })
    return questions, forecasts


def _python_calls(n_forecasts: int) -> int:
    questions, forecasts = synthetic(n_forecasts, n_forecasts // 10)
    profile = cProfile.Profile()
    profile.enable()
    score_table(questions, forecasts)
    result = score_table(questions, forecasts, rules=("brier", "peer"), crowd="median",
                         policy="daily", before_first="crowd")
    p, o, w = calibration_weights(questions, forecasts)
    decomposition(p, o, weights=w)
    profile.disable()
    assert len(result.frame) == 11
    return sum(stats[1] for stats in pstats.Stats(profile).stats.values())  # primitive calls


def test_python_calls_do_not_grow_with_the_forecasts():
    _python_calls(2_000)  # warm: the first run imports and caches what later runs reuse
    small, large = _python_calls(2_000), _python_calls(40_000)
    # 38,000 more forecasts (and 3,800 more questions): a loop over the forecasts makes at
    # least one call each; what grows at all may only grow with the questions
    assert large - small < 0.5 * (40_000 - 2_000), (small, large)
