"""Ingest a document: propose claim and forecast candidates, and store the accepted ones.

Nothing is written unless candidates are accepted. Accepting stores, in one transaction, the
source (with the file's sha256), its claims, its interpretive sentences as source notes, and for
each forecast a question (title and criteria drafted from the statement, resolve-by from the
horizon rule, linked to the sentence span) with the source's forecast at the probability its
wording implies (cue, scale and range kept). Re-ingesting the same file (same sha256) stores
nothing twice: it shows which candidates were stored before, and ``accept`` adds the others.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from forethought.domain.ids import title_slug
from forethought.domain.inputs import NewClaim, NewForecast, NewQuestion, NewSourceNote, build
from forethought.domain.records import Source
from forethought.domain.timeparse import parse_day, utcnow
from forethought.errors import InvalidInput
from forethought.services.claims import new_claim, new_source
from forethought.services.permissions import require
from forethought.store import repository as repo
from forethought.store.engine import Connection, Store

STORED = ("claim", "interpretation", "forecast")  # the kinds a candidate is stored as
MAX_BYTES = 10 * 1024 * 1024  # a long report is a few hundred KB; refuse bigger files clearly
_MARKDOWN = re.compile(r"^(\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])\s+)|(\*\*|__|`)", re.MULTILINE)


@dataclass
class IngestResult:
    candidates: list[Any]  # language.Candidate
    sha256: str
    source: Source | None = None
    already: bool = False
    stored: dict[str, int] = field(default_factory=dict)
    question_ids: list[str] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)  # candidates stored by an earlier ingest


def read_document(path: Path) -> tuple[str, str]:
    """(text, sha256) of a UTF-8 text or Markdown file, with Markdown markers blanked out so
    character offsets still point into the file."""
    if not path.is_file():
        raise InvalidInput(f"{path} is not a readable file")
    size = path.stat().st_size
    if size == 0:
        raise InvalidInput(f"{path} is empty: there is nothing to ingest")
    if size > MAX_BYTES:
        raise InvalidInput(
            f"{path} is {size / 1e6:.1f} MB; ingest reads documents up to "
            f"{MAX_BYTES // (1024 * 1024)} MB — split it into parts"
        )
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise InvalidInput(f"{path} looks like a binary file; ingest reads text or Markdown")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{path} is not UTF-8 text (byte {exc.start}); convert it to UTF-8 first"
        ) from None
    if path.suffix.lower() in (".md", ".markdown"):
        text = _MARKDOWN.sub(lambda m: " " * len(m.group(0)), text)
    return text, hashlib.sha256(data).hexdigest()


def propose(path: Path, *, published: str | date | None = None, scale: str = "icd203",
            as_name: str | None = None, now: datetime | None = None) -> tuple[list, str, date]:
    from forethought.language import extract

    now = now or utcnow()
    day = parse_day(published, now) if published is not None else now.date()
    text, sha = read_document(path)
    return extract(text, day, scale=scale, source_name=as_name), sha, day


def apply_overrides(candidates: Sequence, overrides: Mapping[int, Mapping[str, Any]]) -> list:
    """Edits from `--edit`: per candidate number, new title/criteria/p/resolve_by/said_by."""
    out = list(candidates)
    allowed = {"title_suggestion", "criteria_suggestion", "p", "resolve_by", "said_by",
               "event_date"}
    for n, changes in overrides.items():
        if not 1 <= n <= len(out):
            raise InvalidInput(f"candidate {n} does not exist (there are {len(out)})")
        unknown = set(changes) - allowed
        if unknown:
            raise InvalidInput(f"candidate {n}: cannot change {', '.join(sorted(unknown))}")
        values = dict(changes)
        if "p" in values:
            from forethought.domain.probability import parse_probability

            values["p"] = parse_probability(str(values["p"])).value
        for key in ("resolve_by", "event_date"):
            if values.get(key) is not None:
                values[key] = parse_day(values[key])
        out[n - 1] = replace(out[n - 1], **values)
    return out


def ingest(store: Store, path: Path, *, published: str | date | None = None,
           as_name: str | None = None, title: str | None = None, url: str | None = None,
           author: str | None = None, scale: str = "icd203",
           accept: bool | Sequence[int] = False,
           overrides: Mapping[int, Mapping[str, Any]] | None = None,
           now: datetime | None = None) -> IngestResult:
    require(store, "forecaster", "ingest documents")
    now = now or utcnow()
    candidates, sha, day = propose(path, published=published, scale=scale, as_name=as_name,
                                   now=now)
    if overrides:
        candidates = apply_overrides(candidates, overrides)
    result = IngestResult(candidates, sha)
    with store.read() as conn:
        existing = repo.source_by_sha(conn, sha)
        if existing is not None:
            result.source, result.already = existing, True
            result.kept = _kept(conn, existing.id, candidates)
    if not accept:
        return result
    chosen = list(range(1, len(candidates) + 1)) if accept is True else sorted(set(accept))
    for n in chosen:
        if not 1 <= n <= len(candidates):
            raise InvalidInput(f"--accept {n}: there is no candidate {n} "
                               f"(there are {len(candidates)})")
    # a document ingested before takes the candidates it did not store then (--accept 3,4,5
    # first, --accept 1,2 later); the ones it stored are not stored twice
    picked = [(n, candidates[n - 1]) for n in chosen if n not in result.kept]
    if result.already and not any(c.kind in STORED for _, c in picked):
        return result
    opened = datetime.combine(day, time(0), tzinfo=UTC)
    if opened > now:
        raise InvalidInput(f"--published {day} is in the future; give the date it was published")
    name = (as_name or "").strip() or None
    doc_title = (title or "").strip() or path.stem.replace("-", " ").replace("_", " ")

    def work(conn: Connection) -> IngestResult:
        if existing is not None:
            sid = existing.id
            forecaster = existing.outlet or existing.title
            opened_at = datetime.combine(existing.published_at or day, time(0), tzinfo=UTC)
        else:
            sid = _free_id(conn, "source", title_slug(doc_title))
            repo.add(conn, [new_source(id=sid, title=doc_title, outlet=name, author=author,
                                       published_at=day, url=url, sha256=sha)], now)
            forecaster, opened_at = name or doc_title, opened
        counts = {"claims": 0, "notes": 0, "questions": 0, "forecasts": 0}
        claims: list[NewClaim] = []
        notes: list[NewSourceNote] = []
        first = len(repo.claims(conn, source_id=sid)) + 1
        for n, cand in picked:
            if cand.kind == "claim":
                cid = _free_id(conn, "claim", f"{sid}/c{first + len(claims):02d}")
                claims.append(new_claim(
                    id=cid, text=cand.text, source_id=sid, said_by=cand.said_by,
                    event_date=cand.event_date, span_start=cand.start, span_end=cand.end))
            elif cand.kind == "interpretation":
                notes.append(build(NewSourceNote, source_id=sid, text=cand.text,
                                   span_start=cand.start, span_end=cand.end))
            elif cand.kind == "forecast":
                qid = _store_forecast(conn, n, cand, sid, forecaster, opened_at, now)
                result.question_ids.append(qid)
                counts["questions"] += 1
                counts["forecasts"] += 1 if cand.p is not None else 0
        repo.add(conn, claims, now)
        repo.add(conn, notes, now)
        counts["claims"], counts["notes"] = len(claims), len(notes)
        result.source = repo.sources(conn, [sid])[0]
        result.stored = counts
        return result

    return store.write(work)


def _kept(conn: Connection, sid: str, candidates: Sequence) -> list[int]:
    """The numbers of the candidates an earlier ingest of the document stored (by their span:
    claims and questions keep theirs, source notes their text)."""
    spans = {(c.span_start, c.span_end) for c in repo.claims(conn, source_id=sid)}
    spans |= {(q.span_start, q.span_end) for q in repo.questions(conn) if q.source_id == sid}
    noted = {text for kind, text in repo.source_notes(conn, sid)}
    return [n for n, c in enumerate(candidates, start=1)
            if (c.kind in ("claim", "forecast") and (c.start, c.end) in spans)
            or (c.kind == "interpretation" and c.text in noted)]


def _free_id(conn: Connection, kind: str, base: str) -> str:
    candidate, n = base, 2
    while repo.existing_ids(conn, kind, [candidate]):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _store_forecast(conn: Connection, n: int, cand: Any, sid: str, forecaster: str,
                    opened: datetime, now: datetime) -> str:
    if cand.resolve_by is None or cand.resolve_by < opened.date():
        raise InvalidInput(
            f"candidate {n} resolves by {cand.resolve_by}, before the document was published; "
            "fix it with --edit or leave it out of --accept"
        )
    title = (cand.title_suggestion or cand.text).strip()
    qid = _free_id(conn, "question", title_slug(title))
    repo.add(conn, [build(NewQuestion, f"candidate {n}", id=qid, title=title,
                          resolve_by=cand.resolve_by, opened_at=opened,
                          criteria=cand.criteria_suggestion, source_id=sid,
                          span_start=cand.start, span_end=cand.end, condition=cand.condition,
                          tags=("ingested",))], now)
    if cand.p is not None:
        who = cand.said_by or forecaster  # "X said Y will…" is X's forecast, reported here
        repo.add(conn, [build(NewForecast, f"candidate {n}", question_id=qid, forecaster=who,
                              probability=float(cand.p), made_at=opened, rationale=cand.text,
                              entered_as=cand.cue_text or cand.cue, cue=cand.cue,
                              scale=cand.scale, p_low=cand.p_low, p_high=cand.p_high,
                              source_id=sid)], now)
    return qid
