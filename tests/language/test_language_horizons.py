"""parse_horizon: the spec's table, hand-computed, and the three known date traps."""

from __future__ import annotations

from datetime import date

import pytest

from forethought.language import extract, parse_horizon

REF = date(2024, 11, 28)  # a Thursday

TABLE = [
    ("in the coming days", date(2024, 12, 5)),
    ("in the next few days", date(2024, 12, 5)),
    ("in the days ahead", date(2024, 12, 5)),
    ("in the coming weeks", date(2024, 12, 26)),
    ("over the next several weeks", date(2024, 12, 26)),
    ("within weeks", date(2024, 12, 26)),
    ("in the weeks ahead", date(2024, 12, 26)),
    ("in the coming months", date(2025, 2, 26)),
    ("within months", date(2025, 2, 26)),
    ("next week", date(2024, 12, 8)),  # Sunday of the next calendar week
    ("next month", date(2024, 12, 31)),
    ("next year", date(2025, 12, 31)),
    ("next quarter", date(2025, 3, 31)),
    ("in 10 days", date(2024, 12, 8)),
    ("in two weeks", date(2024, 12, 12)),
    ("in 3 months", date(2025, 2, 28)),
    ("within the next 30 years", date(2054, 11, 28)),
    ("by the end of the year", date(2024, 12, 31)),
    ("by year-end", date(2024, 12, 31)),
    ("later this year", date(2024, 12, 31)),
    ("by the end of March", date(2025, 3, 31)),
    ("by March", date(2025, 3, 31)),
    ("by November", date(2024, 11, 30)),  # the next such month still ends ahead
    ("early March", date(2025, 3, 10)),
    ("mid-December", date(2024, 12, 20)),
    ("late January", date(2025, 1, 31)),
    ("soon", date(2024, 12, 28)),
    ("in the near term", date(2024, 12, 28)),
    ("by March 3, 2025", date(2025, 3, 3)),
    ("on December 12", date(2024, 12, 12)),
    ("by 2026", date(2026, 12, 31)),
    ("by mid-2025", date(2025, 6, 30)),
    ("in the second half of 2025", date(2025, 12, 31)),
    ("in the first quarter", date(2025, 3, 31)),
    ("tomorrow", date(2024, 11, 29)),
    ("on Saturday", date(2024, 11, 30)),
    ("next weekend", date(2024, 12, 8)),
    ("through the winter", date(2025, 2, 28)),
    # issue #19: expressions met in real analytic prose
    ("over a number of days", date(2024, 12, 5)),
    ("in the next couple of months", date(2025, 1, 28)),
    ("within the next day or two", date(2024, 11, 30)),
    ("in 2-3 years", date(2027, 11, 28)),
    ("within a decade", date(2034, 11, 28)),
    ("over the next century", date(2124, 11, 28)),
    ("in the coming year", date(2025, 11, 28)),
    ("in the early 2030s", date(2033, 12, 31)),
    ("by the end of the century", date(2100, 12, 31)),
    ("during the 21st century", date(2100, 12, 31)),
    ("until at least the mid-century", date(2050, 12, 31)),
    ("before 2050", date(2049, 12, 31)),
    ("as early as 2050", date(2050, 12, 31)),
    ("during October to December", date(2024, 12, 31)),
    ("by the March-May period", date(2025, 5, 31)),
    ("through most of the summer", date(2025, 8, 31)),
    ("through the Northern Hemisphere winter of 2025-26", date(2026, 2, 28)),
    ("for the rest of the year", date(2024, 12, 31)),
    ("before the night is over", date(2024, 11, 28)),
]


@pytest.mark.parametrize(("expression", "expected"), TABLE, ids=[t[0] for t in TABLE])
def test_horizon_table(expression, expected):
    found = parse_horizon(f"Talks will resume {expression}.", REF)
    assert found is not None
    resolve_by, rule, matched = found
    assert resolve_by == expected
    assert matched in f"Talks will resume {expression}."
    assert "→" in rule


def test_rule_names_the_expression_and_the_arithmetic():
    assert parse_horizon("in the coming weeks", REF) == (
        date(2024, 12, 26), "in the coming weeks → +28 days", "in the coming weeks")


def test_no_expression_gives_none_and_extract_applies_the_inferred_default():
    assert parse_horizon("Prices may rise.", REF) is None
    [c] = extract("Prices may rise.", REF)
    assert c.resolve_by == date(2025, 2, 26) and c.horizon_inferred
    assert "default" in c.horizon_rule


def test_trap_modal_may_is_not_the_month():
    assert parse_horizon("Scrutiny may pressure the government.", REF) is None
    [c] = extract("Scrutiny may pressure the government.", REF)
    assert c.cue == "may" and c.resolve_by == date(2025, 2, 26)
    # …while the month is still read where it is one
    [c] = extract("Prices may ease in May, the ministry said.", REF)
    assert c.cue == "may" and c.resolve_by == date(2025, 5, 31)


def test_trap_sentence_initial_may_month_is_not_the_modal():
    [c] = extract("May sales figures will be released on June 12.", REF)
    assert c.cue == "will" and c.resolve_by == date(2025, 6, 12)


def test_trap_a_year_is_never_a_clock_time():
    found = parse_horizon("The bridge will reopen in 2025.", REF)
    assert found is not None and found[0] == date(2025, 12, 31)
    [c] = extract("Officials said the bridge will reopen in 2025.", REF)
    assert c.resolve_by == date(2025, 12, 31)


def test_trap_claim_dates_without_a_year_point_to_the_past():
    [c] = extract("Ukraine's Air Force reported 188 drone attacks on November 27.", REF)
    assert c.kind == "claim" and c.event_date == date(2024, 11, 27)
    [c] = extract("The ministry reported the figures on December 3.", REF)
    assert c.event_date == date(2023, 12, 3)  # the most recent December 3 at or before REF


def test_announced_future_dates_in_a_claim_point_ahead():
    [c] = extract("The league confirmed that the final will be played on June 14.", REF)
    assert c.kind == "claim" and c.event_date == date(2025, 6, 14)


def test_open_ended_phrases_take_the_default():
    # "in the coming years" names no period (the blind labels give it the default, too)
    [c] = extract("Russia will remain a threat in the coming years.", REF)
    assert c.horizon_inferred and c.resolve_by == date(2025, 2, 26)


@pytest.mark.parametrize("text", [
    "The trade commissioner said on Thursday that tariffs will rise.",
    "Tariffs will rise, the trade commissioner said on Thursday.",
    "Tariffs will rise, the think tank said in its daily update on December 5.",
    "The agency, by announcing Wednesday that the season will be busy, raised hopes.",
])
def test_the_date_of_a_statement_is_not_a_horizon(text):
    [c] = [c for c in extract(text, REF) if c.kind == "forecast"]
    assert c.horizon_inferred, c.horizon_rule


@pytest.mark.parametrize("text", [
    "The forecast issued in December said the season will be busy.",
    "It tests democracy to a degree the nation hasn't experienced in 150 years.",
    "The world could be 6C warmer than it is today by 2100.",
])
def test_time_expressions_that_look_back_are_not_horizons(text):
    found = parse_horizon(text, REF)
    assert found is None or found[0] >= date(2100, 1, 1), found
