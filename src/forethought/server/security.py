"""Who is calling, and the protections every response gets.

* **Identity** (:func:`caller`, a FastAPI dependency every route but login depends on): a bearer
  token (``Authorization: Bearer ft_…``, for scripts) or the session cookie (for the pages and
  the API from a browser). Neither: 401.
* **CSRF**: a request authenticated by the session cookie that changes something must carry the
  session's CSRF token, in the form field ``csrf_token`` or the ``X-CSRF-Token`` header (the
  synchronizer-token pattern: the token is stored with the server-side session). Bearer-token
  requests carry no ambient credentials, so they need none. (starlette-csrf, the middleware
  most FastAPI projects reach for, reads the token from a header only, which a form posted with
  JavaScript off cannot send; a token tied to the server-side session needs no library.)
* **Headers** on every response: a Content-Security-Policy with no inline script and
  ``frame-ancestors 'none'``, ``X-Content-Type-Options: nosniff``, ``Referrer-Policy``,
  ``X-Frame-Options: DENY``; ``Strict-Transport-Security`` behind TLS.
* **Body limit**: a request body over MAX_BODY bytes is refused with 413 before it is read.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from forethought.domain.accounts import Actor
from forethought.errors import Forbidden, Unauthorized

if TYPE_CHECKING:
    from forethought.services.workspace import Store

COOKIE = "forethought_session"
MAX_BODY = 1_000_000  # bytes: a question, a forecast or a document of a few hundred KB
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


@dataclass(frozen=True)
class Caller:
    """The account behind a request, how it proved it, and the store it acts through."""

    actor: Actor
    store: Store
    session: str | None = None  # the session id, when the cookie authenticated the request
    csrf: str | None = None


def app_store(request: Request) -> Store:
    return request.app.state.store


async def caller(request: Request) -> Caller:
    """The authenticated caller; every route but login and the schema depends on it."""
    from starlette.concurrency import run_in_threadpool

    from forethought.services import accounts

    store = app_store(request)
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthorized("give `Authorization: Bearer <token>`")
        actor = await run_in_threadpool(accounts.actor_for_token, store, secret.strip())
        return Caller(actor, store.acting_as(actor))
    session_id = request.cookies.get(COOKIE)
    if not session_id:
        raise Unauthorized("log in first (POST /api/login), or send an API token")
    session = await run_in_threadpool(accounts.session, store, session_id)
    if request.method in UNSAFE:
        await _check_csrf(request, session.csrf)
    return Caller(session.actor, store.acting_as(session.actor), session_id, session.csrf)


async def _check_csrf(request: Request, expected: str) -> None:
    given = request.headers.get("x-csrf-token")
    if given is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    if not given or not hmac.compare_digest(given, expected):
        raise Forbidden("the form's CSRF token is missing or wrong; reload the page and try "
                        "again")


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a relative path on this site: never another host (``//evil``, ``https://…``)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


class BodyLimit:
    """Refuse a request body over ``limit`` bytes with 413, whether it says its length or
    streams it."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await _too_large(self.limit)(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge()
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _too_large(self.limit)(scope, receive, send)


class _TooLarge(Exception):
    pass


def _too_large(limit: int) -> Response:
    return JSONResponse({"error": "payload too large",
                         "detail": f"the request body is over {limit:,} bytes"}, 413)


def security_headers(tls: bool) -> Callable[[Request, Callable[[Request], Awaitable[Response]]],
                                             Awaitable[Response]]:
    async def add(request: Request,
                  call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if tls:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response

    return add
