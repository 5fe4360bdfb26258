"""Titles state a checkable event, never the hedge (issue #19): read over every forecast the
extractor finds in the labelled sets, and on hand-made cases."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from forethought.language import extract
from forethought.language.drafting import base_form, present_base

BENCH = Path(__file__).resolve().parents[2] / "bench" / "extraction"
SETS = ("sentences", "heldout", "blind", "real", "real-heldout")
FORBIDDEN = re.compile(r"\bthis hold\b|\bthis statement\b|\boccur by\b", re.IGNORECASE)
QUESTION = re.compile(r"^(?:Will (?P<a>.+?)|(?P<lead>[A-Z][^?]*), will (?P<b>.+?)) by "
                      r"[A-Z][a-z]+ \d{1,2}, \d{4}\?$")
FALLBACK = re.compile(r"^(?:[A-Z][^?]*, by|By) [A-Z][a-z]+ \d{1,2}, \d{4}, will it be the case "
                      r"that (?P<c>.+)\?$")


def _forecasts():
    for name in SETS:
        for item in yaml.safe_load((BENCH / f"{name}.yaml").read_text(encoding="utf-8")):
            published = date.fromisoformat(str(item["published"]))
            for c in extract(item["text"], published):
                if c.kind == "forecast":
                    yield item["id"], c


def _event(title: str) -> str | None:
    m = QUESTION.match(title)
    if m:
        return m.group("a") or m.group("b")
    m = FALLBACK.match(title)
    return m.group("c") if m else None


def _cue_in(cue: str | None, event: str) -> bool:
    if not cue or cue in ("will", "will not"):
        return False  # the question's own "Will"
    word = cue.removesuffix(" to")
    # Case-sensitive for a bare modal so that the month "May" is not the cue "may".
    flags = 0 if word in ("may", "might", "could", "should", "would") else re.IGNORECASE
    return re.search(rf"(?<![\w%]){re.escape(word)}(?![\w%])", event, flags) is not None


@pytest.fixture(scope="module")
def forecasts():
    found = list(_forecasts())
    assert len(found) > 400
    return found


def test_every_title_is_a_question_about_an_event(forecasts):
    wrong = [(where, c.title_suggestion) for where, c in forecasts
             if (event := _event(c.title_suggestion)) is None or len(event.split()) < 2]
    assert not wrong, wrong[:10]


def test_no_title_or_criteria_states_the_hedge(forecasts):
    wrong = [(where, c.title_suggestion) for where, c in forecasts
             if FORBIDDEN.search(c.title_suggestion) or FORBIDDEN.search(c.criteria_suggestion)]
    assert not wrong, wrong[:10]


def test_no_title_repeats_its_cue(forecasts):
    wrong = [(where, c.cue, c.title_suggestion) for where, c in forecasts
             if _cue_in(c.cue, _event(c.title_suggestion) or "")]
    assert not wrong, wrong[:10]


@pytest.mark.parametrize(("text", "published", "title"), [
    ("The Atlantic Ocean could see another above normal hurricane season this year, according "
     "to forecasters at NOAA's Climate Prediction Center.", date(2017, 5, 25),
     "Will the Atlantic Ocean see another above normal hurricane season by December 31, 2017?"),
    ("Forecasters predict a 45 percent chance of an above normal season.", date(2017, 5, 25),
     "Will there be an above normal season by August 23, 2017?"),
    ("The IMF now projects the world economy will grow 3.4 percent this year and 3.6 percent "
     "in 2017.", date(2016, 1, 19),
     "Will the world economy grow 3.6 percent by December 31, 2017?"),
    ("The economy, meanwhile, is seen expanding by 0.6% in 2024.", date(2024, 3, 9),
     "Will the economy expand by 0.6% by December 31, 2024?"),
    ("Global inflation is projected at 4.2% in 2025.", date(2025, 10, 14),
     "Will global inflation be at 4.2% by December 31, 2025?"),
])
def test_titles_name_the_event(text, published, title):
    assert extract(text, published)[-1].title_suggestion == title


def test_criteria_state_what_must_have_happened():
    c = extract("Forecasters predict a 45 percent chance of an above normal season.",
                date(2017, 5, 25))[0]
    assert c.criteria_suggestion == ("Resolves YES if credible public reporting shows that, on "
                                     "or before 2017-08-23, there was an above normal season. "
                                     "Resolves NO otherwise.")


@pytest.mark.parametrize(("word", "base"), [("winning", "win"), ("continuing", "continue"),
                                            ("occurring", "occur"), ("expanding", "expand"),
                                            ("taking", "take"), ("rising", "rise")])
def test_base_form_of_an_ing_verb(word, base):
    assert base_form(word) == base


@pytest.mark.parametrize(("sentence", "title", "happened"), [
    # issue 13's sentence: the event is a clause after "chance that", with a finite verb
    ("There is a roughly even chance that Congress passes the Chip Security Act next year.",
     "Will Congress pass the Chip Security Act by December 31, 2027?",
     "Congress did pass the Chip Security Act"),
    ("There is a realistic possibility that the court will rule against the merger by March.",
     "Will the court rule against the merger by March 31, 2026?",
     "the court did rule against the merger"),
    ("We see a 30% chance that the talks collapse this year.",
     "Will the talks collapse by December 31, 2026?", "the talks did collapse"),
    ("There is a slim chance that the senator carries the state in 2026.",
     "Will the senator carry the state by December 31, 2026?",
     "the senator did carry the state"),
])
def test_a_chance_that_clause_is_asked_as_its_event(sentence, title, happened):
    (c,) = [c for c in extract(sentence, date(2026, 1, 15)) if c.kind == "forecast"]
    assert c.title_suggestion == title
    assert f", {happened}. Resolves NO otherwise." in c.criteria_suggestion


@pytest.mark.parametrize(("word", "base"), [("passes", "pass"), ("carries", "carry"),
                                            ("wins", "win"), ("reaches", "reach"),
                                            ("approves", "approve"), ("has", "have"),
                                            ("bus", None), ("Congress", None), ("glass", None)])
def test_present_base(word, base):
    assert present_base(word) == base
