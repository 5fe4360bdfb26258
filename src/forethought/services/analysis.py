"""The analysis API's tables: questions, forecasts, resolutions, claims and sources as pandas
DataFrames (columns in :mod:`forethought.api`'s docstring). Timestamps are timezone-aware UTC in
microseconds; calendar dates are ``datetime.date`` objects in an object column."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING

from forethought.domain.timeparse import utcnow
from forethought.services.scores import load_frames
from forethought.store import repository as repo
from forethought.store.engine import Store

if TYPE_CHECKING:
    import pandas as pd

UTC_US = "datetime64[us, UTC]"


def utc_series(values: list) -> pd.Series:
    """Aware UTC datetimes (None for missing) as a ``datetime64[us, UTC]`` Series, built in
    microseconds from the start: ``pd.to_datetime`` may pick nanoseconds (pandas 2 does),
    whose range ends in 2262, and a PredictionBook deadline can be 2914."""
    import numpy as np
    import pandas as pd

    naive = np.array([None if v is None else v.astimezone(UTC).replace(tzinfo=None)
                      for v in values], dtype="datetime64[us]")
    return pd.Series(naive).dt.tz_localize("UTC")


def questions_table(store: Store, *, tag: str | None = None) -> pd.DataFrame:
    """One row per question, with its tags, status (open, due, resolved) and forecast count."""
    import numpy as np

    data = load_frames(store, tag=tag, full=True)
    q = data.questions.copy()
    tags = data.tags.groupby("question_id")["tag"].agg(list)
    q["tags"] = [tags.get(i, []) for i in q["question_id"]]
    resolved = q["outcome"].notna().to_numpy()
    today = utcnow().date()
    due = np.array([d <= today for d in q["resolve_by"]], dtype=bool) & ~resolved
    q["status"] = np.select([resolved, due], ["resolved", "due"], "open").astype(object) \
        if len(q) else []
    counts = data.forecasts.groupby("question_id").size()
    q["forecasts"] = q["question_id"].map(counts).fillna(0).astype("int64")
    return q


def forecasts_table(store: Store, *, forecaster: str | None = None, question: str | None = None,
                    tag: str | None = None) -> pd.DataFrame:
    """One row per forecast, oldest id first; ``question`` is an id or a unique prefix."""
    f = load_frames(store, tag=tag, full=True).forecasts
    if forecaster is not None:
        f = f[f["forecaster"] == forecaster]
    if question is not None:
        with store.read() as conn:
            qid = repo.find_question_id(conn, question)
        f = f[f["question_id"] == qid]
    return f.reset_index(drop=True)


def resolutions_table(store: Store) -> pd.DataFrame:
    """Every resolution, corrections included (``current`` marks the latest)."""
    import pandas as pd

    with store.read() as conn:
        rows = repo.resolutions(conn)
    frame = pd.DataFrame({
        "resolution_id": pd.Series([r.id for r in rows], dtype="int64"),
        "question_id": [r.question_id for r in rows],
        "outcome": [r.outcome for r in rows],
        "known_at": utc_series([r.known_at for r in rows]),
        "recorded_at": utc_series([r.recorded_at for r in rows]),
        "note": [r.note for r in rows],
        "evidence": [list(r.evidence) for r in rows],
        "correction": [r.correction for r in rows],
    })
    frame["current"] = ~frame["question_id"].duplicated(keep="last")
    return frame


def claims_table(store: Store, *, source: str | None = None) -> pd.DataFrame:
    """One row per claim with its latest status and grade."""
    import pandas as pd

    with store.read() as conn:
        rows = repo.claims(conn, source_id=source)
    grades = [c.grade for c in rows]
    return pd.DataFrame({
        "claim_id": [c.id for c in rows],
        "source_id": [c.source_id for c in rows],
        "said_by": [c.said_by for c in rows],
        "text": [c.text for c in rows],
        "event_date": pd.Series([c.event_date for c in rows], dtype=object),
        "span_start": pd.array([c.span_start for c in rows], dtype="Int64"),
        "span_end": pd.array([c.span_end for c in rows], dtype="Int64"),
        "recorded_at": utc_series([c.recorded_at for c in rows]),
        "status": [c.status for c in rows],
        "status_at": utc_series([c.statuses[-1].marked_at if c.statuses else None for c in rows]),
        "grade": [g.code if g else None for g in grades],
        "reliability": [g.reliability if g else None for g in grades],
        "credibility": pd.array([g.credibility if g else None for g in grades], dtype="Int64"),
        "graded_at": utc_series([g.graded_at if g else None for g in grades]),
    })


def sources_table(store: Store) -> pd.DataFrame:
    import pandas as pd

    with store.read() as conn:
        rows = repo.sources(conn)
    return pd.DataFrame({
        "source_id": [s.id for s in rows], "title": [s.title for s in rows],
        "outlet": [s.outlet for s in rows], "author": [s.author for s in rows],
        "published_at": pd.Series([s.published_at for s in rows], dtype=object),
        "url": [s.url for s in rows], "sha256": [s.sha256 for s in rows],
        "recorded_at": utc_series([s.recorded_at for s in rows]),
    })
