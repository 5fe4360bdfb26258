"""Import against the database's own bulk insert: `forethought import jsonl` and `import csv` of
1,000,000 forecasts (ledger included) beside `executemany` of the very rows they write.

    python bench/import_bench.py                       # 1,000,000 forecasts, SQLite (+ PostgreSQL)
    python bench/import_bench.py --forecasts 100000    # quick
    python bench/import_bench.py --postgres none       # SQLite only

The data: questions of --per-question forecasts each (50 forecasters, two tags each), two in three
resolved, written as forethought JSONL; the CSV is that workspace's `forethought export csv` (the
format of docs/formats.md), so both files hold the same questions, forecasts and resolutions.

Each side runs in a fresh workspace built by `forethought init` beforehand (the schema exists on
both sides), in turn, import then baseline, --repeat times after one unmeasured warm-up each:

* ``forethought import FORMAT FILE``: the whole command as a process (start-up, parsing,
  validation, idempotence checks, rows, link rows, the hash-chained ledger, one transaction);
* the baseline: every row that format's import wrote — every table it fills, ledger included —
  read back from the warm-up's database **before** the timer starts (so it holds ready-made
  tuples, no parsing), then inserted into the fresh database by the driver's `executemany`, one
  table after the other, in one transaction, commit included: `sqlite3` with the product's
  pragmas on SQLite, psycopg 3 on PostgreSQL (--postgres, a database created per run and dropped).

The table gives the medians of each side, the median of the per-pair ratios and their range,
forecasts per second, each side's peak memory, and the median per-pair ratio of CPU time (the
import's whole process against the baseline's timed inserts).

Targets (issue 11): on SQLite, both formats ≤ 5x the baseline at 1,000,000 forecasts. The README
quotes the ratio and the date: absolute rates on these shared machines vary 2x from day to day.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from timing import (
    EXE,
    Pairing,
    Sample,
    heading,
    libpq,
    median,
    paired,
    peak,
    pg_database,
    run,
    table,
)

# parents before children, so the foreign keys hold at every insert
TABLES = ("sources", "source_notes", "claims", "claim_grades", "claim_statuses", "questions",
          "question_tags", "question_claims", "forecasts", "forecast_claims", "resolutions",
          "ledger")
TARGET = 5.0


def write_jsonl(path: Path, forecasts: int, per: int) -> int:
    rng = random.Random(6)
    start = datetime(2020, 1, 1, tzinfo=UTC)

    def t(d: datetime) -> str:
        return d.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for i in range(max(forecasts // per, 1)):
            opened = start + timedelta(minutes=i)
            close = opened + timedelta(days=30)
            doc = {"format_version": 1, "id": f"bench-{i:07d}", "title": f"Bench question {i}",
                   "type": "binary", "opened_at": t(opened),
                   "resolve_by": close.date().isoformat(), "recorded_at": t(opened),
                   "tags": ["bench", f"group-{i % 10}"],
                   "forecasts": [{"forecaster": f"forecaster-{(i + j) % 50}",
                                  "made_at": t(opened + timedelta(hours=j + 1)),
                                  "probability": round(rng.random(), 2),
                                  "recorded_at": t(opened + timedelta(hours=j + 1))}
                                 for j in range(per)],
                   "resolutions": [] if i % 3 == 0 else [
                       {"outcome": "yes" if i % 2 else "no", "known_at": t(close),
                        "recorded_at": t(close)}]}
            n += per
            fh.write(json.dumps(doc, separators=(",", ":")) + "\n")
    return n


# ---- the baseline (a child process, so its memory is its own) -----------------------------

def read_back(conn, dialect: str) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every non-empty table the import fills: its columns and its rows as tuples."""
    filled = {}
    for name in TABLES:
        cur = conn.execute(f'SELECT * FROM "{name}"')
        rows = cur.fetchall()
        if rows:
            filled[name] = ([d[0] for d in cur.description], rows)
    listed = ("SELECT name FROM sqlite_master WHERE type = 'table'" if dialect == "sqlite" else
              "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    for (name,) in conn.execute(listed).fetchall():
        if name not in TABLES and name != "alembic_version":
            if conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]:
                raise SystemExit(f"the import filled {name}, which the baseline does not know")
    return filled


def baseline(source: str, target: str) -> dict:
    """Insert ``source``'s rows into the empty workspace database ``target``; time the inserts
    and the commit only."""
    if source.startswith("postgresql"):
        import psycopg

        with psycopg.connect(libpq(source)) as src:
            data = read_back(src, "postgresql")
        db = psycopg.connect(libpq(target))
        mark = "%s"
    else:
        import sqlite3

        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        data = read_back(src, "sqlite")
        src.close()
        db = sqlite3.connect(target, isolation_level=None)
        for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"):
            db.execute(f"PRAGMA {pragma}")
        mark = "?"
    start, cpu = time.perf_counter(), time.process_time()
    cur = db.cursor()
    if mark == "?":
        cur.execute("BEGIN IMMEDIATE")
    for name, (columns, rows) in data.items():
        names = ", ".join(f'"{c}"' for c in columns)
        cur.executemany(f'INSERT INTO "{name}" ({names}) VALUES '
                        f'({", ".join(mark for _ in columns)})', rows)
    if mark == "?":
        cur.execute("COMMIT")
    else:
        db.commit()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    db.close()
    return {"seconds": seconds, "cpu": cpu,
            "rows": {name: len(rows) for name, (_, rows) in data.items()}}


# ---- workspaces -----------------------------------------------------------------------------

Fresh = Callable[[], AbstractContextManager[tuple[Path, str]]]


def sqlite_workspaces(work: Path) -> Fresh:
    """Fresh SQLite workspaces (copies of one `forethought init`), each removed after use."""
    template = work / "template"
    template.mkdir()
    run([EXE, "init", "--as", "bench"], template)
    count = iter(range(1_000_000))

    @contextmanager
    def fresh() -> Iterator[tuple[Path, str]]:
        folder = work / f"ws-{next(count)}"
        shutil.copytree(template, folder)
        try:
            yield folder, str(folder / ".forethought" / "forethought.db")
        finally:
            shutil.rmtree(folder)
    return fresh


def pg_workspaces(work: Path, server: str) -> Fresh:
    """Fresh workspaces each in a new database on ``server``, dropped after use."""
    count = iter(range(1_000_000))

    @contextmanager
    def fresh() -> Iterator[tuple[Path, str]]:
        folder = work / f"pg-{next(count)}"
        folder.mkdir()
        try:
            with pg_database(server) as url:
                run([EXE, "init", "--as", "bench", "--db", url], folder)
                yield folder, url
        finally:
            shutil.rmtree(folder)
    return fresh


def compare(fresh: Fresh, fmt: str, data: Path, repeat: int) -> Pairing:
    """``repeat`` pairs (import, baseline). The reference the baseline reads is the warm-up
    import's database, kept open until the pairs are done."""
    def imported(folder: Path) -> Sample:
        return run([EXE, "import", fmt, str(data)], folder)

    with fresh() as (ref_folder, ref):
        imported(ref_folder)  # warm-up, and the rows the baseline inserts

        def mine() -> Sample:
            with fresh() as (folder, _):
                return imported(folder)

        def theirs() -> Sample:
            with fresh() as (_, target):
                done = run([sys.executable, __file__, "--baseline", ref, target])
            timed = json.loads(done.stdout)
            return Sample(timed["seconds"], done.peak_mb, timed["cpu"], done.stdout)

        return paired(mine, theirs, repeat)


def export_csv(fresh: Fresh, data: Path, out: Path) -> None:
    """The same data as forethought CSV: import the JSONL, `export csv`."""
    with fresh() as (folder, _):
        run([EXE, "import", "jsonl", str(data)], folder)
        run([EXE, "export", "csv", "--out", str(out)], folder)


def row(backend: str, fmt: str, n: int, result: Pairing, goal: float | None) -> tuple:
    mine, base = result.a, result.b
    low, high = result.spread
    met = "-" if goal is None else "yes" if result.ratio <= goal else "NO"
    return (backend, f"import {fmt}", f"{n:,}", f"{median(mine):.2f}", f"{n / median(mine):,.0f}",
            f"{peak(mine):.0f}", f"{median(base):.2f}", f"{peak(base):.0f}",
            f"{result.ratio:.2f}", f"{low:.2f}-{high:.2f}", f"{result.cpu_ratio:.2f}",
            "-" if goal is None else f"≤ {goal:g}x", met)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--baseline":
        print(json.dumps(baseline(sys.argv[2], sys.argv[3])))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--forecasts", type=int, default=1_000_000)
    parser.add_argument("--per-question", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3,
                        help="pairs (import, baseline) per format on SQLite (default 3)")
    parser.add_argument("--pg-repeat", type=int, default=1,
                        help="pairs per format on PostgreSQL (default 1)")
    parser.add_argument("--postgres", default=os.environ.get("FORETHOUGHT_TEST_POSTGRES_URL"),
                        help="a PostgreSQL server URL (databases are created on it and dropped); "
                             "default $FORETHOUGHT_TEST_POSTGRES_URL; 'none' for SQLite only")
    parser.add_argument("--formats", default="jsonl,csv")
    opts = parser.parse_args()
    heading("import_bench: forethought import vs executemany of the same rows, ready-made "
            "(medians of interleaved pairs)")
    rows = []
    with tempfile.TemporaryDirectory(prefix="ft-import-") as tmp:
        work = Path(tmp)
        n = write_jsonl(work / "data.jsonl", opts.forecasts, opts.per_question)
        sources = {"jsonl": work / "data.jsonl", "csv": work / "data.csv"}
        backends: list[tuple[str, Fresh, int, float | None]] = [
            ("sqlite", sqlite_workspaces(work), opts.repeat, TARGET)]
        if opts.postgres and opts.postgres != "none":
            backends.append(("postgresql", pg_workspaces(work, opts.postgres), opts.pg_repeat,
                             None))
        formats = opts.formats.split(",")
        if "csv" in formats:
            export_csv(backends[0][1], sources["jsonl"], sources["csv"])
        for backend, fresh, repeat, goal in backends:
            for fmt in formats:
                rows.append(row(backend, fmt, n, compare(fresh, fmt, sources[fmt], repeat), goal))
                print(f"  {backend} {fmt}: done; load average {os.getloadavg()[0]:.2f}",
                      file=sys.stderr, flush=True)
    print(table(("backend", "command", "forecasts", "median s", "forecasts/s", "peak MB",
                 "baseline s", "baseline MB", "x baseline", "pair range", "x cpu", "target",
                 "met"),
                rows, left=2))
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
