"""The web pages: server-rendered HTML over the same services as the JSON API.

Each route parses the request, calls ONE service through the caller's store (which acts as the
caller's account: the services check its role and the store returns only what it may see) and
renders a template. Forms post back with the session's CSRF token (checked by
``security.caller`` before a route runs); a successful post redirects (303) to the page that
shows what it wrote, a refused one shows the form again with what was typed and why it was
refused. Sources, claims, ingest, integrity and the charts are in :mod:`.pages_more`.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from forethought.domain.scales import scale_names
from forethought.errors import (
    DatabaseError,
    ForethoughtError,
    NotFound,
    TooManyRequests,
    Unauthorized,
)
from forethought.server.render import render
from forethought.server.security import COOKIE, Caller, app_store, caller, safe_next

router = APIRouter(include_in_schema=False)
Me = Annotated[Caller, Depends(caller)]
LOGIN_COOKIE = "forethought_login"  # the login form's own CSRF token (there is no session yet)
DONE = {"forecast": "Your forecast is recorded.",
        "asked": "Your question is recorded; forecast it below.",
        "resolved": "The resolution is recorded.", "revoked": "The token is revoked.",
        "ingested": "The accepted candidates are recorded.",
        "already": "This document was ingested before: nothing changed."}
TITLES = {400: "Not understood", 403: "Not allowed", 404: "Not found", 409: "Conflict",
          413: "Too large", 422: "Not valid", 429: "Too many attempts",
          503: "Database unavailable"}


def is_page(request: Request) -> bool:
    """Whether an error on this request is answered with a page (else JSON)."""
    return not request.url.path.startswith(("/api/", "/openapi", "/docs", "/redoc", "/healthz"))


def error_page(request: Request, status: int, detail: str) -> Response:
    """A refused page request: to the login page when nobody is logged in, else the reason."""
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            target = "/"
        return RedirectResponse(f"/login?next={quote(target, safe='')}", 303)
    return render(request, "error.html", status, title=TITLES.get(status, "Something went wrong"),
                  detail=detail)


def refusal(exc: ForethoughtError) -> int:
    """The status of a refused form post, shown on the form; errors no form can fix (nobody
    logged in, nothing there, the database down) go to the app's handlers instead."""
    from forethought.server.app import status_of

    if isinstance(exc, Unauthorized | NotFound | DatabaseError):
        raise exc
    return status_of(exc)[0]


async def fields(request: Request) -> FormData:
    return await request.form()


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def values(form: FormData) -> dict[str, str]:
    """What was typed, to show the form again (files and the CSRF token left out)."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


def split(value: str, separators: str = ",") -> list[str]:
    for sep in separators[1:]:
        value = value.replace(sep, separators[0])
    return [part.strip() for part in value.split(separators[0]) if part.strip()]


def done(request: Request) -> str | None:
    return DONE.get(request.query_params.get("done", ""))


# ---- session --------------------------------------------------------------------------------

def _login_form(request: Request, status: int = 200, error: str | None = None,
                name: str = "", next: str | None = None) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", status, login_token=token, error=error, name=name,
                      next=safe_next(next))
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", path="/login",
                        secure=request.app.state.tls, max_age=3600)
    return response


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return _login_form(request, next=next)


@router.post("/login")
async def login(request: Request) -> Response:
    """Log in from the form: the same throttle and the same answer for an unknown name as the
    API; the form carries a token matching its cookie, so no other site can log you in."""
    from forethought.services import accounts

    form = await fields(request)
    name, target = text(form, "name"), text(form, "next")
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, text(form, "login_token")):
        return _login_form(request, 403, "The form was stale; log in again.", name, target)
    address = request.client.host if request.client else "unknown"
    try:
        session = await run_in_threadpool(accounts.log_in, app_store(request), name,
                                          text(form, "password"), address)
    except (Unauthorized, TooManyRequests) as exc:
        response = _login_form(request, 429 if isinstance(exc, TooManyRequests) else 401,
                               str(exc).capitalize() + ".", name, target)
        if isinstance(exc, TooManyRequests):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
    response = RedirectResponse(safe_next(target), 303)
    response.set_cookie(COOKIE, session.id, httponly=True, samesite="lax", path="/",
                        secure=request.app.state.tls, max_age=accounts.SESSION_HOURS * 3600)
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(me: Me) -> Response:
    from forethought.services import accounts

    if me.session is not None:
        accounts.log_out(me.store, me.session)
    response = RedirectResponse("/login", 303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/tokens")
def tokens(request: Request, me: Me) -> Response:
    from forethought.services import accounts

    listed = accounts.list_tokens(me.store, me.actor.name)
    return render(request, "tokens.html", me=me, tokens=listed, secret=None, error=None,
                  done=done(request))


@router.post("/tokens")
async def create_token(request: Request, me: Me) -> Response:
    """A new token, shown in this response only (never stored but as its hash)."""
    from forethought.services import accounts

    form = await fields(request)
    secret, error, status = None, None, 201
    try:
        _record, secret = await run_in_threadpool(
            accounts.create_token, me.store, me.actor.name, read_only=bool(
                text(form, "read_only")), label=text(form, "label").strip() or None)
    except ForethoughtError as exc:
        error, status = str(exc), refusal(exc)
    listed = await run_in_threadpool(accounts.list_tokens, me.store, me.actor.name)
    return render(request, "tokens.html", status, me=me, tokens=listed, secret=secret,
                  error=error, done=None)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(token_id: int, me: Me) -> Response:
    from forethought.services import accounts

    accounts.revoke_token(me.store, token_id)
    return RedirectResponse("/tokens?done=revoked", 303)


# ---- the desk and the questions --------------------------------------------------------------

@router.get("/")
def desk(request: Request, me: Me) -> Response:
    from forethought.services.desk import desk as my_desk

    mine = my_desk(me.store)
    calibrated = {me.actor.name: mine.calibration} if mine.calibration is not None else {}
    return render(request, "desk.html", me=me, desk=mine, calibrated=calibrated,
                  done=done(request))


@router.get("/questions")
def questions(request: Request, me: Me) -> Response:
    from forethought.services.browse import Filters, find_questions

    q = request.query_params
    page = q.get("page", "1")
    filters = Filters(text=q.get("text") or None, status=q.get("status") or None,
                      tag=q.get("tag") or None, asked_by=q.get("asked_by") or None,
                      source=q.get("source") or None, sort=q.get("sort") or "resolve-by",
                      page=int(page) if page.isdigit() and len(page) < 8 else 0)
    result = find_questions(me.store, filters)

    def link(n: int) -> str:
        kept = {k: v for k, v in q.items() if k != "page" and v}
        return "/questions?" + urlencode({**kept, "page": n})

    return render(request, "questions.html", me=me, result=result, f=filters,
                  prev_href=link(filters.page - 1) if filters.page > 1 else None,
                  next_href=link(filters.page + 1) if filters.page < result.pages else None)


def _ask_form(request: Request, me: Caller, status: int = 200, error: str | None = None,
              form: dict[str, str] | None = None) -> Response:
    from forethought.services.accounts import settings

    return render(request, "ask.html", status, me=me, error=error, form=form or {},
                  default_visibility=settings(me.store)["visibility"])


@router.get("/ask")
def ask_form(request: Request, me: Me) -> Response:
    return _ask_form(request, me)


@router.post("/questions")
async def ask(request: Request, me: Me) -> Response:
    from forethought.services import questions as service

    form = await fields(request)
    rule = text(form, "visibility")
    if rule == "until":
        rule = f"until:{text(form, 'visible_from').strip()}"
    options = split(text(form, "options"), "\n\r") if text(form, "kind") == "multiple" else []
    try:
        asked = await run_in_threadpool(
            service.ask, me.store, text(form, "title"), text(form, "resolve_by"),
            criteria=text(form, "criteria"), fine_print=text(form, "fine_print"),
            tags=split(text(form, "tags")), options=options, visibility=rule or None)
    except ForethoughtError as exc:
        status = refusal(exc)
        return await run_in_threadpool(_ask_form, request, me, status, str(exc), values(form))
    return RedirectResponse(f"/questions/{quote(asked.id, safe='')}?done=asked", 303)


def _question(request: Request, me: Caller, question_id: str, status: int = 200,
              error: str | None = None, form: dict[str, str] | None = None) -> Response:
    from forethought.domain.timeparse import utcnow
    from forethought.services.browse import question_page

    page = question_page(me.store, question_id)
    return render(request, "question.html", status, me=me, page=page, q=page.question,
                  today=utcnow().date(), scales=scale_names(), error=error, form=form or {},
                  done=None if error else done(request))


@router.get("/questions/{question_id}")
def question(request: Request, question_id: str, me: Me) -> Response:
    return _question(request, me, question_id)


@router.get("/questions/{question_id}/forecasts")
def forecasts(request: Request, question_id: str, me: Me) -> Response:
    from forethought.services.browse import question_page

    page = question_page(me.store, question_id)
    return render(request, "forecasts.html", me=me, page=page, q=page.question)


@router.post("/questions/{question_id}/forecasts")
async def forecast(request: Request, question_id: str, me: Me) -> Response:
    """A forecast as the logged-in person (there is no "as"): a probability as the CLI takes
    it, or one per option (``p:OPTION`` fields) for a multiple-choice question."""
    from forethought.services import questions as service

    form = await fields(request)
    value = text(form, "probability") or ",".join(
        f"{k[2:]}={v.strip()}" for k, v in form.items()
        if k.startswith("p:") and isinstance(v, str) and v.strip())
    try:
        made = await run_in_threadpool(
            service.forecast, me.store, question_id, value, forecaster=me.actor.name,
            why=text(form, "rationale"), claims=split(text(form, "claims")),
            scale=text(form, "scale") or "icd203")
    except ForethoughtError as exc:
        status = refusal(exc)
        return await run_in_threadpool(_question, request, me, question_id, status, str(exc),
                                       values(form))
    return RedirectResponse(f"/questions/{quote(made.question_id, safe='')}?done=forecast#mine",
                            303)


@router.post("/questions/{question_id}/resolutions")
async def resolve(request: Request, question_id: str, me: Me) -> Response:
    from forethought.services import questions as service

    form = await fields(request)
    known: Any = text(form, "known_at").strip() or None
    try:
        done_ = await run_in_threadpool(
            service.resolve, me.store, question_id, text(form, "outcome"), known_at=known,
            note=text(form, "note"), evidence=split(text(form, "evidence"), "\n\r"),
            correct=text(form, "correct") or None)
    except ForethoughtError as exc:
        status = refusal(exc)
        return await run_in_threadpool(_question, request, me, question_id, status, str(exc),
                                       values(form))
    return RedirectResponse(f"/questions/{quote(done_.question_id, safe='')}?done=resolved",
                            303)
