"""Sources and their claims: add, grade (Admiralty code), mark (status with evidence), list."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from forethought.domain.ids import check_slug, title_slug
from forethought.domain.inputs import (
    NewClaim,
    NewClaimGrade,
    NewClaimStatus,
    NewSource,
    build,
)
from forethought.domain.records import Claim, Forecast, Source
from forethought.domain.timeparse import parse_day, utcnow
from forethought.errors import (
    AlreadyExists,
    ClaimNotFound,
    InvalidGrade,
    InvalidInput,
    SourceNotFound,
)
from forethought.services.permissions import require
from forethought.store import repository as repo
from forethought.store.engine import Connection, Store

STATUSES = ("unverified", "corroborated", "disputed", "refuted")
RELIABILITY = {"A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
               "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged"}
CREDIBILITY = {1: "confirmed by other sources", 2: "probably true", 3: "possibly true",
               4: "doubtful", 5: "improbable", 6: "truth cannot be judged"}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def new_source(*, id: str, title: str, outlet: str | None = None, author: str | None = None,
               published_at: date | None = None, url: str | None = None,
               sha256: str | None = None, recorded_at: datetime | None = None) -> NewSource:
    return build(NewSource, id=id, title=title, outlet=_text(outlet), author=_text(author),
                 published_at=published_at, url=_text(url), sha256=sha256,
                 recorded_at=recorded_at)


def add_source(store: Store, *, title: str | None = None, file: Path | None = None,
               outlet: str | None = None, author: str | None = None,
               published: str | date | None = None, url: str | None = None,
               id: str | None = None, now: datetime | None = None) -> Source:
    """Record a source. With ``file``, its sha256 is kept (the text itself is not copied)."""
    require(store, "forecaster", "add sources")
    now = now or utcnow()
    sha = None
    if file is not None:
        if not file.is_file():
            raise InvalidInput(f"{file} is not a readable file")
        sha = file_sha256(file)
        title = title or file.stem.replace("-", " ").replace("_", " ")
    title = _text(title)
    if not title:
        raise InvalidInput("a source needs a --title (or a FILE to take it from)")
    day = parse_day(published, now) if published is not None else None
    sid = check_slug(id, "source id") if id else title_slug(title)

    def work(conn: Connection) -> Source:
        if sha is not None:
            same = repo.source_by_sha(conn, sha)
            if same is not None:
                raise AlreadyExists(
                    f"this file is already recorded as source {same.id!r} (same sha256)"
                )
        final = sid
        if repo.existing_ids(conn, "source", [final]):
            if id:
                raise AlreadyExists(f"a source with id {id!r} exists already; choose another --id")
            n = 2
            while repo.existing_ids(conn, "source", [f"{sid}-{n}"]):
                n += 1
            final = f"{sid}-{n}"
        repo.add(conn, [new_source(id=final, title=title, outlet=outlet, author=author,
                                   published_at=day, url=url, sha256=sha)], now)
        return repo.sources(conn, [final])[0]

    return store.write(work)


def new_claim(*, id: str, text: str, source_id: str | None = None, said_by: str | None = None,
              event_date: date | None = None, span_start: int | None = None,
              span_end: int | None = None, recorded_at: datetime | None = None) -> NewClaim:
    return build(NewClaim, id=id, text=text, source_id=source_id, said_by=_text(said_by),
                 event_date=event_date, span_start=span_start, span_end=span_end,
                 recorded_at=recorded_at)


def next_claim_id(conn: Connection, source_id: str | None, taken: set[str] | None = None) -> str:
    """Claim ids are `<source-id>/c<N>` (or `c<N>` without a source)."""
    prefix = f"{source_id}/c" if source_id else "c"
    taken = taken if taken is not None else set()
    n = 1
    existing = {c.id for c in repo.claims(conn, source_id=source_id)} if source_id else \
        {c.id for c in repo.claims(conn)}
    while f"{prefix}{n}" in existing or f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def add_claim(store: Store, text: str, *, source: str | None = None, said_by: str | None = None,
              event_date: str | date | None = None, id: str | None = None,
              now: datetime | None = None) -> Claim:
    require(store, "forecaster", "add claims")
    now = now or utcnow()
    body = _text(text)
    if not body:
        raise InvalidInput("a claim needs its text")
    day = parse_day(event_date, now) if event_date is not None else None

    def work(conn: Connection) -> Claim:
        if source is not None and not repo.sources(conn, [source]):
            raise SourceNotFound(f"no source with id {source!r}; run `forethought source list`")
        cid = id or next_claim_id(conn, source)
        if id is not None:
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,119}", id):
                raise InvalidInput(f"claim id {id!r} is not valid: use letters, digits, . _ / -")
            if repo.existing_ids(conn, "claim", [id]):
                raise AlreadyExists(f"a claim with id {id!r} exists already")
        repo.add(conn, [new_claim(id=cid, text=body, source_id=source, said_by=said_by,
                                  event_date=day)], now)
        return repo.claims(conn, ids=[cid])[0]

    return store.write(work)


def parse_grade(code: str) -> tuple[str, int]:
    m = re.fullmatch(r"\s*([A-Fa-f])\s*([1-6])\s*", code or "")
    if not m:
        raise InvalidGrade(
            f"{code!r} is not an Admiralty grade: give a letter A–F for the source's reliability "
            "and a digit 1–6 for the information's credibility, e.g. B2"
        )
    return m.group(1).upper(), int(m.group(2))


def _claim_id(conn: Connection, claim_id: str) -> str:
    if repo.existing_ids(conn, "claim", [claim_id]):
        return claim_id
    raise ClaimNotFound(f"no claim with id {claim_id!r}; run `forethought claim list`")


def grade(store: Store, claim_id: str, code: str, *, note: str | None = None,
          now: datetime | None = None) -> Claim:
    require(store, "forecaster", "grade claims")
    now = now or utcnow()
    reliability, credibility = parse_grade(code)

    def work(conn: Connection) -> Claim:
        cid = _claim_id(conn, claim_id)
        repo.add(conn, [build(NewClaimGrade, claim_id=cid, reliability=reliability,
                              credibility=credibility, note=_text(note), graded_at=now)], now)
        return repo.claims(conn, ids=[cid])[0]

    return store.write(work)


def mark(store: Store, claim_id: str, status: str, *, evidence: Sequence[str] = (),
         note: str | None = None, now: datetime | None = None) -> Claim:
    require(store, "forecaster", "mark claims")
    now = now or utcnow()
    status = status.strip().lower()
    if status not in STATUSES:
        raise InvalidInput(f"{status!r} is not a claim status; choose one of: "
                           f"{', '.join(STATUSES)}")
    proofs = sorted({e.strip() for e in evidence if e.strip()})
    if status in ("corroborated", "disputed", "refuted") and not proofs:
        raise InvalidInput(f"marking a claim {status} needs --evidence (a URL or a claim id)")

    def work(conn: Connection) -> Claim:
        cid = _claim_id(conn, claim_id)
        repo.add(conn, [build(NewClaimStatus, claim_id=cid, status=status,
                              evidence=tuple(proofs), note=_text(note), marked_at=now)], now)
        return repo.claims(conn, ids=[cid])[0]

    return store.write(work)


@dataclass(frozen=True)
class SourceSummary:
    source: Source
    claims: int
    by_status: dict[str, int]


def list_claims(store: Store, source: str | None = None) -> list[Claim]:
    with store.read() as conn:
        if source is not None and not repo.sources(conn, [source]):
            raise SourceNotFound(f"no source with id {source!r}; run `forethought source list`")
        return repo.claims(conn, source_id=source)


def list_sources(store: Store) -> list[SourceSummary]:
    with store.read() as conn:
        srcs = repo.sources(conn)
        claims = repo.claims(conn)
    out = []
    for s in srcs:
        mine = [c for c in claims if c.source_id == s.id]
        counts = {st: sum(1 for c in mine if c.status == st) for st in STATUSES}
        out.append(SourceSummary(s, len(mine), counts))
    return out


@dataclass(frozen=True)
class Assessment:
    question_id: str
    title: str
    forecaster: str
    probability: float | None
    cue: str | None
    outcome: str | None
    brier: float | None  # (p - o)^2 of the source's last forecast before the outcome was known


@dataclass(frozen=True)
class SourceRecord:
    """A source's track record: its claims by status with grades, its notes, its assessments."""

    source: Source
    claims: list[Claim]
    by_status: dict[str, int]
    notes: list[tuple[str, str]]  # (kind, text)
    assessments: list[Assessment]


def source_record(store: Store, source_id: str) -> SourceRecord:
    with store.read() as conn:
        found = repo.sources(conn, [source_id])
        if not found:
            raise SourceNotFound(f"no source with id {source_id!r}; run `forethought source list`")
        claims = repo.claims(conn, source_id=source_id)
        notes = repo.source_notes(conn, source_id)
        forecasts = [f for f in repo.forecasts(conn) if f.source_id == source_id]
        questions = {q.id: q for q in repo.questions(conn, sorted({f.question_id
                                                                    for f in forecasts}))}
        latest = repo.latest_resolutions(conn)
    assessments = []
    last: dict[tuple[str, str], Forecast] = {}
    for f in forecasts:  # oldest first: keep the last standing before the outcome was known
        res = latest.get(f.question_id)
        if res is not None and f.made_at >= res.known_at:
            continue
        last[(f.question_id, f.forecaster)] = f
    for (qid, who), f in sorted(last.items()):
        res = latest.get(qid)
        outcome = res.outcome if res else None
        brier = None
        if outcome in ("yes", "no") and f.probability is not None:
            brier = (f.probability - (1.0 if outcome == "yes" else 0.0)) ** 2
        assessments.append(Assessment(qid, questions[qid].title, who, f.probability, f.cue,
                                      outcome, brier))
    counts = {st: sum(1 for c in claims if c.status == st) for st in STATUSES}
    return SourceRecord(found[0], claims, counts, notes, assessments)
