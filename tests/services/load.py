"""`verify` under load (issue #12, item 3): writer processes record forecasts while this process
runs `verify` over and over. Every run must be clean: the ledger and every table are read in one
snapshot, so a row committed between reading the ledger and reading its table cannot look like
"added behind forethought's back". Shared by tests/services and bench/reliability.py.

``sabotage="no-snapshot"`` makes this process's reads run statement by statement (each its own
snapshot), to show the scenario catches exactly the false alarms the snapshot prevents.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.services.scenarios import (
    HERE,
    MADE,
    SHARED_QUESTIONS,
    Outcome,
    backend_name,
    count,
    verify_text,
)


@contextmanager
def _without_snapshot() -> Iterator[None]:
    """Store.read in autocommit: every statement sees the data as of its own start."""
    from forethought.store.engine import Store

    original = Store.read

    @contextmanager
    def read(self: Store):  # type: ignore[no-untyped-def]
        with self._mapped(), self._connection() as conn:
            yield conn

    Store.read = read  # type: ignore[method-assign]
    try:
        yield
    finally:
        Store.read = original  # type: ignore[method-assign]


def verify_under_load(url: str, writers: int = 6, per_writer: int = 150,
                      timeout: float = 600, sabotage: str | None = None) -> Outcome:
    """Run `verify` in a loop while ``writers`` processes each record ``per_writer`` forecasts;
    ``operations`` is the number of verify runs, each failed run a failure seen by a user."""
    from forethought.services import integrity
    from forethought.services import questions as qs
    from forethought.store.engine import Store

    store = Store(url, upgrade=True)
    for i in range(SHARED_QUESTIONS):
        qs.ask(store, f"Shared question {i}", "2030-01-01", id=f"shared-{i}", opened=MADE)
    base = count(url, "forecasts")
    out = Outcome("verify under load", backend_name(url))
    alarms: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        ready = Path(tmp)
        procs = [subprocess.Popen([sys.executable, str(HERE), "writer", url, str(i),
                                   str(per_writer), tmp], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
                 for i in range(writers)]
        deadline = time.monotonic() + timeout
        while len(list(ready.glob("ready-*"))) < writers and time.monotonic() < deadline:
            if any(p.poll() is not None for p in procs):
                break
            time.sleep(0.02)
        (ready / "go").touch()
        with _without_snapshot() if sabotage == "no-snapshot" else _nothing():
            while any(p.poll() is None for p in procs) and time.monotonic() < deadline:
                report = integrity.verify(store)
                out.operations += 1
                if not report.ok:
                    alarms.append(report.problems[0].describe())
        results = []
        for p in procs:
            stdout, stderr = p.communicate(timeout=max(1.0, deadline - time.monotonic()))
            if p.returncode != 0:
                out.notes.append(f"writer exited {p.returncode}: {stderr.strip()[-300:]}")
                out.user_failures += 1
                continue
            results.append(json.loads(stdout.strip().splitlines()[-1]))
    store.dispose()
    out.user_failures += len(alarms) + sum(len(r["failures"]) for r in results)
    out.notes += [f"false alarm: {a}" for a in alarms[:3]]
    out.notes += [f for r in results for f in r["failures"][:2]]
    recorded = sum(r["forecasts"] for r in results)
    out.records_lost = max(0, recorded - (count(url, "forecasts") - base))
    out.verify = verify_text(url)
    return out


@contextmanager
def _nothing() -> Iterator[None]:
    yield
