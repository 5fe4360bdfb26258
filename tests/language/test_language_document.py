"""Acceptance on the seed document (shared/documents), published 2024-11-28."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from forethought.language import extract

DOCUMENT = (Path(__file__).resolve().parents[2].parent / "shared" / "documents"
            / "ukraine-war-escalates-2024-11.txt")
PUBLISHED = date(2024, 11, 28)


@pytest.fixture(scope="module")
def found():
    if not DOCUMENT.exists():
        pytest.skip(f"{DOCUMENT} is not beside the repository")
    text = DOCUMENT.read_text(encoding="utf-8")
    candidates = extract(text, PUBLISHED)
    for c in candidates:
        assert text[c.start : c.end] == c.text
    return candidates


def by_kind(found, kind):
    return [c for c in found if c.kind == kind]


def test_exactly_three_forecasts(found):
    forecasts = by_kind(found, "forecast")
    assert len(forecasts) == 3
    escalation, nato, mines = forecasts
    assert "engagements" in escalation.text
    assert escalation.cue == "likely" and 0.55 <= escalation.p <= 0.80
    assert escalation.resolve_by == date(2024, 12, 26)
    assert "in the coming weeks" in escalation.horizon_rule
    assert "NATO" in nato.text
    assert nato.cue == "could" and 0.20 <= nato.p <= 0.50
    assert "scrutiny" in mines.text
    assert mines.cue == "may" and 0.25 <= mines.p <= 0.50


def test_no_month_of_may_anywhere(found):
    for c in by_kind(found, "forecast"):
        assert c.resolve_by is not None and c.resolve_by.month != 5
        assert "May" not in (c.horizon_rule or "")
    for c in by_kind(found, "claim"):
        assert all(d.month != 5 for d in c.event_dates)


def test_claims_with_attribution_and_dates(found):
    claims = by_kind(found, "claim")
    speakers = {c.said_by for c in claims}
    assert "Ukraine's Air Force" in speakers
    assert any(s and "Russian Defense Ministry" in s for s in speakers)
    assert any(s and "Secretary General" in s for s in speakers)
    assert "Ukrainian officials" in speakers
    dates = {d for c in claims for d in c.event_dates}
    assert {date(2024, 11, 23), date(2024, 11, 25), date(2024, 11, 27)} <= dates
    assert all(d.year == 2024 for d in dates)
    record = next(c for c in claims if "drone attacks" in c.text)
    assert record.numbers == (188,) and record.event_date == date(2024, 11, 27)
    assert any("abandon its commitment" in c.text for c in claims)


def test_interpretations_and_headlines(found):
    interpretations = by_kind(found, "interpretation")
    assert len(interpretations) == 3
    assert ["indicates" in interpretations[0].text, "highlights" in interpretations[1].text,
            "raises" in interpretations[2].text] == [True, True, True]
    others = by_kind(found, "other")
    assert len(others) == 3 and all(not c.text.endswith(".") for c in others)


def test_titles_are_drafted(found):
    escalation = by_kind(found, "forecast")[0]
    assert escalation.title_suggestion == \
        "Will there be further military engagements by December 26, 2024?"
    assert "2024-12-26" in escalation.criteria_suggestion
