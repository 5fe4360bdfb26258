"""Bulk reads as pandas DataFrames for scoring, charts and the analysis API.

Columns (the contract the scoring engine reads):

questions: question_id, title, type, options (list), opened_at, resolve_by (date),
    scheduled_close (end of the resolve-by day), outcome (latest resolution or None), close_at
    (latest resolution's known_at), resolved_at (its recorded time), source_id
forecasts: forecast_id, question_id, forecaster, made_at, probability (NaN for multiple
    choice), distribution (dict or None), source_id, cue, scale, recorded_at
tags: question_id, tag

All timestamps are timezone-aware UTC (datetime64[ns, UTC]). The queries use the DB-API cursor
directly so a million forecasts load in about a second.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Connection

if TYPE_CHECKING:
    import pandas as pd

    from forethought.store.colread import Early, Started


LAST_DAY = __import__("datetime").datetime(2262, 4, 10)


def _times(series: pd.Series) -> pd.Series:
    import pandas as pd

    if series.empty:
        return pd.Series(pd.DatetimeIndex([], tz="UTC"), index=series.index,
                         dtype="datetime64[ns, UTC]")
    if pd.api.types.is_datetime64_any_dtype(series):
        out = pd.to_datetime(series)
    else:
        out = pd.to_datetime(series, format="ISO8601")
    out = out.dt.tz_localize("UTC") if out.dt.tz is None else out.dt.tz_convert("UTC")
    return out.astype("datetime64[ns, UTC]")


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: a bulk read makes millions of row tuples, and each
    allocation burst would otherwise trigger full-heap collections that find nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _rows(conn: Connection, sql: str, params: tuple | list = ()) -> list[tuple]:
    driver = conn.connection.driver_connection
    assert driver is not None
    cursor = driver.cursor()
    try:
        cursor.execute(sql, params) if params else cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def _fetch(conn: Connection, sql: str, columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    with no_gc():
        return pd.DataFrame.from_records(_rows(conn, sql), columns=columns)


def questions_frame(conn: Connection, with_title: bool = True) -> pd.DataFrame:
    import pandas as pd

    cols = ["question_id", "type", "options", "opened_at", "resolve_by", "source_id"]
    if with_title:
        cols.insert(1, "title")
    names = ", ".join("id" if c == "question_id" else c for c in cols)
    q = _fetch(conn, f"SELECT {names} FROM questions ORDER BY id", cols)
    q["options"] = [[] if o == "[]" else json.loads(o) for o in q["options"].tolist()]
    q["opened_at"] = _times(q["opened_at"])
    if len(q):
        days = pd.to_datetime(q["resolve_by"].astype(str), format="%Y-%m-%d")
        q["resolve_by"] = days.dt.date
        # pandas timestamps end in 2262: a resolve-by beyond that (real data has 2525) is
        # capped, which only the metaculus policy's denominator ever sees.
        q["scheduled_close"] = _times(days.clip(upper=LAST_DAY) + timedelta(days=1))
    else:
        q["scheduled_close"] = _times(q["opened_at"])
    r = _fetch(conn, "SELECT question_id, outcome, known_at, recorded_at FROM resolutions "
                     "ORDER BY id", ["question_id", "outcome", "close_at", "resolved_at"])
    r = r.drop_duplicates("question_id", keep="last")
    q = q.merge(r, on="question_id", how="left")
    q["outcome"] = q["outcome"].astype(object).where(q["outcome"].notna(), None)
    q["close_at"] = _times(q["close_at"])
    q["resolved_at"] = _times(q["resolved_at"])
    return q


SCORING_COLUMNS = ("forecast_id", "question_id", "forecaster", "made_at", "probability",
                   "distribution", "source_id")
ALL_COLUMNS = SCORING_COLUMNS + ("cue", "scale", "recorded_at")
_SQL_NAMES = {"forecast_id": "id"}


def forecasts_frame(conn: Connection, columns: tuple[str, ...] = ALL_COLUMNS) -> pd.DataFrame:
    """Every forecast; ``columns=SCORING_COLUMNS`` reads only what scoring needs. The sparse
    columns (``distribution``, ``source_id``) are read only where they are set, so a million
    binary forecasts fetch five columns, not seven."""
    sparse = [c for c in ("distribution", "source_id") if c in columns]
    dense = [c for c in columns if c not in sparse]
    names = ", ".join(_SQL_NAMES.get(c, c) for c in dense)
    f = _fetch(conn, f"SELECT {names} FROM forecasts ORDER BY id", dense)
    return _finish(conn, f, columns, sparse)


def _finish(conn: Connection, f: pd.DataFrame, columns: tuple[str, ...],
            sparse: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    for col in sparse:
        found = _fetch(conn, f"SELECT id, {col} FROM forecasts WHERE {col} IS NOT NULL",
                       ["forecast_id", col])
        values = pd.Series([None] * len(f), dtype=object)
        if len(found):
            pos = pd.Index(f["forecast_id"]).get_indexer(found["forecast_id"])
            values.iloc[pos] = found[col].to_numpy(dtype=object)
        f[col] = values
    f = f[list(columns)]
    f["forecast_id"] = f["forecast_id"].astype("int64")
    f["made_at"] = _times(f["made_at"])
    if "recorded_at" in f:
        f["recorded_at"] = _times(f["recorded_at"])
    f["probability"] = f["probability"].astype("float64")
    if f["distribution"].notna().any():
        f["distribution"] = [json.loads(d) if isinstance(d, str) else None
                             for d in f["distribution"]]
    else:
        f["distribution"] = None
    return f


def start_scoring_read(conn: Connection, helpers: int | None = None,
                       early: Early | None = None) -> Started | None:
    """Start reading the forecasts for scoring: on a SQLite file with many forecasts, helper
    processes begin on their id ranges now (see :mod:`forethought.store.colread`), or were
    started even earlier (``early``), while the caller goes on to read the questions. Pass the
    result to :func:`scoring_forecasts_frame`."""
    if conn.dialect.name != "sqlite":
        if early is not None:
            early.pending.cancel()
        return None
    from forethought.store import colread

    driver = _driver(conn)
    return colread.plan(driver, colread.database_file(driver), helpers, early)


def _driver(conn: Connection):
    driver = conn.connection.driver_connection
    assert driver is not None
    return driver


def scoring_forecasts_frame(conn: Connection, started: Started | None = None) -> pd.DataFrame:
    """``forecasts_frame(conn, SCORING_COLUMNS)`` for the scoring engine, built faster: the
    same values, but ``question_id`` and ``forecaster`` are plain object columns on PostgreSQL
    and categoricals on SQLite (the engine reads both), where the rows come as packed columns,
    read in parallel when :func:`start_scoring_read` started helpers."""
    if conn.dialect.name != "sqlite":
        f = forecasts_frame(conn, SCORING_COLUMNS)
        for col in ("question_id", "forecaster"):
            f[col] = f[col].astype(object)
        return f
    from forethought.store import colread

    own, pending = started or colread.plan(_driver(conn), None, 0)
    driver = _driver(conn)
    with no_gc():
        parts = [colread.read_part(driver, lo, hi) for lo, hi in own]
        if pending is not None:
            parts += pending.parts(driver)
        return _from_parts(conn, parts)


def _from_parts(conn: Connection, parts: list[dict]) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    from forethought.store.colread import TIME_WIDTH

    parts = sorted((p for p in parts if p["n"]), key=lambda p: p["first"])  # in id order
    if not parts:
        return forecasts_frame(conn, SCORING_COLUMNS)

    def categorical(key_uniques: str, key_codes: str) -> pd.Categorical:
        # one category list for all parts; each part's codes remapped into it
        values = list(dict.fromkeys(v for part in parts for v in part[key_uniques]))
        where = {v: i for i, v in enumerate(values)}
        codes = np.concatenate([
            np.asarray([where[v] for v in part[key_uniques]] + [0], dtype=np.int32)[
                np.frombuffer(part[key_codes], np.int32)] for part in parts])
        return pd.Categorical.from_codes(codes, categories=pd.Index(values, dtype=object))

    ids, made, prob = [], [], []
    for part in parts:
        n = part["n"]
        ids.append(np.arange(part["first"] + 1, part["first"] + n + 1, dtype=np.int64)
                   if part["dense"] else np.frombuffer(part["ids"], np.int64))
        prob.append(np.frombuffer(part["prob"], np.float64))
        if "made" in part:
            made.append(np.frombuffer(part["made"], f"S{TIME_WIDTH}").astype("datetime64[us]"))
        else:
            made.append(_times(pd.Series(part["made_list"], dtype=object))
                        .to_numpy(dtype="datetime64[ns]").astype("datetime64[us]"))
    made_us = np.concatenate(made).astype(np.int64)
    lo, hi = np.iinfo(np.int64).min // 1000 + 1, np.iinfo(np.int64).max // 1000
    if ((made_us < lo) | (made_us > hi)).any():  # beyond pandas' ns range: the slow path says so
        return forecasts_frame(conn, SCORING_COLUMNS)
    f = pd.DataFrame({
        "forecast_id": np.concatenate(ids),
        "question_id": categorical("questions", "q_codes"),
        "forecaster": categorical("names", "who_codes"),
        "made_at": pd.Series((made_us * 1000).view("datetime64[ns]")).dt.tz_localize("UTC"),
        "probability": np.concatenate(prob),
    })
    sparse = [row for part in parts for row in part["sparse"]]
    dist = pd.Series([None] * len(f), dtype=object)
    source = pd.Series([None] * len(f), dtype=object)
    if sparse:
        pos = pd.Index(f["forecast_id"]).get_indexer([r[0] for r in sparse])
        if (pos < 0).any():  # parts from different snapshots: cannot happen; read plainly
            return forecasts_frame(conn, SCORING_COLUMNS)
        dist.iloc[pos] = np.asarray([None if r[1] is None else json.loads(r[1]) for r in sparse]
                                    + [None], dtype=object)[:-1]
        source.iloc[pos] = np.asarray([r[2] for r in sparse] + [None], dtype=object)[:-1]
    f["distribution"] = dist if dist.notna().any() else None
    f["source_id"] = source
    return f[list(SCORING_COLUMNS)]


def tags_frame(conn: Connection) -> pd.DataFrame:
    return _fetch(conn, "SELECT question_id, tag FROM question_tags ORDER BY question_id, tag",
                  ["question_id", "tag"])
