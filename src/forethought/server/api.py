"""The JSON API under ``/api``: one thin route per use case. Each route parses, calls ONE
service through the caller's store (``caller.store`` acts as the caller's account, so the
services check its role and the store returns only what it may see), and returns records."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from forethought.server.models import (
    AskIn,
    ClaimIn,
    ErrorOut,
    ForecastIn,
    LoginIn,
    ResolveIn,
    SourceIn,
    TokenIn,
    VerifyIn,
)
from forethought.server.security import COOKIE, Caller, app_store, caller

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text} for status, text in (
        (400, "malformed request"), (401, "no valid session or token"),
        (403, "not allowed for this account, or a missing CSRF token"), (404, "not found"),
        (409, "conflicts with what is recorded"), (413, "request body too large"),
        (422, "not valid"), (429, "too many failed logins"), (503, "database unavailable"))}
router = APIRouter(prefix="/api", responses=ERRORS)
Me = Annotated[Caller, Depends(caller)]


def _dump(record: Any) -> Any:
    return record.model_dump(mode="json") if hasattr(record, "model_dump") else record


def _plain(obj: Any) -> dict[str, Any]:
    out = dict(obj.__dict__)
    for key, value in out.items():
        if hasattr(value, "isoformat"):
            out[key] = value.isoformat()
    return out


# ---- session --------------------------------------------------------------------------------

@router.post("/login", tags=["session"])
def login(body: LoginIn, request: Request, response: Response) -> dict[str, Any]:
    """Log in: sets the HttpOnly session cookie and returns the session's CSRF token (send it as
    ``X-CSRF-Token`` with every request that changes something)."""
    from forethought.services import accounts

    address = request.client.host if request.client else "unknown"
    session = accounts.log_in(app_store(request), body.name, body.password, address)
    response.set_cookie(COOKIE, session.id, httponly=True, samesite="lax",
                        secure=request.app.state.tls, path="/",
                        max_age=accounts.SESSION_HOURS * 3600)
    return {"user": session.actor.name, "role": session.actor.role, "csrf": session.csrf}


@router.post("/logout", tags=["session"])
def logout(me: Me, response: Response) -> dict[str, Any]:
    from forethought.services import accounts

    if me.session is not None:
        accounts.log_out(me.store, me.session)
    response.delete_cookie(COOKIE, path="/")
    return {"logged_out": True}


@router.get("/me", tags=["session"])
def whoami(me: Me) -> dict[str, Any]:
    return {"user": me.actor.name, "role": me.actor.role, "read_only": me.actor.read_only}


# ---- questions, forecasts, resolutions -------------------------------------------------------

@router.get("/questions", tags=["questions"])
def list_questions(me: Me, status: Annotated[str | None, Query(
                       pattern="^(open|resolved|due)$")] = None,
                   tag: str | None = None) -> list[dict[str, Any]]:
    """Questions with their status and the standing forecasts the caller may see."""
    from forethought.services import questions

    lines = questions.list_questions(me.store, status=status, tag=tag)
    return [{**_dump(line.question), "status": line.status, "forecasts": line.forecasts,
             "standing": line.latest,
             "resolution": _dump(line.resolution) if line.resolution else None}
            for line in lines]


@router.post("/questions", status_code=201, tags=["questions"])
def ask(body: AskIn, me: Me) -> dict[str, Any]:
    from forethought.services import questions

    return _dump(questions.ask(me.store, body.title, body.resolve_by, criteria=body.criteria,
                               fine_print=body.fine_print, tags=body.tags, options=body.options,
                               opened=body.opened, visibility=body.visibility, id=body.id,
                               claims=body.claims))


@router.get("/questions/{question_id}", tags=["questions"])
def show(question_id: str, me: Me) -> dict[str, Any]:
    """One question with the forecasts the caller may see, its resolutions and who wrote
    what."""
    from forethought.services import questions

    return _dump(questions.show(me.store, question_id))


@router.post("/questions/{question_id}/forecasts", status_code=201, tags=["questions"])
def forecast(question_id: str, body: ForecastIn, me: Me) -> dict[str, Any]:
    """Forecast as yourself (there is no `as`: a forecaster forecasts as themselves only)."""
    from forethought.services import questions

    return _dump(questions.forecast(me.store, question_id, str(body.probability),
                                    forecaster=me.actor.name, at=body.at, why=body.rationale,
                                    claims=body.claims, scale=body.scale))


@router.post("/questions/{question_id}/resolutions", status_code=201, tags=["questions"])
def resolve(question_id: str, body: ResolveIn, me: Me) -> dict[str, Any]:
    from forethought.services import questions

    return _dump(questions.resolve(me.store, question_id, body.outcome,
                                   known_at=body.known_at, note=body.note,
                                   evidence=body.evidence, correct=body.correct))


# ---- sources and claims ---------------------------------------------------------------------

@router.get("/sources", tags=["sources"])
def list_sources(me: Me) -> list[dict[str, Any]]:
    from forethought.services import claims

    return [{**_dump(s.source), "claims": s.claims, "by_status": s.by_status}
            for s in claims.list_sources(me.store)]


@router.post("/sources", status_code=201, tags=["sources"])
def add_source(body: SourceIn, me: Me) -> dict[str, Any]:
    from forethought.services import claims

    return _dump(claims.add_source(me.store, title=body.title, outlet=body.outlet,
                                   author=body.author, published=body.published, url=body.url,
                                   id=body.id))


@router.get("/sources/{source_id}", tags=["sources"])
def show_source(source_id: str, me: Me) -> dict[str, Any]:
    from forethought.services import claims

    record = claims.source_record(me.store, source_id)
    return {"source": _dump(record.source), "claims": [_dump(c) for c in record.claims],
            "by_status": record.by_status, "notes": record.notes,
            "assessments": [_plain(a) for a in record.assessments]}


@router.get("/claims", tags=["sources"])
def list_claims(me: Me, source: str | None = None) -> list[dict[str, Any]]:
    from forethought.services import claims

    return [_dump(c) for c in claims.list_claims(me.store, source)]


@router.post("/claims", status_code=201, tags=["sources"])
def add_claim(body: ClaimIn, me: Me) -> dict[str, Any]:
    from forethought.services import claims

    return _dump(claims.add_claim(me.store, body.text, source=body.source,
                                  said_by=body.said_by, event_date=body.event_date))


# ---- scores ---------------------------------------------------------------------------------

@router.get("/score", tags=["scores"])
def score(me: Me, rule: Annotated[list[str] | None, Query()] = None,
          policy: str = "time-averaged", by: Annotated[list[str] | None, Query()] = None,
          brier_scale: int = 1, before_first: str = "skip", crowd: str | None = None,
          skill: str | None = None, since: str | None = None, until: str | None = None,
          tag: str | None = None, forecaster: str | None = None) -> dict[str, Any]:
    """The same JSON as `forethought score --json`, with the same options."""
    from forethought.services import scores

    rules = [r for value in (rule or ["brier", "log"]) for r in value.split(",") if r]
    keys = [b for value in (by or ["forecaster"]) for b in value.split(",") if b]
    result = scores.score(me.store, rules=rules, policy=policy, brier_scale=brier_scale,
                          by=keys, before_first=before_first, crowd=crowd, skill=skill,
                          since=since, until=until, tag=tag, forecaster=forecaster)
    return scores.score_json(result, rules, policy)


@router.get("/calibration", tags=["scores"])
def calibration(me: Me, bins: str = "10", interval: str = "wilson", level: float = 0.95,
                weighting: str = "time", forecaster: str | None = None, tag: str | None = None,
                decompose: bool = False) -> dict[str, Any]:
    """The same JSON as `forethought calibration --json`, with the same options."""
    from forethought.services import calibration as service

    series = service.workspace_series(me.store, [forecaster], weighting=weighting, tag=tag)
    result = service.calibrate(series, bins=bins, interval=interval, level=level,
                               decompose=decompose)
    return service.calibration_json(result)


# ---- integrity ------------------------------------------------------------------------------

@router.get("/ledger/head", tags=["integrity"])
def ledger_head(me: Me) -> dict[str, Any]:
    from forethought.services import integrity

    seq, digest = integrity.head(me.store)
    return {"seq": seq, "hash": digest}


@router.post("/verify", tags=["integrity"])
def verify(body: VerifyIn, me: Me) -> dict[str, Any]:
    """Re-derive the chain and every record (admins)."""
    from forethought.services import integrity

    report = integrity.verify(me.store, body.against)
    return {"ok": report.ok, "entries": report.entries, "rows": report.rows,
            "rows_by_table": report.rows_by_table, "head": {"seq": report.head_seq,
                                                            "hash": report.head_hash},
            "problems": [p.describe() for p in report.problems]}


# ---- tokens ---------------------------------------------------------------------------------

@router.get("/tokens", tags=["tokens"])
def list_tokens(me: Me, user: str | None = None) -> list[dict[str, Any]]:
    """Your tokens (admins: anyone's with `user`); never the secrets."""
    from forethought.services import accounts

    return [_plain(t) for t in accounts.list_tokens(me.store, user or me.actor.name)]


@router.post("/tokens", status_code=201, tags=["tokens"])
def create_token(body: TokenIn, me: Me) -> dict[str, Any]:
    """A new token, shown once in `token`."""
    from forethought.services import accounts

    record, secret = accounts.create_token(me.store, body.user or me.actor.name,
                                           read_only=body.read_only, label=body.label)
    return {**_plain(record), "token": secret}


@router.delete("/tokens/{token_id}", tags=["tokens"])
def revoke_token(token_id: Annotated[int, Path(ge=1, le=2**62)], me: Me) -> dict[str, Any]:
    from forethought.services import accounts

    return _plain(accounts.revoke_token(me.store, token_id))
