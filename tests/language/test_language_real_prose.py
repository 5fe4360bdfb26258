"""The patterns of issue #19 (real analytic prose), one behaviour per test, on sentences written
for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from forethought.language import extract

REF = date(2025, 3, 14)  # a Friday


def forecasts(text: str, ref: date = REF):
    return [c for c in extract(text, ref) if c.kind == "forecast"]


def kinds(text: str, ref: date = REF) -> list[str]:
    return [c.kind for c in extract(text, ref)]


# -- hedges about the past or present are not forecasts -------------------------------------------
@pytest.mark.parametrize("text", [
    "It is highly likely that the militia was responsible for the attack.",
    "It is likely that the samples had been tested before the treaty was signed.",
    "Investigators could not conclusively say where the outbreak began.",
    "The report said the leak could not be ruled out without more data.",
    "It was not possible to forecast the storm's track more than five days ahead.",
    "As with any race, it's always possible that the favourite won't win.",
    "The hacking, he said, could be Moscow.",
    "Officials are talking about when it will be appropriate to cut rates.",
    "Analysts are trying to determine how soon the missiles might be ready.",
    "I will not comment on the details of the intelligence.",
])
def test_a_hedge_about_the_past_or_present_is_no_forecast(text):
    assert "forecast" not in kinds(text), [(c.kind, c.rule) for c in extract(text, REF)]


def test_a_present_aim_is_a_claim_not_a_forecast():
    assert kinds("The army still aims to take the whole province.") == ["claim"]


# -- reported forecasts are forecasts by their source --------------------------------------------
def test_according_to_makes_the_source_the_forecaster():
    [c] = forecasts("The Pacific could see another active cyclone season this year, according to "
                    "forecasters at the national weather agency.")
    assert c.cue == "could" and "national weather agency" in c.said_by
    assert c.resolve_by == date(2025, 12, 31)


def test_a_speaker_after_the_quote_reports_a_would():
    [c] = forecasts("The rebound would most likely be short-lived, the bank's economists wrote.")
    assert c.cue == "most likely" and c.said_by == "the bank's economists"


@pytest.mark.parametrize(("text", "speaker"), [
    ("The statistics office is also predicting a 60 percent chance of a recession.",
     "statistics office"),
    ("Output fell in May and Treasury staff expect it to recover in 2026.", "Treasury staff"),
    ("The World Trade Organization (WTO) said that trade will shrink this year.",
     "World Trade Organization (WTO)"),
    ("In the ISW's assessment, the offensive will likely stall within weeks.", "ISW"),
    ("It is widely reported that Foreign Minister Jane Roe said talks will fail.", "Jane Roe"),
])
def test_who_holds_the_expectation_made_the_forecast(text, speaker):
    [c] = forecasts(text)
    assert speaker in (c.said_by or ""), c.said_by


def test_a_past_prediction_of_a_future_event_is_still_a_forecast():
    [c] = forecasts("Last week, the minister predicted that the coalition would collapse.")
    assert c.cue == "predicted" and c.said_by == "the minister"


# -- one forecast per probability, year, threshold and coordinated clause ------------------------
def test_one_forecast_per_probability():
    found = forecasts("Forecasters see a 50 percent chance of a wet spring, a 30 percent chance "
                      "of a normal one and only a 20 percent chance of a dry one.")
    assert [c.cue for c in found] == ["50%", "30%", "20%"]
    assert [c.p for c in found] == [0.5, 0.3, 0.2]


def test_one_forecast_per_year_each_with_its_horizon():
    found = forecasts("The fund now expects the economy to grow 2.1% this year and 1.8% in 2026.")
    assert [(c.cue, c.resolve_by) for c in found] == [
        ("expects", date(2025, 12, 31)), ("expects", date(2026, 12, 31))]
    assert found[1].title_suggestion == "Will the economy grow 1.8% by December 31, 2026?"


def test_a_range_of_values_is_not_two_items():
    assert len(forecasts("We expect revenue of between $2 billion and $3 billion in 2025.")) == 1


def test_one_forecast_per_threshold():
    found = forecasts("Warming of 1.5°C and 2°C will be exceeded during the 21st century.")
    assert len(found) == 2 and all(c.resolve_by == date(2100, 12, 31) for c in found)
    assert "1.5°C" in found[0].title_suggestion and "2°C" in found[1].title_suggestion


def test_a_third_coordinated_clause_is_split():
    found = forecasts("Storms are expected, with the north likely to be wetter, while the south "
                      "could be drier.")
    assert [c.cue for c in found] == ["expected", "likely", "could"]


def test_coordinated_infinitives_after_one_cue():
    found = forecasts("Tighter credit is likely to slow hiring and to weigh on prices.")
    assert [c.cue for c in found] == ["likely", "likely"]


def test_nor_will_is_a_second_negative_forecast():
    found = forecasts("The siege will not break the defence, nor will the blockade.")
    assert [(c.cue, c.negated) for c in found] == [("will not", True), ("will not", True)]


def test_a_relative_clause_with_its_own_cue():
    found = forecasts("Diplomats argue the vote matters, where both vetoes are almost certain to "
                      "block the resolution.")
    assert [c.cue for c in found] == ["almost certain"]


def test_a_which_clause_stays_with_its_forecast():
    assert len(forecasts("Rain is likely tonight, which could delay the match.")) == 1


# -- cues ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "cue", "p", "low", "high"), [
    ("The chance of a cold winter is between 20 and 25 per cent.", "20-25%", 0.225, 0.2, 0.25),
    ("There is a 50%-55% chance of rain.", "50-55%", 0.525, 0.5, 0.55),
    ("The odds of a cut have risen from 40% to 65%.", "65%", 0.65, 0.65, 0.65),
    ("The analysts see a better than 50% chance of a strike.", "better than 50%", 0.5, 0.5, 1.0),
    ("Sea levels could rise a metre by the end of the century (10% chance).", "10%", 0.1, 0.1,
     0.1),
])
def test_explicit_probabilities_in_real_prose(text, cue, p, low, high):
    [c] = forecasts(text)
    assert (c.cue, c.p, c.p_low, c.p_high) == (cue, p, low, high)


@pytest.mark.parametrize(("text", "cue"), [
    ("The agency predicts it will most likely be a quiet season.", "most likely"),
    ("The committee anticipates that further increases may be needed.", "may"),
    ("The board believes that prices will fall.", "believes"),
    ("The board continues to expect that prices will fall.", "expect"),
    ("The hurricane outlook now calls for three major storms.", "calls for"),
    ("Inflation is projected at 2.4% in 2026.", "projected"),
    ("Cold days are more likely than mild ones this winter.", "more likely"),
    ("It's not likely we will raise rates again.", "unlikely"),
    ("Leaders said there is a \"very high\" likelihood that talks fail.", "very high likelihood"),
])
def test_the_cue_as_the_labels_read_it(text, cue):
    [c] = forecasts(text)
    assert c.cue == cue


def test_a_comparison_is_a_forecast_without_a_probability():
    [c] = forecasts("A wet summer is twice as likely as a dry one.")
    assert (c.cue, c.p) == ("twice as likely", None)


def test_a_does_not_expect_is_a_negative_forecast():
    [c] = forecasts("The army does not expect to conduct more strikes.")
    assert (c.cue, c.negated, c.p) == ("unlikely", True, 0.3)


# -- sentences that read as bullets or headlines -------------------------------------------------
def test_a_bullet_without_a_full_stop_is_read():
    [c] = forecasts("Inflation is expected to fall to 3% in 2026")
    assert c.resolve_by == date(2026, 12, 31)


@pytest.mark.parametrize("text", [
    "Minister says snap election could come as early as March",
    "Growth set to slow in 2026: IMF",
    "Rates could fall next year – central bank",
    "Markets Could Rally As Fed Signals Pause",
    "THIS PAGE MAY BE UPDATED.",
])
def test_a_headline_is_other(text):
    assert kinds(text) == ["other"]
