"""What every benchmark here shares: timing a whole process, pairing two sides, printing a table.

This machine is shared (2 cores, other jobs running), so a side measured alone drifts with the
load. A ratio is therefore taken pair by pair: the two sides run in turn (A, B, A, B, ...) and
the ratio quoted is the median of the per-pair ratios, beside the median time of each side and
the load average before and after.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BIN = Path(sys.executable).parent
EXE = str(BIN / "forethought")


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_mb: float
    cpu: float  # user + system seconds, all threads
    stdout: str = ""
    stderr: str = ""


def run(cmd: Sequence[str], cwd: Path | None = None, stderr: bool = False) -> Sample:
    """Run ``cmd`` to the end: its wall time, its own peak memory and CPU time (the kernel's
    accounting of that process, read with wait4), its stdout (and with ``stderr``, its stderr).
    Exits with its stderr when it fails."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, stdout=subprocess.PIPE, stderr=err)
        assert proc.stdout is not None
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        err.seek(0)
        errors = err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{errors[-3000:]}")
    return Sample(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, out.decode(),
                  errors if stderr else "")


@dataclass(frozen=True)
class Pairing:
    a: list[Sample]
    b: list[Sample]

    @property
    def ratio(self) -> float:
        """The median of the per-pair ratios A/B."""
        return statistics.median(x.seconds / y.seconds for x, y in zip(self.a, self.b,
                                                                        strict=True))

    @property
    def cpu_ratio(self) -> float:
        """The median of the per-pair ratios of CPU time (user + system): the work done, which
        the machine's load disturbs less than the wall time."""
        return statistics.median(x.cpu / y.cpu for x, y in zip(self.a, self.b, strict=True))

    @property
    def spread(self) -> tuple[float, float]:
        ratios = [x.seconds / y.seconds for x, y in zip(self.a, self.b, strict=True)]
        return min(ratios), max(ratios)


def median(samples: list[Sample]) -> float:
    return statistics.median(s.seconds for s in samples)


def peak(samples: list[Sample]) -> float:
    return max(s.peak_mb for s in samples)


def paired(a: Callable[[], Sample], b: Callable[[], Sample], repeat: int) -> Pairing:
    """``repeat`` pairs, A then B each time, after one unmeasured warm-up of each side (it fills
    the page cache with the files both read)."""
    a(), b()
    pairs = [(a(), b()) for _ in range(repeat)]
    return Pairing([x for x, _ in pairs], [y for _, y in pairs])


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"


def heading(title: str) -> None:
    """The first lines of every table: what, when, on what machine."""
    print(f"{title}\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
          f"load average {load()}", flush=True)


def table(head: Sequence[str], rows: Sequence[Sequence[object]], left: int = 1) -> str:
    """A plain-text table: the first ``left`` columns left-aligned, the rest right-aligned."""
    lines = [[str(c) for c in head], *[[str(c) for c in r] for r in rows]]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]

    def fmt(line: list[str]) -> str:
        return "  ".join(c.ljust(w) if i < left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(line, widths, strict=True)))

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(lines[0]), rule, *map(fmt, lines[1:])])


# ---- PostgreSQL ---------------------------------------------------------------------------

def libpq(url: str) -> str:
    """A SQLAlchemy-style URL (``postgresql+psycopg://...``) as libpq takes it."""
    scheme, rest = url.split("://", 1)
    return f"{scheme.split('+', 1)[0]}://{rest}"


@contextmanager
def pg_database(server_url: str) -> Iterator[str]:
    """A fresh, empty database on ``server_url``'s server (its URL), dropped afterwards."""
    import psycopg

    name = f"ft_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(libpq(server_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(libpq(server_url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
