"""Re-derive the ledger chain and check every row against the entry that vouches for it.

What this catches, and what it cannot (the same text is in docs/integrity.md):

* A row changed in place (a probability, a made_at, an outcome, a tag): its columns no longer match
  the payload of its ledger entry; every differing field is named with both values.
* A row deleted: its entry names it. A row added behind forethought's back: no entry names it.
* A ledger entry altered, deleted or moved: its hash no longer re-derives, the ``seq`` numbers
  skip, or its ``prev_hash`` points at an entry other than the one before it.
* The ledger's tail cut off while the rows stay: those rows have no entry.

A hash chain alone cannot catch someone with write access to the database who rewrites rows *and*
ledger consistently (re-chaining every hash after the change), or who cuts the tail of the ledger
*and* deletes the rows it vouched for. Both are caught only against a head recorded outside the
database before the change: a head the user published (``verify --against``) or one this workspace
remembered (see services/integrity.py).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from forethought.errors import InvalidInput
from forethought.store import codec, ledger
from forethought.store.engine import Connection, corruption
from forethought.store.health import DatabaseCheck, check_database
from forethought.store.tables import TABLES

BATCH = 20_000
DAMAGE = "database file"  # the entity of a problem the database's own check found
MIN_PREFIX = 12
_HEAD = re.compile(r"^\s*(?:(\d+)\s*[: ]\s*)?([0-9a-fA-F]+)\s*$")


@dataclass(frozen=True)
class Problem:
    """One thing `verify` could not vouch for."""

    entity: str
    what: str
    field: str | None = None
    stored: Any = None
    ledger: Any = None

    def describe(self) -> str:
        if self.field is None:
            return f"{self.entity}: {self.what}"
        return (f"{self.entity}: {self.what}: field {self.field!r} is {self.stored!r} in the "
                f"table but {self.ledger!r} in the ledger")


@dataclass(frozen=True)
class PublishedHead:
    """A head recorded outside the database: ``SEQ:HASH``, ``SEQ HASH`` or ``HASH`` (a prefix of
    at least 12 hex digits is enough)."""

    hash: str
    seq: int | None = None
    label: str = "published head"

    @classmethod
    def parse(cls, text: str, label: str = "published head") -> PublishedHead:
        m = _HEAD.match(text)
        if not m or len(m.group(2)) < MIN_PREFIX or len(m.group(2)) > 64:
            raise InvalidInput(
                f"{text!r} is not a ledger head: give the line `forethought ledger head` "
                f"printed (SEQ HASH), or the hash alone (at least its first {MIN_PREFIX} hex "
                "digits)"
            )
        return cls(m.group(2).lower(), int(m.group(1)) if m.group(1) else None, label)

    def __str__(self) -> str:
        short = self.hash if len(self.hash) < 64 else self.hash[:16] + "…"
        return f"{self.seq} {short}" if self.seq is not None else short


@dataclass
class HeadCheck:
    """Whether a published head is still in the chain (``found_at`` is its seq there)."""

    head: PublishedHead
    found_at: int | None = None

    @property
    def ok(self) -> bool:
        return self.found_at is not None


@dataclass
class Report:
    entries: int = 0
    rows: int = 0
    head_seq: int = 0
    head_hash: str = ledger.GENESIS
    rows_by_table: dict[str, int] = field(default_factory=dict)
    by_author: dict[str, int] = field(default_factory=dict)  # entries per account (server)
    heads: list[HeadCheck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    database: DatabaseCheck | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def damaged(self) -> bool:
        """The database's own check (or a read) found the file damaged."""
        return any(p.entity == DAMAGE for p in self.problems)


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def verify(conn: Connection, against: Sequence[PublishedHead] = (),
           max_problems: int | None = None) -> Report:
    """Walk the chain from genesis, re-deriving every hash; then check every row of every
    ledgered table against its entry, and every head in ``against`` against the re-derived chain.
    """
    report = Report(heads=[HeadCheck(h) for h in against])
    report.database = check_database(conn)
    report.problems += [Problem(DAMAGE, what) for what in report.database.problems]
    expected: dict[str, tuple[int, bytes]] = {}
    try:
        _Chain(conn, report, expected).walk()
        for kind in TABLES:
            _check_rows(conn, kind, report, expected)
    except Exception as exc:
        why = corruption(exc)
        if why is None:
            raise
        report.problems.append(Problem(DAMAGE, f"cannot be read to the end ({why}); the "
                                               "records after that point were not checked"))
        return _capped(report, max_problems)
    for entity, (seq, _) in sorted(expected.items(), key=lambda kv: kv[1][0]):
        report.problems.append(Problem(entity, f"is in the ledger (entry {seq}) but its row is "
                                               "missing: it was deleted"))
    return _capped(report, max_problems)


def _capped(report: Report, max_problems: int | None) -> Report:
    if max_problems is not None:
        report.problems = report.problems[:max_problems]
    return report


class _Chain:
    """One pass over the ledger in seq order."""

    def __init__(self, conn: Connection, report: Report, expected: dict) -> None:
        self.conn, self.report, self.expected = conn, report, expected
        self.seq_of_hash: dict[str, int] = {}   # stored hash → seq, to explain broken links
        self.broken: list[tuple[int, int, str]] = []  # (seq, seq before it, its prev_hash)
        self.stored_match: dict[int, int] = {}  # head index → seq whose *stored* hash matches

    def walk(self) -> None:
        report = self.report
        prev_stored, chained = ledger.GENESIS, ledger.GENESIS
        seq_expected, last = 1, 0
        while True:
            batch = self.conn.rows(
                "SELECT seq, kind, entity, payload, written_at, prev_hash, hash, author "
                "FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?", (last, BATCH))
            if not batch:
                break
            for seq, kind, entity, payload, written_at, prev_hash, digest, author in batch:
                report.entries += 1
                if author is not None:
                    report.by_author[author] = report.by_author.get(author, 0) + 1
                stamp = _stamp(written_at)
                if seq != seq_expected:
                    gone = (f"entry {seq_expected} is" if seq == seq_expected + 1
                            else f"entries {seq_expected}–{seq - 1} are")
                    report.problems.append(Problem(
                        f"ledger entry {seq}", f"the chain skips from entry {seq_expected - 1} "
                        f"to {seq}: {gone} missing (deleted)"))
                if prev_hash != prev_stored:
                    self.broken.append((seq, last, prev_hash))
                recomputed = ledger.chain_hash(prev_hash, kind, entity, stamp, payload, author)
                if recomputed != digest:
                    report.problems.append(Problem(
                        f"ledger entry {seq}", f"its content ({entity}) no longer matches its "
                        "hash: the entry was altered"))
                # The chain as it should be: each hash re-derived from the one before it.
                chained = recomputed if prev_hash == chained else ledger.chain_hash(
                    chained, kind, entity, stamp, payload, author)
                self._match_heads(seq, chained, digest)
                if kind not in TABLES:
                    report.problems.append(Problem(
                        f"ledger entry {seq}", f"has an unknown kind {kind!r}"))
                elif entity in self.expected:
                    report.problems.append(Problem(
                        entity, f"appears twice in the ledger (entries "
                                f"{self.expected[entity][0]} and {seq})"))
                self.expected[entity] = (seq, _digest(payload))
                self.seq_of_hash[digest] = seq
                prev_stored, seq_expected, last = digest, seq + 1, seq
        report.head_seq, report.head_hash = (last, prev_stored) if report.entries else (
            0, ledger.GENESIS)
        self._explain_links()
        self._explain_heads()

    def _match_heads(self, seq: int, chained: str, stored: str) -> None:
        for i, check in enumerate(self.report.heads):
            if check.found_at is None and chained.startswith(check.head.hash) and (
                    check.head.seq in (None, seq)):
                check.found_at = seq
            if stored.startswith(check.head.hash):
                self.stored_match.setdefault(i, seq)

    def _explain_links(self) -> None:
        for seq, before, prev_hash in self.broken:
            target = self.seq_of_hash.get(prev_hash)
            if target is None:
                what = (f"does not link to entry {before}: the entry it followed "
                        f"(hash {prev_hash[:12]}…) is gone — an entry was deleted or altered")
            else:
                what = (f"links to entry {target}, not to entry {before} before it: "
                        "entries were reordered")
            self.report.problems.append(Problem(f"ledger entry {seq}", what))

    def _explain_heads(self) -> None:
        report = self.report
        for i, check in enumerate(report.heads):
            if check.ok:
                continue
            head = check.head
            stored_at = self.stored_match.get(i)
            if stored_at is not None:
                why = (f"entry {stored_at} still stores that hash, but it no longer re-derives "
                       "from the entries up to it: the ledger was rewritten after it was "
                       "published")
            elif head.seq is not None and head.seq > report.head_seq:
                why = (f"the ledger now ends at entry {report.head_seq}, before entry {head.seq}: "
                       "entries were cut from the end (or the database was restored from an "
                       "older copy) after it was published")
            elif head.seq is not None:
                why = (f"entry {head.seq} now has another hash: the ledger up to it was "
                       "rewritten after it was published")
            else:
                why = ("no entry re-derives to that hash: the ledger was cut short or rewritten "
                       "after it was published (or the hash was copied wrong)")
            report.problems.append(Problem(f"{head.label} ({head})", f"is not in the chain: {why}"))


def _stamp(value: Any) -> str:
    try:
        return codec.iso(codec.from_db("time", value))
    except (TypeError, ValueError):
        return str(value)


def _check_rows(conn: Connection, kind: str, report: Report, expected: dict) -> None:
    table = TABLES[kind]
    link_maps: dict[str, dict[Any, list]] = {}
    for link in table.links:
        m: dict[Any, list] = defaultdict(list)
        for a, b in conn.rows(f'SELECT "{link.own}", "{link.target}" FROM "{link.table}"'):
            m[a].append(b)
        link_maps[link.field] = m
    names = ", ".join(f'"{c}"' for c in table.names)
    key_at = table.names.index(table.key)
    count = 0
    rows = conn.rows(f'SELECT {names} FROM "{table.name}" ORDER BY "{table.key}"')
    for start in range(0, len(rows), BATCH):
        batch = []
        for raw in rows[start:start + BATCH]:
            count += 1
            key = raw[key_at]
            entity = ledger.entity_of(kind, key)
            found = expected.pop(entity, None)
            if found is None:
                report.problems.append(Problem(
                    entity, "is in the table but not in the ledger: it was added behind "
                            "forethought's back, or its entry was deleted"))
                continue
            try:
                values = codec.decode(table, raw)
            except (TypeError, ValueError) as exc:
                report.problems.append(Problem(entity, f"cannot be read as forethought wrote "
                                                       f"it ({exc}): it was changed behind "
                                                       "forethought's back"))
                continue
            batch.append((entity, found, values, {n: m.get(key, []) for n, m in
                                                  link_maps.items()}))
        _check_payloads(conn, table, batch, report)
    report.rows += count
    report.rows_by_table[table.name] = count


def _check_payloads(conn: Connection, table: Any, batch: list, report: Report) -> None:
    """Re-derive the payloads of ``batch`` (entity, ledger entry, values, links) with the one
    encoder and compare each with its entry."""
    try:
        _, payloads = codec.encode_rows(table, [b[2] for b in batch], [b[3] for b in batch],
                                        conn.sqlite)
    except (TypeError, ValueError, AttributeError):  # a value no writer could have stored
        for entity, found, values, links in batch:
            try:
                body = codec.payload(table, values, links)
            except (TypeError, ValueError, AttributeError) as exc:
                report.problems.append(Problem(entity, f"holds a value forethought never "
                                                       f"writes ({exc}): it was changed behind "
                                                       "forethought's back"))
                continue
            if found[1] != _digest(body):
                report.problems.extend(_field_problems(conn, entity, found[0], json.loads(body)))
        return
    for (entity, found, _values, _links), body in zip(batch, payloads, strict=True):
        if found[1] != _digest(body):
            report.problems.extend(_field_problems(conn, entity, found[0], json.loads(body)))


def _field_problems(conn: Connection, entity: str, seq: int, stored: dict) -> list[Problem]:
    payload = conn.scalar("SELECT payload FROM ledger WHERE seq = ?", (seq,))
    vouched = json.loads(payload)
    problems = [Problem(entity, f"was changed after it was recorded (ledger entry {seq})", name,
                        stored.get(name), vouched.get(name))
                for name in sorted(set(stored) | set(vouched))
                if stored.get(name) != vouched.get(name)]
    return problems or [Problem(entity, f"differs from its ledger entry {seq}")]
