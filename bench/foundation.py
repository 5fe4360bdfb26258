"""Foundation benchmark: one `forecast` in a workspace of 10,000 questions against `sqlite-utils
insert` of one row, and `forethought --help` against `python -c "import click"`; then what the
forecast command imports (`python -X importtime`).

    python bench/foundation.py                 # 10,000 questions, 21 pairs
    python bench/foundation.py --runs 41       # more pairs on a busy machine

The workspace is built through the product's own path (`forethought init`, `forethought import
jsonl` of 10,000 binary questions). The peer's database is a copy of that workspace's database
(same size, same schema), and `sqlite-utils insert` (a click CLI over sqlite3, like this one)
adds one row to its forecasts table from a JSON file — the row the forecast command writes,
without the ledger entry. sqlite-utils imports pandas and numpy when it finds them (for column
types), and here it finds the project's: the peer therefore runs as it would in its own
environment, with those two made unimportable (``sys.modules[name] = None``). The table also
shows it as installed beside forethought, for reference. Each measurement is a whole process,
start-up included, run in pairs (forethought, peer, forethought, peer, ...) after one warm-up
each; the table gives each side's median, the median of the per-pair ratios and their range.

Targets (issue 11): `forecast` ≤ 2x `sqlite-utils insert`; `--help` ≤ 2x `import click`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sqlite3
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from timing import BIN, EXE, Pairing, Sample, heading, median, paired, run, table

# sqlite-utils as it runs where pandas and numpy are not installed (its own dependencies)
ALONE = ("import sys; sys.modules['pandas'] = sys.modules['numpy'] = None; "
         "from sqlite_utils.cli import cli; cli()")
# what writing one row should not need
HEAVY = ("sqlalchemy", "alembic", "asyncio", "pandas", "numpy", "duckdb", "matplotlib")


def build_workspace(folder: Path, n_questions: int) -> Path:
    """A workspace of ``n_questions`` open binary questions; returns its database."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    data = folder.parent / "questions.jsonl"
    with data.open("w", encoding="utf-8") as fh:
        for i in range(n_questions):
            opened = (start + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            fh.write(json.dumps({"format_version": 1, "id": f"q{i:06d}",
                                 "title": f"Benchmark question {i}", "type": "binary",
                                 "opened_at": opened, "resolve_by": "2030-01-01",
                                 "recorded_at": opened, "tags": ["bench"]}) + "\n")
    run([EXE, "init", "--as", "bench"], folder)
    run([EXE, "import", "jsonl", str(data)], folder)
    return folder / ".forethought" / "forethought.db"


def peer_database(db: Path, copy: Path) -> Path:
    """A copy of the workspace database (a consistent one: sqlite3's backup), and a JSON file
    holding one forecasts row for `sqlite-utils insert`."""
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    row = copy.with_suffix(".json")
    row.write_text(json.dumps({"question_id": "q000000", "forecaster": "bench",
                               "probability": 0.7, "made_at": now, "recorded_at": now,
                               "entered_as": "0.7"}))
    return row


def import_times(folder: Path, question: str) -> dict[str, int]:
    """Each module the forecast command imports and its own import time in µs (`python -X
    importtime`, one cold run)."""
    done = run([sys.executable, "-X", "importtime", "-c",
                "import sys; from forethought.cli.main import main; "
                f"sys.argv = ['forethought', 'forecast', '{question}', '0.6']; main()"],
               folder, stderr=True)
    found = {}
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s+(\S+)", line)
        if match:
            found[match.group(2)] = int(match.group(1))
    return found


def import_rows(found: dict[str, int], count: int) -> list[tuple[str, str, str, str]]:
    """The largest packages (their modules' own times summed) and, inside forethought, the
    largest modules."""
    packages: Counter[str] = Counter()
    for name, us in found.items():
        packages[name.split(".")[0]] += us
    rows = [(f"package {name}", f"{us / 1e3:.1f}", f"{us / sum(found.values()):.0%}",
             str(sum(1 for m in found if m.split(".")[0] == name)))
            for name, us in packages.most_common(count)]
    own = Counter({m: us for m, us in found.items() if m.startswith("forethought.")})
    rows += [(f"module {name}", f"{us / 1e3:.1f}", f"{us / sum(found.values()):.0%}", "1")
             for name, us in own.most_common(count // 2)]
    rows.append(("all imports", f"{sum(found.values()) / 1e3:.1f}", "100%", str(len(found))))
    return rows


def pair_row(what: str, peer: str, result: Pairing, goal: float | None) -> tuple:
    low, high = result.spread
    met = "-" if goal is None else "yes" if result.ratio <= goal else "NO"
    return (what, peer, f"{median(result.a):.3f}", f"{median(result.b):.3f}",
            f"{result.ratio:.2f}", f"{low:.2f}-{high:.2f}", f"{result.cpu_ratio:.2f}",
            "-" if goal is None else f"≤ {goal:g}x", met)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=21, help="pairs per comparison")
    parser.add_argument("--imports", type=int, default=12, help="packages to list")
    args = parser.parse_args()
    utils = str(BIN / "sqlite-utils")
    if not Path(utils).exists():
        raise SystemExit("sqlite-utils is not installed in this venv: pip install -e '.[bench]'")
    heading(f"foundation: one command, whole process (medians of {args.runs} interleaved pairs)")
    with tempfile.TemporaryDirectory(prefix="ft-foundation-") as tmp:
        folder = Path(tmp) / "ws"
        folder.mkdir()
        db = build_workspace(folder, args.questions)
        copy = Path(tmp) / "peer.db"
        row = peer_database(db, copy)
        questions = (f"q{i:06d}" for i in itertools.count(1))

        def forecast() -> Sample:
            return run([EXE, "forecast", next(questions), "0.7"], folder)

        insert = ["insert", str(copy), "forecasts", str(row)]
        alone = paired(forecast, partial(run, [sys.executable, "-c", ALONE, *insert]),
                       args.runs)
        beside = paired(forecast, partial(run, [utils, *insert]), args.runs)
        helps = paired(partial(run, [EXE, "--help"]),
                       partial(run, [sys.executable, "-c", "import click"]), args.runs)
        imports = import_times(folder, next(questions))
    what = f"forethought forecast ({args.questions:,} questions)"
    print(table(("command", "peer", "median s", "peer s", "x peer", "pair range", "x cpu",
                 "target", "met"),
                [pair_row(what, "sqlite-utils insert (one row)", alone, 2.0),
                 pair_row(what, "the same, importing pandas (as installed here)", beside, None),
                 pair_row("forethought --help", "python -c 'import click'", helps, 2.0)],
                left=2))
    print(f"\nWhat `forethought forecast` imports (python -X importtime, one cold run; the "
          f"{args.imports} largest packages by their modules' own times, then forethought's "
          "largest modules):")
    print(table(("imported", "ms", "share", "modules"), import_rows(imports, args.imports)))
    heavy = sorted({m.split(".")[0] for m in imports} & set(HEAVY))
    print(f"Of {', '.join(HEAVY)}: {', '.join(heavy) or 'none'} imported.")


if __name__ == "__main__":
    main()
