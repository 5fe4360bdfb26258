"""My desk: what a forecaster opens the server for.

* my open questions with my standing forecast and how long since I last updated it, stalest
  first;
* the questions waiting for my resolution (due, unresolved, and mine to resolve: every one for a
  resolver, the ones I asked for a forecaster where the workspace lets authors resolve);
* my recently resolved questions with how I scored on each;
* my Brier and log scores (time-averaged, the scoreboard's default) and my calibration.

Everything here is derived from my own forecasts, the resolutions and the questions, never from
another forecaster's numbers, so the hidden crowd has nothing to hide. My forecasts are read
through the forecaster index (an indexed read of one person's few thousand rows; the columnar
path scans every forecast in the workspace, which takes a second at a million), and the desk is
kept in memory under a version that changes when any of its inputs does.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from forethought.domain.accounts import Actor
from forethought.domain.timeparse import utcnow
from forethought.errors import NotFound, Unauthorized
from forethought.services.browse import asked_by_clause
from forethought.services.calibration import Calibrated, Series, calibrate, frame_series
from forethought.store import codec
from forethought.store.columns import Frames
from forethought.store.engine import Connection, Store

SHOWN = 20        # lines per list; the totals say how many more there are
RECENT = 10       # recently resolved questions shown
_KEEP = 256       # desks kept in memory (one per person is enough)


@dataclass(frozen=True)
class Standing:
    """An open question I forecast, with my standing forecast."""

    question_id: str
    title: str
    resolve_by: date
    probability: float | None
    distribution: dict[str, float] | None
    entered_as: str | None
    updated_at: datetime
    days_since: int
    due: bool


@dataclass(frozen=True)
class ToResolve:
    question_id: str
    title: str
    resolve_by: date
    days_overdue: int


@dataclass(frozen=True)
class Scored:
    """A resolved question I forecast: the outcome and my time-averaged scores on it."""

    question_id: str
    title: str
    outcome: str
    known_at: datetime
    last: float | dict[str, float] | None  # my last forecast before the outcome was known
    brier: float | None
    log: float | None


@dataclass
class Desk:
    name: str
    role: str
    open: list[Standing]
    open_total: int
    to_resolve: list[ToResolve]
    to_resolve_total: int
    resolved: list[Scored]
    resolved_total: int
    brier: float | None = None
    log: float | None = None
    scored: int = 0            # questions behind the scores
    forecasts: int = 0         # all my forecasts
    calibration: Calibrated | None = None
    version: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def chart_key(self) -> str | None:
        """Names the calibration chart of this desk (None: nothing to draw yet)."""
        if self.calibration is None or self.calibration.n == 0:
            return None
        return f"desk-calibration|{self.name}|{self.version}"


_CACHE: OrderedDict[str, Desk] = OrderedDict()   # version → desk
_SEEN: dict[str, tuple[int, str]] = {}            # who and when → (ledger head, version)
_LOCK = threading.Lock()


def desk(store: Store, *, now: datetime | None = None) -> Desk:
    """The acting account's desk (Unauthorized from the command line: a desk is a person's).

    Nothing written since the desk was last shown (the ledger head has not moved): it is shown
    again after one indexed lookup. Something written: the desk's own version says whether it
    was something the desk shows."""
    actor = store.actor
    if actor is None:
        raise Unauthorized("the desk is a person's: log in to see yours")
    now = now or utcnow()
    who = "|".join(map(str, (store.url, actor.name, actor.role, actor.read_only, now.date())))
    with store.read() as conn:
        head = int(conn.scalar("SELECT COALESCE(MAX(seq), 0) FROM ledger"))
        with _LOCK:
            seen = _SEEN.get(who)
            if seen is not None and seen[0] == head and seen[1] in _CACHE:
                return _CACHE[seen[1]]
        version = _version(conn, actor, now.date())
        with _LOCK:
            cached = _CACHE.get(version)
            if cached is not None:
                _CACHE.move_to_end(version)
                _SEEN[who] = (head, version)
                return cached
        made = _build(conn, actor, now)
    made.version = version
    with _LOCK:
        _CACHE[version] = made
        _SEEN[who] = (head, version)
        while len(_CACHE) > _KEEP:
            _CACHE.popitem(last=False)
        if len(_SEEN) > 4 * _KEEP:
            _SEEN.clear()
    return made


def _version(conn: Connection, actor: Actor, today: date) -> str:
    """Changes whenever the desk could: my forecasts, any resolution, any question, the
    settings, my role, the day. (Records are append-only, so counts and largest ids tell.)"""
    counts = conn.one("SELECT (SELECT MAX(id) FROM forecasts WHERE forecaster = ?), "
                      "(SELECT MAX(id) FROM resolutions), (SELECT COUNT(*) FROM resolutions), "
                      "(SELECT COUNT(*) FROM questions), (SELECT COUNT(*) FROM settings)",
                      (actor.name,)) or ()
    return "|".join(map(str, (conn.url, actor.name, actor.role, actor.read_only, *counts,
                              today)))


def _build(conn: Connection, actor: Actor, now: datetime) -> Desk:
    import numpy as np
    import pandas as pd

    today = now.date()
    rows = conn.rows("SELECT id, question_id, probability, distribution, entered_as, made_at "
                     "FROM forecasts WHERE forecaster = ? ORDER BY question_id, made_at, id",
                     (actor.name,))
    mine = pd.DataFrame(rows, columns=["forecast_id", "question_id", "probability",
                                       "distribution", "entered_as", "made_at"])
    mine["made_at"] = _times(mine["made_at"])
    standing = mine.drop_duplicates("question_id", keep="last")  # ordered: the last stands
    ids = standing["question_id"].tolist()
    questions = _questions(conn, ids)
    resolutions = _resolutions(conn, ids)
    unresolved = np.array([qid not in resolutions for qid in ids], dtype=bool)
    still_open = standing[unresolved].sort_values(["made_at", "question_id"], kind="stable")
    open_lines = []
    for qid, p, dist, entered, made in still_open.head(SHOWN)[
            ["question_id", "probability", "distribution", "entered_as", "made_at"]].itertuples(
            index=False):
        title, resolve_by = questions[qid][0], questions[qid][3]
        updated = made.to_pydatetime()
        open_lines.append(Standing(qid, title, resolve_by, _number(p),
                                   codec.from_db("json", dist), entered, updated,
                                   (today - updated.date()).days, resolve_by <= today))
    due = _to_resolve(conn, actor, today)
    result = Desk(actor.name, actor.role, open_lines, len(still_open), due[:SHOWN], len(due),
                  [], 0, forecasts=len(mine))
    _score(result, actor.name, mine, questions, resolutions)
    return result


def _times(values: Any) -> Any:
    """Stored times (SQLite text, PostgreSQL naive datetimes; both UTC) as datetime64[us, UTC],
    parsed as one column."""
    import pandas as pd

    return pd.to_datetime(values, utc=True, format="ISO8601").dt.as_unit("us")


def _questions(conn: Connection, ids: list[str]) -> dict[str, tuple]:
    """id → (title, type, options, resolve_by, opened_at, source_id); opened_at as stored."""
    out: dict[str, tuple] = {}
    for chunk in _chunks(sorted(ids)):
        for qid, title, kind, options, resolve_by, opened, source in conn.rows(
                "SELECT id, title, type, options, resolve_by, opened_at, source_id FROM "
                f"questions WHERE id IN ({', '.join('?' * len(chunk))})", chunk):
            out[qid] = (title, kind, options, codec.from_db("date", resolve_by), opened, source)
    return out


def _resolutions(conn: Connection, ids: list[str]) -> dict[str, tuple]:
    """question id → (outcome, known_at, recorded_at) of its latest resolution, as stored."""
    out: dict[str, tuple] = {}
    for chunk in _chunks(sorted(ids)):
        for qid, outcome, known, recorded in conn.rows(
                "SELECT question_id, outcome, known_at, recorded_at FROM resolutions WHERE "
                f"question_id IN ({', '.join('?' * len(chunk))}) ORDER BY id", chunk):
            out[qid] = (outcome, known, recorded)
    return out


def _chunks(ids: list[str], size: int = 900) -> list[list[str]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def _to_resolve(conn: Connection, actor: Actor, today: date) -> list[ToResolve]:
    """Due, unresolved questions this account may resolve (see permissions.require_resolver)."""
    if actor.read_only or not actor.at_least("forecaster"):
        return []
    sql = ("SELECT q.id, q.title, q.resolve_by FROM questions q WHERE q.resolve_by <= ? AND "
           "NOT EXISTS (SELECT 1 FROM resolutions r WHERE r.question_id = q.id)")
    params: list[Any] = [codec.to_db("date", today, conn.sqlite)]
    if not actor.at_least("resolver"):
        from forethought.services.accounts import read_settings

        if read_settings(conn)["resolvers"] != "author-or-resolver":
            return []
        sql += " AND " + asked_by_clause()
        params.append(actor.name)
    out = []
    for qid, title, resolve_by in conn.rows(sql + " ORDER BY q.resolve_by, q.id", params):
        day = codec.from_db("date", resolve_by)
        out.append(ToResolve(qid, title, day, (today - day).days))
    return out


def _score(result: Desk, name: str, mine: Any, questions: dict[str, tuple],
           resolutions: dict[str, tuple]) -> None:
    """My scores on resolved questions, per question and overall, and my calibration: the
    scoring engine over frames holding my forecasts only (absolute rules need no one else's)."""
    result.resolved_total = len(resolutions)
    if not resolutions:
        return
    frames = _frames(name, mine, questions, resolutions)
    from forethought.scoring import score_table

    scored = score_table(frames.questions, frames.forecasts, frames.tags,
                         rules=("brier", "log"), policy="time-averaged", by=("forecaster",))
    table = scored.frame[scored.frame["forecaster"] == name]
    if len(table):
        row = table.iloc[0]
        result.brier, result.log = _number(row.get("brier")), _number(row.get("log"))
        result.scored = int(row.get("questions", 0))
    per = {str(q): (_number(b), _number(lg)) for q, b, lg in zip(
        scored.pairs["question"], scored.pairs["brier"], scored.pairs["log"], strict=True)}
    q = frames.questions.set_index("question_id")
    recent = q.sort_values(["resolved_at"], ascending=False, kind="stable").head(RECENT)
    f = frames.forecasts
    before = f[(f["made_at"] < f["question_id"].astype(object).map(q["close_at"])).to_numpy()]
    last = before.drop_duplicates("question_id", keep="last").set_index("question_id")
    result.resolved = [
        Scored(qid, questions[qid][0], row.outcome, row.close_at.to_pydatetime(),
               _last_value(last, qid), *per.get(qid, (None, None)))
        for qid, row in recent.iterrows()]
    series: dict[str, Series] = frame_series(frames, [name])
    result.calibration = calibrate(series)[name]


def _last_value(last: Any, qid: str) -> float | dict[str, float] | None:
    if qid not in last.index:
        return None
    row = last.loc[qid]
    return row["distribution"] if row["distribution"] is not None else _number(
        row["probability"])


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def _frames(name: str, mine: Any, questions: dict[str, tuple],
            resolutions: dict[str, tuple]) -> Frames:
    """My resolved questions and my forecasts on them, in the columns contract of
    `store.columns` (the frames the scoring engine reads)."""
    import numpy as np
    import pandas as pd

    from forethought.domain.timeparse import end_of_day

    ids = sorted(resolutions)
    q = pd.DataFrame({
        "question_id": ids,
        "type": [questions[i][1] for i in ids],
        "options": pd.Series([[] if questions[i][2] == "[]" else codec.from_db(
            "json", questions[i][2]) for i in ids], dtype=object),
        "opened_at": _times(pd.Series([questions[i][4] for i in ids], dtype=object)),
        "resolve_by": [questions[i][3] for i in ids],
        "source_id": [questions[i][5] for i in ids],
        "scheduled_close": _times(pd.Series([end_of_day(questions[i][3]) for i in ids],
                                            dtype=object)),
        "outcome": pd.Series([resolutions[i][0] for i in ids], dtype=object),
        "close_at": _times(pd.Series([resolutions[i][1] for i in ids], dtype=object)),
        "resolved_at": _times(pd.Series([resolutions[i][2] for i in ids], dtype=object)),
        "visibility": "open",
    })
    kept = mine[np.array([qid in resolutions for qid in mine["question_id"]], dtype=bool)]
    f = pd.DataFrame({
        "forecast_id": kept["forecast_id"].astype("int64").to_numpy(),
        "question_id": pd.Categorical(kept["question_id"]),
        "forecaster": pd.Categorical([name] * len(kept)),
        "made_at": kept["made_at"].to_numpy(),
        "probability": kept["probability"].astype("float64").to_numpy(),
        "distribution": pd.Series([codec.from_db("json", d) for d in kept["distribution"]],
                                  dtype=object),
        "source_id": pd.Categorical([None] * len(kept)),
    })
    f["made_at"] = f["made_at"].dt.tz_localize("UTC") if f["made_at"].dt.tz is None else \
        f["made_at"]
    return Frames(q, f, pd.DataFrame({"question_id": pd.Series([], dtype=object),
                                      "tag": pd.Series([], dtype=object)}))


def desk_chart(store: Store, *, now: datetime | None = None) -> Path:
    """My calibration chart (from the chart cache; drawn when my desk changed)."""
    from forethought.services.calibration import draw
    from forethought.services.chart_cache import cache_for, plain

    mine = desk(store, now=now)
    if mine.chart_key is None or mine.calibration is None:
        raise NotFound("no calibration chart yet: none of your binary questions has resolved")
    series = {plain(mine.name): mine.calibration}
    return cache_for(store).get_or_draw(mine.chart_key, lambda out: draw(series, out))
