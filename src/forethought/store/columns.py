"""The one columnar read path: questions, forecasts and tags as pandas frames, for scoring,
calibration, the report and the analysis API, on both backends.

DuckDB reads the workspace's own database in place — SQLite through its sqlite scanner,
PostgreSQL through its postgres scanner, both shipped as PyPI packages, nothing downloaded at run
time — and hands back Arrow columns, so no Python object is built per forecast. Every table is
read inside one DuckDB transaction, which holds one read transaction (one snapshot) on the
database underneath, so the frames agree with each other even while others write.

Columns (the contract the scoring engine reads):

questions: question_id, [title], type, options (list), opened_at, resolve_by (date), source_id,
    scheduled_close (end of the resolve-by day), outcome (latest resolution or None), close_at
    (latest resolution's known_at), resolved_at (its recorded time), visibility (the hidden
    crowd's rule; a store used by an account gets only the forecasts that account may see)
forecasts: forecast_id, question_id, forecaster, made_at, probability (NaN for multiple
    choice), distribution (dict or None), source_id, [cue, scale, recorded_at]
tags: question_id, tag

Timestamps are ``datetime64[us, UTC]`` (microseconds, so every date the store accepts fits).
With ``full=False`` (what scoring reads) ``question_id`` and ``forecaster`` are categoricals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forethought.domain.rules import crowd_hidden
from forethought.errors import DatabaseError
from forethought.store.engine import Store, corruption, damaged, libpq_url

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

DUCKDB_EXTENSIONS = {"sqlite": "duckdb_extension_sqlite_scanner",
                     "postgresql": "duckdb_extension_postgres_scanner"}

_QUESTIONS = """
SELECT q.id AS question_id, {title} q.type, q.options, q.opened_at, q.resolve_by, q.source_id,
       CAST(q.resolve_by AS TIMESTAMP) + INTERVAL 1 DAY AS scheduled_close,
       r.outcome, r.close_at, r.resolved_at, q.visibility
FROM ws.questions q LEFT JOIN (
    SELECT question_id, arg_max(outcome, id) AS outcome, arg_max(known_at, id) AS close_at,
           arg_max(recorded_at, id) AS resolved_at
    FROM ws.resolutions GROUP BY question_id) r ON r.question_id = q.id
ORDER BY q.id
"""
_FORECASTS = """
SELECT id AS forecast_id, question_id, forecaster, made_at, probability, distribution,
       source_id {extra}
FROM ws.forecasts ORDER BY id
"""
_TAGS = "SELECT question_id, tag FROM ws.question_tags ORDER BY question_id, tag"


@dataclass
class Frames:
    questions: pd.DataFrame
    forecasts: pd.DataFrame
    tags: pd.DataFrame


def read_frames(store: Store, *, full: bool = False) -> Frames:
    """Every question (with its latest resolution), forecast and tag, from one snapshot.
    ``full`` adds the question titles and the forecasts' cue, scale and recorded_at, and keeps
    text columns as plain strings.

    DuckDB releases the GIL while it scans, so the scan runs on a worker thread while this one
    imports pandas (a cold command needs it next, and the import takes as long as the scan)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="forethought-read") as pool:
        scanned = pool.submit(_scan, store, full)
        import pandas  # noqa: F401 - see the docstring
        q, f, t = scanned.result()
    frames = Frames(_questions(q), _forecasts(f, full), _strings(t))
    if store.actor is not None:
        frames = _without_hidden(frames, store.actor.name)
    return frames


def _without_hidden(frames: Frames, viewer: str) -> Frames:
    """The frames as ``viewer`` may see them: others' forecasts on questions whose crowd is
    hidden from them are left out — the same rule `repository.hidden_questions` applies to
    records (`domain.rules.crowd_hidden`)."""
    from datetime import UTC, datetime

    today = datetime.now(UTC).date()
    q, f = frames.questions, frames.forecasts
    mine = set(f.loc[(f["forecaster"] == viewer).to_numpy(), "question_id"].astype(object))
    hidden = {qid for qid, rule, outcome in zip(q["question_id"], q["visibility"], q["outcome"],
                                               strict=True)
              if crowd_hidden(rule, outcome is not None, qid in mine, today)}
    if not hidden:
        return frames
    keep = (~f["question_id"].isin(hidden) | (f["forecaster"] == viewer)).to_numpy()
    return Frames(q, f[keep].reset_index(drop=True), frames.tags)


def _scan(store: Store, full: bool) -> tuple[pa.Table, pa.Table, pa.Table]:
    """The three tables as Arrow, read inside one DuckDB transaction (one snapshot)."""
    import duckdb

    con = _connect(store)
    try:
        con.execute("BEGIN")
        q = con.execute(_QUESTIONS.format(title="q.title," if full else "")).to_arrow_table()
        extra = ", cue, scale, recorded_at" if full else ""
        f = con.execute(_FORECASTS.format(extra=extra)).to_arrow_table()
        t = con.execute(_TAGS).to_arrow_table()
        con.execute("COMMIT")
    except duckdb.Error as exc:
        raise _mapped(exc, store) from None
    finally:
        con.close()
    return q, f, t


def _connect(store: Store) -> Any:
    import duckdb

    con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False})
    try:
        con.execute(f"LOAD '{_extension(store.dialect)}'")
        if store.dialect == "sqlite":
            if store.path is None or not store.path.exists():
                raise DatabaseError(f"{store.where} does not exist")
            target, kind = str(store.path), "sqlite"
        else:
            target, kind = libpq_url(store.url), "postgres"
        con.execute(f"ATTACH '{_quoted(target)}' AS ws (TYPE {kind}, READ_ONLY)")
    except duckdb.Error as exc:
        con.close()
        raise _mapped(exc, store) from None
    except BaseException:
        con.close()
        raise
    return con


def _extension(dialect: str) -> str:
    import importlib

    import duckdb

    package = importlib.import_module(DUCKDB_EXTENSIONS[dialect])
    folder = Path(package.__file__ or "").parent / "extensions" / f"v{duckdb.__version__}"
    found = sorted(folder.glob("*.duckdb_extension"))
    if not found:
        raise DatabaseError(f"the {DUCKDB_EXTENSIONS[dialect]} package does not match DuckDB "
                            f"{duckdb.__version__}; reinstall forethought (pip install -e .)")
    return _quoted(str(found[0]))


def _quoted(text: str) -> str:
    return text.replace("'", "''")


def _mapped(exc: Exception, store: Store) -> DatabaseError:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    lowered = message.lower()
    if corruption(exc) is not None or "corrupt" in lowered:
        store.mark_damaged(message)
        return damaged(store.where, message)
    return DatabaseError(f"cannot read the database at {store.where}: {message}; if a stored "
                         "value was changed by hand, `forethought verify` names it")


def _times(column: pa.ChunkedArray) -> pa.ChunkedArray:
    import pyarrow as pa
    import pyarrow.compute as pc

    utc = pa.timestamp("us", tz="UTC")
    if pa.types.is_timestamp(column.type) and column.type.tz is not None:
        return pc.cast(column, utc)
    # stored times are naive UTC: naming the zone is a cast of the type, not of the values
    return pc.cast(pc.cast(column, pa.timestamp("us")), utc)


def _json_column(column: pa.ChunkedArray) -> list[Any]:
    """Parse a sparse JSON text column: only the rows that hold a value."""
    import pyarrow.compute as pc

    values: list[Any] = [None] * len(column)
    if column.null_count == len(column):
        return values
    where = pc.indices_nonzero(pc.is_valid(column))
    for i, text in zip(where.to_pylist(), pc.take(column, where).to_pylist(), strict=True):
        values[i] = json.loads(text)
    return values


def _strings(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas()


def _questions(table: pa.Table) -> pd.DataFrame:
    import pandas as pd
    import pyarrow.compute as pc

    for name in ("opened_at", "scheduled_close", "close_at", "resolved_at"):
        table = table.set_column(table.schema.get_field_index(name), name, _times(table[name]))
    options: list[list[str]] = [[] for _ in range(table.num_rows)]
    listed = pc.indices_nonzero(pc.fill_null(pc.not_equal(table["options"], "[]"), False))
    for i, text in zip(listed.to_pylist(), pc.take(table["options"], listed).to_pylist(),
                       strict=True):
        options[i] = json.loads(text)
    frame = table.drop_columns(["options"]).to_pandas(date_as_object=True)
    frame.insert(frame.columns.get_loc("type") + 1, "options", pd.Series(options, dtype=object))
    frame["outcome"] = frame["outcome"].astype(object).where(frame["outcome"].notna(), None)
    if not len(frame):
        frame["resolve_by"] = pd.Series([], dtype=object)
    return frame


def _forecasts(table: pa.Table, full: bool) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = {"forecast_id": pc.cast(table["forecast_id"], pa.int64())}
    for name in ("question_id", "forecaster"):
        columns[name] = table[name] if full else pc.dictionary_encode(table[name])
    columns["made_at"] = _times(table["made_at"])
    columns["probability"] = pc.cast(table["probability"], pa.float64())
    rest = ["cue", "scale"] if full else []
    source = pc.cast(table["source_id"], pa.string())
    frame = pa.table({**columns, "source_id": source if full else pc.dictionary_encode(source),
                      **{n: pc.cast(table[n], pa.string()) for n in rest}}).to_pandas()
    distribution = table["distribution"]
    frame.insert(5, "distribution", None if distribution.null_count == len(distribution)
                 else _json_column(distribution))
    if full:
        frame["recorded_at"] = _times(table["recorded_at"]).to_pandas()
    return frame
