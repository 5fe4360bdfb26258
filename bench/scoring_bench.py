"""Scoring at scale against a DuckDB peer: `score`, `score --crowd median` and `calibration
--decompose` on workspaces of 10k, 100k and 1M forecasts, on SQLite and PostgreSQL.

    python bench/scoring_bench.py                          # 10k, 100k, 1M; SQLite (+ PostgreSQL)
    python bench/scoring_bench.py --forecasts 100000       # one size
    python bench/scoring_bench.py --postgres none          # SQLite only

Each workspace is built through the product's own path (`forethought init`, `forethought import
jsonl`): binary questions with 10 forecasts each (5 of 10 forecasters, each forecasting twice,
i.e. with a revision), a mix of outcomes (yes, no, ambiguous, annulled, unresolved), a few
forecasts made after the close (the same data as earlier sessions' runs). On PostgreSQL the
workspace lives in a fresh database on the server of --postgres (created, then dropped).

The peer (`bench/duckdb_peer.py`) is DuckDB — the `duckdb` and scanner packages the product
itself loads — reading the same database in place and computing the same time-averaged Brier per
forecaster in one SQL query. Before anything is timed, its numbers are checked equal (to 1e-9,
and the pair counts exactly) to the brier column of `forethought score --json`; a mismatch stops
the run.

Every command runs as a whole process (start-up included), in pairs with the peer: command,
peer, command, peer, ... (--repeat pairs after one warm-up each). The table gives the median of
each side, the median of the per-pair ratios and their range, and the command's largest peak
memory (its own max RSS); "x cpu" is the median per-pair ratio of CPU time (user + system, all
threads), which the machine's load disturbs less than the wall time.

Targets (issue 11), at 1,000,000 forecasts on both backends: `score` ≤ 1.5x the peer,
`calibration --decompose` and `score --crowd median` ≤ 2x, peak memory < 1 GB. At 10k and 100k
start-up dominates both sides, so the ratios there say little.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from timing import EXE, Pairing, heading, median, paired, peak, pg_database, run, table

PEER = str(Path(__file__).with_name("duckdb_peer.py"))
COMMANDS = (("score", ["score"], 1.5),
            ("score --crowd median", ["score", "--crowd", "median"], 2.0),
            ("calibration --decompose", ["calibration", "--decompose"], 2.0))
MEMORY_MB = 1024
TOLERANCE = 1e-9


def write_jsonl(path: Path, n_forecasts: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    start = datetime(2023, 1, 1, tzinfo=UTC)
    outcomes = ["yes", "no", "yes", "no", "yes", "no", "ambiguous", "annulled", None, None]

    def t(d: datetime) -> str:
        return d.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    with path.open("w", encoding="utf-8") as fh:
        for i in range(n_forecasts // 10):
            opened = start + timedelta(minutes=7 * i)
            close = opened + timedelta(days=rng.randint(5, 200))
            truth = rng.random() < 0.4
            forecasts = []
            for who in rng.sample(range(10), 5):
                skill = 0.1 + who * 0.05
                for k in range(2):
                    made = opened + timedelta(hours=rng.randint(1, 48) + 72 * k, minutes=who)
                    p = min(max(rng.gauss(0.7 if truth else 0.3, skill), 0.0), 1.0)
                    forecasts.append({"forecaster": f"forecaster-{who}", "made_at": t(made),
                                      "probability": round(p, 2), "recorded_at": t(made)})
            outcome = outcomes[i % len(outcomes)]
            if outcome in ("yes", "no"):
                outcome = "yes" if truth else "no"
            doc = {"format_version": 1, "id": f"q-{i:07d}", "title": f"Question {i}",
                   "type": "binary", "opened_at": t(opened),
                   "resolve_by": close.date().isoformat(), "recorded_at": t(opened),
                   "tags": [f"topic-{i % 7}"], "forecasts": forecasts,
                   "resolutions": [] if outcome is None else [
                       {"outcome": outcome, "known_at": t(close - timedelta(days=1)),
                        "recorded_at": t(close)}]}
            fh.write(json.dumps(doc, separators=(",", ":")) + "\n")


def build(folder: Path, data: Path, db: str | None) -> str:
    """A workspace in ``folder`` holding ``data``, through `init` and `import jsonl`; returns
    what the peer reads (the SQLite file or the PostgreSQL URL)."""
    folder.mkdir()
    run([EXE, "init", "--as", "bench", *(["--db", db] if db else [])], folder)
    took = run([EXE, "import", "jsonl", str(data)], folder)
    print(f"  built {folder.name} in {took.seconds:.1f} s", file=sys.stderr, flush=True)
    return db or str(folder / ".forethought" / "forethought.db")


def check_peer(folder: Path, target: str) -> None:
    """Stop unless the peer's Brier and pair count per forecaster equal `score --json`'s."""
    mine = {r["forecaster"]: (r["brier"], r["questions"])
            for r in json.loads(run([EXE, "score", "--json"], folder).stdout)["rows"]}
    theirs = {name: (brier, pairs)
              for name, brier, pairs in json.loads(run([sys.executable, PEER, target]).stdout)}
    if mine.keys() != theirs.keys():
        raise SystemExit(f"forecasters differ: {sorted(mine)} vs the peer's {sorted(theirs)}")
    for name, (brier, pairs) in mine.items():
        peer_brier, peer_pairs = theirs[name]
        if abs(brier - peer_brier) > TOLERANCE or pairs != peer_pairs:
            raise SystemExit(f"{name}: score --json says brier {brier!r} over {pairs} pairs, "
                             f"the DuckDB peer {peer_brier!r} over {peer_pairs}")
    print(f"  peer checked: {len(mine)} forecasters equal to 1e-9", file=sys.stderr, flush=True)


def bench(backend: str, n: int, data: Path, folder: Path, db: str | None,
          repeat: int) -> list[tuple]:
    target = build(folder, data, db)
    check_peer(folder, target)
    peer = partial(run, [sys.executable, PEER, target])
    rows = []
    for label, args, goal in COMMANDS:
        result: Pairing = paired(partial(run, [EXE, *args], folder), peer, repeat)
        low, high = result.spread
        met = result.ratio <= goal and peak(result.a) < MEMORY_MB
        rows.append((backend, f"{n:,}", label, f"{median(result.a):.2f}",
                     f"{peak(result.a):.0f}", f"{median(result.b):.2f}", f"{peak(result.b):.0f}",
                     f"{result.ratio:.2f}", f"{low:.2f}-{high:.2f}", f"{result.cpu_ratio:.2f}",
                     f"≤ {goal:g}x, < 1 GB", "-" if n < 1_000_000 else "yes" if met else "NO"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forecasts", type=int, action="append",
                        help="workspace size (repeatable); default 10k, 100k, 1M")
    parser.add_argument("--repeat", type=int, default=5,
                        help="pairs (command, peer) per command; medians over them (default 5)")
    parser.add_argument("--postgres", default=os.environ.get("FORETHOUGHT_TEST_POSTGRES_URL"),
                        help="a PostgreSQL server URL (a database is created on it and dropped); "
                             "default $FORETHOUGHT_TEST_POSTGRES_URL; 'none' for SQLite only")
    args = parser.parse_args()
    sizes = args.forecasts or [10_000, 100_000, 1_000_000]
    backends = ["sqlite"] + (["postgresql"] if args.postgres and args.postgres != "none" else [])
    heading("scoring_bench: forethought commands vs the DuckDB peer (medians of "
            f"{args.repeat} interleaved pairs)")
    rows = []
    with tempfile.TemporaryDirectory(prefix="ft-scoring-") as tmp:
        for n in sizes:
            data = Path(tmp) / f"data-{n}.jsonl"
            write_jsonl(data, n)
            for backend in backends:
                folder = Path(tmp) / f"ws-{backend}-{n}"
                if backend == "sqlite":
                    rows += bench(backend, n, data, folder, None, args.repeat)
                    continue
                with pg_database(args.postgres) as url:
                    rows += bench(backend, n, data, folder, url, args.repeat)
    print(table(("backend", "forecasts", "command", "median s", "peak MB", "peer s", "peer MB",
                 "x peer", "pair range", "x cpu", "target", "met"), rows, left=3))
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
