"""Questions, forecasts and resolutions: ask, forecast, predict, resolve, list, show, due."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from forethought.domain.choices import TRUST_LEVELS
from forethought.domain.ids import check_slug, title_slug
from forethought.domain.inputs import NewForecast, NewQuestion, NewResolution, build
from forethought.domain.names import Lookalikes, lookalike_message
from forethought.domain.probability import (
    in_option_order,
    parse_distribution,
    parse_probability,
)
from forethought.domain.records import (
    SPECIAL_OUTCOMES,
    Forecast,
    Question,
    QuestionView,
    Resolution,
    Standing,
    in_option_order_all,
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
from forethought.services.accounts import read_settings
from forethought.services.permissions import require, require_resolver, require_self
from forethought.services.workspace import check_forecaster
from forethought.store import repository as repo
from forethought.store.engine import Connection, Store

Warn = Callable[[str], None]  # hears what was accepted but deserves a word


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
        visibility: str | None = None, now: datetime | None = None,
        warn: Warn | None = None) -> Question:
    """Record a new question. ``resolve_by`` is a calendar date; the question closes at the end
    of that day (UTC). ``opened`` backdates when the question was opened (history typed in).
    ``visibility``: who sees others' forecasts before it resolves (``open``, ``until-forecast``,
    ``until:YYYY-MM-DD``); default: ``open`` from the command line, the workspace's setting
    (``until-forecast`` unless changed) on the team server. ``warn`` hears what was accepted
    but deserves a word (the same title asked before)."""
    require(store, "forecaster", "ask questions")
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

    def work(conn: Connection) -> tuple[Question, list[str]]:
        if source_id is not None and not repo.sources(conn, [source_id]):
            raise SourceNotFound(f"no source with id {source_id!r}; run `forethought source list`")
        claim_ids = _check_claims(conn, claims)
        if id is not None:
            if id in repo.existing_ids(conn, "question", [id]):
                raise AlreadyExists(f"a question with id {id!r} exists already; "
                                    "choose another --id")
            qid = id
        else:
            qid = _unique_slug(conn, title_slug(title))
        rule = visibility or ("open" if store.actor is None
                              else read_settings(conn)["visibility"])
        new = build(NewQuestion, id=qid, title=title, resolve_by=day, opened_at=opened_at,
                    visibility=rule,
                    type="multiple" if options else "binary", options=tuple(options),
                    criteria=_clean(criteria, "criteria"),
                    fine_print=_clean(fine_print, "fine print"), source_id=source_id,
                    span_start=span[0] if span else None, span_end=span[1] if span else None,
                    condition=condition, tags=tuple(tag_list), claims=tuple(claim_ids))
        repo.add(conn, [new], now)
        return repo.questions(conn, [qid])[0], _same_title(conn, title, qid)

    q, notes = store.write(work)
    _tell(warn, notes)
    return q


def _tell(warn: Warn | None, notes: list[str]) -> None:
    if warn is None:
        return
    for text in notes:
        warn(text)


def _same_title(conn: Connection, title: str, qid: str) -> list[str]:
    """A word when ``title`` was asked before (ignoring case and spacing)."""
    def key(text: str) -> str:
        return " ".join(text.casefold().split())

    # the same title makes the same id, so the twins are among "<slug>" and "<slug>-<n>"
    family = re.compile(rf"{re.escape(title_slug(title))}(?:-\d+)?")
    ids = [i for i in repo.question_ids(conn) if i != qid and family.fullmatch(i)]
    twins = [q.id for q in repo.questions(conn, ids) if key(q.title) == key(title)]
    if not twins:
        return []
    return [f"a question with this title exists already ({', '.join(sorted(twins))}); asked "
            f"anyway as {qid!r}. To forecast the earlier one, use `forethought forecast "
            f"{sorted(twins)[0]} …`"]


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
             source_id: str | None = None, now: datetime | None = None,
             warn: Warn | None = None) -> Forecast:
    """Record one forecast. ``at`` backdates made_at; recorded_at (and the ledger) is now.
    ``warn`` hears when the forecast is kept but will never be scored (its question is
    resolved already)."""
    now = now or utcnow()
    forecaster = check_forecaster(forecaster)
    require_self(store, forecaster)
    made_at = parse_when(at, now) if at is not None else now
    if made_at > now:
        raise InvalidInput(
            f"--at {made_at:%Y-%m-%d %H:%M} UTC is in the future; a forecast is dated when it "
            "was made"
        )

    def work(conn: Connection) -> tuple[Forecast, list[str]]:
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
        if made_at < q.opened_at:
            raise InvalidInput(_before_opening(q, made_at, at is not None))
        problem = forecast_problem(q, new, now)
        if problem is not None:
            raise InvalidInput(f"{problem}; check --at")
        refuse_lookalike(conn, new.forecaster)
        (fid,) = repo.add(conn, [new], now)
        notes = []
        if latest:
            last = latest[-1]
            notes.append(f"question {qid!r} is already resolved ({last.outcome}, known "
                         f"{last.known_at:%Y-%m-%d %H:%M} UTC): this forecast is recorded but "
                         "will not be scored, since it was recorded after the outcome")
        # built from the input just written: re-reading the question's forecasts under the
        # write lock made concurrent forecasting quadratic
        return Forecast(id=fid, recorded_at=now, **{
            k: v for k, v in new.__dict__.items() if k != "recorded_at"}), notes

    f, notes = store.write(work)
    _tell(warn, notes)
    return f


def _before_opening(q: Question, made_at: datetime, backdated: bool) -> str:
    """Why a forecast cannot predate its question, and what to do instead."""
    when = "--at " if backdated else "the forecast "
    opened = ("when it was asked, without --opened" if q.opened_at == q.recorded_at
              else "its --opened date")
    return (f"{when}{made_at:%Y-%m-%d %H:%M} UTC is before question {q.id!r} opened "
            f"({q.opened_at:%Y-%m-%d %H:%M} UTC, {opened}): a question takes forecasts from "
            "its opening on, so that none is dated before its wording existed. To record "
            "forecasts made earlier, ask the question with --opened at or before the first of "
            f"them (`forethought ask \"TITLE\" --by {q.resolve_by} --opened "
            f"{made_at:%Y-%m-%d}`); a question's opening cannot be moved once asked")


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
    warn = ask_options.pop("warn", None)
    q = ask(store, title, resolve_by, now=now, warn=warn, **ask_options)
    f = forecast(store, q.id, value, forecaster=forecaster, at=at, why=why, claims=claims,
                 scale=scale, now=now, warn=warn)
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
        require_resolver(store, conn, qid)
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
    due: bool = False  # unresolved, and its resolve-by date has come

    @property
    def status(self) -> str:
        """resolved, due (past its resolve-by date and still unresolved) or open."""
        if self.resolution is not None:
            return "resolved"
        return "due" if self.due else "open"

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
            standing[f.forecaster] = f.probability if f.distribution is None else \
                in_option_order(f.distribution, q.options)
        resolution = latest.get(q.id)
        line = QuestionLine(q, resolution, len(mine), standing,
                            due=resolution is None and q.resolve_by <= today)
        if status == "open" and line.resolution is not None:
            continue
        if status == "resolved" and line.resolution is None:
            continue
        if status == "due" and not line.is_due(today):
            continue
        lines.append(line)
    return lines


def show(store: Store, question: str) -> QuestionView:
    """A question with its forecasts (distributions in the question's option order), its
    resolutions, each forecast's standing and who wrote what."""
    with store.read() as conn:
        qid = repo.find_question_id(conn, question)
        q = repo.questions(conn, [qid])[0]
        forecasts = in_option_order_all(q, repo.forecasts(conn, qid))
        resolutions = repo.resolutions(conn, [qid])
        f_written = repo.written_at(conn, "forecast", [f.id for f in forecasts])
        r_written = repo.written_at(conn, "resolution", [r.id for r in resolutions])
        entities = ([f"question:{qid}"] + [f"forecast:{f.id}" for f in forecasts]
                    + [f"resolution:{r.id}" for r in resolutions])
        return QuestionView(question=q, forecasts=forecasts, resolutions=resolutions,
                            authors=repo.authors(conn, entities),
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
