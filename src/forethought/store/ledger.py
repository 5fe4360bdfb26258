"""The hash-chained ledger: every write appends one entry per row it creates, in the same
transaction, and `verify` re-derives every row from it.

An entry's hash is ``sha256(prev_hash "\\n" kind "\\n" entity "\\n" written_at "\\n" payload)``
where ``payload`` is the canonical JSON of the row (see ``codec.py``) and ``written_at`` is when
the entry was appended (ISO, UTC), independent of any backdated time in the row. An entry written
by an account on the team server names it: ``… payload "\\n" "author:" name`` is hashed too (an
entry without an author — the command line — hashes as before). The first entry's prev_hash is
64 zeros.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from forethought.store.codec import iso, to_db

if TYPE_CHECKING:
    from forethought.store.engine import Connection

GENESIS = "0" * 64
LOCK_KEY = 4242001
COLUMNS = ("seq", "kind", "entity", "payload", "written_at", "prev_hash", "hash", "author")


def entity_of(kind: str, key: object) -> str:
    return f"{kind}:{key}"


def chain_hash(prev_hash: str, kind: str, entity: str, written_at: str, payload: str,
               author: str | None = None) -> str:
    parts = [prev_hash, kind, entity, written_at, payload]
    if author is not None:
        parts.append(f"author:{author}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def head(conn: Connection) -> tuple[int, str]:
    """(seq, hash) of the newest entry, or (0, GENESIS) for an empty ledger."""
    row = conn.one("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1")
    return (int(row[0]), row[1]) if row else (0, GENESIS)


def first_hash(conn: Connection) -> str | None:
    """The hash of entry 1: what identifies a ledger wherever its database is reached from."""
    try:
        return conn.scalar("SELECT hash FROM ledger WHERE seq = 1")
    except Exception as exc:  # noqa: BLE001 - a damaged page: verify reports it
        from forethought.store.damage import corruption

        if corruption(exc) is None:
            raise
        return None


def lock(conn: Connection) -> None:
    """Take the ledger's write lock for this transaction.

    SQLite transactions that write begin IMMEDIATE (see engine.py), which already holds the one
    write lock; PostgreSQL takes a transaction-scoped advisory lock, so concurrent writers queue
    instead of forking the chain.
    """
    if not conn.sqlite:
        conn.raw.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))


def append(conn: Connection, kind: str, entries: Iterable[tuple[object, str]],
           written_at: datetime) -> int:
    """Append ``(key, payload)`` entries of ``kind`` after the current head, all stamped
    ``written_at``; return the new head's seq. The caller holds the write lock."""
    seq, prev = head(conn)
    stamp = iso(written_at)
    stored = to_db("time", written_at, conn.sqlite)
    author = conn.author
    sha256 = hashlib.sha256
    middle, after = f"\n{kind}\n{kind}:", f"\n{stamp}\n"
    tail = "" if author is None else f"\nauthor:{author}"
    rows = []
    for key, body in entries:
        seq += 1
        # chain_hash(prev, kind, entity_of(kind, key), stamp, body, author), once per row
        digest = sha256(f"{prev}{middle}{key}{after}{body}{tail}".encode()).hexdigest()
        rows.append((seq, kind, f"{kind}:{key}", body, stored, prev, digest, author))
        prev = digest
    conn.insert("ledger", COLUMNS, rows)
    return seq
