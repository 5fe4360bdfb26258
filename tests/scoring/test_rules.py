"""Per-forecast rules: hand-computed tables, published examples, scikit-learn as an oracle, and
hypothesis properties (bounds, perfect forecasts, propriety)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import brier_score_loss, log_loss

from forethought.errors import InvalidInput
from forethought.scoring import (
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

# --- published examples ------------------------------------------------------------------------


def test_sklearn_docstring_binary_example():
    # scikit-learn's brier_score_loss docstring: y = [0, 1, 1, 0], p = [0.1, 0.9, 0.8, 0.3]
    assert brier_scores([0.1, 0.9, 0.8, 0.3], [0, 1, 1, 0]).mean() == pytest.approx(0.0375)
    assert brier_scores([0.1, 0.9, 0.8, 0.3], [0, 1, 1, 0], scale=2).mean() == pytest.approx(0.075)


def test_sklearn_docstring_three_class_example():
    # outcomes eggs, ham, spam; options in the order eggs, ham, spam
    F = [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.2, 0.2, 0.6]]
    assert multi_brier_scores(F, [0, 1, 2]).mean() == pytest.approx(0.44 / 3, abs=1e-15)
    assert multi_brier_scores(F, np.eye(3)).mean() == pytest.approx(0.146666666666666, abs=1e-12)


def test_metaculus_baseline_at_80_percent():
    # Metaculus scoring FAQ: a binary 80 % forecast scores +67.8 if right, -132.2 if wrong
    right, wrong = baseline_scores([0.8, 0.2], 2)
    assert round(right, 1) == 67.8
    assert round(wrong, 1) == -132.2


# --- hand-computed tables ----------------------------------------------------------------------

BINARY_TABLE = [
    # p,    o, brier,   brier2,  log bits (clipped),       spherical
    (0.0, 0, 0.0, 0.0, -math.log2(0.999), 1.0),
    (0.0, 1, 1.0, 2.0, -math.log2(0.001), 0.0),
    (1.0, 1, 0.0, 0.0, -math.log2(0.999), 1.0),
    (1.0, 0, 1.0, 2.0, -math.log2(0.001), 0.0),
    (0.5, 1, 0.25, 0.5, 1.0, 0.5 / math.sqrt(0.5)),
    (0.7, 1, 0.09, 0.18, -math.log2(0.7), 0.7 / math.sqrt(0.58)),
    (0.7, 0, 0.49, 0.98, -math.log2(0.3), 0.3 / math.sqrt(0.58)),
    (0.15, 0, 0.0225, 0.045, -math.log2(0.85), 0.85 / math.sqrt(0.745)),
]


@pytest.mark.parametrize(("p", "o", "brier", "brier2", "log", "sph"), BINARY_TABLE)
def test_binary_rules_by_hand(p, o, brier, brier2, log, sph):
    assert brier_scores([p], [o])[0] == pytest.approx(brier, abs=1e-15)
    assert brier_scores([p], [o], scale=2)[0] == pytest.approx(brier2, abs=1e-15)
    p_out = p if o == 1 else 1 - p
    assert log_scores([p_out])[0] == pytest.approx(log, abs=1e-12)
    assert spherical_scores([p], [o])[0] == pytest.approx(sph, abs=1e-12)
    # a binary question as two options gives the 0-2 Brier
    assert multi_brier_scores([[p, 1 - p]], [0 if o == 1 else 1])[0] == pytest.approx(brier2)


def test_log_clipping_is_counted_and_optional():
    p_out = np.array([0.0, 0.0005, 0.001, 0.5, 0.9995, 1.0])
    assert n_clipped(p_out) == 4
    assert log_scores(p_out)[0] == pytest.approx(math.log2(1000))
    assert np.isinf(log_scores(p_out, clip=None)[0])
    assert n_clipped(p_out, clip=None) == 0
    assert log_scores([0.25], clip=None)[0] == 2.0


def test_multi_rules_by_hand():
    F = np.array([[0.5, 0.3, 0.2], [0.0, 0.0, 1.0]])
    E = [1, 2]
    # (0.5² + 0.7² + 0.2²) = 0.78; second is perfect
    assert multi_brier_scores(F, E).tolist() == pytest.approx([0.78, 0.0])
    assert spherical_scores(F, E).tolist() == pytest.approx([0.3 / math.sqrt(0.38), 1.0])
    # baseline with K = 3: 100 ln(3 f) / ln 3
    assert baseline_scores([0.3, 1 / 3], 3).tolist() == pytest.approx(
        [100 * math.log(0.9) / math.log(3), 0.0], abs=1e-12)


def test_peer_scores_by_hand_and_sum_to_zero():
    p_out = [0.8, 0.5, 0.2, 0.9, 0.6]
    groups = ["a", "a", "a", "b", "b"]
    peer = peer_scores(p_out, groups)
    ln = np.log([0.8, 0.5, 0.2])
    assert peer[0] == pytest.approx(100 * (ln[0] - (ln[1] + ln[2]) / 2))
    assert peer[3] == pytest.approx(100 * math.log(0.9 / 0.6))
    assert abs(peer[:3].sum()) < 1e-12
    assert abs(peer[3:].sum()) < 1e-12
    assert np.isnan(peer_scores([0.7], ["alone"])[0])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=2, max_size=30), st.integers(1, 4))
def test_peer_scores_sum_to_zero_property(p_out, n_groups):
    groups = np.arange(len(p_out)) % n_groups
    peer = peer_scores(p_out, groups)
    for g in np.unique(groups):
        if (groups == g).sum() >= 2:
            assert abs(peer[groups == g].sum()) < 1e-9


def test_relative_brier_uses_median_including_self():
    b = [0.04, 0.16, 0.36, 0.64, 0.09]
    rel = relative_brier_scores(b, [1, 1, 1, 1, 2])
    # group 1 median of 4 values = (0.16 + 0.36) / 2 = 0.26
    assert rel[:4].tolist() == pytest.approx([-0.22, -0.10, 0.10, 0.38])
    assert rel[4] == 0.0


def test_skill_scores():
    assert skill_scores([0.1, 0.25, 0.3], [0.25, 0.25, 0.25]).tolist() == pytest.approx(
        [0.6, 0.0, -0.2])
    # positively oriented rules: (S - S_ref) / (1 - S_ref)
    assert skill_scores([0.9], [0.5], perfect=1.0)[0] == pytest.approx(0.8)
    assert np.isnan(skill_scores([0.1], [0.0])[0])


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda: brier_scores([0.2, 1.2], [0, 1]),
     "probabilities must be between 0 and 1; got 1.2 at position 1"),
    (lambda: brier_scores([0.2, float("nan")], [0, 1]),
     "probabilities must be numbers between 0 and 1; got nan at position 1"),
    (lambda: brier_scores([0.2, 0.3], [0, 2]),
     "outcomes must be 0 (no) or 1 (yes); got 2 at position 1"),
    (lambda: brier_scores([0.2, 0.3], [0]),
     "probabilities and outcomes must have the same length; got 2 and 1"),
    (lambda: brier_scores([0.2], [0], scale=3),
     "brier scale must be 1 (0–1) or 2 (0–2); got 3"),
    (lambda: multi_brier_scores([[0.5, 0.6]], [0]),
     "each forecast's probabilities must sum to 1; row 0 sums to 1.1"),
    (lambda: multi_brier_scores([[0.5, 0.5]], [2]),
     "outcomes must be option numbers 0 … 1; got 2 at position 0"),
    (lambda: log_scores([0.5], clip=(0.5, 0.4)),
     "clip bounds must satisfy 0 < low < high < 1; got (0.5, 0.4)"),
    (lambda: baseline_scores([0.5], 1),
     "the number of options k must be a whole number of at least 2; got 1"),
])
def test_exact_messages(call, message):
    with pytest.raises(InvalidInput) as err:
        call()
    assert str(err.value) == message


# --- scikit-learn as an oracle -----------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_against_sklearn(seed):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.001, 0.999, 500)
    o = (rng.random(500) < p).astype(int)
    assert brier_scores(p, o).mean() == pytest.approx(brier_score_loss(o, p), abs=1e-14)
    assert brier_scores(p, o, scale=2).mean() == pytest.approx(
        brier_score_loss(o, p, scale_by_half=False), abs=1e-14)
    p_out = np.where(o == 1, p, 1 - p)
    # scikit-learn's log loss is in nats
    assert log_scores(p_out).mean() * math.log(2) == pytest.approx(log_loss(o, p), abs=1e-12)
    F = rng.dirichlet(np.ones(4), 300)
    y = np.array([rng.choice(4, p=f) for f in F])
    assert multi_brier_scores(F, y).mean() == pytest.approx(
        brier_score_loss(y, F, labels=[0, 1, 2, 3]), abs=1e-14)


# --- properties --------------------------------------------------------------------------------

probability = st.floats(0, 1, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(probability, st.sampled_from([0, 1]))
def test_bounds(p, o):
    assert 0 <= brier_scores([p], [o])[0] <= 1
    assert 0 <= brier_scores([p], [o], scale=2)[0] <= 2
    assert 0 <= spherical_scores([p], [o])[0] <= 1 + 1e-15
    p_out = p if o else 1 - p
    assert 0 < log_scores([p_out])[0] <= math.log2(1000) + 1e-12
    assert -100 * math.log2(500) - 1e-9 <= baseline_scores([p_out])[0] <= 100


@given(st.sampled_from([0, 1]))
def test_perfect_forecasts(o):
    assert brier_scores([float(o)], [o])[0] == 0
    assert log_scores([1.0], clip=None)[0] == 0
    assert spherical_scores([float(o)], [o])[0] == 1
    assert multi_brier_scores([[0, 1, 0]], [1])[0] == 0


@settings(max_examples=100, deadline=None)
@given(st.floats(0.01, 0.99))
def test_propriety(q):
    """The expected score under the true probability q is best at the forecast p = q."""
    grid = np.linspace(0.001, 0.999, 999)
    ones, zeros = np.ones_like(grid), np.zeros_like(grid)

    def expected(rule):
        return q * rule(grid, ones) + (1 - q) * rule(grid, zeros)

    for rule, best in [
        (lambda p, o: brier_scores(p, o), np.argmin),
        (lambda p, o: log_scores(np.where(o == 1, p, 1 - p)), np.argmin),
        (lambda p, o: spherical_scores(p, o), np.argmax),
        (lambda p, o: baseline_scores(np.where(o == 1, p, 1 - p)), np.argmax),
    ]:
        assert abs(grid[best(expected(rule))] - q) <= 0.0011


# --- grouped medians ---------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.sampled_from([0.0, 0.05, 0.3, 0.5, 0.71, 1.0])),
                min_size=0, max_size=60))
def test_coded_grouped_median_equals_the_plain_one(cells):
    from forethought.scoring.rules import grouped_median, grouped_median_coded

    groups = np.array([g for g, _ in cells], dtype=np.int64)
    values = np.array([v for _, v in cells], dtype=float)
    uniques, codes = np.unique(np.r_[values, np.nan], return_inverse=True)  # NaN sorts last
    got = grouped_median_coded(codes.reshape(-1)[:-1], uniques, groups, 8)
    want = grouped_median(values, groups, 8)
    np.testing.assert_array_equal(got, want)
    for g in range(8):  # and both are the median
        inside = values[groups == g]
        assert (np.isnan(got[g]) if inside.size == 0 else got[g] == np.median(inside))
