"""Integrity: verify the ledger and every row; the ledger head; proofs for one question.

A workspace also remembers, outside the database, the last head a successful ``verify`` saw
(``.forethought/heads.json``). The next ``verify`` checks that head is still in the chain, so
cutting the ledger short (with the rows it vouched for) or rewriting it consistently — both
invisible to the chain alone — is caught as long as the attacker did not also edit that file.
On a team server every member's workspace keeps its own copy, which is the point.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forethought.domain.timeparse import iso, utcnow
from forethought.errors import InvalidInput
from forethought.services.permissions import require
from forethought.store import ledger, proof
from forethought.store.engine import Store, damaged
from forethought.store.verify import DAMAGE, PublishedHead, Report
from forethought.store.verify import verify as verify_rows

WITNESS_NAME = "heads.json"


@dataclass(frozen=True)
class Witness:
    """The heads a workspace has verified, one per database, kept in ``path``.

    ``database`` keys the database by something that travels with it: ``file:<path>`` relative
    to the workspace for a file inside it (moving or copying the workspace folder keeps the
    key), else the URL without its password. Each record also keeps the hash of the ledger's
    first entry, so a database reached by another URL (a file moved, a server renamed) finds
    its head again. ``legacy`` names the keys earlier versions wrote (the absolute URL): read,
    and replaced on the next clean run."""

    path: Path
    database: str
    legacy: tuple[str, ...] = ()

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"{self.path} cannot be read ({exc}); delete it to start "
                               "remembering heads afresh") from None
        return data if isinstance(data, dict) else {}

    def _record(self, first: str | None) -> dict[str, Any] | None:
        data = self._load()
        for key in (self.database, *self.legacy):
            if isinstance(data.get(key), dict):
                return data[key]
        if first is None:
            return None
        return next((seen for seen in data.values()
                     if isinstance(seen, dict) and seen.get("first") == first), None)

    def remembered(self, first: str | None = None) -> PublishedHead | None:
        """The head remembered for this database (``first``: its ledger's first hash)."""
        seen = self._record(first)
        if not isinstance(seen, dict) or not isinstance(seen.get("hash"), str):
            return None
        return PublishedHead(seen["hash"], seen.get("seq"),
                             f"the head this workspace verified on {seen.get('seen_at', '?')[:10]}")

    def remember(self, seq: int, digest: str, first: str | None = None) -> None:
        data = self._load()
        for key in self.legacy:
            data.pop(key, None)
        data[self.database] = {"seq": seq, "hash": digest, "seen_at": iso(utcnow()),
                               "first": first}
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)


def witness_for(root: Path | None, store: Store) -> Witness | None:
    """The witness of the workspace at ``root`` for ``store``'s database (None without one)."""
    from forethought.services.workspace import DIR_NAME

    if root is None or not (root / DIR_NAME).is_dir():
        return None
    from forethought.store.engine import describe

    url = describe(store.url)
    if store.path is not None:
        try:
            inside = store.path.resolve().relative_to(root.resolve())
        except ValueError:
            inside = None
        if inside is not None:
            return Witness(root / DIR_NAME / WITNESS_NAME, f"file:{inside.as_posix()}", (url,))
    return Witness(root / DIR_NAME / WITNESS_NAME, url)


def verify(store: Store, against: Sequence[str] = (), witness: Witness | None = None) -> Report:
    """Run the database's own check of its files, re-derive the chain and every row — all in
    one read-only snapshot — and check each published head in ``against`` (``SEQ:HASH``,
    ``SEQ HASH`` or a hash prefix) and the head ``witness`` remembers. A clean result is
    remembered by ``witness`` for next time; a damaged file takes no more writes."""
    require(store, "admin", "run verify")
    heads = [PublishedHead.parse(text) for text in against]
    with store.read() as conn:
        first = ledger.first_hash(conn)
        remembered = witness.remembered(first) if witness is not None else None
        if remembered is not None and remembered.hash != ledger.GENESIS:
            heads.append(remembered)
        report = verify_rows(conn, heads)
    if report.damaged:
        store.mark_damaged(next(p.what for p in report.problems if p.entity == DAMAGE))
    if report.ok and witness is not None and report.entries:
        witness.remember(report.head_seq, report.head_hash, first)
    return report


def refuse_damaged(store: Store, report: Report) -> None:
    """Raise the one damaged-database error when ``report`` found the file damaged."""
    found = [p.what for p in report.problems if p.entity == DAMAGE]
    if found:
        more = f", and {len(found) - 1} more" if len(found) > 1 else ""
        raise damaged(store.where, found[0] + more, verified=True)


def head(store: Store) -> tuple[int, str]:
    with store.read() as conn:
        return ledger.head(conn)


def prove(store: Store, question: str, to: str | None = None) -> dict[str, Any]:
    """The proof document linking ``question``'s records to head ``to`` (default: current)."""
    target = PublishedHead.parse(to) if to is not None else None
    with store.read() as conn:
        return proof.build(conn, question, target)


def check_proof(path: Path, published: str | None = None) -> proof.ProofCheck:
    """Check a proof file without any database."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput(f"{path} cannot be read as a JSON proof ({exc})") from None
    target = PublishedHead.parse(published) if published is not None else None
    return proof.check(document, target)
