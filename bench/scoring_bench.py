"""Scoring at scale: `score`, `score --crowd median` and `calibration --decompose` on workspaces of
10k, 100k and 1M forecasts, each beside a baseline.

    python bench/scoring_bench.py                       # 10k, 100k, 1M forecasts
    python bench/scoring_bench.py --forecasts 100000    # one size

Each workspace is built through the project's own bulk path (`forethought import jsonl`):
binary questions (10 forecasts each: 5 of 10 forecasters, each forecasting twice, i.e. with a
revision), a mix of outcomes (yes, no, ambiguous, annulled, unresolved). Every command runs as a
real process (start-up included); the table shows the median of `--repeat` runs and the largest
peak memory (max RSS of the command or of its helper process, whichever is larger; at 1M the
helper peaks near 130 MB, so the two together stay well under 1 GB).

Baselines, each a plain vectorised Brier score in numpy after a `sqlite3` read:
* "baseline" (the issue's): reads the same columns the commands read — each resolved forecast's
  question, forecaster, made_at and probability with its outcome and known_at, and the
  questions' type, opened_at and resolve_by. It does no time-averaging, no crowd, no binning:
  that is the work the commands add.
* "narrow": reads only (probability, outcome). Sessions before 2026-11-24 used this stricter
  yardstick; both ratios are printed so runs stay comparable.

Targets (issue 3), at 1M forecasts: each command within 3x of its baseline and under 20 s wall,
peak memory under 2 GB, on this 2-core machine. At 10k and 100k start-up (~0.35 s of imports)
dominates, so the ratios there say little.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

EXE = str(Path(sys.executable).with_name("forethought"))
# The issue's baseline: the columns the commands read (forecasts' question, forecaster, made_at,
# probability; the resolution's outcome and known_at; the questions' type, opened_at and
# resolve_by), fetched with sqlite3, and a plain Brier score over the resolved forecasts.
BASELINE = r"""
import sqlite3, sys, numpy as np
conn = sqlite3.connect(sys.argv[1])
questions = conn.execute("SELECT id, type, opened_at, resolve_by FROM questions").fetchall()
rows = conn.execute(
    "SELECT f.question_id, f.forecaster, f.made_at, f.probability, r.outcome, r.known_at "
    "FROM forecasts f JOIN resolutions r ON r.question_id = f.question_id "
    "WHERE r.outcome IN ('yes', 'no')").fetchall()
p = np.fromiter((r[3] for r in rows), float, len(rows))
o = np.fromiter((r[4] == 'yes' for r in rows), float, len(rows))
print(float(np.mean((p - o) ** 2)))
"""
# A stricter yardstick, kept for comparison with earlier runs: only the two columns a plain
# Brier score needs (probability, outcome).
NARROW = r"""
import sqlite3, sys, numpy as np
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute(
    "SELECT f.probability, r.outcome FROM forecasts f JOIN resolutions r "
    "ON r.question_id = f.question_id WHERE r.outcome IN ('yes', 'no')").fetchall()
p = np.fromiter((r[0] for r in rows), float, len(rows))
o = np.fromiter((r[1] == 'yes' for r in rows), float, len(rows))
print(float(np.mean((p - o) ** 2)))
"""


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


def run(cmd: list[str], cwd: Path) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stdout) of one command."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], cwd=cwd, capture_output=True,
                          text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return wall, peak_kb / 1024, done.stdout


def median_run(cmd: list[str], cwd: Path, repeat: int) -> tuple[float, float]:
    """Median wall time and the largest peak memory over ``repeat`` runs (this machine's
    timings vary by ±15% run to run)."""
    runs = [run(cmd, cwd) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def bench(n: int, tmp: Path, repeat: int) -> list[tuple]:
    folder = tmp / f"ws-{n}"
    folder.mkdir()
    data = tmp / f"data-{n}.jsonl"
    write_jsonl(data, n)
    subprocess.run([EXE, "init", "--as", "bench"], cwd=folder, check=True, capture_output=True)
    imp = run([EXE, "import", "jsonl", str(data)], folder)
    db = folder / ".forethought" / "forethought.db"
    base = median_run([sys.executable, "-c", BASELINE, str(db)], folder, repeat)
    narrow = median_run([sys.executable, "-c", NARROW, str(db)], folder, repeat)
    rows = [(n, "import jsonl (bulk path, ledger included)", imp[0], imp[1], None, None)]
    for label, args in (("score (time-averaged, by forecaster)", ["score"]),
                        ("score --crowd median", ["score", "--crowd", "median"]),
                        ("calibration --decompose", ["calibration", "--decompose"])):
        wall, peak = median_run([EXE, *args], folder, repeat)
        rows.append((n, label, wall, peak, wall / base[0], wall / narrow[0]))
    rows.append((n, "baseline: sqlite3 same columns + numpy Brier", base[0], base[1], 1.0,
                 base[0] / narrow[0]))
    rows.append((n, "narrow: sqlite3 (p, outcome) + numpy Brier", narrow[0], narrow[1],
                 narrow[0] / base[0], 1.0))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forecasts", type=int, action="append",
                        help="workspace size (repeatable); default 10k, 100k, 1M")
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs per command; the table shows the median (default 5)")
    args = parser.parse_args()
    sizes = args.forecasts or [10_000, 100_000, 1_000_000]
    print(f"{'forecasts':>10}  {'what':<44} {'wall s':>7} {'peak MB':>8} {'x baseline':>10} "
          f"{'x narrow':>9}")
    print("-" * 96)
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            for size, what, wall, peak, ratio, narrow in bench(n, Path(tmp), args.repeat):
                ratio_text = "-" if ratio is None else f"{ratio:.2f}"
                narrow_text = "-" if narrow is None else f"{narrow:.2f}"
                print(f"{size:>10,}  {what:<44} {wall:>7.2f} {peak:>8.0f} {ratio_text:>10} "
                      f"{narrow_text:>9}", flush=True)


if __name__ == "__main__":
    main()
