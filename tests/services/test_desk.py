"""My desk, on SQLite and PostgreSQL: stalest open forecasts first, what is mine to resolve under
each role and setting, and scores that agree with the scoreboard's (the desk scores one
person's forecasts on its own frames; the scoreboard scores everyone's through the columnar
path: the two must give the same numbers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from forethought.domain.accounts import Actor
from forethought.errors import Unauthorized

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


def _as(store, name: str, role: str = "forecaster"):
    return store.acting_as(Actor(name, role))


@pytest.fixture
def desk_world(store):
    """ann and bob forecast five questions asked by ann; three resolve (yes, no, ambiguous),
    one is due, one is open."""
    from forethought.services import questions

    ann, bob = _as(store, "ann"), _as(store, "bob")
    ids = []
    for n, (days, p_ann, p_bob) in enumerate(((40, "70%", "40%"), (35, "3:1", "1 in 5"),
                                              (30, "likely", "50%"), (25, "20%", "90%"),
                                              (20, "0.55", "0.45"))):
        opened = NOW - timedelta(days=days)
        due = (NOW - timedelta(days=2)).date() if n == 3 else (NOW + timedelta(days=30)).date()
        q = questions.ask(ann, f"Question {n}", due if n >= 3 else opened.date() + timedelta(
            days=10), opened=opened, now=NOW)
        questions.forecast(ann, q.id, p_ann, forecaster="ann", at=opened + timedelta(days=1),
                           now=NOW)
        questions.forecast(bob, q.id, p_bob, forecaster="bob", at=opened + timedelta(days=2),
                           now=NOW)
        if n == 0:  # ann revises: the later forecast stands
            questions.forecast(ann, q.id, "80%", forecaster="ann",
                               at=opened + timedelta(days=5), now=NOW)
        ids.append(q.id)
    for qid, outcome in zip(ids[:3], ("yes", "no", "ambiguous"), strict=True):
        questions.resolve(store, qid, outcome, known_at=NOW - timedelta(days=3), now=NOW)
    return ids


def test_the_desk_scores_agree_with_the_scoreboard(store, desk_world):
    from forethought.services.calibration import calibrate, workspace_series
    from forethought.services.desk import desk
    from forethought.services.scores import score

    mine = desk(_as(store, "ann"), now=NOW)
    board = score(store, rules=["brier", "log"], by=["forecaster"]).frame
    row = board[board["forecaster"] == "ann"].iloc[0]
    assert mine.brier == pytest.approx(float(row["brier"]), abs=1e-12)
    assert mine.log == pytest.approx(float(row["log"]), abs=1e-12)
    assert mine.scored == int(row["questions"]) == 2
    expected = calibrate(workspace_series(store, ["ann"]))["ann"]
    assert mine.calibration is not None and mine.calibration.n == expected.n
    assert mine.calibration.brier == pytest.approx(expected.brier, abs=1e-12)
    by_question = {s.question_id: s for s in mine.resolved}
    assert set(by_question) == set(desk_world[:3])
    assert by_question[desk_world[0]].last == pytest.approx(0.8)
    assert by_question[desk_world[2]].brier is None  # ambiguous: counted, never scored
    assert [s.question_id for s in mine.open] == [desk_world[3], desk_world[4]]  # stalest first
    assert mine.open[0].due and not mine.open[1].due and mine.forecasts == 6


def test_what_is_mine_to_resolve(store, desk_world):
    from forethought.services.accounts import set_setting
    from forethought.services.desk import desk

    due = desk_world[3]
    assert [t.question_id for t in desk(_as(store, "ann"), now=NOW).to_resolve] == [due]
    assert desk(_as(store, "bob"), now=NOW).to_resolve == []  # not the author
    assert [t.question_id for t in desk(_as(store, "rita", "resolver"), now=NOW).to_resolve
            ] == [due]
    assert desk(_as(store, "vic", "viewer"), now=NOW).to_resolve == []
    set_setting(store, "resolvers", "resolvers-only")
    assert desk(_as(store, "ann"), now=NOW).to_resolve == []  # the desk is rebuilt: a new
    # setting changes its version


def test_the_desk_is_kept_until_something_it_shows_changes(store, desk_world):
    from forethought.services import questions
    from forethought.services.desk import desk

    ann = _as(store, "ann")
    first = desk(ann, now=NOW)
    assert desk(ann, now=NOW) is first
    assert desk(_as(store, "bob"), now=NOW) is not first
    questions.forecast(ann, desk_world[4], "60%", forecaster="ann", now=NOW)
    again = desk(ann, now=NOW)
    assert again is not first and again.forecasts == first.forecasts + 1
    assert desk(ann, now=NOW + timedelta(days=1)) is not again  # "days since" moved on


def test_the_command_line_has_no_desk(store):
    from forethought.services.desk import desk

    with pytest.raises(Unauthorized):
        desk(store)
