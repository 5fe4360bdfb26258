"""The authorization matrix: every route × every role (and no account) × (own object /
someone else's) → the status it must answer. The table is checked against the app's own route
table, so a route added without an entry here fails this test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

CALLERS = ("anonymous", "viewer", "forecaster", "resolver", "admin")
WRITERS = {"forecaster", "resolver", "admin"}


@dataclass
class World:
    """Objects made fresh for one call: a question asked by the caller (own) or by someone
    else, a source, and a token of the caller's or someone else's."""

    team: Any
    caller: str
    own: bool

    def owner(self) -> str:
        if self.own and self.caller != "anonymous":
            return self.caller
        return "forecaster2" if self.caller != "forecaster2" else "admin"

    def question(self) -> str:
        who = self.owner()
        if who == "viewer":  # a viewer asks nothing; its "own" question is someone else's
            who = "forecaster2"
        r = self.team.client(who).post("/api/questions", json={
            "title": "A question", "resolve_by": "in 20 days", "opened": "5 days ago"})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def token(self) -> int:
        r = self.team.client(self.owner()).post("/api/tokens", json={"label": "t"})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def source(self) -> str:
        r = self.team.client("admin").post("/api/sources", json={"title": "A source"})
        return r.json()["id"]


Request = tuple[str, str, dict[str, Any]]


def _ask(w: World) -> Request:
    return "post", "/api/questions", {"json": {"title": "Asked", "resolve_by": "in 9 days"}}


def _forecast(w: World) -> Request:
    return "post", f"/api/questions/{w.question()}/forecasts", {"json": {"probability": "60%"}}


def _resolve(w: World) -> Request:
    return "post", f"/api/questions/{w.question()}/resolutions", {"json": {"outcome": "no"}}


def _token_for(w: World) -> Request:
    return "post", "/api/tokens", {"json": {"user": w.owner(), "label": "x"}}


def _writer(created: int) -> Callable[[str, bool], int]:
    return lambda role, own: created if role in WRITERS else 403


def _resolver(role: str, own: bool) -> int:
    if role in ("resolver", "admin"):
        return 201
    return 201 if role == "forecaster" and own else 403  # author-or-resolver (the default)


def _owner_or_admin(ok: int) -> Callable[[str, bool], int]:
    return lambda role, own: ok if own or role == "admin" else 403


ANYONE: Callable[[str, bool], int] = lambda role, own: 200  # noqa: E731
# (method, path) → (request builder, expected status for a logged-in caller of role, own)
MATRIX: dict[tuple[str, str], tuple[Callable[[World], Request], Callable[[str, bool], int]]] = {
    ("GET", "/api/me"): (lambda w: ("get", "/api/me", {}), ANYONE),
    ("POST", "/api/logout"): (lambda w: ("post", "/api/logout", {}), ANYONE),
    ("GET", "/api/questions"): (lambda w: ("get", "/api/questions", {}), ANYONE),
    ("POST", "/api/questions"): (_ask, _writer(201)),
    ("GET", "/api/questions/{question_id}"): (
        lambda w: ("get", f"/api/questions/{w.question()}", {}), ANYONE),
    ("POST", "/api/questions/{question_id}/forecasts"): (_forecast, _writer(201)),
    ("POST", "/api/questions/{question_id}/resolutions"): (_resolve, _resolver),
    ("GET", "/api/sources"): (lambda w: ("get", "/api/sources", {}), ANYONE),
    ("POST", "/api/sources"): (
        lambda w: ("post", "/api/sources", {"json": {"title": "Wire"}}), _writer(201)),
    ("GET", "/api/sources/{source_id}"): (
        lambda w: ("get", f"/api/sources/{w.source()}", {}), ANYONE),
    ("GET", "/api/claims"): (lambda w: ("get", "/api/claims", {}), ANYONE),
    ("POST", "/api/claims"): (
        lambda w: ("post", "/api/claims", {"json": {"text": "It happened."}}), _writer(201)),
    ("GET", "/api/score"): (lambda w: ("get", "/api/score", {}), ANYONE),
    ("GET", "/api/calibration"): (lambda w: ("get", "/api/calibration", {}), ANYONE),
    ("GET", "/api/ledger/head"): (lambda w: ("get", "/api/ledger/head", {}), ANYONE),
    ("POST", "/api/verify"): (lambda w: ("post", "/api/verify", {"json": {}}),
                              lambda role, own: 200 if role == "admin" else 403),
    ("GET", "/api/tokens"): (lambda w: ("get", "/api/tokens", {"params": {
        "user": w.owner()}}), _owner_or_admin(200)),
    ("POST", "/api/tokens"): (_token_for, _owner_or_admin(201)),
    ("DELETE", "/api/tokens/{token_id}"): (
        lambda w: ("delete", f"/api/tokens/{w.token()}", {}), _owner_or_admin(200)),
}
PUBLIC = {("POST", "/api/login")}  # tested in test_api.py


def api_routes(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every API route, from the schema FastAPI generates from the app's
    route table (no API route is left out of the schema)."""
    return {(method.upper(), path) for path, methods in app.openapi()["paths"].items()
            if path.startswith("/api") for method in methods}


def test_every_route_has_an_entry(module_team):
    assert api_routes(module_team.app) == set(MATRIX) | PUBLIC


CASES = [(route, caller, own) for route in MATRIX for caller in CALLERS
         for own in ((True, False) if caller != "anonymous" else (True,))]


@pytest.mark.parametrize(("route", "caller", "own"), CASES,
                         ids=[f"{m} {p} {c} {'own' if o else 'other'}"
                              for (m, p), c, o in CASES])
def test_the_matrix(module_team, route, caller, own):
    team = module_team
    build, expected = MATRIX[route]
    method, path, kwargs = build(World(team, caller, own))
    client = team.client(None if caller == "anonymous" else caller)
    r = getattr(client, method)(path, **kwargs)
    want = 401 if caller == "anonymous" else expected(caller, own)
    assert r.status_code == want, (route, caller, own, r.text)
    if r.status_code >= 400:
        assert set(r.json()) == {"error", "detail"}
