"""The rules a record must meet against its question and the clock, for every writer.

The commands, the importers, ingest and the server all call these, so a file cannot slip in what
a command refuses. Each returns None when the record may be written, else the problem as a
sentence for a person (the caller says where the record came from).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from forethought.domain.inputs import NewForecast, NewQuestion, NewResolution
from forethought.domain.records import Question, Resolution

_WHEN = "%Y-%m-%d %H:%M"


def question_problem(q: NewQuestion, now: datetime) -> str | None:
    if q.opened_at > now:
        return (f"the question opens {q.opened_at:{_WHEN}} UTC, in the future; a question is "
                "opened when it is asked (or earlier, for history)")
    return None


def forecast_problem(q: Question | NewQuestion, f: NewForecast, now: datetime) -> str | None:
    """A forecast is dated when it was made: not in the future, not before its question
    opened."""
    if f.made_at > now:
        return (f"the forecast is dated {f.made_at:{_WHEN}} UTC, in the future; a forecast is "
                "dated when it was made")
    if f.made_at < q.opened_at:
        return (f"the forecast is dated {f.made_at:{_WHEN}} UTC, before the question opened "
                f"({q.opened_at:{_WHEN}} UTC)")
    return None


def resolution_problem(q: Question | NewQuestion, r: NewResolution,
                       previous: Sequence[Resolution], now: datetime) -> str | None:
    """An outcome is one of the question's; it is known when it has happened (not in the
    future, not before the question opened); resolving again is a correction with a reason."""
    if r.outcome not in q.outcomes:
        return (f"{r.outcome!r} is not an outcome of question {q.id!r}; choose one of: "
                f"{', '.join(q.outcomes)}")
    if r.known_at > now:
        return (f"the outcome is dated known at {r.known_at:{_WHEN}} UTC, in the future; an "
                "outcome is known when it has happened")
    if r.known_at < q.opened_at:
        return (f"the outcome is dated known at {r.known_at:{_WHEN}} UTC, before the question "
                f"opened ({q.opened_at:{_WHEN}} UTC)")
    if previous and not r.correction:
        last = previous[-1]
        return (f"question {q.id!r} is already resolved as {last.outcome!r} (known "
                f"{last.known_at:%Y-%m-%d}); a later resolution corrects it and needs a reason")
    if not previous and r.correction:
        return f"question {q.id!r} is not resolved yet, so there is nothing to correct"
    return None


def crowd_hidden(visibility: str, resolved: bool, viewer_forecast: bool, today: date) -> bool:
    """Whether others' forecasts on a question are hidden from a viewer: ``until-forecast``
    until the viewer has forecast it, ``until:YYYY-MM-DD`` until that day (UTC), ``open``
    never; every rule lifts for everyone once the question is resolved."""
    if resolved or visibility == "open":
        return False
    if visibility == "until-forecast":
        return not viewer_forecast
    if visibility.startswith("until:"):
        return today < date.fromisoformat(visibility.removeprefix("until:"))
    return True  # an unknown rule hides: never leak by default
