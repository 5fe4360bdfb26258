"""The questions as the web pages show them: a searchable, filtered, sorted list one page at a
time, and one question with what the viewer may see of its crowd.

Both read only what the page shows (one page of questions, one question's forecasts) through
the store's indexes, and ask `repository.hidden_questions` about exactly those questions, so a
page costs the same in a workspace of a hundred questions or of ten thousand. Other forecasters'
numbers, rationales and counts appear only where the crowd is visible to the viewer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from forethought.domain.records import Claim, Forecast, Question, QuestionView, Resolution
from forethought.domain.timeparse import utcnow
from forethought.errors import Forbidden, InvalidInput, NotFound
from forethought.services.chart_cache import cache_for, plain
from forethought.services.permissions import require_resolver
from forethought.store import codec
from forethought.store import repository as repo
from forethought.store.engine import Connection, Store

PER_PAGE = 50
STATUSES = ("open", "due", "resolved")
SORTS = {"resolve-by": "q.resolve_by, q.id", "newest": "q.opened_at DESC, q.id",
         "title": "q.title, q.id", "resolve-by-last": "q.resolve_by DESC, q.id"}
CLI = "(command line)"  # "asked by" for questions written without an account


@dataclass(frozen=True)
class Filters:
    text: str | None = None
    status: str | None = None
    tag: str | None = None
    asked_by: str | None = None
    source: str | None = None
    sort: str = "resolve-by"
    page: int = 1


@dataclass(frozen=True)
class Line:
    id: str
    title: str
    type: str
    resolve_by: date
    opened_at: datetime
    tags: list[str]
    status: str                   # open, due or resolved
    outcome: str | None
    asked_by: str | None
    forecasters: int | None       # None: the crowd is hidden from the viewer
    mine: float | dict[str, float] | None


@dataclass
class QuestionList:
    lines: list[Line]
    total: int
    filters: Filters
    tags: list[str] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    askers: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def check_filters(filters: Filters) -> Filters:
    if filters.status is not None and filters.status not in STATUSES:
        raise InvalidInput(f"status {filters.status!r}: choose one of {', '.join(STATUSES)}")
    if filters.sort not in SORTS:
        raise InvalidInput(f"sort {filters.sort!r}: choose one of {', '.join(SORTS)}")
    if not 1 <= filters.page <= 1_000_000:
        raise InvalidInput("page: give a number from 1")
    return filters


def find_questions(store: Store, filters: Filters, *, now: datetime | None = None
                   ) -> QuestionList:
    """One page of the questions matching ``filters``, with the choices the filters offer."""
    check_filters(filters)
    today = (now or utcnow()).date()
    with store.read() as conn:
        where, params = _where(conn, filters, today)
        total = int(conn.scalar(f"SELECT COUNT(*) FROM questions q {where}", params))
        offset = (filters.page - 1) * PER_PAGE
        rows = conn.rows(f"SELECT q.id, q.title, q.type, q.resolve_by, q.opened_at FROM "
                         f"questions q {where} ORDER BY {SORTS[filters.sort]} "
                         f"LIMIT {PER_PAGE} OFFSET {offset}", params)
        lines = _lines(conn, rows, today)
        tags = [r[0] for r in conn.rows("SELECT DISTINCT tag FROM question_tags ORDER BY tag")]
        sources = [(s.id, s.title) for s in repo.sources(conn)]
        askers = [r[0] for r in conn.rows("SELECT name FROM accounts ORDER BY name")]
    return QuestionList(lines, total, filters, tags, sources, [*askers, CLI])


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(conn: Connection, f: Filters, today: date) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if f.text and f.text.strip():
        clauses.append("(LOWER(q.title) LIKE ? ESCAPE '\\' OR "
                       "LOWER(COALESCE(q.criteria, '')) LIKE ? ESCAPE '\\')")
        params += [_like(f.text.strip())] * 2
    resolved = "EXISTS (SELECT 1 FROM resolutions r WHERE r.question_id = q.id)"
    if f.status == "resolved":
        clauses.append(resolved)
    elif f.status in ("open", "due"):
        clauses.append("NOT " + resolved)
        if f.status == "due":
            clauses.append("q.resolve_by <= ?")
            params.append(codec.to_db("date", today, conn.sqlite))
    if f.tag:
        clauses.append("EXISTS (SELECT 1 FROM question_tags t WHERE t.question_id = q.id "
                       "AND t.tag = ?)")
        params.append(f.tag)
    if f.asked_by:
        clauses.append(asked_by_clause(f.asked_by == CLI))
        if f.asked_by != CLI:
            params.append(f.asked_by)
    if f.source:
        clauses.append("q.source_id = ?")
        params.append(f.source)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def asked_by_clause(command_line: bool = False) -> str:
    """SQL: question ``q`` was asked by the account given as the next parameter (or, with
    ``command_line``, by no account). The ledger entry that created the question names its
    author; an EXISTS on the entity index (an ``ORDER BY seq LIMIT 1`` subquery tempts
    PostgreSQL into walking the whole ledger in seq order)."""
    created = ("SELECT 1 FROM ledger l WHERE l.entity = 'question:' || q.id AND "
               "l.kind = 'question' AND l.author ")
    return f"NOT EXISTS ({created}IS NOT NULL)" if command_line else f"EXISTS ({created}= ?)"


def _lines(conn: Connection, rows: list[tuple], today: date) -> list[Line]:
    ids = [r[0] for r in rows]
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    tags: dict[str, list[str]] = {}
    for qid, tag in conn.rows(f"SELECT question_id, tag FROM question_tags WHERE question_id "
                              f"IN ({marks}) ORDER BY tag", ids):
        tags.setdefault(qid, []).append(tag)
    outcomes = dict(conn.rows(f"SELECT question_id, outcome FROM resolutions WHERE question_id "
                              f"IN ({marks}) ORDER BY id", ids))
    authors = {entity.split(":", 1)[1]: author for entity, author in conn.rows(
        f"SELECT entity, author FROM ledger WHERE entity IN ({marks}) AND kind = 'question'",
        [f"question:{i}" for i in ids])}
    hidden = repo.hidden_questions(conn, among=ids)
    counts = dict(conn.rows(f"SELECT question_id, COUNT(DISTINCT forecaster) FROM forecasts "
                            f"WHERE question_id IN ({marks}) GROUP BY question_id", ids))
    mine: dict[str, Any] = {}
    if conn.viewer is not None:
        for qid, p, dist in conn.rows(
                f"SELECT question_id, probability, distribution FROM forecasts WHERE "
                f"question_id IN ({marks}) AND forecaster = ? ORDER BY made_at, id",
                [*ids, conn.viewer]):
            mine[qid] = p if dist is None else codec.from_db("json", dist)
    out = []
    for qid, title, kind, resolve_by, opened in rows:
        day = codec.from_db("date", resolve_by)
        outcome = outcomes.get(qid)
        status = "resolved" if outcome is not None else "due" if day <= today else "open"
        out.append(Line(qid, title, kind, day, codec.from_db("time", opened), tags.get(qid, []),
                        status, outcome, authors.get(qid),
                        None if qid in hidden else int(counts.get(qid, 0)), mine.get(qid)))
    return out


# ---- one question ----------------------------------------------------------------------------

@dataclass
class QuestionPage:
    question: Question
    asked_by: str | None
    resolutions: list[Resolution]
    authors: dict[str, str]            # ledger entity → account, where one wrote it
    mine: list[Forecast]               # the viewer's own forecasts, oldest first
    crowd_visible: bool
    everyone: list[Forecast]           # every forecast the viewer may see, oldest first
    standing: list[Forecast]           # each visible forecaster's latest, by forecaster
    median: float | dict[str, float] | None
    can_forecast: bool
    can_resolve: bool
    claims: dict[str, Claim]           # claims the question and its forecasts cite
    chart_key: str | None              # names the history chart (None: nothing to draw)

    @property
    def resolution(self) -> Resolution | None:
        return self.resolutions[-1] if self.resolutions else None


def question_page(store: Store, question_id: str, *, now: datetime | None = None
                  ) -> QuestionPage:
    """One question with the forecasts the viewer may see: their own always; everyone's, the
    crowd median and the history chart once the question's visibility rule lets them."""
    now = now or utcnow()
    with store.read() as conn:
        qid = repo.find_question_id(conn, question_id)
        question = repo.questions(conn, [qid])[0]
        resolutions = repo.resolutions(conn, [qid])
        visible = repo.forecasts(conn, qid)  # the store leaves out what the viewer may not see
        me = store.actor.name if store.actor is not None else None
        # someone else's forecast among them: the crowd is visible; else ask the store's rule
        hidden = not any(f.forecaster != me for f in visible) and bool(
            repo.hidden_questions(conn, now.date(), among=[qid]))
        entities = [f"question:{qid}"] + [f"resolution:{r.id}" for r in resolutions]
        authors = repo.authors(conn, entities)
        asked_by = authors.get(f"question:{qid}")  # the entry that created it names its author
        can_resolve = _may_resolve(store, conn, qid, asked_by)
        cited = sorted({c for f in visible for c in f.claims} | set(question.claims))
        claims = {c.id: c for c in repo.claims(conn, ids=cited)} if cited else {}
    actor = store.actor
    annulled = bool(resolutions) and resolutions[-1].outcome == "annulled"
    # a forecast after the outcome is kept but never scored: the page offers none (the API
    # and the command line still take one)
    standing = _standing(visible) if not hidden else []
    key = None
    if visible and not hidden:
        last = resolutions[-1].id if resolutions else 0
        key = "|".join(map(str, ("history", store.url, qid, len(visible),
                                 max(f.id for f in visible), last,
                                 "" if resolutions else now.date())))
    return QuestionPage(
        question=question, asked_by=asked_by, resolutions=resolutions, authors=authors,
        mine=[f for f in visible if f.forecaster == me], crowd_visible=not hidden,
        everyone=visible if not hidden else [], standing=standing,
        median=_median(standing, question) if standing else None,
        can_forecast=not resolutions and (actor is None or actor.can_write),
        can_resolve=can_resolve and not annulled, claims=claims, chart_key=key)


def _may_resolve(store: Store, conn: Connection, qid: str, asked_by: str | None) -> bool:
    actor = store.actor
    if actor is not None and not actor.at_least("resolver") and asked_by != actor.name:
        return False  # only a resolver, or the author where the workspace allows it
    try:
        require_resolver(store, conn, qid)
    except Forbidden:
        return False
    return True


def _standing(forecasts: list[Forecast]) -> list[Forecast]:
    latest: dict[str, Forecast] = {}
    for f in forecasts:  # oldest first: the last one stands
        latest[f.forecaster] = f
    return [latest[name] for name in sorted(latest, key=str.casefold)]


def _median(standing: list[Forecast], question: Question) -> float | dict[str, float] | None:
    """The median of the standing forecasts; per option for multiple choice, renormalised to
    sum to 1 (as the crowd line of the history chart)."""
    from statistics import median

    if question.type != "multiple":
        values = [f.probability for f in standing if f.probability is not None]
        return median(values) if values else None
    per = {o: median((f.distribution or {}).get(o, 0.0) for f in standing)
           for o in question.options}
    total = sum(per.values())
    return {o: v / total for o, v in per.items()} if total > 0 else None


def history_chart(store: Store, question_id: str, *, now: datetime | None = None) -> Path:
    """The history chart of a question whose crowd the viewer may see (NotFound otherwise), as
    a PNG in the chart cache: drawn once per change of its forecasts, resolution or day."""
    from forethought.charts import plot_history, save_figure
    from forethought.services.charts import history_inputs

    now = now or utcnow()
    page = question_page(store, question_id, now=now)
    if page.chart_key is None:
        raise NotFound("no history chart for this question: it has no forecasts you may see "
                       "yet")
    view = QuestionView(question=page.question, forecasts=page.everyone,
                        resolutions=page.resolutions)

    def draw(out: Path) -> None:
        inputs = history_inputs(view, now=now)
        assert inputs is not None
        data = inputs.pop("forecasts")
        data["forecaster"] = data["forecaster"].map(plain)
        inputs["title"] = plain(inputs["title"])
        if inputs.get("forecaster"):
            inputs["forecaster"] = plain(inputs["forecaster"])
        save_figure(plot_history(data, **inputs), out, dpi=100)

    return cache_for(store).get_or_draw(page.chart_key, draw)
