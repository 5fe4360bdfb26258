"""Read the scoring columns of a SQLite workspace's forecasts in parallel processes.

Building a million Python row tuples in the ``sqlite3`` module costs about 0.6 s on one core and
cannot be shared between threads (each row step hands the GIL back and forth). So a large read is
split by forecast id: helper processes (``python -P -m forethought.store.colread DB LO HI``) each
read one id range and send it back as packed columns, while the calling process reads the questions
and its own range. Only the standard library runs in a helper, so it starts in a few milliseconds.
`score` and `calibration` start theirs with :func:`prestart`, before their own heavy imports.

Consistency: forecasts are only ever appended, with ids assigned in commit order under the write
lock, so the rows with ``id <= M`` (M read inside the caller's transaction, or by
:func:`prestart` before it) are exactly the rows the caller's snapshot holds, whichever snapshot a
helper reads them from; the caller reads any newer rows itself. A helper that fails in any way has
its range read by the caller instead, and none outlives a failed read.

A part is a dict of plain values (bytes, lists, ints) so it pickles cheaply: ``format``;
``n``; ``first``/``dense`` (ids are ``first+1 .. first+n`` when dense) or ``ids`` (packed int64);
``questions`` (distinct question ids in order of first use) and ``q_codes`` (packed int32);
``names`` and ``who_codes`` likewise for forecasters; ``made`` (the 26-character stored times,
concatenated) or ``made_list`` when a stored time is not 26 characters; ``prob`` (packed float64,
NaN for NULL); ``sparse`` (id, distribution, source_id) for the few rows where either is set.
"""

from __future__ import annotations

import gc
import os
import pickle
import sqlite3
import subprocess
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path

MAX_CODED = 200  # forecasters turned into integer codes in SQL (one CASE arm each)
TIME_WIDTH = 26  # 'YYYY-MM-DD HH:MM:SS.ffffff', how SQLAlchemy and the bulk writer store times
MIN_PARALLEL = 200_000  # below this many forecasts a helper's start-up is not worth it
# The caller also reads the questions, resolutions and tags before its own range, so on two
# cores the helper takes the larger share (measured at 1M forecasts: 0.6 gives the best wall time).
HELPER_SHARE = 0.6
# Started by :func:`prestart`, a helper begins before the caller's imports and takes more.
EARLY_HELPER_SHARE = 0.8


CHUNK = 65_536  # rows per fetch: a part is built as it streams in, never held as row tuples
PART_FORMAT = 1  # a helper's answer carries it; anything else is ignored and read here instead
HELPER_TIMEOUT_S = 600  # a helper slower than this is stopped and its range read here


def read_part(conn: sqlite3.Connection, lo: int, hi: int, code_names: bool = True) -> dict:
    """The forecasts with ``lo < id <= hi`` as packed columns (see the module docstring).
    Forecaster names become integer codes in SQL when there are few of them."""
    names = [r[0] for r in conn.execute("SELECT DISTINCT forecaster FROM forecasts")]
    coded = code_names and 0 < len(names) <= MAX_CODED
    who_sql = ("CASE forecaster " + " ".join(f"WHEN ? THEN {i}" for i in range(len(names)))
               + " END") if coded else "forecaster"
    n = conn.execute("SELECT count(*) FROM forecasts WHERE id > ? AND id <= ?",
                     (lo, hi)).fetchone()[0]
    dense = n == hi - lo
    params = (*names, lo, hi) if coded else (lo, hi)
    cursor = conn.execute(f"SELECT {'' if dense else 'id, '}question_id, {who_sql}, made_at, "
                          "probability "
                          "FROM forecasts WHERE id > ? AND id <= ? ORDER BY id", params)
    ids, q_codes, who_codes, prob = array("q"), array("i"), array("i"), array("d")
    q_seen: dict = {}
    who_seen: dict = {}
    made: list[bytes | list[str]] = []
    count = 0
    while rows := cursor.fetchmany(CHUNK):
        count += len(rows)
        columns = list(zip(*rows, strict=True))
        del rows
        if not dense:
            ids.extend(columns.pop(0))
        c_q, c_who, c_made, c_prob = columns
        q_codes.extend([q_seen.setdefault(v, len(q_seen)) for v in c_q])
        if not coded:
            who_codes.extend([who_seen.setdefault(v, len(who_seen)) for v in c_who])
        elif None in c_who:  # a name the CASE missed (written after the names were read)
            cursor.close()
            return read_part(conn, lo, hi, code_names=False)
        else:
            who_codes.extend(c_who)
        joined = "".join(c_made)
        fixed = set(map(len, c_made)) == {TIME_WIDTH} and joined.isascii()
        made.append(joined.encode("ascii") if fixed else list(c_made))
        try:
            prob.extend(array("d", c_prob))  # built whole first: a failed extend is partial
        except TypeError:  # NULL probabilities (multiple-choice forecasts)
            prob.extend(array("d", [float("nan") if p is None else p for p in c_prob]))
    part: dict = {"format": PART_FORMAT, "n": count, "first": lo, "dense": dense,
                  "questions": list(q_seen),
                  "q_codes": q_codes.tobytes(), "names": names if coded else list(who_seen),
                  "who_codes": who_codes.tobytes(), "prob": prob.tobytes()}
    if not dense:
        part["ids"] = ids.tobytes()
    if all(isinstance(m, bytes) for m in made):
        part["made"] = b"".join(m for m in made if isinstance(m, bytes))
    else:  # some stored time is not in the usual fixed-width form
        part["made_list"] = [t for m in made for t in (
            m if isinstance(m, list) else _split_fixed(m.decode("ascii")))]
    part["sparse"] = conn.execute(
        "SELECT id, distribution, source_id FROM forecasts WHERE id > ? AND id <= ? AND "
        "(distribution IS NOT NULL OR source_id IS NOT NULL) ORDER BY id", (lo, hi)).fetchall()
    return part


def _split_fixed(text: str) -> list[str]:
    return [text[i:i + TIME_WIDTH] for i in range(0, len(text), TIME_WIDTH)]


class Pending:
    """Helper processes reading id ranges; :meth:`parts` waits for them. A helper that fails
    (it cannot start, dies, times out or answers with anything but a part) has its range read
    in this process instead."""

    def __init__(self, path: str, ranges: list[tuple[int, int]]) -> None:
        self.path = path
        self.procs: list[tuple[tuple[int, int], subprocess.Popen | None]] = []
        for lo, hi in ranges:
            self.procs.append(((lo, hi), _spawn(path, lo, hi)))

    def parts(self, conn: sqlite3.Connection) -> list[dict]:
        out = []
        try:
            while self.procs:
                (lo, hi), proc = self.procs[0]
                part = _collect(proc) if proc is not None else None
                self.procs.pop(0)
                out.append(part if part is not None else read_part(conn, lo, hi))
        finally:
            self.cancel()  # after an error (or Ctrl-C), no helper is left behind
        return out

    def cancel(self) -> None:
        """Stop helpers whose parts will not be collected (safe to call after :meth:`parts`)."""
        procs, self.procs = self.procs, []
        for _, proc in procs:
            if proc is not None:
                proc.kill()
                proc.wait()
                if proc.stdout:
                    proc.stdout.close()


def _spawn(path: str, lo: int, hi: int) -> subprocess.Popen | None:
    """Start one helper running this very package: ``-P`` keeps the current folder off its
    import path, PYTHONPATH puts the caller's copy of forethought first."""
    if not sys.executable or getattr(sys, "frozen", False):
        return None
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    try:
        return subprocess.Popen(
            [sys.executable, "-P", "-m", "forethought.store.colread", path, str(lo), str(hi)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
            env=env)
    except (OSError, ValueError, TypeError):
        return None


def _collect(proc: subprocess.Popen) -> dict | None:
    """A helper's part, or None if it did not give one."""
    try:
        data, _ = proc.communicate(timeout=HELPER_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None
    if proc.returncode != 0 or not data:
        return None
    try:
        part = pickle.loads(data)
    except Exception:  # noqa: BLE001 - stray output on the helper's stdout: read it here
        return None
    ok = isinstance(part, dict) and part.get("format") == PART_FORMAT
    return part if ok else None


Started = tuple[list[tuple[int, int]], Pending | None]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _helpers_for(n: int) -> int:
    return min(_cores() - 1, 3) if n >= MIN_PARALLEL else 0


def _bounds(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """(below the smallest id, the largest id, how many ids lie between): two lookups in the
    rowid tree. Separate statements: SQLite looks min() or max() up only when it is a query's
    one aggregate; together, or with ``count(*)``, it scans the table (~0.1 s at a million)."""
    low = conn.execute("SELECT coalesce(min(id), 1) FROM forecasts").fetchone()[0]
    top = conn.execute("SELECT coalesce(max(id), 0) FROM forecasts").fetchone()[0]
    bottom = min(0, low - 1)
    return bottom, top, top - bottom


def _split(bottom: int, top: int, helpers: int, share: float
           ) -> tuple[int, list[tuple[int, int]]]:
    """The caller's upper bound and the helpers' ranges for ids bottom+1 … top."""
    share = share if helpers == 1 else 1 / (helpers + 0.5)
    own_hi = bottom + int((top - bottom) * max(0.0, 1 - share * helpers))
    cuts = [own_hi + round((top - own_hi) * k / helpers) for k in range(helpers + 1)]
    return own_hi, list(zip(cuts[:-1], cuts[1:], strict=True))


def database_file(conn: sqlite3.Connection) -> str | None:
    """The file behind ``conn``'s main database (None for an in-memory one)."""
    for _, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return file or None
    return None


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def plan(conn: sqlite3.Connection, path: str | None, helpers: int | None = None,
         early: Early | None = None) -> Started:
    """Split the forecasts (ids up to the snapshot's max) into the caller's ranges and helper
    ranges, and start the helpers. ``helpers=None`` picks by size and cores; 0 reads everything
    here. ``early`` (from :func:`prestart`) supplies helpers already running: the caller then
    reads the rest, including anything written since they started."""
    bottom, top, n = _bounds(conn)
    if early is not None:
        same = (path is not None and _identity(path) == early.identity
                and _revision(conn) == early.revision)
        if same and top >= early.top and bottom == early.bottom:
            own = [(bottom, early.own_hi)] + ([(early.top, top)] if top > early.top else [])
            return own, early.pending
        early.pending.cancel()  # another file, or it changed shape under us: read it here
    if helpers is None:
        helpers = _helpers_for(n)
    if helpers <= 0 or path is None:
        return [(bottom, top)], None
    own_hi, ranges = _split(bottom, top, helpers, HELPER_SHARE)
    return [(bottom, own_hi)], Pending(path, ranges)


@dataclass
class Early:
    """Helpers started before the caller has opened the database (see :func:`prestart`)."""

    bottom: int
    top: int
    own_hi: int
    revision: str | None
    identity: tuple[int, int] | None
    pending: Pending


def sqlite_path(target: str) -> str | None:
    """The file behind a workspace's database setting, if it is a SQLite file."""
    if target.startswith("sqlite:///"):
        target = target[len("sqlite:///"):]
        if "?" in target:
            return None
    elif "://" in target:
        return None
    return target if target and os.path.isfile(target) else None


def prestart(target: str) -> Early | None:
    """Start the helpers for a large SQLite workspace right away, before the caller spends a
    few hundred milliseconds importing SQLAlchemy and pandas: they read the forecasts up to the
    max id seen now, which stays valid because forecasts are append-only. Returns None when
    helpers would not pay (small workspace, one core, not a SQLite file, unreadable)."""
    path = sqlite_path(target)
    if path is None:
        return None
    try:
        conn = connect_readonly(path)
        try:
            conn.execute("BEGIN")
            bottom, top, n = _bounds(conn)
            revision = _revision(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    helpers = _helpers_for(n)
    if helpers <= 0:
        return None
    own_hi, ranges = _split(bottom, top, helpers, EARLY_HELPER_SHARE)
    return Early(bottom, top, own_hi, revision, _identity(path), Pending(path, ranges))


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else row[0]


def connect_readonly(path: str) -> sqlite3.Connection:
    return sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)


def main(argv: list[str]) -> int:
    gc.disable()  # a million row tuples hold no cycles; collections would only cost time
    path, lo, hi = argv[0], int(argv[1]), int(argv[2])
    conn = connect_readonly(path)
    try:
        conn.execute("BEGIN")  # one snapshot for the count, the rows and the sparse columns
        part = read_part(conn, lo, hi)
    finally:
        conn.close()
    sys.stdout.buffer.write(pickle.dumps(part, protocol=5))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
