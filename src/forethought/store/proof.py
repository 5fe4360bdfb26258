"""Inclusion proofs: the ledger entries that link a question's records to a published head.

The ledger is a linear hash chain, so a proof carries every entry from the question's first entry
to the head, each with its full payload (an entry's hash covers its payload, not a digest of it):
whoever holds the proof and the published head can re-derive every hash with nothing but sha256.
Entries by others are in the proof too; a Merkle tree would shorten it, at the cost of a new
ledger format.

The proof is a JSON document (``FORMAT``); :func:`check` needs no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forethought.errors import IntegrityViolation, InvalidInput
from forethought.store import codec, ledger
from forethought.store import repository as repo
from forethought.store.engine import Connection
from forethought.store.verify import PublishedHead

FORMAT = "forethought-proof/1"
ALGORITHM = ("hash = hex(sha256(UTF-8 of prev_hash + '\\n' + kind + '\\n' + entity + '\\n' + "
             "written_at + '\\n' + payload [+ '\\nauthor:' + author, when the entry has an "
             "author]))); each entry's prev_hash is the hash of the entry before it; the last "
             "entry's hash is the head")
_FIELDS = ("seq", "kind", "entity", "written_at", "payload", "prev_hash", "hash")


def _entities(conn: Connection, qid: str) -> list[str]:
    ids = [ledger.entity_of("question", qid)]
    for kind, table in (("forecast", "forecasts"), ("resolution", "resolutions")):
        ids += [ledger.entity_of(kind, r[0]) for r in conn.rows(
            f"SELECT id FROM {table} WHERE question_id = ?", (qid,))]
    return ids


def _find_head(conn: Connection, head: PublishedHead) -> tuple[int, str]:
    params: list[Any]
    sql, params = "SELECT seq, hash FROM ledger WHERE hash LIKE ?", [f"{head.hash}%"]
    if head.seq is not None:
        sql += " AND seq = ?"
        params.append(head.seq)
    rows = conn.rows(sql + " ORDER BY seq LIMIT 2", params)
    if not rows:
        raise IntegrityViolation(
            f"head {head} is not in this ledger: it was published from another database, or "
            "the ledger was cut short or rewritten since; run `forethought verify --against "
            f"{head.hash}`"
        )
    if len(rows) > 1:
        raise InvalidInput(f"{head.hash!r} matches several ledger entries; give more digits")
    return rows[0][0], rows[0][1]


def build(conn: Connection, question: str, to: PublishedHead | None = None) -> dict[str, Any]:
    """The proof document for ``question`` (an id or unique prefix) up to ``to`` (default: the
    current head). Raises :class:`IntegrityViolation` if the ledger in between does not check."""
    qid = repo.find_question_id(conn, question)
    head_seq, head_hash = _find_head(conn, to) if to is not None else ledger.head(conn)
    seqs: list[int] = []
    entities = _entities(conn, qid)
    for i in range(0, len(entities), repo.CHUNK):
        chunk = entities[i:i + repo.CHUNK]
        seqs += [r[0] for r in conn.rows(
            f"SELECT seq FROM ledger WHERE entity IN ({', '.join('?' * len(chunk))})", chunk)]
    seqs.sort()
    covered = [s for s in seqs if s <= head_seq]
    if not covered:
        raise InvalidInput(
            f"question {qid!r} was recorded after head {head_seq} (its first entry is "
            f"{seqs[0] if seqs else '?'}), so that head cannot vouch for it; prove it against a "
            "later head"
        )
    rows = conn.rows("SELECT seq, kind, entity, written_at, payload, prev_hash, hash, author "
                     "FROM ledger WHERE seq >= ? AND seq <= ? ORDER BY seq",
                     (covered[0], head_seq))
    entries = [{"seq": seq, "kind": kind, "entity": entity,
                "written_at": codec.iso(codec.from_db("time", written_at)), "payload": payload,
                "prev_hash": prev_hash, "hash": digest, **({"author": author} if author else {})}
               for seq, kind, entity, written_at, payload, prev_hash, digest, author in rows]
    proof = {"format": FORMAT, "algorithm": ALGORITHM, "question": qid,
             "head": {"seq": head_seq, "hash": head_hash}, "proves": covered,
             "later": [s for s in seqs if s > head_seq], "entries": entries}
    checked = check(proof)
    if not checked.ok:
        raise IntegrityViolation(
            f"cannot prove {qid!r}: the ledger between entries {covered[0]} and {head_seq} does "
            f"not check ({checked.problems[0]}); run `forethought verify`"
        )
    return proof


@dataclass
class ProofCheck:
    """What a proof shows: ``records`` (seq, kind, entity, payload) existed at ``head``."""

    question: str = ""
    head_seq: int = 0
    head_hash: str = ""
    links: int = 0
    records: list[tuple[int, str, str, dict]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _entries(proof: Any) -> list[Mapping[str, Any]]:
    if not isinstance(proof, Mapping) or proof.get("format") != FORMAT:
        raise InvalidInput(f"this is not a forethought proof (no \"format\": \"{FORMAT}\")")
    entries: Any = proof.get("entries")
    head = proof.get("head")
    ok = (isinstance(entries, list) and entries and isinstance(head, Mapping)
          and isinstance(proof.get("proves"), list)
          and all(isinstance(s, int) for s in proof["proves"])
          and all(isinstance(e, Mapping) and all(isinstance(e.get(k), str) for k in _FIELDS[1:])
                  and isinstance(e.get("seq"), int) for e in entries))
    if not ok:
        raise InvalidInput("the proof is incomplete: it needs 'head', 'proves' and 'entries' "
                           "with seq, kind, entity, written_at, payload, prev_hash and hash")
    return entries


def check(proof: Any, published: PublishedHead | None = None) -> ProofCheck:
    """Re-derive every hash in ``proof``; it holds if they link up to its head (and the head
    is ``published``, when given) and every entry it claims to prove is in it."""
    import json

    entries = _entries(proof)
    head = proof["head"]
    seq = head.get("seq")
    out = ProofCheck(question=str(proof.get("question", "")),
                     head_seq=seq if isinstance(seq, int) else 0,
                     head_hash=str(head.get("hash", "")), links=len(entries))
    prev = entries[0]["prev_hash"]
    by_seq: dict[int, Mapping[str, Any]] = {}
    for e in entries:
        if e["prev_hash"] != prev:
            out.problems.append(f"entry {e['seq']} does not link to the entry before it")
        digest = ledger.chain_hash(e["prev_hash"], e["kind"], e["entity"], e["written_at"],
                                   e["payload"], e.get("author"))
        if digest != e["hash"]:
            out.problems.append(f"entry {e['seq']}'s hash does not match its content")
        prev = digest
        by_seq[e["seq"]] = e
    if prev != out.head_hash:
        out.problems.append(f"the entries do not lead to head {out.head_hash[:16]}…")
    if published is not None and not (out.head_hash.startswith(published.hash) and
                                      published.seq in (None, out.head_seq)):
        out.problems.append(f"the proof leads to head {out.head_seq} {out.head_hash[:16]}…, "
                            f"not to the published head {published}")
    for seq in proof["proves"]:
        found = by_seq.get(seq)
        if found is None:
            out.problems.append(f"entry {seq} is listed as proven but is not in the proof")
            continue
        e = found
        try:
            payload = json.loads(e["payload"])
        except ValueError:
            payload = None
        mine = e["entity"] == f"question:{out.question}" or (
            isinstance(payload, dict) and payload.get("question_id") == out.question)
        if not mine:
            out.problems.append(f"entry {seq} ({e['entity']}) is not a record of question "
                                f"{out.question!r}")
        out.records.append((seq, e["kind"], e["entity"], payload or {}))
    return out
