"""Attack scenarios shared by tests/services, tests/store and bench/reliability.py: concurrent
writers, kill -9 during a bulk import, and raw-SQL tampering. Each returns an :class:`Outcome`
(one bench row).

Run as a script, this file is the writer process of the concurrency scenario:
``python scenarios.py writer URL INDEX N READY_DIR``.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

HERE = Path(__file__).resolve()
SHARED_QUESTIONS = 10
SABOTAGE = "FORETHOUGHT_TEST_SABOTAGE"
MADE = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass
class Outcome:
    """One row of the reliability table."""

    scenario: str
    backend: str
    operations: int = 0
    user_failures: int = 0
    records_lost: int = 0
    verify: str = ""
    notes: list[str] = field(default_factory=list)
    completed: int = 0  # imports that ended complete (crash scenario)

    @property
    def ok(self) -> bool:
        return self.user_failures == 0 and self.records_lost == 0 and self.verify.startswith("OK")


def backend_name(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def verify_text(url: str) -> str:
    from forethought.services import integrity
    from forethought.store.engine import Store

    store = Store(url)
    try:
        report = integrity.verify(store)
    finally:
        store.dispose()
    if report.ok:
        return f"OK ({report.entries} entries)"
    return f"FAILED: {report.problems[0].describe()}"


def count(url: str, table: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


# ---- concurrency ---------------------------------------------------------------------------

def _writer(url: str, index: int, n: int, ready_dir: Path) -> dict:
    """One process: ask 2 questions (same titles as every other writer, so slugs race), record
    ``n`` forecasts on shared and own questions, resolve its own two. Every exception that
    reaches this code would reach a user."""
    from forethought.services import questions as qs
    from forethought.store import ledger
    from forethought.store.engine import Store

    if os.environ.get(SABOTAGE) == "no-ledger-lock":
        ledger.lock = lambda conn: None
    store = Store(url)
    rng = random.Random(index)
    shared = [f"shared-{i}" for i in range(SHARED_QUESTIONS)]
    failures: list[str] = []
    done = 0

    def attempt(action: Callable[[], object]) -> object | None:
        nonlocal done
        try:
            result = action()
            done += 1
            return result
        except Exception as exc:  # noqa: BLE001 - counting what a user would see
            failures.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
            return None

    (ready_dir / f"ready-{index}").touch()
    while not (ready_dir / "go").exists():
        time.sleep(0.005)
    own = [attempt(lambda k=k: qs.ask(store, f"Race question {k}", "2030-01-01",
                                      opened=MADE)) for k in range(2)]
    forecasts = 0
    for j in range(n):
        targets = shared + [q.id for q in own if q is not None]
        qid = rng.choice(targets)
        made = MADE + timedelta(seconds=index * 1_000_000 + j)
        if attempt(lambda qid=qid, made=made: qs.forecast(
                store, qid, f"{rng.randint(1, 99)}%", forecaster=f"writer-{index}", at=made)):
            forecasts += 1
    for q in own:
        if q is not None:
            attempt(lambda q=q: qs.resolve(store, q.id, rng.choice(["yes", "no"]),
                                           known_at=MADE + timedelta(days=400)))
    store.dispose()
    return {"index": index, "done": done, "forecasts": forecasts, "failures": failures}


def concurrency(url: str, writers: int = 8, per_writer: int = 250, timeout: float = 600,
                sabotage: str | None = None) -> Outcome:
    """``writers`` processes each record ``per_writer`` forecasts (plus 2 questions and 2
    resolutions) on one database at once. ``sabotage="no-ledger-lock"`` switches the ledger lock
    off in the writers, to show the scenario notices."""
    from forethought.services import questions as qs
    from forethought.store.engine import Store

    store = Store(url, upgrade=True)
    for i in range(SHARED_QUESTIONS):
        qs.ask(store, f"Shared question {i}", "2030-01-01", id=f"shared-{i}", opened=MADE)
    store.dispose()
    base_forecasts = count(url, "forecasts")
    out = Outcome("concurrency", backend_name(url))
    with tempfile.TemporaryDirectory() as tmp:
        ready = Path(tmp)
        procs = [subprocess.Popen([sys.executable, str(HERE), "writer", url, str(i),
                                   str(per_writer), tmp], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True,
                                  env=os.environ | ({SABOTAGE: sabotage} if sabotage else {}))
                 for i in range(writers)]
        deadline = time.monotonic() + timeout
        while len(list(ready.glob("ready-*"))) < writers:
            if any(p.poll() is not None for p in procs) or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        (ready / "go").touch()
        results = []
        for p in procs:
            stdout, stderr = p.communicate(timeout=max(1.0, deadline - time.monotonic()))
            if p.returncode != 0:
                out.user_failures += 1
                out.notes.append(f"writer exited {p.returncode}: {stderr.strip()[-300:]}")
                continue
            results.append(json.loads(stdout.strip().splitlines()[-1]))
    for r in results:
        out.operations += r["done"] + len(r["failures"])
        out.user_failures += len(r["failures"])
        out.notes += r["failures"][:3]
    recorded = sum(r["forecasts"] for r in results)
    stored = count(url, "forecasts") - base_forecasts
    out.records_lost = max(0, recorded - stored) + (writers * per_writer - recorded
                                                    if out.user_failures else 0)
    if stored != recorded:
        out.notes.append(f"{recorded} forecasts acknowledged, {stored} stored")
    out.verify = verify_text(url)
    return out


# ---- crash ---------------------------------------------------------------------------------

def make_bulk(folder: Path, n_forecasts: int, fmt: str = "jsonl", per_question: int = 500,
              seed: int = 0, prefix: str = "bulk") -> Path:
    """``n_forecasts`` forecasts on questions of ``per_question`` each, as the argument of
    `forethought import FMT`: a JSONL file, or a records folder (one YAML file per question)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    questions = []
    for i in range((n_forecasts + per_question - 1) // per_question):
        forecasts = [{"forecaster": f"f{j % 37}",
                      "made_at": f"{datetime(2021, 1, 1) + timedelta(minutes=j):%Y-%m-%dT%H:%M:%S}"
                                 ".000000Z",
                      "probability": round(rng.random(), 4)}
                     for j in range(min(per_question, n_forecasts - i * per_question))]
        questions.append({"format_version": 1, "id": f"{prefix}-{i:04d}",
                          "title": f"Bulk question {i}", "type": "binary",
                          "opened_at": "2020-01-01T00:00:00.000000Z", "resolve_by": "2030-01-01",
                          "forecasts": forecasts, "resolutions": []})
    if fmt == "jsonl":
        path = folder / "bulk.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for q in questions:
                fh.write(json.dumps(q, separators=(",", ":")) + "\n")
        return path
    import yaml

    (folder / "forecasts").mkdir(exist_ok=True)
    for q in questions:
        text = yaml.safe_dump(q, sort_keys=False, default_flow_style=None, width=200)
        (folder / "forecasts" / f"{q['id']}.yaml").write_text(text, encoding="utf-8")
    return folder


def _cli() -> list[str]:
    return [sys.executable, "-m", "forethought.cli.main"]


def _import_cmd(url: str, target: Path, fmt: str) -> list[str]:
    if os.environ.get(SABOTAGE) == "commit-per-file":
        return [sys.executable, str(HERE), "import-per-file", url, str(target)]
    return _cli() + ["import", fmt, str(target), "--db", url]


def _import_per_file(url: str, folder: Path) -> None:
    """A broken importer, for the sabotage run: one transaction per file."""
    from forethought.services.records import import_records
    from forethought.store.engine import Store

    store = Store(url)
    for path in sorted((folder / "forecasts").glob("*.yaml")):
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "forecasts").mkdir()
            (Path(tmp) / "forecasts" / path.name).symlink_to(path)
            import_records(store, Path(tmp))


class _Writing:
    """Tells whether some other connection holds an open write transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT")

    def __call__(self) -> bool:
        if self.url.startswith("sqlite"):
            import sqlite3

            probe = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=0,
                                    isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:
                return True
            finally:
                probe.close()
        with self.engine.connect() as conn:
            return bool(conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL")).scalar_one())

    def others(self) -> int:
        """Other sessions on a PostgreSQL database (a killed client's backend lingers)."""
        if self.url.startswith("sqlite"):
            return 0
        with self.engine.connect() as conn:
            return int(conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()")).scalar_one())

    def close(self) -> None:
        self.engine.dispose()


def _timed_import(url: str, target: Path, fmt: str) -> float:
    """Run the import to the end; return how long its write transaction lasted."""
    probe = _Writing(url)
    proc = subprocess.Popen(_import_cmd(url, target, fmt), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    start = None
    while proc.poll() is None:
        if start is None and probe():
            start = time.monotonic()
        time.sleep(0.005)
    probe.close()
    if proc.returncode != 0:
        raise RuntimeError(f"import failed: {proc.stderr.read() if proc.stderr else ''}")
    return time.monotonic() - (start or time.monotonic())


def crash(url: str, scratch_url: str, n_forecasts: int = 10_000, kills: int = 3,
          seed: int = 7, work: Path | None = None, fmt: str = "jsonl") -> Outcome:
    """kill -9 an import of ``n_forecasts`` at ``kills`` random points inside its write
    transaction; after each: none or all of it, and `verify` passes. Then finish the import.
    ``scratch_url`` (an empty database on the same backend) times the transaction first. When a
    kill comes too late (the import committed: all of it), the next kills attack a new import."""
    from forethought.services import questions as qs
    from forethought.store.engine import Store

    rng = random.Random(seed)
    out = Outcome("crash", backend_name(url))
    with tempfile.TemporaryDirectory() as tmp:
        rounds = 0
        target = make_bulk(Path(work or tmp) / "bulk0", n_forecasts, fmt, prefix="bulk0")
        for database in (url, scratch_url):
            store = Store(database, upgrade=True)
            q = qs.ask(store, "Already there?", "2030-01-01", opened=MADE)
            qs.forecast(store, q.id, "60%", forecaster="before", at=MADE)
            store.dispose()
        window = _timed_import(scratch_url, target, fmt)
        out.notes.append(f"import {fmt}; its write transaction lasts {window:.1f}s")
        base = count(url, "forecasts")
        probe = _Writing(url)
        verdicts: list[str] = []
        try:
            for _ in range(kills):
                proc = subprocess.Popen(_import_cmd(url, target, fmt), stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
                while proc.poll() is None and not probe():
                    time.sleep(0.002)
                if os.environ.get(SABOTAGE) == "commit-per-file":
                    # the broken importer commits file by file: wait for its first commit, so
                    # the kill cannot land before it however slow the machine is
                    while proc.poll() is None and count(url, "forecasts") == base:
                        time.sleep(0.002)
                time.sleep(rng.uniform(0.02, 0.9) * window)
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                deadline = time.monotonic() + 30
                while probe.others() and time.monotonic() < deadline:
                    time.sleep(0.05)
                out.operations += 1
                now = count(url, "forecasts") - base
                if now not in (0, n_forecasts):
                    out.records_lost += min(now, n_forecasts - now)
                    out.notes.append(f"partial import: {now} of {n_forecasts}")
                verdicts.append("all" if now == n_forecasts else "none" if now == 0 else "part")
                result = verify_text(url)
                if not result.startswith("OK"):
                    out.verify = result
                    return out
                if now == n_forecasts:  # committed before the kill: attack a new import
                    base, rounds = base + n_forecasts, rounds + 1
                    target = make_bulk(Path(work or tmp) / f"bulk{rounds}", n_forecasts, fmt,
                                       prefix=f"bulk{rounds}")
        finally:
            probe.close()
        finish = subprocess.run(_import_cmd(url, target, fmt), capture_output=True, text=True)
        out.operations += 1
        if finish.returncode != 0:
            out.user_failures += 1
            out.notes.append(f"re-run failed: {finish.stderr.strip()[-300:]}")
        missing = base + n_forecasts - count(url, "forecasts")
        out.records_lost += abs(missing)
        out.notes.append("after each kill: " + ", ".join(verdicts))
        out.completed = rounds + 1
        out.verify = verify_text(url)
    return out



# ---- first open ----------------------------------------------------------------------------

def _opener(url: str, go: Path) -> dict:
    """Open (and so create or upgrade) the database the moment ``go`` appears, then write."""
    from forethought.services import questions as qs
    from forethought.store.engine import Store

    failures = []
    (go.parent / f"ready-{os.getpid()}").touch()
    while not go.exists():
        time.sleep(0.001)
    try:
        store = Store(url, upgrade=True)
        qs.ask(store, "Opened at once", "2030-01-01", opened=MADE)
        store.dispose()
    except Exception as exc:  # noqa: BLE001 - counting what a user would see
        failures.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    return {"failures": failures}


def first_open(url: str, processes: int = 8) -> Outcome:
    """``processes`` commands start at once on a database that is new or has an old schema:
    every one of them opens it (creating or upgrading it) and records a question."""
    out = Outcome("first open", backend_name(url))
    before = count(url, "questions") if _has_tables(url) else 0
    with tempfile.TemporaryDirectory() as tmp:
        go = Path(tmp) / "go"
        procs = [subprocess.Popen([sys.executable, str(HERE), "opener", url, str(go)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(processes)]
        deadline = time.monotonic() + 120
        while len(list(Path(tmp).glob("ready-*"))) < processes and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)  # every opener is now polling for the signal
        go.touch()
        for p in procs:
            stdout, stderr = p.communicate(timeout=300)
            out.operations += 1
            if p.returncode != 0:
                out.user_failures += 1
                out.notes.append(stderr.strip()[-200:])
                continue
            failures = json.loads(stdout.strip().splitlines()[-1])["failures"]
            out.user_failures += len(failures)
            out.notes += failures[:2]
    out.records_lost = max(0, processes - out.user_failures - (count(url, "questions") - before))
    out.verify = verify_text(url)
    return out


def _has_tables(url: str) -> bool:
    from sqlalchemy import inspect

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return "questions" in inspect(conn).get_table_names()
    finally:
        engine.dispose()


if __name__ == "__main__":
    if sys.argv[1] == "writer":
        result = _writer(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]))
        print(json.dumps(result))
    elif sys.argv[1] == "opener":
        print(json.dumps(_opener(sys.argv[2], Path(sys.argv[3]))))
    elif sys.argv[1] == "import-per-file":
        _import_per_file(sys.argv[2], Path(sys.argv[3]))
