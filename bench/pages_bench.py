"""Page loads of the team server: the question page and "my desk" on a workspace of 10,000
questions and 1,000,000 forecasts, served by `forethought serve --workers 2`, under 50
concurrent clients, on SQLite and on PostgreSQL.

    python bench/pages_bench.py                       # SQLite and PostgreSQL, 30 s each
    python bench/pages_bench.py --backend sqlite --seconds 20
    python bench/pages_bench.py --keep DIR            # keep the built workspaces in DIR
    python bench/pages_bench.py --reuse DIR           # measure workspaces kept earlier

PostgreSQL: --postgres URL or $FORETHOUGHT_TEST_POSTGRES_URL (a server where a database can be
created; skipped without one).

The workspace is built through the project's own bulk path (`forethought import jsonl`):
10,000 binary questions opened over the last two years, 100 forecasts each (50 of 100
forecasters, each forecasting twice), 80% of the questions past their date resolved. Each of
the 50 clients logs in as its own forecaster (an account claiming an imported name, so its desk
holds ~5,000 forecasts on ~2,500 questions) and loads one page after another with no pause: the
question page of a random question, or its own desk. Each page is timed from the request to the
last byte of its HTML; a page's chart is its own request (an `<img>`), drawn once per change
and cached, so it is measured on its own: the first (cold) and a repeated (cached) load.

The clients run in this process (asyncio and httpx, each with its own keep-alive connection,
as a browser tab has), on the same 2 cores as the server: the figures include their cost.
Three phases per backend: every client opens its desk once (the first load, which builds the
desk: a cold cache); then for --seconds each client loads a random question page or its own
desk, half and half; then one client loads ten question charts twice (drawn, then cached).

Prints, per backend and page: requests, throughput, p50/p95/p99 latency and errors; then the
CPU each page of the mixed phase cost the server's workers, PostgreSQL's processes and the
clients (from /proc), the load average around the run, and the pages per second those costs
allow on an idle 2-core machine — a figure that does not depend on what else the machine was
doing. Target (issue 17): p95 under 300 ms for both pages.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

EXE = str(Path(sys.executable).with_name("forethought"))
PASSWORD = "bench password, long enough"
QUESTIONS = 10_000
FORECASTERS = 100
PER_QUESTION = 50  # forecasters per question, each forecasting twice
CLIENTS = 50


def write_jsonl(path: Path, n_questions: int = QUESTIONS, seed: int = 17) -> None:
    """Questions with a latent chance of yes seen through each forecaster's noise; times are
    relative to now, so some questions are open, some due and most resolved."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=730)

    def t(d: datetime) -> str:
        return d.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    with path.open("w", encoding="utf-8") as fh:
        for i in range(n_questions):
            opened = start + timedelta(minutes=int(i * 729 * 1440 / n_questions))
            close = opened + timedelta(days=rng.randint(10, 300))
            chance = rng.random()
            truth = rng.random() < chance
            forecasts = []
            for who in rng.sample(range(FORECASTERS), PER_QUESTION):
                noise = 0.05 + (who % 10) * 0.03
                for k in range(2):
                    made = min(opened + timedelta(hours=rng.randint(1, 200) + 240 * k),
                               now - timedelta(hours=2 - k)) + timedelta(minutes=who % 60)
                    p = min(max(rng.gauss(chance, noise), 0.01), 0.99)
                    forecasts.append({"forecaster": f"f{who:03d}", "made_at": t(made),
                                      "probability": round(p, 2), "recorded_at": t(made),
                                      "rationale": f"reason {k} of f{who:03d}"})
            known = close - timedelta(days=1)
            resolved = known < now and rng.random() < 0.8
            doc = {"format_version": 1, "id": f"q-{i:05d}", "title": f"Question {i}: will it?",
                   "criteria": "Resolves yes if it does.", "type": "binary",
                   "opened_at": t(opened), "resolve_by": close.date().isoformat(),
                   "recorded_at": t(opened), "tags": [f"topic-{i % 7}"],
                   "forecasts": forecasts,
                   "resolutions": [{"outcome": "yes" if truth else "no", "known_at": t(known),
                                    "recorded_at": t(known)}] if resolved else []}
            fh.write(json.dumps(doc, separators=(",", ":")) + "\n")


def build(folder: Path, data: Path, url: str | None) -> None:
    """A workspace holding the generated questions, with an account per client."""
    folder.mkdir(parents=True, exist_ok=True)
    db = ["--db", url] if url else []
    subprocess.run([EXE, "init", *db], cwd=folder, check=True, capture_output=True)
    done = subprocess.run([EXE, "import", "jsonl", str(data)], cwd=folder, capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise SystemExit(f"import failed: {done.stderr[-2000:]}")
    from forethought.services import accounts
    from forethought.services.workspace import locate

    store = locate(None, folder).store()
    for who in range(CLIENTS):  # each account claims an imported forecaster's history
        accounts.add_user(store, f"f{who:03d}", "resolver" if who == 0 else "forecaster",
                          PASSWORD)
    store.dispose()


def pg_database(admin_url: str) -> str:
    import psycopg

    name = f"ft_pages_bench_{os.getpid()}"
    with psycopg.connect("postgresql://" + admin_url.split("://", 1)[1],
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def workspace_url(folder: Path) -> str:
    from forethought.services.workspace import locate

    return locate(None, folder).url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(folder: Path, workers: int = 2) -> Iterator[tuple[str, int]]:
    import httpx

    port = free_port()
    charts = tempfile.mkdtemp(prefix="forethought-bench-charts-")  # every chart drawn afresh
    proc = subprocess.Popen([EXE, "serve", "--port", str(port), "--workers", str(workers)],
                            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "FORETHOUGHT_CHART_CACHE": charts})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"forethought serve did not start: {proc.stderr}")
            time.sleep(0.3)
        yield base, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(charts, ignore_errors=True)


class Timings:
    def __init__(self) -> None:
        self.ms: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}

    def add(self, page: str, ms: float, ok: bool) -> None:
        self.ms.setdefault(page, []).append(ms)
        if not ok:
            self.errors[page] = self.errors.get(page, 0) + 1


async def _get(client, url: str, timings: Timings, page: str) -> None:
    start = time.perf_counter()
    try:
        r = await client.get(url)
        ok = r.status_code == 200 and len(r.content) > 0
    except Exception:  # noqa: BLE001 - a failed request is counted as an error
        ok = False
    timings.add(page, (time.perf_counter() - start) * 1000, ok)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds used so far by ``pids`` (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            children = (task / "children").read_text().split()
            todo += [int(c) for c in children]
    return found


def database_backends(url: str | None) -> list[int]:
    """The PostgreSQL server processes serving the bench's database (their CPU is the
    database's share of each page)."""
    if not url:
        return []
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect("postgresql://" + url.split("://", 1)[1], autocommit=True) as conn:
        return [r[0] for r in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,)).fetchall()]


@dataclass
class Cost:
    """CPU seconds spent during the mixed phase by the server's workers, the database's
    processes (PostgreSQL) and the clients (this process)."""

    server: float = 0.0
    database: float = 0.0
    clients: float = 0.0


async def drive(base: str, seconds: float, server_pid: int, url: str | None
                ) -> tuple[Timings, Timings, Timings, float, Cost]:
    """(first desks, the mixed load, the charts, the mixed phase's wall seconds, its CPU)."""
    import httpx

    clients = []
    for who in range(CLIENTS):
        client = httpx.AsyncClient(base_url=base, timeout=60,
                                   limits=httpx.Limits(max_connections=1))
        r = await client.post("/api/login", json={"name": f"f{who:03d}", "password": PASSWORD})
        r.raise_for_status()
        clients.append(client)
    first = Timings()
    await asyncio.gather(*(_get(c, "/", first, "desk, first load (builds it)")
                           for c in clients))
    mixed = Timings()
    stop = time.monotonic() + seconds

    async def loop(client, rng: random.Random) -> None:
        while time.monotonic() < stop:
            if rng.random() < 0.5:
                await _get(client, f"/questions/q-{rng.randrange(QUESTIONS):05d}", mixed,
                           "question page")
            else:
                await _get(client, "/", mixed, "my desk")

    workers, backends = process_tree(server_pid), database_backends(url)
    before = Cost(cpu_seconds(workers), cpu_seconds(backends), time.process_time())
    started = time.monotonic()
    await asyncio.gather(*(loop(c, random.Random(i)) for i, c in enumerate(clients)))
    wall = time.monotonic() - started
    cost = Cost(cpu_seconds(workers) - before.server, cpu_seconds(backends) - before.database,
                time.process_time() - before.clients)
    charts = Timings()
    rng = random.Random(99)
    picked = [f"q-{rng.randrange(QUESTIONS):05d}" for _ in range(10)]
    for label in ("history chart, first (drawn)", "history chart, again (cached)"):
        for qid in picked:
            await _get(clients[0], f"/charts/history/{qid}.png", charts, label)
    for client in clients:
        await client.aclose()
    return first, mixed, charts, wall, cost


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def table_rows(backend: str, timings: Timings, wall: float | None) -> list[str]:
    rows = []
    for page, ms in timings.ms.items():
        rate = f"{len(ms) / wall:8.1f}" if wall else f"{'-':>8}"
        rows.append(f"{backend:<11} {page:<31} {len(ms):>6} {rate} {pct(ms, 50):>8.0f} "
                    f"{pct(ms, 95):>8.0f} {pct(ms, 99):>8.0f} {max(ms):>8.0f} "
                    f"{timings.errors.get(page, 0):>6}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--postgres", default=os.environ.get("FORETHOUGHT_TEST_POSTGRES_URL"))
    parser.add_argument("--keep", type=Path, help="build the workspaces in DIR and keep them")
    parser.add_argument("--reuse", type=Path, help="measure the workspaces kept in DIR")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    if "postgresql" in backends and not (args.postgres or args.reuse):
        print("PostgreSQL skipped: give --postgres URL or set FORETHOUGHT_TEST_POSTGRES_URL")
        backends.remove("postgresql")
    home = args.reuse or args.keep or Path(tempfile.mkdtemp(prefix="forethought-pages-"))
    lines: list[str] = []
    notes: list[str] = []
    try:
        for backend in backends:
            folder = home / backend
            if args.reuse is None:
                data = home / "data.jsonl"
                if not data.exists():
                    write_jsonl(data)
                url = pg_database(args.postgres) if backend == "postgresql" else None
                started = time.monotonic()
                build(folder, data, url)
                print(f"{backend}: built in {time.monotonic() - started:.0f} s", flush=True)
            url = workspace_url(folder)
            load = os.getloadavg()[0]
            with serving(folder) as (base, pid):
                first, mixed, charts, wall, cost = asyncio.run(
                    drive(base, args.seconds, pid, url if "://" in url else None))
            lines += table_rows(backend, first, None) + table_rows(backend, mixed, wall)
            lines += table_rows(backend, charts, None)
            n = sum(len(ms) for ms in mixed.ms.values())
            per = [1000 * c / n for c in (cost.server, cost.database, cost.clients)]
            notes.append(f"{backend}: CPU per page {per[0]:.1f} ms server + {per[1]:.1f} ms "
                         f"database + {per[2]:.1f} ms clients; load average {load:.1f} before "
                         f"and {os.getloadavg()[0]:.1f} after (2 cores): an idle machine "
                         f"would serve about {2000 / sum(per):.0f} pages/s, "
                         f"{2000 / (per[0] + per[1]):.0f} with the clients elsewhere")
    finally:
        if args.reuse is None and args.keep is None:
            shutil.rmtree(home, ignore_errors=True)
    print(f"\n{QUESTIONS:,} questions, {QUESTIONS * PER_QUESTION * 2:,} forecasts, {CLIENTS} "
          f"clients, 2 workers, {args.seconds:g} s of mixed load (ms)")
    print(f"{'backend':<11} {'page':<31} {'n':>6} {'req/s':>8} {'p50':>8} {'p95':>8} "
          f"{'p99':>8} {'max':>8} {'errors':>6}")
    print("\n".join(lines))
    print("\n" + "\n".join(notes))


if __name__ == "__main__":
    main()
