"""Report and chart benchmark: wall and CPU time of `forethought report --out DIR` (with a cold
and a warm chart cache) and `forethought calibration --out chart.png`, on workspaces of 10,000
and 1,000,000 forecasts. Prints a table.

    python bench/report_bench.py                          # 10k and 1M forecasts
    python bench/report_bench.py --forecasts 10000 --runs 3

Targets: report under 10 s at 10,000 forecasts (issue 11) and under 30 s at 1,000,000 (issue
4); calibration --out under 10 s. Every command runs as a real process, start-up included.
"Cold" deletes the workspace's chart cache (`.forethought/cache/charts/`) before each run, so
every chart is drawn; "warm" runs again on the same workspace, so only charts whose inputs
changed are drawn (none: the report draws as of the start of its UTC day). CPU time is the
command's and its chart workers' user + system time: on this shared 2-core machine it varies
less than wall time, which other work on the machine stretches.

Each workspace (a tenth as many questions as forecasts, 70% of the past ones resolved, 20
forecasters, 10 sources) is written as forethought JSONL and loaded with `forethought import
jsonl`, the project's own bulk path, so the ledger holds an entry per row. `--keep DIR` keeps
the workspaces there (and reuses them on the next run).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

EXE = str(Path(sys.executable).with_name("forethought"))


def write_jsonl(path: Path, n_questions: int, n_forecasts: int, n_forecasters: int,
                seed: int = 4) -> None:
    """Synthetic questions with a latent chance of yes; forecasters see it through noise of
    different sizes (some sharp, some vague, some biased), so scores and calibration differ.
    70% of the questions whose resolve-by has passed are resolved; every fifth question and the
    first three forecasters' forecasts carry one of ten sources."""
    import numpy as np

    rng = np.random.default_rng(seed)
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    start = now - timedelta(days=3 * 365)
    opened = [start + timedelta(days=int(d)) for d in rng.integers(0, 3 * 365 - 30, n_questions)]
    life = rng.integers(14, 365, n_questions)
    resolve_by = [(o + timedelta(days=int(d))).date() for o, d in zip(opened, life, strict=True)]
    resolved = (rng.random(n_questions) < 0.7) & np.array([r < now.date() for r in resolve_by])
    chance = rng.beta(0.8, 0.8, n_questions)
    outcome = rng.random(n_questions) < chance
    topics = ["politics", "economy", "science", "sport", "tech", "health", "climate",
              "security", "culture", "markets"]
    sources = [f"bench-source-{i}" for i in range(10)]
    noise = np.linspace(0.3, 2.0, n_forecasters)
    bias = np.linspace(-0.6, 0.6, n_forecasters)
    q_of = rng.integers(0, n_questions, n_forecasts)
    who = rng.integers(0, n_forecasters, n_forecasts)
    frac = rng.random(n_forecasts)
    draws = rng.standard_normal(n_forecasts)
    per_question: list[dict[tuple[int, str], dict]] = [{} for _ in range(n_questions)]
    for j in range(n_forecasts):
        q, w = int(q_of[j]), int(who[j])
        end = min(now, datetime.combine(resolve_by[q], datetime.min.time(), UTC))
        made = (opened[q] + (end - opened[q]) * float(frac[j]) * 0.95).replace(microsecond=0)
        logit = np.log(chance[q] / (1 - chance[q])) + bias[w] + noise[w] * draws[j]
        p = round(float(np.clip(1 / (1 + np.exp(-logit)), 0.01, 0.99)), 2)
        forecast = {"forecaster": f"forecaster-{w:02d}", "made_at": _t(made), "probability": p,
                    "recorded_at": _t(now)}
        if w < 3:
            forecast["source"] = sources[w % 10]
        # one forecast per (forecaster, second): the import matches forecasts on that key
        per_question[q][(int(made.timestamp()), forecast["forecaster"])] = forecast
    with path.open("w", encoding="utf-8") as fh:
        for i, s in enumerate(sources):
            fh.write(json.dumps({"format_version": 1, "source": {
                "id": s, "title": f"Benchmark source {i}", "outlet": "Bench Outlet",
                "published_at": start.date().isoformat(), "url": f"https://example.org/{s}",
                "recorded_at": _t(now)}, "claims": []}) + "\n")
        for i in range(n_questions):
            doc = {"format_version": 1, "id": f"q{i:06d}",
                   "title": f"Benchmark question {i}: will event {i} happen?", "type": "binary",
                   "criteria": "YES if the synthetic event happens.", "opened_at": _t(opened[i]),
                   "resolve_by": resolve_by[i].isoformat(), "recorded_at": _t(now),
                   "tags": [topics[i % 10]],
                   "forecasts": sorted(per_question[i].values(),
                                       key=lambda f: (f["made_at"], f["forecaster"])),
                   "resolutions": []}
            if i % 5 == 0:
                doc["source"] = sources[i % 10]
            if resolved[i]:
                known = datetime.combine(resolve_by[i], datetime.min.time(), UTC)
                doc["resolutions"] = [{"outcome": "yes" if outcome[i] else "no",
                                       "known_at": _t(known), "recorded_at": _t(now)}]
            fh.write(json.dumps(doc, separators=(",", ":")) + "\n")


def _t(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def build_workspace(folder: Path, n_questions: int, n_forecasts: int, n_forecasters: int) -> None:
    """A workspace in ``folder`` filled through the project's own bulk path (`forethought
    import jsonl`), so the ledger holds an entry per row exactly as if the records had been
    typed."""
    data = folder / "bench-data.jsonl"
    write_jsonl(data, n_questions, n_forecasts, n_forecasters)
    for cmd in (["init", "--as", "bench"], ["import", "jsonl", str(data)]):
        done = subprocess.run([EXE, *cmd], cwd=folder, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"forethought {' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    data.unlink()


def timed(cmd: list[str], cwd: Path, runs: int,
          before: Callable[[], object] | None = None) -> tuple[float, float, str]:
    """Median wall seconds, median CPU seconds (user + system, the command and its workers)
    and the command's last message. CPU time shows the cost when the machine is shared."""
    walls, cpus, err = [], [], ""
    for _ in range(runs):
        if before is not None:
            before()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - usage.ru_utime + after.ru_stime - usage.ru_stime)
        if proc.returncode != 0:
            return float("nan"), float("nan"), (proc.stderr.strip().splitlines() or ["failed"])[-1]
        err = proc.stderr.strip()
    return statistics.median(walls), statistics.median(cpus), err


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forecasts", type=int, nargs="+", default=[10_000, 1_000_000],
                        help="workspace sizes (questions: a tenth of the forecasts)")
    parser.add_argument("--forecasters", type=int, default=20)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="build the workspaces under DIR and keep them")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="forethought-bench-"))
    rows = []
    try:
        for n in args.forecasts:
            folder = root / f"ws-{n}"
            if not (folder / ".forethought").is_dir():
                folder.mkdir(parents=True, exist_ok=True)
                start = time.perf_counter()
                build_workspace(folder, max(1, n // 10), n, args.forecasters)
                print(f"built {n // 10:,} questions and {n:,} forecasts in "
                      f"{time.perf_counter() - start:.0f} s ({folder})", file=sys.stderr)
            rows.extend(bench_size(folder, n, args.runs))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} CPUs, load average {load:.1f} when done")
    print(f"{'what':<52} {'wall s':>7} {'cpu s':>7}  {'target':<7} output")
    print("-" * 112)
    for what, wall, cpu, note, target in rows:
        last = note.splitlines()[-1] if note else ""
        print(f"{what:<52} {wall:>7.2f} {cpu:>7.2f}  {target:<7} {last[:44]}")


def bench_size(folder: Path, n: int, runs: int) -> list[tuple]:
    out = folder / "bench-out"
    report = [EXE, "report", "--out", str(out / "report")]
    cold = timed(report, folder, runs, before=lambda: shutil.rmtree(
        folder / ".forethought" / "cache", ignore_errors=True))
    warm = timed(report, folder, runs)
    cal = timed([EXE, "calibration", "--out", str(out / "calibration.png")], folder, runs)
    target = "< 10 s" if n <= 10_000 else "< 30 s"
    return [(f"report, cold chart cache ({n:,} forecasts)", *cold, target),
            (f"report, warm chart cache ({n:,} forecasts)", *warm, target),
            (f"calibration --out ({n:,} forecasts)", *cal, "< 10 s")]


if __name__ == "__main__":
    main()

