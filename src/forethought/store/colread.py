"""Read the scoring columns of a SQLite workspace's forecasts in parallel processes.

Building a million Python row tuples in the ``sqlite3`` module costs about 0.6 s on one core and
cannot be shared between threads (each row step hands the GIL back and forth). So a large read is
split by forecast id: helper processes (``python -m forethought.store.colread DB LO HI``) each read
one id range and send it back as packed columns, while the calling process reads the questions and
its own range. Only the standard library runs in a helper, so it starts in a few milliseconds.

Consistency: forecasts are only ever appended, with ids assigned in commit order under the write
lock, so the rows with ``id <= M`` (M read inside the caller's transaction) are exactly the rows
the caller's snapshot holds, whichever snapshot a helper reads them from.

A part is a dict of plain values (bytes, lists, ints) so it pickles cheaply:

``n``; ``first``/``dense`` (ids are ``first+1 .. first+n`` when dense) or ``ids`` (packed int64);
``questions`` (distinct question ids in order of first use) and ``q_codes`` (packed int32);
``names`` and ``who_codes`` likewise for forecasters; ``made`` (the 26-character stored times,
concatenated) or ``made_list`` when a stored time is not 26 characters; ``prob`` (packed float64,
NaN for NULL); ``sparse`` (id, distribution, source_id) for the few rows where either is set.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import subprocess
import sys
from array import array
from urllib.parse import quote

MAX_CODED = 200  # forecasters turned into integer codes in SQL (one CASE arm each)
TIME_WIDTH = 26  # 'YYYY-MM-DD HH:MM:SS.ffffff', how SQLAlchemy and the bulk writer store times
MIN_PARALLEL = 200_000  # below this many forecasts a helper's start-up is not worth it
# The caller also reads the questions, resolutions and tags before its own range, so on two
# cores the helper takes the larger share (measured at 1M forecasts: 0.6 gives the best wall time).
HELPER_SHARE = 0.6


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
    id_sql = "" if dense else "id, "
    params = (*names, lo, hi) if coded else (lo, hi)
    rows = conn.execute(f"SELECT {id_sql}question_id, {who_sql}, made_at, probability "
                        "FROM forecasts WHERE id > ? AND id <= ? ORDER BY id", params).fetchall()
    part: dict = {"n": len(rows), "first": lo, "dense": dense}
    if not rows:
        part.update(questions=[], q_codes=b"", names=[], who_codes=b"", made=b"", prob=b"",
                    sparse=[])
        return part
    columns = list(zip(*rows, strict=True))
    del rows
    if not dense:
        part["ids"] = array("q", columns.pop(0)).tobytes()
    qids, who, made, prob = columns
    part["questions"], part["q_codes"] = _factorize(qids)
    if coded:
        if None in who:  # a name the CASE missed (written after the names were read)
            return read_part(conn, lo, hi, code_names=False)
        part["names"], part["who_codes"] = names, array("i", who).tobytes()
    else:
        part["names"], part["who_codes"] = _factorize(who)
    joined = "".join(made)
    if len(joined) == TIME_WIDTH * len(made) and joined.isascii():
        part["made"] = joined.encode("ascii")
    else:
        part["made_list"] = list(made)
    try:
        part["prob"] = array("d", prob).tobytes()
    except TypeError:  # NULL probabilities (multiple-choice forecasts)
        part["prob"] = array("d", [float("nan") if p is None else p for p in prob]).tobytes()
    part["sparse"] = conn.execute(
        "SELECT id, distribution, source_id FROM forecasts WHERE id > ? AND id <= ? AND "
        "(distribution IS NOT NULL OR source_id IS NOT NULL) ORDER BY id", (lo, hi)).fetchall()
    return part


def _factorize(values: tuple) -> tuple[list, bytes]:
    seen: dict = {}
    codes = array("i", [seen.setdefault(v, len(seen)) for v in values])
    return list(seen), codes.tobytes()


class Pending:
    """Helper processes reading id ranges; :meth:`parts` waits for them. A helper that fails
    (it cannot start, or dies) has its range read in this process instead."""

    def __init__(self, path: str, ranges: list[tuple[int, int]]) -> None:
        self.path = path
        self.procs: list[tuple[tuple[int, int], subprocess.Popen | None]] = []
        for lo, hi in ranges:
            try:
                proc: subprocess.Popen | None = subprocess.Popen(
                    [sys.executable, "-m", "forethought.store.colread", path, str(lo), str(hi)],
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
            except OSError:
                proc = None
            self.procs.append(((lo, hi), proc))

    def parts(self, conn: sqlite3.Connection) -> list[dict]:
        out = []
        for (lo, hi), proc in self.procs:
            part = None
            if proc is not None:
                data = proc.stdout.read() if proc.stdout else b""
                if proc.wait() == 0 and data:
                    part = pickle.loads(data)
            out.append(part if part is not None else read_part(conn, lo, hi))
        return out


Started = tuple[list[tuple[int, int]], Pending | None]


def plan(conn: sqlite3.Connection, path: str | None, helpers: int | None = None) -> Started:
    """Split the forecasts (ids up to the snapshot's max) into the caller's range and helper
    ranges, and start the helpers. ``helpers=None`` picks by size and cores; 0 reads everything
    here."""
    top = conn.execute("SELECT coalesce(max(id), 0) FROM forecasts").fetchone()[0]
    if helpers is None:
        cores = os.cpu_count() or 1
        helpers = min(cores - 1, 3) if top >= MIN_PARALLEL else 0
    if helpers <= 0 or path is None:
        return [(0, top)], None
    share = HELPER_SHARE if helpers == 1 else 1 / (helpers + 0.5)
    own_hi = int(top * max(0.0, 1 - share * helpers))
    cuts = [own_hi + round((top - own_hi) * k / helpers) for k in range(helpers + 1)]
    return [(0, own_hi)], Pending(path, list(zip(cuts[:-1], cuts[1:], strict=True)))


def connect_readonly(path: str) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)


def main(argv: list[str]) -> int:
    path, lo, hi = argv[0], int(argv[1]), int(argv[2])
    conn = connect_readonly(path)
    try:
        part = read_part(conn, lo, hi)
    finally:
        conn.close()
    sys.stdout.buffer.write(pickle.dumps(part, protocol=5))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
