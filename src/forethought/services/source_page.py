"""A source's page and a claim's: the source's claims with their grade and status history, its
notes, its assessments and how they scored, and how often its estimative words came true."""

from __future__ import annotations

from dataclasses import dataclass

from forethought.domain.records import Claim, Source
from forethought.errors import ClaimNotFound
from forethought.services.claims import SourceRecord, source_record
from forethought.services.vocabulary import WordRow, words
from forethought.store import repository as repo
from forethought.store.engine import Store


@dataclass
class SourcePage:
    record: SourceRecord
    words: list[WordRow]


def source_page(store: Store, source_id: str) -> SourcePage:
    return SourcePage(source_record(store, source_id), words(store, source_id))


@dataclass
class ClaimPage:
    claim: Claim
    source: Source | None
    questions: list[tuple[str, str]]  # (id, title) of the questions that cite it


def claim_page(store: Store, claim_id: str) -> ClaimPage:
    with store.read() as conn:
        found = repo.claims(conn, ids=[claim_id])
        if not found:
            raise ClaimNotFound(f"no claim with id {claim_id!r}; see the sources' pages")
        claim = found[0]
        source = repo.sources(conn, [claim.source_id])[0] if claim.source_id else None
        cited = conn.rows("SELECT q.id, q.title FROM question_claims c JOIN questions q ON "
                          "q.id = c.question_id WHERE c.claim_id = ? ORDER BY q.id",
                          (claim_id,))
    return ClaimPage(claim, source, [(qid, title) for qid, title in cited])
