"""Import throughput: forecasts per second from forethought JSONL into a fresh workspace.

    python bench/import_bench.py                      # 1,000,000 forecasts, SQLite (+ PG)
    python bench/import_bench.py --forecasts 100000   # quick
    python bench/import_bench.py --forecasts 100000 --forecasts 1000000   # memory stays flat?

For each size it writes a JSONL file (questions with --per-question forecasts each, two thirds
resolved), then, each in its own process so peak memory is the import's own:

* ``forethought → SQLite``: `services.interop.import_jsonl` into a fresh SQLite workspace —
  parsing, validation, idempotence checks, rows, link rows and the hash-chained ledger, one
  transaction, commit included;
* ``sqlite3 executemany`` (the baseline): the very rows that import wrote — every table,
  ledger included — read back beforehand, inserted into a fresh database with the same schema
  and pragmas by the sqlite3 module's ``executemany`` in one transaction;
* ``forethought → PostgreSQL``: the same import into a fresh database on the server named by
  --postgres or $FORETHOUGHT_TEST_POSTGRES_URL (skipped without one).

Targets (issue 6): ≥ 50,000 forecasts/s on SQLite, within 3× of the baseline, flat memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

TABLES = ("sources", "claims", "claim_grades", "claim_statuses", "questions", "question_tags",
          "question_claims", "forecasts", "forecast_claims", "resolutions", "ledger")


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


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


# ---- children (one process per measurement) --------------------------------------------------

def child_import(url: str, source: str) -> dict:
    from forethought.services.interop import import_jsonl
    from forethought.store.engine import Store

    store = Store(url, upgrade=True)
    start = time.perf_counter()
    report = import_jsonl(store, Path(source))
    seconds = time.perf_counter() - start
    store.dispose()
    return {"seconds": seconds, "forecasts": report.added["forecasts"]}


def child_baseline(source_db: str, target_db: str) -> dict:
    from forethought.store.engine import Store

    Store(target_db, upgrade=True).dispose()  # the same schema, built by the migrations
    src = sqlite3.connect(source_db)
    data = {t: src.execute(f'SELECT * FROM "{t}"').fetchall() for t in TABLES}
    columns = {t: [r[1] for r in src.execute(f'PRAGMA table_info("{t}")')] for t in TABLES}
    src.close()
    db = sqlite3.connect(target_db, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON",
                   "cache_size = -262144"):
        db.execute(f"PRAGMA {pragma}")
    start = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    for t in TABLES:
        if data[t]:
            cols = ", ".join(f'"{c}"' for c in columns[t])
            marks = ", ".join("?" for _ in columns[t])
            db.executemany(f'INSERT INTO "{t}" ({cols}) VALUES ({marks})', data[t])
    db.execute("COMMIT")
    seconds = time.perf_counter() - start
    db.close()
    return {"seconds": seconds, "forecasts": len(data["forecasts"])}


def run_child(*args: str, threads: bool | None = None) -> dict:
    """Run this script as a child; return its JSON result (with its own peak RSS in MB).
    ``threads``: force the writer thread on or off; None keeps the product's default (off on
    SQLite, on for PostgreSQL), which is what `forethought import` does."""
    env = dict(os.environ)
    env.pop("FORETHOUGHT_IMPORT_THREADS", None)
    if threads is not None:
        env["FORETHOUGHT_IMPORT_THREADS"] = "1" if threads else "0"
    proc = subprocess.Popen([sys.executable, __file__, "--child", *args], stdout=subprocess.PIPE,
                            text=True, env=env)
    out, _ = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"child {args[0]} failed ({proc.returncode})")
    return json.loads(out.strip().splitlines()[-1])


def _child_main(args: list[str]) -> None:
    import resource

    kind, *rest = args
    result = child_import(*rest) if kind == "import" else child_baseline(*rest)
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


# ---- PostgreSQL ----------------------------------------------------------------------------

def pg_database(admin_url: str):
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"ft_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), drop


# ---- main ----------------------------------------------------------------------------------

def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--forecasts", type=int, action="append",
                        help="forecasts to import (repeat for several sizes; default 1,000,000)")
    parser.add_argument("--per-question", type=int, default=20)
    parser.add_argument("--postgres", default=os.environ.get("FORETHOUGHT_TEST_POSTGRES_URL"),
                        help="server URL for the PostgreSQL run (default "
                             "$FORETHOUGHT_TEST_POSTGRES_URL; 'none' to skip)")
    parser.add_argument("--dir", type=Path, help="work in this folder (kept) instead of a "
                                                 "temporary one")
    parser.add_argument("--writer-thread", action="store_true",
                        help="also time the SQLite import with its writer thread forced on")
    parser.add_argument("--repeat", type=int, default=1,
                        help="SQLite runs of the import and of the baseline; the table shows "
                             "the median run (default 1)")
    opts = parser.parse_args()
    sizes = opts.forecasts or [1_000_000]
    rows = []
    with tempfile.TemporaryDirectory(prefix="ft-bench-") as tmp:
        work = opts.dir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            source = work / f"bench-{size}.jsonl"
            n = write_jsonl(source, size, opts.per_question)
            mb = source.stat().st_size / 2**20
            print(f"{n:,} forecasts in {source.name} ({mb:.0f} MB); load average "
                  f"{os.getloadavg()[0]:.1f}", file=sys.stderr)
            db = work / f"forethought-{size}.db"
            base_db = work / f"baseline-{size}.db"
            for p in (db, base_db):
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{p}{suffix}").unlink(missing_ok=True)
            mine, base = [], []
            for _ in range(max(opts.repeat, 1)):
                for p in (db, base_db):
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{p}{suffix}").unlink(missing_ok=True)
                mine.append(run_child("import", _sqlite_url(db), str(source)))
                base.append(run_child("baseline", str(db), str(base_db)))
            rows.append(("sqlite3 executemany (baseline)", n, _median(base), None))
            rows.append(("forethought → SQLite", n, _median(mine), _median(base)))
            if opts.writer_thread:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
                rows.append(("forethought → SQLite, writer thread", n,
                             run_child("import", _sqlite_url(db), str(source), threads=True),
                             _median(base)))
            if opts.postgres and opts.postgres != "none":
                url, drop = pg_database(opts.postgres)
                try:
                    rows.append(("forethought → PostgreSQL", n, run_child("import", url,
                                                                           str(source)), None))
                finally:
                    drop()
    print_table(rows)


def _median(results: list[dict]) -> dict:
    """The run with the median time (its memory with it)."""
    return sorted(results, key=lambda r: r["seconds"])[len(results) // 2]


def print_table(rows: list) -> None:
    head = ("target", "forecasts", "seconds", "forecasts/s", "peak RSS MB", "× baseline")
    lines = [head]
    for name, n, r, base in rows:
        ratio = f"{r['seconds'] / base['seconds']:.2f}" if base else ""
        lines.append((name, f"{n:,}", f"{r['seconds']:.2f}", f"{n / r['seconds']:,.0f}",
                      f"{r['rss_mb']:.0f}", ratio))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    for i, line in enumerate(lines):
        print("  ".join(str(c).ljust(w) if j == 0 else str(c).rjust(w)
                        for j, (c, w) in enumerate(zip(line, widths, strict=True))))
        if i == 0:
            print("  ".join("-" * w for w in widths))


if __name__ == "__main__":
    main()
