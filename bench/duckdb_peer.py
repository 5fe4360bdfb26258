"""The DuckDB peer of `forethought score`: the time-averaged Brier per forecaster in one SQL query,
over the workspace's own database (SQLite file or PostgreSQL URL), read in place by DuckDB's
scanner — the same `duckdb` and scanner packages the product loads, and nothing else.

    python bench/duckdb_peer.py .forethought/forethought.db
    python bench/duckdb_peer.py postgresql+psycopg://postgres@127.0.0.1:5432/db

Prints one JSON list of [forecaster, brier, pairs] per forecaster. The conventions are those of
docs/scoring.md, for binary questions: a question's close is its latest resolution's known_at
(else that resolution's recorded_at); only questions resolved yes or no are scored; forecasts
made at or after the close are left out; each forecast stands from its made_at until the same
forecaster's next forecast on the question, the last one until the close; a pair's score is the
time-weighted mean of (p - o)^2 over its span, and a forecaster's is the mean over their pairs.
Of two forecasts at the same instant the one with the larger id stands: the earlier one is
followed at once by the later, so it stands for no time and weighs nothing.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

EXTENSIONS = {"sqlite": "duckdb_extension_sqlite_scanner",
              "postgres": "duckdb_extension_postgres_scanner"}

BRIER_BY_FORECASTER = """
WITH latest AS (
    SELECT question_id, arg_max(outcome, id) AS outcome,
           arg_max(coalesce(known_at, recorded_at), id) AS close_at
    FROM ws.resolutions GROUP BY question_id),
scored AS (
    SELECT f.id, f.question_id, f.forecaster, f.probability AS p,
           epoch_us(CAST(f.made_at AS TIMESTAMP)) AS t,
           epoch_us(CAST(r.close_at AS TIMESTAMP)) AS c,
           CASE r.outcome WHEN 'yes' THEN 1.0 ELSE 0.0 END AS o
    FROM ws.forecasts f
    JOIN latest r ON r.question_id = f.question_id
    JOIN ws.questions q ON q.id = f.question_id
    WHERE q.type = 'binary' AND r.outcome IN ('yes', 'no')
      AND CAST(f.made_at AS TIMESTAMP) < CAST(r.close_at AS TIMESTAMP)),
stood AS (
    SELECT question_id, forecaster, p, o, t, c,
           coalesce(lead(t) OVER (PARTITION BY question_id, forecaster ORDER BY t, id), c) - t
               AS w
    FROM scored),
pairs AS (
    SELECT forecaster, sum(w * (p - o) * (p - o)) / (max(c) - min(t)) AS brier
    FROM stood GROUP BY question_id, forecaster)
SELECT forecaster, avg(brier) AS brier, count(*) AS pairs
FROM pairs GROUP BY forecaster ORDER BY forecaster
"""


def extension(kind: str) -> str:
    """The scanner's file inside its PyPI package (DuckDB never downloads one here)."""
    import duckdb

    package = importlib.import_module(EXTENSIONS[kind])
    folder = Path(package.__file__ or "").parent / "extensions" / f"v{duckdb.__version__}"
    return str(next(folder.glob("*.duckdb_extension")))


def brier_by_forecaster(target: str) -> list[tuple[str, float, int]]:
    import duckdb

    kind = "postgres" if target.startswith("postgresql") else "sqlite"
    if kind == "postgres":
        scheme, rest = target.split("://", 1)
        target = f"{scheme.split('+', 1)[0]}://{rest}"
    con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False})
    con.execute(f"LOAD '{extension(kind)}'")
    con.execute(f"ATTACH '{target}' AS ws (TYPE {kind}, READ_ONLY)")
    return [tuple(r) for r in con.execute(BRIER_BY_FORECASTER).fetchall()]


if __name__ == "__main__":
    print(json.dumps(brier_by_forecaster(sys.argv[1])))
