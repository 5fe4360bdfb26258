"""The one columnar read path: the frames hold exactly what the repository holds, on both
backends; every table is read from one snapshot; dates beyond pandas' nanosecond range work."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd

from forethought.domain.inputs import NewForecast, NewQuestion, NewResolution
from forethought.store import columns, repository
from forethought.store.engine import Store

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def _fill(store: Store, n: int = 30, far: bool = False) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    questions, forecasts, resolutions = [], [], []
    for i in range(n):
        multiple = i % 5 == 0
        questions.append(NewQuestion(
            id=f"q{i:03d}", title=f"Question {i}", opened_at=start,
            resolve_by=date(2914, 12, 31) if far and i == 1 else date(2024, 6, 1),
            type="multiple" if multiple else "binary", options=("a", "b") if multiple else (),
            tags=("even",) if i % 2 == 0 else (), source_id=None))
        for k, who in enumerate(("ann", "bob")):
            made = start + timedelta(days=i + k, microseconds=i)
            forecasts.append(NewForecast(
                question_id=f"q{i:03d}", forecaster=who, made_at=made,
                **({"distribution": {"a": 0.25, "b": 0.75}} if multiple
                   else {"probability": (i % 10) / 10})))
        if i % 3:
            resolutions.append(NewResolution(question_id=f"q{i:03d}",
                                             outcome="a" if multiple else "yes",
                                             known_at=start + timedelta(days=100)))

    def work(conn) -> None:
        repository.add(conn, questions, NOW)
        repository.add(conn, forecasts, NOW)
        repository.add(conn, resolutions, NOW)

    store.write(work)


def test_frames_hold_what_the_repository_holds(backend):
    store = Store(backend, upgrade=True)
    try:
        _fill(store)
        data = columns.read_frames(store, full=True)
        with store.read() as conn:
            questions = repository.questions(conn)
            forecasts = repository.forecasts(conn)
            latest = repository.latest_resolutions(conn)
    finally:
        store.dispose()
    q = data.questions.set_index("question_id")
    assert sorted(q.index) == sorted(x.id for x in questions)
    for x in questions:
        row = q.loc[x.id]
        assert row["title"] == x.title and row["type"] == x.type
        assert list(row["options"]) == x.options
        assert row["opened_at"] == pd.Timestamp(x.opened_at) and row["resolve_by"] == x.resolve_by
        res = latest.get(x.id)
        assert (row["outcome"] if res else None) == (res.outcome if res else None)
        if res:
            assert row["close_at"] == pd.Timestamp(res.known_at)
    f = data.forecasts.set_index("forecast_id")
    assert sorted(f.index) == sorted(x.id for x in forecasts)
    for x in forecasts:
        row = f.loc[x.id]
        assert row["question_id"] == x.question_id and row["forecaster"] == x.forecaster
        assert row["made_at"] == pd.Timestamp(x.made_at)
        assert row["recorded_at"] == pd.Timestamp(x.recorded_at)
        if x.distribution is None:
            assert row["probability"] == x.probability and row["distribution"] is None
        else:
            assert pd.isna(row["probability"]) and row["distribution"] == x.distribution
    assert sorted(data.tags["question_id"]) == sorted(x.id for x in questions if x.tags)
    for frame, name in ((data.questions, "opened_at"), (data.forecasts, "made_at")):
        assert str(frame[name].dtype) == "datetime64[us, UTC]"


def test_a_read_sees_one_snapshot_while_others_write(backend):
    """Inside the read's transaction a write committed by another connection is not seen: the
    scanner reads the database in one read transaction (SQLite) or one snapshot
    (PostgreSQL)."""
    store = Store(backend, upgrade=True)
    writer = Store(backend)
    try:
        _fill(store, n=5)
        con = columns._connect(store)
        try:
            con.execute("BEGIN")
            before = con.execute("SELECT count(*) FROM ws.forecasts").fetchone()[0]
            writer.write(lambda conn: repository.add(conn, [NewForecast(
                question_id="q001", forecaster="cat", made_at=NOW, probability=0.5)], NOW))
            during = con.execute("SELECT count(*) FROM ws.forecasts").fetchone()[0]
            con.execute("COMMIT")
            after = con.execute("SELECT count(*) FROM ws.forecasts").fetchone()[0]
        finally:
            con.close()
    finally:
        writer.dispose()
        store.dispose()
    assert before == during == 10 and after == 11


def test_a_resolve_by_date_far_in_the_future_is_scored(backend):
    """PredictionBook has a deadline typed as 2914-12-31: past pandas' nanosecond range."""
    from forethought.scoring import score_table

    store = Store(backend, upgrade=True)
    try:
        _fill(store, far=True)
        data = columns.read_frames(store)
    finally:
        store.dispose()
    result = score_table(data.questions, data.forecasts, data.tags, by=("forecaster", "horizon"))
    far = result.pairs[result.pairs["question"] == "q001"]
    assert len(far) == 2 and set(far["horizon"]) == {">365d"}
    assert far["brier"].notna().all()
