"""A platform's own scores beside forethought's, with the reason for each difference.

* **Fatebook** writes the exporting user's Brier score per question (0–2 scale). forethought
  scores the same forecasts under its ``daily`` policy on the 0–2 scale. To name the reason for
  a difference, Fatebook's published algorithm (``lib/_scoring.ts``) is replayed on the file's
  rows: if the replay reproduces the file's number, the difference comes from the rules the two
  disagree on, each named when it applies to the question; if it does not, the file's number
  does not follow from its own rows.
* **Metaculus** writes baseline and peer scores per question and user in ``score_data.csv``;
  forethought computes both under its ``metaculus`` policy.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime
from typing import Any

from forethought.store import repository as repo
from forethought.store.engine import Connection

DAY = 86_400.0
SAME = 1e-6           # Fatebook: floats from its database, compared to a millionth
SAME_POINTS = 0.05    # Metaculus: points, written with two decimals or more


def _frames(conn: Connection, ids: set[str], forecaster: str | None = None
            ) -> tuple[Any, Any, Any]:
    """The scoring engine's frames for the imported questions ``ids`` (and only
    ``forecaster``'s forecasts, when given), read inside the import's own transaction (so a dry
    run compares too). The questions of one file: records, not the columnar path."""
    import pandas as pd

    from forethought.domain.timeparse import end_of_day
    from forethought.services.analysis import utc_series as times

    questions = repo.questions(conn, sorted(ids))
    latest: dict[str, Any] = {}
    for r in repo.resolutions(conn, sorted(ids)):
        latest[r.question_id] = r
    if forecaster is None:
        forecasts = repo.forecasts_of(conn, sorted(ids))
    else:
        forecasts = [f for f in repo.forecasts(conn, forecaster=forecaster)
                     if f.question_id in ids]

    qf = pd.DataFrame({
        "question_id": [q.id for q in questions], "title": [q.title for q in questions],
        "type": [q.type for q in questions],
        "options": pd.Series([list(q.options) for q in questions], dtype=object),
        "opened_at": times([q.opened_at for q in questions]),
        "resolve_by": pd.Series([q.resolve_by for q in questions], dtype=object),
        "scheduled_close": times([end_of_day(q.resolve_by) for q in questions]),
        "outcome": pd.Series([latest[q.id].outcome if q.id in latest else None
                              for q in questions], dtype=object),
        "close_at": times([latest[q.id].known_at if q.id in latest else None
                           for q in questions]),
        "resolved_at": times([latest[q.id].recorded_at if q.id in latest else None
                              for q in questions]),
        "source_id": pd.Series([q.source_id for q in questions], dtype=object)})
    ff = pd.DataFrame({
        "forecast_id": pd.Series([f.id for f in forecasts], dtype="int64"),
        "question_id": [f.question_id for f in forecasts],
        "forecaster": [f.forecaster for f in forecasts],
        "made_at": times([f.made_at for f in forecasts]),
        "probability": pd.Series([f.probability for f in forecasts], dtype="float64"),
        "distribution": pd.Series([f.distribution for f in forecasts], dtype=object),
        "source_id": pd.Series([f.source_id for f in forecasts], dtype=object)})
    tf = pd.DataFrame({"question_id": [q.id for q in questions for _ in q.tags],
                       "tag": [t for q in questions for t in q.tags]})
    return qf, ff, tf


def fatebook_replay(forecasts: list[tuple[datetime, float]], created: datetime,
                    resolved: datetime, yes: bool) -> float | None:
    """Fatebook's absolute Brier score (0–2) for one user's binary forecasts, as its
    `relativeBrierScoring` computes it: one interval per day from question creation to
    resolution (the last one partial), the time-weighted mean *forecast* in each interval,
    Brier of that mean, and the mean over ⌊days⌋ + fraction intervals, in which the intervals
    before the first forecast count as 0 (perfect)."""
    o = 1.0 if yes else 0.0
    fs = sorted(forecasts)
    days = (resolved - created).total_seconds() / DAY
    if days <= 0 or not fs:
        return None
    whole, frac = math.floor(days), days - math.floor(days)
    scores = []
    for k in range(math.ceil(days)):
        start = min(created.timestamp() + k * DAY, resolved.timestamp())
        end = min(start + DAY, resolved.timestamp())
        length = end - start
        before = [p for t, p in fs if t.timestamp() <= start]
        inside = [(t.timestamp(), p) for t, p in fs if start <= t.timestamp() < end]
        if not inside:
            avg = before[-1] if before else None
        else:
            weight = 0.0
            avg = 0.0
            if before:
                w = (inside[0][0] - start) / length
                weight, avg = w, w * before[-1]
            for (t0, p0), (t1, _p1) in zip(inside, inside[1:], strict=False):
                w = (t1 - t0) / length
                weight += w
                avg += w * p0
            avg += (1 - weight) * inside[-1][1]
        if avg is not None:
            scores.append(2 * (avg - o) ** 2)
    if not scores:
        return None
    if whole == 0:
        return sum(scores)
    if abs(frac) > 1e-9:
        return (sum(scores[:-1]) + scores[-1] * frac) / (whole + frac)
    return sum(scores) / whole


def _fatebook_reasons(fs: list[tuple[datetime, float]], created: datetime,
                      resolved: datetime) -> list[str]:
    fs = sorted(fs)
    reasons = []
    before = (fs[0][0] - created).total_seconds() / DAY
    if before >= 1:
        reasons.append(f"Fatebook scores the {math.floor(before)} day(s) before the first "
                       "forecast as perfect (0); forethought's daily policy starts at the first "
                       "forecast")
    if len(fs) > 1:
        reasons.append("Fatebook averages the forecasts standing within each day before "
                       "squaring; forethought takes the forecast standing at each day's end")
    days = (resolved - created).total_seconds() / DAY
    if abs(days - round(days)) > 1e-9 and days > 1:
        reasons.append("Fatebook weights the last, partial day by its fraction; forethought "
                       "counts it as a whole day")
    return reasons or ["unexplained"]


def compare_fatebook(conn: Connection, scores: dict[str, float | None], reader: Any,
                     me: str | None, as_me: str | None) -> dict[str, Any]:
    """Per question: Fatebook's score for the exporting user, forethought's, and why they
    differ."""
    from forethought.scoring import score_table

    scored = {q for q, s in scores.items() if s is not None}
    if me is not None:
        name = me
        forecaster = as_me if as_me is not None else f"fatebook:{me}"
    else:  # the exporter forecast on the questions that carry "your" score
        counts = Counter({n: len(qs & scored) for n, qs in reader.names.items()})
        name = counts.most_common(1)[0][0] if counts else ""
        forecaster = f"fatebook:{name}"
    out: dict[str, Any] = {"platform": "fatebook", "forecaster": forecaster, "as": name,
                           "guessed": me is None, "policy": "daily", "scale": "0-2", "rows": []}
    if not scored:
        return out
    # the daily policy's Brier is the forecaster's own: their forecasts are all it reads
    qf, ff, tf = _frames(conn, set(scores), forecaster)
    result = score_table(qf, ff, tf, rules=("brier",), policy="daily", brier_scale=2)
    ours = {(r.question, r.forecaster): r.brier for r in result.pairs.itertuples()}
    questions = {r.question_id: r for r in qf.itertuples()}
    mine = ff[ff["forecaster"] == forecaster]
    by_q: dict[str, list] = {}
    for r in mine.itertuples():
        by_q.setdefault(r.question_id, []).append((r.made_at.to_pydatetime(), r.probability))
    for qid in sorted(scored):
        q = questions.get(qid)
        theirs = scores[qid]
        value = ours.get((qid, forecaster))
        row: dict[str, Any] = {"question": qid, "title": q.title if q is not None else qid,
                               "fatebook": theirs, "forethought": value}
        fs = by_q.get(qid, [])
        if q is None or q.outcome is None:
            row["reason"] = "forethought has no resolution for it"
        elif q.outcome not in ("yes", "no"):
            row["reason"] = (f"resolved {q.outcome}: forethought does not score it"
                             if q.type == "binary" else
                             "multiple choice: Fatebook's rule for it is not replayed")
        elif not fs:
            row["reason"] = f"{forecaster} has no forecasts on it in the file"
        else:
            created, resolved = q.opened_at.to_pydatetime(), q.close_at.to_pydatetime()
            replay = fatebook_replay(fs, created, resolved, q.outcome == "yes")
            row["replay"] = replay
            if value is not None and theirs is not None and abs(value - theirs) <= SAME:
                row["reason"] = "same"
            elif replay is None or theirs is None or abs(replay - theirs) > SAME * max(
                    1, abs(theirs)):
                row["reason"] = ("the file's score does not follow from its rows by Fatebook's "
                                 "published rule (the question or forecasts changed after "
                                 "scoring?)")
            else:
                row["reason"] = "; ".join(_fatebook_reasons(fs, created, resolved))
        if value is not None and theirs is not None:
            row["difference"] = value - theirs
        out["rows"].append(row)
    return out


def compare_metaculus(conn: Connection, platform: list) -> dict[str, Any]:
    """Metaculus's baseline and peer scores beside forethought's ``metaculus`` policy."""
    from forethought.scoring import score_table

    wanted = [s for s in platform if s.score_type in ("baseline", "peer")]
    out: dict[str, Any] = {"platform": "metaculus", "policy": "metaculus", "rows": [],
                           "not_compared": Counter(s.score_type for s in platform
                                                   if s.score_type not in ("baseline", "peer"))}
    qf, ff, tf = _frames(conn, {s.question_id for s in wanted})
    ids = set(qf["question_id"])
    if not ids:
        return out
    people = ff[~ff["forecaster"].str.startswith("metaculus:")].reset_index(drop=True)
    result = score_table(qf, people, tf, rules=("baseline", "peer"), policy="metaculus")
    ours = {(r.question, r.forecaster): r for r in result.pairs.itertuples()}
    n_people = people.groupby("question_id")["forecaster"].nunique().to_dict()
    questions = {r.question_id: r for r in qf.itertuples()}
    for s in sorted(wanted, key=lambda s: (s.question_id, s.forecaster, s.score_type)):
        if s.question_id not in ids:
            continue
        pair = ours.get((s.question_id, s.forecaster))
        value = getattr(pair, s.score_type) if pair is not None else None
        row = {"question": s.question_id, "forecaster": s.forecaster, "type": s.score_type,
               "metaculus": s.score, "forethought": value}
        if value is None or (isinstance(value, float) and math.isnan(value)):
            row["forethought"] = None
            row["reason"] = "forethought does not score it (unresolved, annulled or no forecasts)"
        else:
            row["difference"] = value - s.score
            row["reason"] = _metaculus_reason(value - s.score, s, questions.get(s.question_id),
                                              n_people.get(s.question_id, 0))
        out["rows"].append(row)
    return out


def _metaculus_reason(diff: float, s: Any, q: Any, people: int) -> str:
    if abs(diff) <= SAME_POINTS:
        return "same"
    reasons = []
    if s.score_type == "peer" and people < 2:
        reasons.append("the export holds no other forecaster on it; Metaculus's peer score "
                       "compares with everyone who forecast")
    elif s.score_type == "peer":
        reasons.append(f"peer compares with the {people - 1} other forecaster(s) in the export; "
                       "Metaculus compares with everyone who forecast")
    if q is not None and q.scheduled_close is not None:
        reasons.append("forethought's scheduled close is the end of the resolve-by day "
                       f"({q.scheduled_close:%Y-%m-%d %H:%M} UTC), Metaculus's is its exact "
                       "Scheduled Close Time")
    if s.coverage is not None and s.coverage < 1:
        reasons.append(f"coverage {s.coverage:.2f}: forecasts withdrawn before the close stay "
                       "standing in forethought")
    return "; ".join(reasons) or "unexplained"
