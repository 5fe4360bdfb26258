"""The team server: one ASGI app (FastAPI on Starlette, served by uvicorn) over the services.

``forethought serve`` runs :func:`create_app` in one or more uvicorn workers; the database is
the workspace's (SQLite, the embedded default) or a PostgreSQL URL (several workers or machines
in front of one database). Every error is JSON ``{"error": …, "detail": …}`` with its status —
400 malformed, 401 who are you, 403 not allowed, 404 not found, 409 conflicts with what is
recorded, 413 too large, 422 not valid, 429 too many failed logins, 503 the database — never a
traceback.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from forethought import __version__
from forethought.errors import (
    AlreadyExists,
    AlreadyResolved,
    AmbiguousPrefix,
    DatabaseError,
    Forbidden,
    ForethoughtError,
    NotFound,
    QuestionClosed,
    TooManyRequests,
    Unauthorized,
)

ENV_URL = "FORETHOUGHT_SERVE_DB"
ENV_TLS = "FORETHOUGHT_SERVE_TLS"
STATUS: list[tuple[type[ForethoughtError], int, str]] = [
    (Unauthorized, 401, "unauthorized"), (Forbidden, 403, "forbidden"),
    (NotFound, 404, "not found"), (AmbiguousPrefix, 400, "ambiguous"),
    (AlreadyExists, 409, "conflict"), (AlreadyResolved, 409, "conflict"),
    (QuestionClosed, 409, "conflict"), (TooManyRequests, 429, "too many requests"),
    (DatabaseError, 503, "database unavailable"),
]


def status_of(exc: ForethoughtError) -> tuple[int, str]:
    for kind, status, label in STATUS:
        if isinstance(exc, kind):
            return status, label
    return 422, "invalid"


def error(status: int, label: str, detail: Any, headers: dict[str, str] | None = None
          ) -> JSONResponse:
    return JSONResponse({"error": label, "detail": detail}, status, headers=headers)


def create_app(url: str | None = None, *, tls: bool | None = None) -> FastAPI:
    """The app for the database at ``url`` (default: $FORETHOUGHT_SERVE_DB, set by
    `forethought serve` for its workers). ``tls``: behind HTTPS (Secure cookies, HSTS)."""
    from starlette.staticfiles import StaticFiles

    from forethought.server import api, pages, pages_more
    from forethought.server.render import STATIC
    from forethought.server.security import BodyLimit, security_headers
    from forethought.services.workspace import open_store

    target = url or os.environ.get(ENV_URL)
    if not target:
        raise DatabaseError("no database to serve: run `forethought serve` in a workspace")
    tls = bool(os.environ.get(ENV_TLS)) if tls is None else tls
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.store.dispose()

    app = FastAPI(title="forethought", version=__version__, lifespan=lifespan,
                  description="Claims, forecasts and outcomes, scored honestly, on a hash-"
                              "chained ledger. Authenticate with `POST /api/login` (session "
                              "cookie + CSRF token) or `Authorization: Bearer <token>`.")
    app.state.store = open_store(target)
    app.state.tls = tls
    app.add_middleware(BodyLimit)
    app.middleware("http")(security_headers(tls))
    _handlers(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(pages_more.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def _handlers(app: FastAPI) -> None:
    """Errors as JSON for the API, as a page (or the login page) for the web pages."""
    from forethought.server.pages import error_page, is_page

    @app.exception_handler(ForethoughtError)
    async def known(request: Request, exc: ForethoughtError) -> Response:
        status, label = status_of(exc)
        if is_page(request):
            return error_page(request, status, str(exc))
        headers = ({"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests)
                   else {"WWW-Authenticate": "Bearer"} if status == 401 else None)
        return error(status, label, str(exc), headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if is_page(request):
            return error_page(request, 422, "the address is not valid: " + "; ".join(
                f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg', '')}"
                for e in exc.errors()))
        problems = [{"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"),
                     "problem": str(e.get("msg", ""))} for e in exc.errors()]
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            return error(400, "malformed", "the request body is not valid JSON")
        return error(422, "invalid", problems)

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, exc: StarletteHTTPException) -> Response:
        if is_page(request):
            return error_page(request, exc.status_code, "there is no page here" if
                              exc.status_code == 404 else str(exc.detail))
        return error(exc.status_code, str(exc.detail).lower(), str(exc.detail))
