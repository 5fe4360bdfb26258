"""The labelled evaluation (bench/extraction) must keep meeting its targets."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[2] / "bench" / "extraction" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("extraction_bench", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["extraction_bench"] = module
    spec.loader.exec_module(module)
    return module


def test_labelled_set_is_large_enough(bench):
    report = bench.evaluate()
    assert report.items >= 80


def test_targets_are_met(bench):
    figures = bench.headline(bench.evaluate())
    for name, target in bench.TARGETS.items():
        assert figures[name] >= target, f"{name} {figures[name]:.3f} < {target}"


def test_the_blind_set_meets_the_same_targets(bench):
    figures = bench.headline(bench.evaluate(bench.BLIND))
    for name, target in bench.TARGETS.items():
        assert figures[name] >= target, f"{name} {figures[name]:.3f} < {target}"


# Issue #19's targets on the real-sentence development set, where they are met; attribution (who
# made the forecast) is not: most forecasters there are named outside the sentence (REAL.md).
REAL_MET = ("forecast precision", "forecast recall", "cue", "probability in band", "polarity",
            "horizon exact")


def test_the_real_development_set_meets_issue_19_targets(bench):
    report = bench.evaluate(bench.REAL)
    assert report.items >= 300
    figures = bench.headline(report, bench.REAL_TARGETS)
    for name in REAL_MET:
        target = bench.REAL_TARGETS[name]
        assert figures[name] >= target, f"{name} {figures[name]:.3f} < {target}"


def test_probability_bands_of_labelled_cues(bench):
    assert bench.label_band("likely", "icd203") == (0.55, 0.80)
    assert bench.label_band("20-25%", "icd203") == (0.20, 0.25)
    assert bench.label_band("better than 50%", "icd203") == (0.5, 1.0)
    low, high = bench.label_band("will not", "icd203")
    assert (round(low, 2), round(high, 2)) == (0.05, 0.25)
    assert bench.label_band("expected", "icd203") == (0.55, 0.80)
    assert bench.label_band("more likely", "icd203") is None


def test_the_runner_prints_the_table(bench, capsys):
    assert bench.main([]) == 0
    out = capsys.readouterr().out
    for needle in ("forecast precision", "forecast recall", "cue accuracy",
                   "horizon exact accuracy", "held-out"):
        assert needle in out
