"""Platform imports at their natural sizes, beside forethought's JSONL at the same number of
forecasts.

    python bench/platform_import_bench.py             # every format, SQLite
    python bench/platform_import_bench.py --scale 0.1 # a tenth of each size, quick

Files are written the way the platforms' exporters write them (tests/interop/exporters.py for
Metaculus and Fatebook; PredictionBook's API answer; ForecastBench's real round from
../shared/data/forecastbench when it is there). Natural sizes: a person's Fatebook export
(5,000 forecasts), a PredictionBook user's my_predictions (4,000 predictions, 12,000
responses) and its CSV (4,000), a Metaculus project export with its aggregates (100,000
forecasts), one ForecastBench round (7,693 forecasts).

Each import runs into a fresh SQLite workspace (three times; the table shows the medians): as
`forethought import …` in a new process (what a person waits for, start-up included), and
in-process through `services.interop` (the import alone). The JSONL file holds the same
questions and forecasts; "× JSONL" is the in-process time over JSONL's. Fatebook is measured
with its score comparison (the default) and with --no-compare.
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
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FORECASTBENCH = ROOT.parent / "shared" / "data" / "forecastbench"
FB_FILES = ("2024-07-21-human.json", "2024-07-21.ForecastBench.human_super_individual.json",
            "2024-07-21_resolution_set.json")
T0 = datetime(2023, 1, 2, tzinfo=UTC)


def _stamp(d: datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Shape:
    """Questions with their forecasts, written to a platform's file and to JSONL alike."""

    def __init__(self, questions: int, per: int, people: int, seed: int = 13) -> None:
        rng = random.Random(seed)
        self.items = []
        for i in range(questions):
            opened = T0 + timedelta(hours=5 * i)
            close = opened + timedelta(days=60)
            outcome = ("yes", "no", None)[i % 3]
            fs = [(f"user{(i + j) % people}", opened + timedelta(hours=j + 1, seconds=j),
                   round(rng.uniform(0.02, 0.98), 2)) for j in range(per)]
            self.items.append((i, opened, close, outcome, fs))

    @property
    def forecasts(self) -> int:
        return sum(len(fs) for *_, fs in self.items)

    def jsonl(self, path: Path, prefix: str, name: Callable[[str], str]) -> Path:
        with path.open("w", encoding="utf-8") as fh:
            for i, opened, close, outcome, fs in self.items:
                known = opened + timedelta(days=30)
                fh.write(json.dumps({
                    "format_version": 1, "id": f"{prefix}-{i}", "title": f"Question {i}?",
                    "type": "binary", "opened_at": _stamp(opened),
                    "resolve_by": close.date().isoformat(), "tags": [prefix],
                    "forecasts": [{"forecaster": name(w), "made_at": _stamp(t),
                                   "probability": p} for w, t, p in fs],
                    "resolutions": [] if outcome is None else [
                        {"outcome": outcome, "known_at": _stamp(known)}]}) + "\n")
        return path


def fatebook(shape: Shape, path: Path) -> Path:
    from tests.interop.exporters import fatebook_export

    rows = []
    for i, opened, close, outcome, fs in shape.items:
        base = {"Question title": f"Question {i}?", "Question created by": "user0",
                "Question created at": opened.replace(tzinfo=None),
                "Question resolve by": close.replace(tzinfo=None),
                "Resolution": outcome.upper() if outcome else None,
                "Resolved at": (opened + timedelta(days=30)).replace(tzinfo=None)
                if outcome else None, "Question tags": "bench",
                "Your Brier score for this question": 0.1 if outcome else None,
                "Question shared publicly": False}
        rows += [{**base, "Forecast created by": w, "Forecast (scale = 0-1)": p,
                  "Forecast created at": t.replace(tzinfo=None)} for w, t, p in fs]
    return fatebook_export(path, rows, "2025")


def metaculus(shape: Shape, folder: Path) -> Path:
    from tests.interop.exporters import MForecast, MQuestion, metaculus_export

    questions, forecasts = [], []
    for i, opened, close, outcome, fs in shape.items:
        questions.append(MQuestion(1000 + i, f"Question {i}?", opened, close,
                                   resolution=outcome, resolved_at=opened + timedelta(days=30)
                                   if outcome else None, categories=["Bench"]))
        # as Metaculus writes them: a forecast ends when the same forecaster's next one starts
        people = fs[: len(fs) * 4 // 5]
        later: dict[str, datetime] = {}
        for w, t, p in reversed(people):
            forecasts.append(MForecast(1000 + i, t, later.get(w), user=(int(w[4:]) + 1, w),
                                       p_yes=p))
            later[w] = t
        aggregates = fs[len(people):]
        ends = [t for _w, t, _p in aggregates[1:]] + [None]
        for k, ((_w, t, p), end) in enumerate(zip(aggregates, ends, strict=True)):
            forecasts.append(MForecast(1000 + i, t, end, p_yes=p, count=k + 1))
    return metaculus_export(folder, questions, forecasts, zip_name="export.zip")


def predictionbook_json(shape: Shape, path: Path) -> Path:
    predictions = []
    for i, opened, close, outcome, fs in shape.items:
        judged = _stamp(opened + timedelta(days=30)) if outcome else None
        predictions.append({
            "id": 50_000 + i, "created_at": _stamp(opened), "deadline": _stamp(close),
            "description": f"Question {i}?", "description_with_group": f"Question {i}?",
            "outcome": None if outcome is None else outcome == "yes", "withdrawn": False,
            "last_judgement_at": judged, "updated_at": judged or _stamp(opened),
            "responses": [{"id": j, "confidence": round(p * 100), "created_at": _stamp(t),
                           "comment": None, "user_label": w, "user_id": j}
                          for j, (w, t, p) in enumerate(fs)]})
    path.write_text(json.dumps({"user": {"login": "user0"}, "predictions": predictions}),
                    encoding="utf-8")
    return path


def predictionbook_csv(shape: Shape, path: Path) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["created_at", "creator_id", "creator_label", "deadline",
                    "description_with_group", "description", "group_id", "id",
                    "mean_confidence", "outcome", "prediction_group_id", "last_judgement_at",
                    "updated_at", "uuid", "version", "visibility", "withdrawn"])
        for i, opened, close, outcome, fs in shape.items:
            judged = _stamp(opened + timedelta(days=30)) if outcome else ""
            w.writerow([_stamp(opened), 1, "user0", _stamp(close), f"Question {i}?",
                        f"Question {i}?", "", 50_000 + i, round(fs[0][2] * 100),
                        "" if outcome is None else str(outcome == "yes").lower(), "", judged,
                        judged or _stamp(opened), f"u{i}", 1, "visible_to_everyone", "false"])
    return path


# ---- measuring -----------------------------------------------------------------------------

def _workspace(folder: Path) -> str:
    folder.mkdir(parents=True)
    return f"sqlite:///{folder / 'bench.db'}"


def cli_seconds(args: list[str], db: str) -> float:
    exe = Path(sys.executable).with_name("forethought")
    start = time.perf_counter()
    done = subprocess.run([str(exe), "import", *args, "--db", db], capture_output=True,
                          text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"forethought import {' '.join(args)} failed:\n{done.stderr}")
    return seconds


def service_seconds(fmt: str, paths: list[str], db: str, compare: bool = True
                    ) -> tuple[float, int]:
    """In a child process, so each import meets a cold interpreter the same way."""
    code = (
        "import json, sys, time\n"
        "from pathlib import Path\n"
        "from forethought.services import interop\n"
        "from forethought.store.engine import Store\n"
        "fmt, db, compare, *paths = sys.argv[1:]\n"
        "store = Store(db, upgrade=True)\n"
        "run = getattr(interop, 'import_' + fmt)\n"
        "kw = {} if compare == 'yes' else {'compare': False}\n"
        "start = time.perf_counter()\n"
        "report = run(store, *[Path(p) for p in paths], **kw)\n"
        "print(json.dumps([time.perf_counter() - start, report.added['forecasts']]))\n")
    done = subprocess.run([sys.executable, "-c", code, fmt, db, "yes" if compare else "no",
                           *paths], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"import_{fmt} failed:\n{done.stderr}")
    seconds, n = json.loads(done.stdout.strip().splitlines()[-1])
    return seconds, n


def measure(work: Path, name: str, fmt: str, paths: list[Path], jsonl: Path | None,
            compare: bool = True, repeat: int = 3) -> tuple:
    """Median seconds of ``repeat`` runs each (a shared machine is noisy), fresh workspaces."""
    args = [str(p) for p in paths]
    flag = [] if compare else ["--no-compare"]
    cli, own, base, n = [], [], [], 0
    for k in range(repeat):
        cli.append(cli_seconds([fmt, *args, *flag], _workspace(work / f"{name}-cli-{k}")))
        seconds, n = service_seconds(fmt, args, _workspace(work / f"{name}-svc-{k}"), compare)
        own.append(seconds)
        if jsonl is not None:
            base.append(service_seconds("jsonl", [str(jsonl)],
                                        _workspace(work / f"{name}-jsonl-{k}"))[0])
    return (name, n, statistics.median(cli), statistics.median(own),
            statistics.median(base) if base else None)


def print_table(rows: list[tuple]) -> None:
    head = ("format", "forecasts", "CLI s", "CLI /s", "import s", "import /s", "JSONL s",
            "× JSONL")
    lines = [head]
    for name, n, cli, own, base in rows:
        lines.append((name, f"{n:,}", f"{cli:.2f}", f"{n / cli:,.0f}", f"{own:.2f}",
                      f"{n / own:,.0f}", "" if base is None else f"{base:.2f}",
                      "" if base is None else f"{own / base:.2f}"))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for i, line in enumerate(lines):
        print("  ".join(c.ljust(w) if j == 0 else c.rjust(w)
                        for j, (c, w) in enumerate(zip(line, widths, strict=True))))
        if i == 0:
            print("  ".join("-" * w for w in widths))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply every natural size by this (default 1)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each measurement; the table shows the median (default 3)")
    parser.add_argument("--dir", type=Path, help="work here (kept) instead of a temporary "
                                                 "folder")
    opts = parser.parse_args()

    def n(count: int) -> int:
        return max(int(count * opts.scale), 1)

    rows = []
    with tempfile.TemporaryDirectory(prefix="ft-platform-bench-") as tmp:
        work = opts.dir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        cases = [
            ("fatebook", "fatebook", Shape(n(500), 10, 5), fatebook, "fatebook.csv"),
            ("predictionbook JSON", "predictionbook", Shape(n(4000), 3, 40),
             predictionbook_json, "my_predictions.json"),
            ("predictionbook CSV", "predictionbook", Shape(n(4000), 1, 1),
             predictionbook_csv, "my_predictions.csv"),
            ("metaculus", "metaculus", Shape(n(1000), 100, 300), metaculus, "metaculus"),
        ]
        for name, fmt, shape, write, target in cases:
            path = write(shape, work / target)
            jsonl = shape.jsonl(work / f"{fmt}-{shape.forecasts}.jsonl", fmt,
                                lambda w, fmt=fmt: f"{fmt}:{w}")
            print(f"{name}: {shape.forecasts:,} forecasts", file=sys.stderr)
            rows.append(measure(work, name.replace(" ", "-"), fmt, [path], jsonl,
                                repeat=opts.repeat))
            if fmt == "fatebook":  # the score comparison loads pandas and the scoring engine
                rows.append(measure(work, "fatebook --no-compare", fmt, [path], jsonl,
                                    compare=False, repeat=opts.repeat))
        fb = [FORECASTBENCH / f for f in FB_FILES]
        if all(p.exists() for p in fb):
            print("forecastbench: the 2024-07-21 round", file=sys.stderr)
            rows.append(measure(work, "forecastbench", "forecastbench", fb, None,
                                repeat=opts.repeat))
        else:
            print("forecastbench: skipped (no ../shared/data/forecastbench)", file=sys.stderr)
    print_table(rows)


if __name__ == "__main__":
    main()
