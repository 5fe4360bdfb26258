"""extract(): the API contract, JSON, bad input, speed."""

from __future__ import annotations

from datetime import date

import pytest

from forethought.errors import InvalidInput
from forethought.language import Candidate, extract

REF = date(2024, 11, 28)
TEXT = ("Ukraine Talks Stall\n"
        "Officials said the death toll is likely to rise in the coming days. "
        "Police arrested 14 people on November 23.\n"
        "Could the talks resume?\n")


def test_empty_text_and_text_without_sentences_give_nothing():
    assert extract("", REF) == []
    assert extract("   \n\n\t ", REF) == []


def test_spans_point_into_the_original_text():
    for c in extract(TEXT, REF):
        assert TEXT[c.start : c.end] == c.text
    assert [c.kind for c in extract(TEXT, REF)] == ["other", "forecast", "claim", "other"]


def test_candidates_are_frozen():
    c = extract(TEXT, REF)[1]
    with pytest.raises(AttributeError):
        c.kind = "claim"  # type: ignore[misc]


def test_json_contract_keys():
    found = {c.kind: c.to_json() for c in extract(TEXT, REF)}
    forecast, claim = found["forecast"], found["claim"]
    for key in ("kind", "text", "start", "end", "cue", "p", "p_low", "p_high", "scale",
                "resolve_by", "horizon_rule"):
        assert key in forecast
    assert forecast["resolve_by"] == "2024-12-05"
    assert (forecast["cue"], forecast["p"], forecast["scale"]) == ("likely", 0.7, "icd203")
    assert forecast["said_by"] == "Officials"
    assert forecast["title_suggestion"].startswith("Will the death toll rise by")
    for key in ("kind", "text", "start", "end", "said_by", "event_date", "numbers"):
        assert key in claim
    assert claim["event_date"] == "2024-11-23" and claim["numbers"] == [14]
    assert "cue" not in claim and "numbers" not in forecast


def test_unknown_scale_is_refused_with_the_choices():
    with pytest.raises(InvalidInput, match="unknown scale 'bogus'.*icd203"):
        extract("Prices will likely rise.", REF, scale="bogus")


def test_default_horizon_days_is_configurable():
    [c] = extract("Prices may rise.", REF, default_horizon_days=30)
    assert c.resolve_by == date(2024, 12, 28) and c.horizon_inferred


def test_published_defaults_to_today():
    [c] = extract("Prices may rise in the coming days.")
    assert (c.resolve_by - date.today()).days == 7


def test_candidate_type():
    assert all(isinstance(c, Candidate) for c in extract(TEXT, REF))


def _calls(text: str) -> int:
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    found = extract(text, REF)
    profile.disable()
    assert found
    return sum(stats[1] for stats in pstats.Stats(profile).stats.values())


def test_work_grows_in_proportion_to_the_text():
    """Ten times the text, about ten times the work: no step is quadratic in the document.
    Counted in Python calls, not seconds (speed lives in bench/)."""
    para = ("The committee said inflation will likely ease next year, while wages may rise. "
            "Exports fell 3% in October, according to the statistics office. "
            "This suggests demand is weakening.\n")
    _calls(para * 5)  # warm: the first run compiles and caches what later runs reuse
    small, large = _calls(para * 20), _calls(para * 200)
    assert large < 12 * small, (small, large)
