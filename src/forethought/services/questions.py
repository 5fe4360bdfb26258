"""Questions, forecasts and resolutions: ask, forecast, predict, resolve, list, show, due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from forethought.domain.choices import TRUST_LEVELS
from forethought.domain.ids import check_slug, slugify
from forethought.domain.inputs import NewForecast, NewQuestion, NewResolution, build
from forethought.domain.names import Lookalikes, lookalike_message
from forethought.domain.probability import parse_distribution, parse_probability
from forethought.domain.records import (
    SPECIAL_OUTCOMES,
    Forecast,
    Question,
    QuestionView,
    Resolution,
    Standing,
)
from forethought.domain.rules import (
    OutcomeTimes,
    forecast_exclusion,
    forecast_problem,
    recorded_time,
    resolution_problem,
)
from forethought.domain.scales import DEFAULT_SCALE
from forethought.domain.timeparse import parse_day, parse_when, utcnow
from forethought.errors import (
    AlreadyExists,
    AlreadyResolved,
    ClaimNotFound,
    InvalidInput,
    InvalidOutcome,
    QuestionClosed,
    SourceNotFound,
)
from forethought.services.workspace import check_forecaster
from forethought.store import repository as repo
from forethought.store.engine import Connection, Store


def _clean(text: str | None, what: str, required: bool = False) -> str | None:
    if text is None:
        if required:
            raise InvalidInput(f"{what} is required")
        return None
    text = text.strip()
    if not text:
        if required:
            raise InvalidInput(f"{what} cannot be empty")
        return None
    return text


def _check_tags(tags: Sequence[str]) -> list[str]:
    out = []
    for tag in tags:
        tag = tag.strip()
        if not tag or len(tag) > 120:
            raise InvalidInput(f"tag {tag!r} is not valid: give 1–120 characters")
        out.append(tag)
    return sorted(set(out))


def _check_options(options: Sequence[str]) -> list[str]:
    cleaned = [o.strip() for o in options]
    if not cleaned:
        return []
    if len(cleaned) < 2:
        raise InvalidInput("a multiple-choice question needs at least two --option values")
    lowered = [o.lower() for o in cleaned]
    for o in cleaned:
        if not o:
            raise InvalidInput("an --option cannot be empty")
        if o.lower() in SPECIAL_OUTCOMES or o.lower() in ("yes", "no"):
            raise InvalidInput(f"{o!r} cannot be an option name: it is reserved for outcomes")
        if "=" in o or "," in o:
            raise InvalidInput(f"option {o!r} cannot contain '=' or ','")
    if len(set(lowered)) != len(lowered):
        raise InvalidInput("the options must differ from one another (ignoring case)")
    return cleaned


def _check_claims(conn: Connection, claim_ids: Sequence[str]) -> list[str]:
    ids = sorted(set(claim_ids))
    missing = set(ids) - repo.existing_ids(conn, "claim", ids)
    if missing:
        raise ClaimNotFound(
            f"no claim with id {', '.join(sorted(missing))}; run `forethought claim list`"
        )
    return ids


def _unique_slug(conn: Connection, base: str) -> str:
    existing = set(repo.question_ids(conn))
    if base not in existing:
        return base
    n = 2
    while f"{base}-{n}" in existing:
        n += 1
    return f"{base}-{n}"


def ask(store: Store, title: str, resolve_by: str | date, *, criteria: str | None = None,
        tags: Sequence[str] = (), options: Sequence[str] = (), id: str | None = None,
        opened: str | datetime | None = None, fine_print: str | None = None,
        source_id: str | None = None, span: tuple[int, int] | None = None,
        condition: str | None = None, claims: Sequence[str] = (),
        now: datetime | None = None) -> Question:
    """Record a new question. ``resolve_by`` is a calendar date; the question closes at the end
    of that day (UTC). ``opened`` backdates when the question was opened (history typed in)."""
    now = now or utcnow()
    title = _clean(title, "the question title", required=True) or ""
    day = parse_day(resolve_by, now)
    opened_at = parse_when(opened, now) if opened is not None else now
    if opened_at.date() > day:
        raise InvalidInput(
            f"the question opens on {opened_at.date()} but resolves by {day}; "
            "give a resolve-by date on or after the opening"
        )
    options = _check_options(options)
    tag_list = _check_tags(tags)
    if id is not None:
        check_slug(id, "question id")

    def work(conn: Connection) -> Question:
        if source_id is not None and not repo.sources(conn, [source_id]):
            raise SourceNotFound(f"no source with id {source_id!r}; run `forethought source list`")
        claim_ids = _check_claims(conn, claims)
        if id is not None:
            if id in repo.existing_ids(conn, "question", [id]):
                raise AlreadyExists(f"a question with id {id!r} exists already; "
                                    "choose another --id")
            qid = id
        else:
            qid = _unique_slug(conn, slugify(title))
        new = build(NewQuestion, id=qid, title=title, resolve_by=day, opened_at=opened_at,
                    type="multiple" if options else "binary", options=tuple(options),
                    criteria=_clean(criteria, "criteria"),
                    fine_print=_clean(fine_print, "fine print"), source_id=source_id,
                    span_start=span[0] if span else None, span_end=span[1] if span else None,
                    condition=condition, tags=tuple(tag_list), claims=tuple(claim_ids))
        repo.add(conn, [new], now)
        return repo.questions(conn, [qid])[0]

    return store.write(work)


def new_forecast(question: Question, forecaster: str, value: str, made_at: datetime, *,
                 rationale: str | None = None, scale: str = DEFAULT_SCALE,
                 source_id: str | None = None, claims: Sequence[str] = ()) -> NewForecast:
    """Parse ``value`` as people write it (``70%``, ``3:1``, ``likely``, ``A=0.5,B=0.5``) into
    a forecast on ``question``, keeping how it was entered."""
    fields: dict = {"question_id": question.id, "forecaster": forecaster, "made_at": made_at,
                    "rationale": rationale, "entered_as": value.strip(), "source_id": source_id,
                    "claims": tuple(claims)}
    if question.type == "multiple":
        fields["distribution"] = parse_distribution(value, question.options)
    else:
        parsed = parse_probability(value, scale)
        fields.update(probability=parsed.value, cue=parsed.cue, scale=parsed.scale,
                      p_low=parsed.low, p_high=parsed.high)
    return build(NewForecast, **fields)


def forecast(store: Store, question: str, value: str, *, forecaster: str,
             at: str | datetime | None = None, why: str | None = None,
             claims: Sequence[str] = (), scale: str = DEFAULT_SCALE,
             source_id: str | None = None, now: datetime | None = None) -> Forecast:
    """Record one forecast. ``at`` backdates made_at; recorded_at (and the ledger) is now."""
    now = now or utcnow()
    forecaster = check_forecaster(forecaster)
    made_at = parse_when(at, now) if at is not None else now
    if made_at > now:
        raise InvalidInput(
            f"--at {made_at:%Y-%m-%d %H:%M} UTC is in the future; a forecast is dated when it "
            "was made"
        )

    def work(conn: Connection) -> Forecast:
        qid = repo.find_question_id(conn, question)
        q = repo.questions(conn, [qid])[0]
        latest = repo.resolutions(conn, [qid])
        if latest and latest[-1].outcome == "annulled":
            raise QuestionClosed(
                f"question {qid!r} was annulled and takes no more forecasts"
            )
        claim_ids = _check_claims(conn, claims)
        new = new_forecast(q, forecaster, value, made_at, rationale=_clean(why, "rationale"),
                           scale=scale, source_id=source_id, claims=claim_ids)
        problem = forecast_problem(q, new, now)
        if problem is not None:
            raise InvalidInput(f"{problem}; check --at")
        refuse_lookalike(conn, new.forecaster)
        (fid,) = repo.add(conn, [new], now)
        # built from the input just written: re-reading the question's forecasts under the
        # write lock made concurrent forecasting quadratic
        return Forecast(id=fid, recorded_at=now, **{
            k: v for k, v in new.__dict__.items() if k != "recorded_at"})

    return store.write(work)


def refuse_lookalike(conn: Connection, name: str) -> None:
    """Refuse a new forecaster name that prints like an existing one (see domain/names.py);
    an existing name costs one index look-up."""
    if repo.forecaster_exists(conn, name):
        return
    existing = Lookalikes(repo.forecaster_names(conn)).conflict(name)
    if existing is not None:
        raise InvalidInput(lookalike_message(name, existing))


def predict(store: Store, title: str, value: str, resolve_by: str | date, *, forecaster: str,
            why: str | None = None, now: datetime | None = None,
            **ask_options) -> tuple[Question, Forecast]:
    """Ask and forecast in one step (two transactions; the question stays if the forecast is
    refused, so parse the probability first to fail before anything is written)."""
    now = now or utcnow()
    if not ask_options.get("options"):
        parse_probability(value, ask_options.get("scale", DEFAULT_SCALE))
    else:
        parse_distribution(value, _check_options(ask_options["options"]))
    scale = ask_options.pop("scale", DEFAULT_SCALE)
    at = ask_options.pop("at", None)
    claims = ask_options.get("claims", ())
    opened = ask_options.get("opened")
    if opened is None and at is not None:
        ask_options["opened"] = at
    q = ask(store, title, resolve_by, now=now, **ask_options)
    f = forecast(store, q.id, value, forecaster=forecaster, at=at, why=why, claims=claims,
                 scale=scale, now=now)
    return q, f


def resolve(store: Store, question: str, outcome: str, *, known_at: str | datetime | None = None,
            note: str | None = None, evidence: Sequence[str] = (), correct: str | None = None,
            now: datetime | None = None) -> Resolution:
    """Resolve a question. Resolving again is a correction and needs a reason (``correct``)."""
    now = now or utcnow()
    known = parse_when(known_at, now) if known_at is not None else now
    if known > now:
        raise InvalidInput(
            f"--known-at {known:%Y-%m-%d %H:%M} UTC is in the future; an outcome is known when "
            "it has happened"
        )

    def work(conn: Connection) -> Resolution:
        qid = repo.find_question_id(conn, question)
        q = repo.questions(conn, [qid])[0]
        value = _check_outcome(q, outcome)
        previous = repo.resolutions(conn, [qid])
        reason = _clean(correct, "the correction reason")
        if previous and reason is None:
            last = previous[-1]
            raise AlreadyResolved(
                f"question {qid!r} is already resolved as {last.outcome!r} "
                f"(known {last.known_at:%Y-%m-%d}); to change it, resolve again with "
                '--correct "why the earlier resolution was wrong"'
            )
        if not previous and reason is not None:
            raise InvalidInput(f"question {qid!r} is not resolved yet; drop --correct")
        # A correction fixes what happened, not when it became knowable: without --known-at it
        # keeps the earlier resolution's known_at, so the scored window does not move.
        when = previous[-1].known_at if previous and known_at is None else known
        new = build(NewResolution, question_id=qid, outcome=value, known_at=when,
                    note=_clean(note, "note"),
                    evidence=tuple(e.strip() for e in evidence if e.strip()), correction=reason)
        problem = resolution_problem(q, new, previous, now)
        if problem is not None:
            raise InvalidInput(f"{problem}; check --known-at")
        repo.add(conn, [new], now)
        return repo.resolutions(conn, [qid])[-1]

    return store.write(work)


def _check_outcome(q: Question, outcome: str) -> str:
    raw = outcome.strip()
    lookup = {o.lower(): o for o in q.outcomes}
    if raw.lower() not in lookup:
        raise InvalidOutcome(
            f"{raw!r} is not an outcome of question {q.id!r}; choose one of: "
            f"{', '.join(q.outcomes)}"
        )
    return lookup[raw.lower()]


# ---- reading -------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuestionLine:
    question: Question
    resolution: Resolution | None
    forecasts: int
    latest: dict[str, float | dict[str, float] | None]  # forecaster → standing forecast

    @property
    def status(self) -> str:
        if self.resolution is not None:
            return "resolved"
        return "open"

    def is_due(self, today: date) -> bool:
        return self.resolution is None and self.question.resolve_by <= today


def list_questions(store: Store, *, status: str | None = None, tag: str | None = None,
                   forecaster: str | None = None, now: datetime | None = None
                   ) -> list[QuestionLine]:
    """Questions with their latest resolution and standing forecasts.

    ``status``: None (all), "open", "resolved" or "due" (unresolved and past resolve-by)."""
    today = (now or utcnow()).date()
    with store.read() as conn:
        qs = repo.questions(conn)
        latest = repo.latest_resolutions(conn)
        fs = repo.forecasts(conn, forecaster=forecaster)
    per_q: dict[str, list[Forecast]] = {}
    for f in fs:
        per_q.setdefault(f.question_id, []).append(f)
    lines = []
    for q in qs:
        if tag is not None and tag not in q.tags:
            continue
        if forecaster is not None and q.id not in per_q:
            continue
        mine = per_q.get(q.id, [])
        standing: dict[str, float | dict[str, float] | None] = {}
        for f in mine:
            standing[f.forecaster] = f.probability if f.distribution is None else f.distribution
        line = QuestionLine(q, latest.get(q.id), len(mine), standing)
        if status == "open" and line.resolution is not None:
            continue
        if status == "resolved" and line.resolution is None:
            continue
        if status == "due" and not line.is_due(today):
            continue
        lines.append(line)
    return lines


def show(store: Store, question: str) -> QuestionView:
    """A question with its forecasts, its resolutions and each forecast's standing."""
    with store.read() as conn:
        qid = repo.find_question_id(conn, question)
        forecasts = repo.forecasts(conn, qid)
        resolutions = repo.resolutions(conn, [qid])
        f_written = repo.written_at(conn, "forecast", [f.id for f in forecasts])
        r_written = repo.written_at(conn, "resolution", [r.id for r in resolutions])
        return QuestionView(question=repo.questions(conn, [qid])[0], forecasts=forecasts,
                            resolutions=resolutions,
                            standing=standings(forecasts, resolutions, f_written, r_written))


def standings(forecasts: Sequence[Forecast], resolutions: Sequence[Resolution],
              f_written: dict[int, datetime], r_written: dict[int, datetime]
              ) -> dict[int, Standing]:
    """Each forecast's :class:`Standing` at every trust level. A row the ledger has no entry
    for (which `verify` reports) is taken at its own recorded_at."""
    out = {}
    for f in forecasts:
        written = f_written.get(f.id, f.recorded_at)
        reasons: dict[str, str | None] = {}
        for trust in TRUST_LEVELS:
            outcomes = [OutcomeTimes(r.known_at, recorded_time(
                r.recorded_at, r_written.get(r.id, r.recorded_at), trust),
                r_written.get(r.id, r.recorded_at)) for r in resolutions]
            reasons[trust] = forecast_exclusion(
                f.made_at, recorded_time(f.recorded_at, written, trust), written, outcomes)
        out[f.id] = Standing(written_at=written, imported=f.recorded_at != written,
                             not_counted=reasons)
    return out
