"""Issue 13's items whose fix is in the scoring engine and the charts: a policy that counts
every forecast once (item 4), the score chart naming the 0–2 range of multiple-choice Brier
scores (item 10), and CJK or emoji titles drawn without matplotlib's glyph warnings (item 13)."""

from __future__ import annotations

import json
import warnings

import pytest


def _history(run):
    """Two resolved questions: four forecasts by alice on one, one on the other."""
    a = run("ask", "Will the ferry run?", "--by", "2024-03-01", "--opened",
            "2024-01-01").stdout.strip()
    for day, p in (("02", "60%"), ("03", "70%"), ("04", "80%"), ("05", "90%")):
        run("forecast", a, p, "--at", f"2024-01-{day}")
    run("resolve", a, "yes", "--known-at", "2024-02-01")
    b = run("ask", "Will the bridge close?", "--by", "2024-03-01", "--opened",
            "2024-01-01").stdout.strip()
    run("forecast", b, "30%", "--at", "2024-01-02")
    run("resolve", b, "no", "--known-at", "2024-02-01")


def test_a_policy_counts_every_forecast_once_as_calibration_each_does(run):
    _history(run)
    # every forecast once: (0.16 + 0.09 + 0.04 + 0.01 + 0.09) / 5
    calibration = run("calibration", "--weighting", "each", "--as", "alice")
    assert "Brier 0.0780 (0–1 scale)" in calibration.stdout
    each = json.loads(run("score", "--policy", "each", "--rule", "brier", "--json").stdout)
    assert each["rows"][0]["brier"] == pytest.approx(0.078)
    # all: a pair's mean, then the pairs: (0.30 / 4 + 0.09) / 2
    pairs = json.loads(run("score", "--policy", "all", "--rule", "brier", "--json").stdout)
    assert pairs["rows"][0]["brier"] == pytest.approx(0.0825)


def test_the_score_chart_does_not_call_mixed_scales_0_to_1(run, tmp_path, monkeypatch):
    from forethought import charts

    _history(run)
    mc = run("ask", "Which team wins?", "--by", "2024-03-01", "--opened", "2024-01-01",
             "--option", "Reds", "--option", "Blues").stdout.strip()
    run("forecast", mc, "Reds=0.6,Blues=0.4", "--at", "2024-01-02")
    run("resolve", mc, "Blues", "--known-at", "2024-02-01")
    labels = []
    real = charts.plot_score_history

    def spy(*args, **kwargs):
        labels.append(kwargs.get("scale_label"))
        return real(*args, **kwargs)

    monkeypatch.setattr(charts, "plot_score_history", spy)
    assert run("chart", "scores", "--out", str(tmp_path / "s.png")).exit_code == 0
    assert labels and "0–2" in labels[0], labels


def test_a_chart_of_a_cjk_title_prints_no_glyph_warnings(run, tmp_path):
    qid = run("ask", "2026年の選挙で与党は勝つか？🚀", "--by", "2027-01-01", "--opened",
              "2026-01-01").stdout.strip()
    run("forecast", qid, "60%", "--at", "2026-01-05")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run("chart", "history", qid, "--out", str(tmp_path / "h.png"))
    assert result.exit_code == 0
    assert not [w for w in caught if "Glyph" in str(w.message)]
