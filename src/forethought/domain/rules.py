"""The rules a record must meet against its question and the clock, for every writer.

The commands, the importers, ingest and the server all call these, so a file cannot slip in what
a command refuses. Each returns None when the record may be written, else the problem as a
sentence for a person (the caller says where the record came from).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
    if f.recorded_at is not None and f.recorded_at > now:
        return (f"the forecast says it was recorded {f.recorded_at:{_WHEN}} UTC, in the "
                "future")
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


# ---- whether a forecast counts ---------------------------------------------------------------
#
# A forecast is worth something only if it was on record before anyone could know how its
# question came out. Two clocks say when a row was recorded: its own ``recorded_at`` (for a
# command, the moment it was written; for an import, what the file states) and the ledger's
# ``written_at`` (when this workspace received it, which the hash chain vouches for). The trust
# level (domain/choices.py, TRUST_LEVELS) picks which clock the rule believes; see
# docs/integrity.md.


@dataclass(frozen=True)
class OutcomeTimes:
    """When one resolution of a question was known and recorded. ``recorded`` is the clock of
    the trust level in use (recorded_at for ``stated``, written_at for ``recorded``); ``written``
    is always the ledger's written_at."""

    known_at: datetime
    recorded: datetime
    written: datetime


def recorded_time(recorded_at: datetime, written_at: datetime, trust: str) -> datetime:
    """The recorded time a trust level believes: the row's own ``recorded_at`` (``stated``) or
    the ledger's ``written_at`` (``recorded``)."""
    if trust == "stated":
        return recorded_at
    if trust == "recorded":
        return written_at
    raise ValueError(f"unknown trust level {trust!r}")


def forecast_exclusion(made_at: datetime, recorded: datetime, written: datetime,
                       outcomes: Sequence[OutcomeTimes]) -> str | None:
    """None when a forecast counts; else why it never does. The forecast is kept either way.

    ``recorded`` is the forecast's recorded time at the trust level in use (see
    :func:`recorded_time`), ``written`` when this workspace's ledger wrote it, ``outcomes`` the
    question's resolutions in the order they were recorded (by id). A forecast never counts
    when it was

    1. made at or after the outcome was known (the latest resolution's known_at: the close the
       scores use);
    2. recorded at or after the outcome was first known or on record (the earliest known_at or
       recorded time of any resolution: a correction does not reopen the window);
    3. written into this ledger after the ledger had recorded an outcome of its question —
       whatever times it states (an import cannot date itself before what this workspace
       already knew).

    >>> from datetime import UTC, datetime
    >>> t = lambda d: datetime.fromisoformat(d).replace(tzinfo=UTC)
    >>> known = [OutcomeTimes(t("2026-06-15"), t("2026-06-16"), t("2026-06-16"))]
    >>> forecast_exclusion(t("2026-01-02"), t("2026-01-02"), t("2026-01-02"), known) is None
    True
    >>> forecast_exclusion(t("2026-01-02"), t("2026-07-01"), t("2026-07-01"), known)
    'recorded 2026-07-01 00:00 UTC, after the outcome was known (2026-06-15 00:00 UTC)'
    """
    if not outcomes:
        return None
    close = outcomes[-1].known_at
    if made_at >= close:
        return f"made {made_at:{_WHEN}} UTC, after the outcome was known ({close:{_WHEN}} UTC)"
    known = min(o.known_at for o in outcomes)
    on_record = min(o.recorded for o in outcomes)
    if recorded >= min(known, on_record):
        what = "known" if known <= on_record else "on record"
        return (f"recorded {recorded:{_WHEN}} UTC, after the outcome was {what} "
                f"({min(known, on_record):{_WHEN}} UTC)")
    first_written = min(o.written for o in outcomes)
    if written > first_written:
        return (f"written into this ledger {written:{_WHEN}} UTC, after it had recorded the "
                f"outcome ({first_written:{_WHEN}} UTC), whatever time it states")
    return None
