"""score_table: hand-computed tables for every policy, published examples, what is excluded."""

from __future__ import annotations

import math

import numpy as np
import pytest

from forethought.errors import InvalidInput
from forethought.scoring import score_table

from .conftest import make_forecasts, make_questions, row


@pytest.fixture
def simple():
    q = make_questions([
        # close = known_at (day 10) even though recorded on day 12
        {"id": "q1", "outcome": "yes", "close": 10, "resolved": 12, "resolve_by": 9},
        # no known_at: the close falls back to the recorded time (day 8)
        {"id": "q2", "outcome": "no", "close": None, "resolved": 8, "resolve_by": 9},
        {"id": "q3", "outcome": "ambiguous", "close": 5},
        {"id": "q4", "outcome": "annulled", "close": 5},
        {"id": "q5"},
    ])
    f = make_forecasts([
        ("q1", "ann", 0, 0.6), ("q1", "ann", 5, 0.9), ("q1", "bob", 2, 0.3),
        ("q1", "bob", 10, 0.99),   # at known_at: made after the outcome was known
        ("q2", "ann", 4, 0.2),     # single-forecaster question
        ("q2", "ann", 9, 0.0),     # after the close
        ("q3", "bob", 1, 0.5), ("q4", "bob", 1, 0.5), ("q5", "ann", 1, 0.5),
    ])
    return q, f


def test_time_averaged_by_hand(simple):
    r = score_table(*simple, rules=("brier", "log"))
    assert list(r.frame.columns) == ["forecaster", "questions", "forecasts", "coverage", "brier",
                                     "log"]
    ann, bob = row(r.frame, forecaster="ann"), row(r.frame, forecaster="bob")
    # ann: q1 (5 d at 0.6, 5 d at 0.9) = 0.085; q2 0.2 on a no = 0.04
    assert ann["brier"] == pytest.approx((0.085 + 0.04) / 2, abs=1e-15)
    assert ann["log"] == pytest.approx(
        ((5 * -math.log2(0.6) + 5 * -math.log2(0.9)) / 10 + -math.log2(0.8)) / 2)
    assert (ann["questions"], ann["forecasts"]) == (2, 3)
    assert ann["coverage"] == pytest.approx((1.0 + 0.5) / 2)  # q2: forecast at 4 of 0–8
    assert bob["brier"] == pytest.approx(0.49)
    assert bob["coverage"] == pytest.approx(0.8)
    assert r.meta["n_after_close"] == 2
    assert r.meta["n_unscored_questions"] == {"unresolved": 1, "ambiguous": 1, "annulled": 1}
    assert r.meta["n_forecasts_on_unscored_questions"] == 3
    assert r.meta["policy"] == "time-averaged"
    assert r.meta["scale"].startswith("Brier 0–1 (lower is better); log score in bits")


def test_brier_scale_two(simple):
    r = score_table(*simple, rules=("brier",), brier_scale=2)
    assert row(r.frame, forecaster="bob")["brier"] == pytest.approx(0.98)
    assert r.meta["scale"] == "Brier 0–2 (lower is better)"


def test_final_and_all(simple):
    final = score_table(*simple, rules=("brier",), policy="final").frame
    assert row(final, forecaster="ann")["brier"] == pytest.approx((0.01 + 0.04) / 2)
    assert row(final, forecaster="ann")["forecasts"] == 2
    assert "coverage" not in final.columns
    every = score_table(*simple, rules=("brier",), policy="all").frame
    assert row(every, forecaster="ann")["brier"] == pytest.approx(((0.16 + 0.01) / 2 + 0.04) / 2)
    assert row(every, forecaster="ann")["forecasts"] == 3


def test_each_counts_every_forecast_in_a_row_once(simple):
    each = score_table(*simple, rules=("brier", "log"), policy="each")
    ann = row(each.frame, forecaster="ann")
    # ann's three forecasts, once each: 0.6 and 0.9 on q1 (yes), 0.2 on q2 (no)
    assert ann["brier"] == pytest.approx((0.16 + 0.01 + 0.04) / 3)
    assert ann["log"] == pytest.approx(-(math.log2(0.6) + math.log2(0.9) + math.log2(0.8)) / 3)
    assert ann["forecasts"] == 3
    # the pairs are the pairs of `all`; only the row's weighting differs
    every = score_table(*simple, rules=("brier", "log"), policy="all")
    assert each.pairs["brier"].tolist() == every.pairs["brier"].tolist()
    # grouped by nothing, the one row is every forecaster's forecasts once
    pooled = score_table(*simple, rules=("brier",), policy="each", by=()).frame
    assert pooled["brier"].iloc[0] == pytest.approx((0.16 + 0.01 + 0.04 + 0.49) / 4)


def test_good_judgment_daily_example():
    # Good Judgment Open / Cultivate Labs: 0.90 on days 1–3 and 0.95 on days 4–7 of a question
    # that resolved yes scores 0.0114 on the 0–2 scale.
    q = make_questions([{"id": "gj", "outcome": "yes", "close": 7, "resolve_by": 6}])
    f = make_forecasts([
        ("gj", "me", 0, 0.90),
        ("gj", "me", 3.1, 0.50),  # replaced later the same day: only the day's last counts
        ("gj", "me", 3.2, 0.95),
    ])
    r = score_table(q, f, rules=("brier",), policy="daily", brier_scale=2)
    me = row(r.frame, forecaster="me")
    assert round(me["brier"], 4) == 0.0114
    assert me["brier"] == pytest.approx((3 * 2 * 0.1**2 + 4 * 2 * 0.05**2) / 7, abs=1e-15)
    assert me["forecasts"] == 2


def test_daily_days_before_first_forecast_are_not_perfect():
    q = make_questions([{"id": "q", "outcome": "yes", "close": 10}])
    f = make_forecasts([("q", "ann", 5.5, 0.9), ("q", "bob", 1.5, 0.3)])
    score = {bf: row(score_table(q, f, rules=("brier",), policy="daily",
                                 before_first=bf).frame, forecaster="ann")["brier"]
             for bf in ("skip", "prior", "crowd")}
    fatebook_trap = 5 * 0.01 / 10  # days 1–5 counted as 0 while dividing by all 10 days
    assert score["skip"] == pytest.approx(0.01)          # days 6–10 only
    assert score["prior"] == pytest.approx((5 * 0.25 + 5 * 0.01) / 10)
    # crowd: day 1 nobody (prior 0.5), days 2–5 bob's 0.3, then ann's own 0.9
    assert score["crowd"] == pytest.approx((0.25 + 4 * 0.49 + 5 * 0.01) / 10)
    for value in score.values():
        assert value > fatebook_trap
    # bob, forecasting from day 2, loses day 1 only under prior/crowd
    bob = row(score_table(q, f, rules=("brier",), policy="daily", before_first="prior").frame,
              forecaster="bob")
    assert bob["brier"] == pytest.approx((0.25 + 9 * 0.49) / 10)


def test_daily_partial_last_day_and_forecast_before_opening():
    q = make_questions([{"id": "q", "outcome": "no", "opened": 0, "close": 2.5}])
    f = make_forecasts([("q", "ann", -1, 0.4), ("q", "ann", 2.25, 0.1)])
    # days end at 1, 2 and (partial) 2.5: 0.4, 0.4, 0.1
    r = score_table(q, f, rules=("brier",), policy="daily")
    assert row(r.frame, forecaster="ann")["brier"] == pytest.approx((2 * 0.16 + 0.01) / 3)


def test_metaculus_policy_by_hand():
    # scheduled close = end of resolve_by (day 9) = day 10; resolved early on day 8
    q = make_questions([{"id": "q", "outcome": "yes", "close": 8, "resolve_by": 9}])
    f = make_forecasts([("q", "ann", 2, 0.8), ("q", "bob", 4, 0.6)])
    r = score_table(q, f, rules=("baseline", "peer"), policy="metaculus")
    ann, bob = row(r.frame, forecaster="ann"), row(r.frame, forecaster="bob")
    base = {p: 100 * (math.log2(p) + 1) for p in (0.8, 0.6)}
    assert ann["baseline"] == pytest.approx(base[0.8] * 6 / 10)
    assert bob["baseline"] == pytest.approx(base[0.6] * 4 / 10)
    peer = 100 * math.log(0.8 / 0.6)
    assert ann["peer"] == pytest.approx(peer * 4 / 10)  # 0 while alone (days 2–4)
    assert bob["peer"] == pytest.approx(-peer * 4 / 10)
    assert ann["coverage"] == pytest.approx(6 / 8)


def test_peer_scores_sum_to_zero_per_question():
    rng = np.random.default_rng(3)
    q = make_questions([{"id": f"q{i}", "outcome": "yes" if i % 2 else "no", "close": 20}
                        for i in range(5)])
    f = make_forecasts([(f"q{i % 5}", f"p{rng.integers(4)}", float(rng.uniform(0, 19)),
                         float(np.round(rng.uniform(0, 1), 2))) for i in range(60)])
    pairs = score_table(q, f, rules=("peer",), policy="metaculus").pairs
    sums = pairs.groupby("question")["peer"].sum()
    assert (sums.abs() < 1e-12).all()


def test_forecasts_exactly_zero_and_one():
    q = make_questions([{"id": "q", "outcome": "no", "close": 10}])
    f = make_forecasts([("q", "sure", 0, 0.0), ("q", "wrong", 0, 1.0)])
    r = score_table(q, f, rules=("brier", "log", "spherical", "baseline"))
    sure, wrong = row(r.frame, forecaster="sure"), row(r.frame, forecaster="wrong")
    assert (sure["brier"], sure["spherical"]) == (0.0, 1.0)
    assert sure["log"] == pytest.approx(-math.log2(0.999))
    assert (wrong["brier"], wrong["spherical"]) == (1.0, 0.0)
    assert wrong["log"] == pytest.approx(math.log2(1000))
    assert wrong["baseline"] == pytest.approx(100 * (math.log2(0.001) + 1))
    assert r.meta["n_clipped"] == 2


def test_same_instant_forecasts_keep_the_later():
    q = make_questions([{"id": "q", "outcome": "yes", "close": 10}])
    f = make_forecasts([("q", "ann", 0, 0.2), ("q", "ann", 0, 0.7)])
    r = score_table(q, f, rules=("brier",))
    assert row(r.frame, forecaster="ann")["brier"] == pytest.approx(0.09)
    assert r.meta["n_superseded"] == 1


def test_since_until_select_by_close(simple):
    q, f = simple
    r = score_table(q, f, rules=("brier",), since="2024-01-10")  # q1 closes on 2024-01-11
    assert row(r.frame, forecaster="ann")["questions"] == 1
    r = score_table(q, f, rules=("brier",), until="2024-01-09")  # q2 closes 2024-01-09 00:00
    assert row(r.frame, forecaster="ann")["brier"] == pytest.approx(0.04)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"policy": "weekly"},
     "unknown policy 'weekly'; choose one of: time-averaged, daily, final, all, each, metaculus"),
    ({"rules": ("brier", "crps")}, "unknown rule 'crps'; choose one of: brier, log, spherical, "
                                   "baseline, peer, relative-brier"),
    ({"by": ("colour",)}, "unknown group 'colour'; choose one of: forecaster, source, tag, "
                          "horizon, type, month"),
    ({"crowd": "mode"}, "unknown crowd 'mode'; choose one of: median, mean, geo-odds"),
    ({"skill": "1"}, "unknown skill reference '1'; choose one of: 0.5, base-rate, crowd"),
    ({"before_first": "zero"}, "unknown before-first 'zero'; choose one of: skip, prior, crowd"),
    ({"brier_scale": 3}, "brier scale must be 1 (0–1) or 2 (0–2); got 3"),
])
def test_bad_options(simple, kwargs, message):
    with pytest.raises(InvalidInput) as err:
        score_table(*simple, **kwargs)
    assert str(err.value) == message


def test_bad_frames(simple):
    q, f = simple
    bad = f.copy()
    bad.loc[0, "probability"] = 1.5
    with pytest.raises(InvalidInput, match="forecast 1 on question q1 needs a probability"):
        score_table(q, bad)
    bad_q = q.copy()
    bad_q.loc[0, "outcome"] = "maybe"
    with pytest.raises(InvalidInput, match="binary question q1 resolved as 'maybe'"):
        score_table(bad_q, f)
    with pytest.raises(InvalidInput, match="the forecasts table lacks the column"):
        score_table(q, f.drop(columns="made_at"))
