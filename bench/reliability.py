"""Reliability report: the concurrency, first-open, crash, tamper, verify-under-load,
hostile-file and damaged-file attacks of tests/ at a larger size, on SQLite and (with
FORETHOUGHT_TEST_POSTGRES_URL or --pg) PostgreSQL (the damaged file: SQLite only).

    .venv/bin/python bench/reliability.py           # 16 writers x 1,000; 20 kill -9s of 100,000
    .venv/bin/python bench/reliability.py --quick   # the test suite's sizes

Prints one row per scenario and backend: operations, failures seen by users, records lost, and
what `verify` said afterwards. Each PostgreSQL run gets its own database, dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.interop import hostile  # noqa: E402
from tests.services import load, scenarios  # noqa: E402
from tests.store import damage, tampering  # noqa: E402

PG_ENV = "FORETHOUGHT_TEST_POSTGRES_URL"


@contextmanager
def databases(backend: str, pg: str | None, folder: Path) -> Iterator[Callable[[], str]]:
    """A factory of fresh, empty databases on ``backend``; dropped afterwards."""
    made: list[str] = []
    if backend == "sqlite":
        yield lambda: f"sqlite:///{folder / f'{uuid.uuid4().hex[:8]}.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(pg.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(base, isolation_level="AUTOCOMMIT")

    def make() -> str:
        name = f"ft_bench_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return base.set(database=name).render_as_string(hide_password=False)

    try:
        yield make
    finally:
        with admin.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run(args: argparse.Namespace) -> list[tuple[scenarios.Outcome, float]]:
    backends = ["sqlite"] + (["postgresql"] if args.pg else [])
    results = []
    for backend in backends:
        with tempfile.TemporaryDirectory() as tmp, databases(backend, args.pg, Path(tmp)) as new:
            plan: list[tuple[str, Callable[[], scenarios.Outcome]]] = [
                ("concurrency", lambda: scenarios.concurrency(
                    new(), writers=args.writers, per_writer=args.per_writer)),
                ("first open", lambda: scenarios.first_open(new(), processes=args.writers)),
                ("crash", lambda: scenarios.crash(
                    new(), new(), n_forecasts=args.crash_forecasts, kills=args.crash_points,
                    seed=args.seed, work=Path(tmp))),
                ("tamper", lambda: tampering.tamper(new(), n_forecasts=args.tamper_forecasts)),
                ("verify under load", lambda: load.verify_under_load(
                    new(), writers=args.writers, per_writer=args.per_writer // 4)),
                ("hostile files", lambda: hostile.hostile_files(new())),
            ]
            if backend == "sqlite":
                plan.append(("damaged file", lambda: damage.damaged_file(
                    n_forecasts=args.damage_forecasts, trials=args.damage_trials,
                    seed=args.seed)))
            if backend == "sqlite":
                old = Path(tmp) / "old-0001.db"
                shutil.copy(ROOT / "tests" / "data" / "migrations" / "0001.db", old)
                plan.insert(2, ("first open (old schema)", lambda old=old: scenarios.first_open(
                    f"sqlite:///{old}", processes=args.writers)))
            for name, scenario in plan:
                if args.only and not any(o in name for o in args.only):
                    continue
                print(f"… {name} on {backend}", file=sys.stderr, flush=True)
                start = time.monotonic()
                outcome = scenario()
                if name.endswith("(old schema)"):
                    outcome.scenario = name
                results.append((outcome, time.monotonic() - start))
    return results


def table(results: list[tuple[scenarios.Outcome, float]]) -> str:
    headers = ["scenario", "backend", "operations", "failures seen by users", "records lost",
               "verify", "time"]
    rows = [[o.scenario, o.backend, f"{o.operations:,}", str(o.user_failures),
             str(o.records_lost), o.verify, f"{seconds:.0f}s"] for o, seconds in results]
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |",
             "| " + " | ".join("-" * w for w in widths) + " |"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
              for r in rows]
    notes = [f"- {o.scenario} / {o.backend}: {n}" for o, _ in results for n in o.notes]
    return "\n".join(lines + ([""] + notes if notes else []))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the test suite's sizes")
    parser.add_argument("--pg", default=os.environ.get(PG_ENV),
                        help=f"PostgreSQL server URL (default ${PG_ENV}; none: SQLite only)")
    parser.add_argument("--writers", type=int)
    parser.add_argument("--per-writer", type=int)
    parser.add_argument("--crash-forecasts", type=int)
    parser.add_argument("--crash-points", type=int)
    parser.add_argument("--tamper-forecasts", type=int, default=1000)
    parser.add_argument("--damage-forecasts", type=int)
    parser.add_argument("--damage-trials", type=int)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--only", action="append", help="run only scenarios containing this")
    args = parser.parse_args()
    big = {"writers": 16, "per_writer": 1000, "crash_forecasts": 100_000, "crash_points": 20,
           "damage_forecasts": 20_000, "damage_trials": 30}
    small = {"writers": 8, "per_writer": 250, "crash_forecasts": 10_000, "crash_points": 3,
             "damage_forecasts": 3_000, "damage_trials": 5}
    for key, value in (small if args.quick else big).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    results = run(args)
    print(table(results))
    sys.exit(0 if all(o.ok for o, _ in results) else 1)


if __name__ == "__main__":
    main()
