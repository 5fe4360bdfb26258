"""The one import engine: bundles from any reader in, rows and ledger entries out, in ONE
transaction.

Every format's reader — records folders, JSONL, CSV, Fatebook, PredictionBook, Metaculus,
ForecastBench — yields :class:`~forethought.interop.common.QuestionBundle` and
:class:`~forethought.interop.common.ClaimsBundle` built from the inputs every writer uses, and
this engine alone decides what is new, what is already there and what contradicts the database:

* a question is matched by id and compared field by field; a source and a claim by id;
* a forecast is matched by (question, forecaster, made_at) and compared;
* histories only grow: a file's resolution history (JSONL, records), a claim's grades and
  status changes must extend the database's (the database's history is a prefix of the file's);
  a platform's current resolution must equal the database's latest;
* every new record meets the same rules as the commands (:mod:`forethought.domain.rules`);
* an imported forecast keeps the recorded time its file states, or its made_at when the file
  states none; the ledger's written_at (the import) differs from it, which is how a row says it
  was imported (see docs/integrity.md, "Trust levels").

A contradiction or a broken rule stops the import naming the file, the line, the field and both
values, and the transaction rolls back: nothing is written. Bundles are written in chunks, so
memory stays flat as the file grows. ``dry_run`` does everything and then rolls back.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from forethought.domain.inputs import NewRecord
from forethought.domain.names import Lookalikes, lookalike_message
from forethought.domain.records import Question
from forethought.domain.rules import forecast_problem, question_problem, resolution_problem
from forethought.domain.timeparse import utcnow
from forethought.errors import DatabaseError, ImportRejected
from forethought.interop.common import NOTHING, ClaimsBundle, QuestionBundle
from forethought.services.permissions import require
from forethought.store import repository as repo
from forethought.store.engine import Connection, Store

CHUNK_FORECASTS = 20_000
CHUNK_QUESTIONS = 2_000
# the records files' names for the inputs' fields, in messages
FILE_NAMES = {"source_id": "source", "span_start": "span", "span_end": "span"}


@dataclass
class ImportReport:
    """What an import did: counts added and already there, what was skipped and why."""

    format: str
    files: list[str] = field(default_factory=list)
    added: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    lossy: str | None = None
    dry_run: bool = False
    comparison: dict[str, Any] | None = None


class _DryRun(Exception):
    pass


Bundle = QuestionBundle | ClaimsBundle


def run_import(store: Store, bundles: Iterable[Bundle], report: ImportReport, *,
               dry_run: bool = False, progress: Callable[[int], None] | None = None,
               after: Callable[[Connection, ImportReport], None] | None = None,
               now: datetime | None = None) -> ImportReport:
    """Write ``bundles`` in one transaction; ``after(conn, report)`` runs inside it once every
    bundle is written (the score comparisons use it, so they see a dry run's rows too)."""
    require(store, "admin", "import files")
    now = now or utcnow()
    calls = 0

    def work(conn: Connection) -> ImportReport:
        nonlocal calls
        calls += 1
        if calls > 1:  # the bundles are a stream: a retried transaction cannot replay them
            raise DatabaseError("the database was busy in the middle of the import; "
                                f"{NOTHING}; run the import again")
        writer = _Writer(conn, report, now)
        for bundle in bundles:
            if isinstance(bundle, ClaimsBundle):
                writer.flush()
                writer.claims(bundle)
            else:
                writer.add(bundle)
            if writer.full():
                writer.flush()
                if progress is not None:
                    progress(bundle.progress)
        writer.flush()
        if after is not None:
            after(conn, report)
        if dry_run:
            raise _DryRun()
        return report

    try:
        store.write(work)
    except _DryRun:
        report.dry_run = True
    return report


def _reject(where: str, message: str) -> ImportRejected:
    return ImportRejected(f"{where}: {message}; {NOTHING}")


def _contradiction(where: str, name: str, file_value: Any, db_value: Any) -> ImportRejected:
    return _reject(where, f"field {name!r} is {file_value!r} in the file but {db_value!r} in "
                          "the database; recorded facts cannot change — fix the file, or record "
                          "a correction with the command line")


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def compare(where: str, prefix: str, new: NewRecord, record: Any,
            skip: Sequence[str] = ()) -> None:
    """Refuse ``new`` if a field differs from the stored ``record`` (a ``recorded_at`` the file
    does not state is not compared)."""
    for name in type(new).model_fields:
        if name in skip:
            continue
        mine = getattr(new, name)
        if name == "recorded_at" and mine is None:
            continue
        theirs = getattr(record, name)
        if _plain(mine) != _plain(theirs):
            shown = FILE_NAMES.get(name, name)
            if shown == "span":
                mine = [new.span_start, new.span_end]  # type: ignore[attr-defined]
                theirs = [record.span_start, record.span_end]
            raise _contradiction(where, f"{prefix}{shown}", _plain(mine), _plain(theirs))


class _Writer:
    def __init__(self, conn: Connection, report: ImportReport, now: datetime) -> None:
        self.conn, self.report, self.now = conn, report, now
        self.pending: list[QuestionBundle] = []
        self.pending_ids: set[str] = set()
        self.pending_forecasts = 0
        self.written: set[str] = set()
        self.fresh = repo.count(conn, "question") == 0
        self.known: dict[str, set[str]] = {"claim": set(), "source": set()}
        self.names: set[str] = set()  # forecaster names checked against the database
        self.lookalikes: Lookalikes | None = None  # read once, at the first new name

    def full(self) -> bool:
        return (self.pending_forecasts >= CHUNK_FORECASTS
                or len(self.pending) >= CHUNK_QUESTIONS)

    def add(self, bundle: QuestionBundle) -> None:
        if bundle.id in self.pending_ids:
            self.flush()  # the same question again: compare it with what was just written
        self.pending.append(bundle)
        self.pending_ids.add(bundle.id)
        self.pending_forecasts += len(bundle.forecasts)

    # -- questions, forecasts, resolutions, one chunk at a time -------------------------------
    def flush(self) -> None:
        if not self.pending:
            return
        bundles, self.pending = self.pending, []
        self.pending_ids, self.pending_forecasts = set(), 0
        ids = [b.id for b in bundles]
        more = {b.id: sorted({f.forecaster for f in b.forecasts}) for b in bundles if b.more}
        lookup = [i for i in ids if i in self.written] if self.fresh else ids
        existing = {q.id: q for q in repo.questions(self.conn, lookup)} if lookup else {}
        old_f: dict[str, dict] = defaultdict(dict)
        old_r: dict[str, list] = defaultdict(list)
        whole = [i for i in existing if not more.get(i)]
        if whole:
            for f in repo.forecasts_of(self.conn, whole):
                old_f[f.question_id][(f.forecaster, f.made_at)] = f
            for r in repo.resolutions(self.conn, whole):
                old_r[r.question_id].append(r)
        for qid, names in more.items():
            # the rest of a question written moments ago: read back only its forecasters'
            # forecasts (the aggregates Metaculus lists after everyone's), not all of them
            for name in names if qid in existing else ():
                for f in repo.forecasts(self.conn, qid, name):
                    old_f[qid][(f.forecaster, f.made_at)] = f
        questions, forecasts, resolutions = [], [], []
        refs: list[tuple[str, str, str]] = []  # (kind, id, where)
        for b in bundles:
            q: Any = existing.get(b.id)
            if q is None:
                problem = question_problem(b.question, self.now)
                if problem is not None:
                    raise _reject(b.where, problem)
                questions.append(b.question)
                refs += [("claim", c, b.where) for c in b.question.claims]
                if b.question.source_id:
                    refs.append(("source", b.question.source_id, b.where))
                q = b.question
                self.report.added["questions"] += 1
            else:
                compare(b.where, "", b.question, q)
                if not b.more:
                    self.report.unchanged["questions"] += 1
            forecasts += self._forecasts(b, q, old_f.get(b.id, {}), refs)
            if not b.more:
                resolutions += self._resolutions(b, q, old_r.get(b.id, []))
        self._check_refs(refs)
        repo.add(self.conn, questions, self.now)
        repo.add(self.conn, forecasts, self.now)
        repo.add(self.conn, resolutions, self.now)
        self.written.update(ids)
        self.report.added["forecasts"] += len(forecasts)
        self.report.added["resolutions"] += len(resolutions)

    def _forecasts(self, b: QuestionBundle, q: Question, old: dict, refs: list) -> list:
        out, seen = [], set()
        options = set(q.options)
        for i, f in enumerate(b.forecasts):
            where = f"{b.where}, forecasts[{i}]"
            key = (f.forecaster, f.made_at)
            if key in seen:
                raise _reject(where, f"field 'made_at': {f.forecaster} has two forecasts at "
                                     f"{f.made_at}; keep one")
            seen.add(key)
            if q.type == "multiple" and (f.distribution is None
                                         or set(f.distribution) != options):
                raise _reject(where, f"field 'distribution': {f.distribution!r} must give each "
                                     f"option ({', '.join(q.options)}) a probability")
            if q.type == "binary" and f.probability is None:
                raise _reject(where, "field 'probability': a binary question's forecast needs a "
                                     "probability from 0 to 1 (and no distribution)")
            prior = old.get(key)
            if prior is not None:
                compare(b.where, f"forecasts[{i}].", f, prior, skip=("question_id",))
                self.report.unchanged["forecasts"] += 1
                continue
            problem = forecast_problem(q, f, self.now)
            if problem is not None:
                raise _reject(where, problem)
            self._check_name(where, f.forecaster)
            refs += [("claim", c, b.where) for c in f.claims]
            if f.source_id:
                refs.append(("source", f.source_id, b.where))
            if f.recorded_at is None:
                # what the file states: recorded when made (a platform stamps a forecast when it
                # is made); the ledger's written_at keeps the import time beside it
                f = f.model_copy(update={"recorded_at": f.made_at})
            out.append(f)
        return out

    def _check_name(self, where: str, name: str) -> None:
        """A forecaster new to the database must not print like one it holds, or like another
        new one of this import (see domain/names.py)."""
        if name in self.names:
            return
        if self.lookalikes is None:
            if repo.forecaster_exists(self.conn, name):
                self.names.add(name)
                return
            self.lookalikes = Lookalikes(repo.forecaster_names(self.conn))
        existing = self.lookalikes.conflict(name)
        if existing is not None:
            raise _reject(f"{where}, field 'forecaster'", lookalike_message(name, existing))
        self.lookalikes.add(name)
        self.names.add(name)

    def _resolutions(self, b: QuestionBundle, q: Question, db: list) -> list:
        if not b.history:
            if not b.resolutions:
                if db:
                    self.report.skipped["open in the file but resolved in the database "
                                        "(left resolved)"] += 1
                return []
            if db:
                mine, last = b.resolutions[-1], db[-1]
                for name in ("outcome", "known_at"):
                    if getattr(mine, name) != getattr(last, name):
                        raise _reject(b.where, f"field 'resolution {name}' is "
                                               f"{getattr(mine, name)!r} in the file but "
                                               f"{getattr(last, name)!r} in the database; if "
                                               "the outcome changed, record it with "
                                               f"`forethought resolve {b.id} ... --correct "
                                               "REASON`")
                self.report.unchanged["resolutions"] += 1
                return []
        for i, (r, d) in enumerate(zip(b.resolutions, db, strict=False)):
            compare(b.where, f"resolutions[{i}].", r, d, skip=("question_id", "recorded_at"))
            self.report.unchanged["resolutions"] += 1
        previous: list[Any] = list(db)
        out = []
        for i, r in enumerate(b.resolutions[len(db):], start=len(db)):
            problem = resolution_problem(q, r, previous, self.now)
            if problem is not None:
                raise _reject(f"{b.where}, resolutions[{i}]", problem)
            previous.append(r)
            out.append(r)
        return out

    def _check_refs(self, refs: list[tuple[str, str, str]]) -> None:
        for kind in ("source", "claim"):
            wanted = {ident for k, ident, _ in refs if k == kind} - self.known[kind]
            if not wanted:
                continue
            self.known[kind] |= repo.existing_ids(self.conn, kind, wanted)
            for k, ident, where in refs:
                if k == kind and ident not in self.known[kind]:
                    raise _reject(where, f"{kind} {ident!r} is not in the database; import the "
                                         "claims (or records) that hold it first")

    # -- sources and claims -------------------------------------------------------------------
    def claims(self, bundle: ClaimsBundle) -> None:
        where, source = bundle.where, bundle.source
        if source is not None:
            found = repo.sources(self.conn, [source.id])
            if found:
                compare(where, "source.", source, found[0])
                self.report.unchanged["sources"] += 1
            else:
                repo.add(self.conn, [source], self.now)
                self.report.added["sources"] += 1
            self.known["source"].add(source.id)
        known = {c.id: c for c in repo.claims(self.conn, ids=[c.id for c, _, _ in
                                                              bundle.claims])}
        for i, (claim, grades, statuses) in enumerate(bundle.claims):
            at = f"claims[{i}]."
            stored = known.get(claim.id)
            if stored is not None:
                compare(where, at, claim, stored)
                self.report.unchanged["claims"] += 1
                old_grades, old_statuses = stored.grades, stored.statuses
            else:
                repo.add(self.conn, [claim], self.now)
                self.report.added["claims"] += 1
                old_grades, old_statuses = [], []
            self.known["claim"].add(claim.id)
            for j, (grade, was) in enumerate(zip(grades, old_grades, strict=False)):
                compare(where, f"{at}grades[{j}].", grade, was, skip=("claim_id",))
            for j, (status, had) in enumerate(zip(statuses, old_statuses, strict=False)):
                compare(where, f"{at}statuses[{j}].", status, had, skip=("claim_id",))
            repo.add(self.conn, grades[len(old_grades):], self.now)
            repo.add(self.conn, statuses[len(old_statuses):], self.now)
            self.report.added["grades"] += max(len(grades) - len(old_grades), 0)
            self.report.added["status changes"] += max(len(statuses) - len(old_statuses), 0)
