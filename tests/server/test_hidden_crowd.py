"""The crowd stays hidden until you have committed: a user who has not forecast a question
calls every readable route and finds no other forecaster's number, rationale or aggregate; once
they forecast (or the question resolves, or its date passes) the crowd appears."""

from __future__ import annotations

import json

import pytest

SECRET_P = "0.8317"
SECRET_WHY = "SECRET-RATIONALE-7f3a"


def _get_routes(app) -> list[str]:
    return sorted(path for path, methods in app.openapi()["paths"].items()
                  if path.startswith("/api") and "get" in methods)


def _fill(path: str, question: str, source: str) -> str:
    return path.replace("{question_id}", question).replace("{source_id}", source)


def _everything(client, app, question: str, source: str) -> str:
    """Every GET route (with the crowd and everyone's scores asked for where a route can),
    concatenated."""
    texts = []
    for path in _get_routes(app):
        url = _fill(path, question, source)
        params = {}
        if path == "/api/score":
            params = {"crowd": "median", "rule": "brier,log,peer", "by": "forecaster,source"}
        r = client.get(url, params=params)
        assert r.status_code == 200, (url, r.text)
        texts.append(r.text)
    return "\n".join(texts)


@pytest.fixture
def hidden(team):
    """A question asked on the server (until-forecast) and a forecast on it by forecaster2 with
    a distinctive probability and rationale, linked to a source."""
    other = team.client("forecaster2")
    source = other.post("/api/sources", json={"title": "A wire story"}).json()["id"]
    q = other.post("/api/questions", json={"title": "Will the treaty be signed?",
                                           "resolve_by": "in 30 days",
                                           "opened": "3 days ago"}).json()["id"]
    r = other.post(f"/api/questions/{q}/forecasts", json={"probability": SECRET_P,
                                                          "rationale": SECRET_WHY})
    assert r.status_code == 201, r.text
    return q, source


def test_nothing_leaks_before_you_forecast(team, hidden):
    q, source = hidden
    me = team.client("forecaster")
    seen = _everything(me, team.app, q, source)
    for secret in (SECRET_P, "83.17", SECRET_WHY):
        assert secret not in seen
    shown = me.get(f"/api/questions/{q}").json()
    assert shown["forecasts"] == [] and "forecaster2" not in json.dumps(shown["forecasts"])
    listed = next(x for x in me.get("/api/questions").json() if x["id"] == q)
    assert listed["standing"] == {} and listed["forecasts"] == 0
    # admins and resolvers are held to it too
    for role in ("admin", "resolver", "viewer"):
        assert SECRET_WHY not in _everything(team.client(role), team.app, q, source)


def test_the_crowd_appears_once_you_have_forecast(team, hidden):
    q, _source = hidden
    me = team.client("forecaster")
    assert me.post(f"/api/questions/{q}/forecasts", json={"probability": "40%"}
                   ).status_code == 201
    shown = me.get(f"/api/questions/{q}").json()
    assert {f["forecaster"] for f in shown["forecasts"]} == {"forecaster", "forecaster2"}
    assert SECRET_WHY in json.dumps(shown)


def test_a_resolution_lifts_it_for_everyone(team, hidden):
    q, _source = hidden
    assert team.client("resolver").post(f"/api/questions/{q}/resolutions",
                                        json={"outcome": "yes"}).status_code == 201
    shown = team.client("viewer").get(f"/api/questions/{q}").json()
    assert [f["forecaster"] for f in shown["forecasts"]] == ["forecaster2"]


def test_until_a_date_and_open_questions(team):
    other = team.client("forecaster2")
    for rule, visible in (("until:2000-01-01", True), ("until:2999-01-01", False),
                          ("open", True)):
        q = other.post("/api/questions", json={"title": f"Rule {rule}",
                                               "resolve_by": "in 30 days",
                                               "visibility": rule}).json()["id"]
        other.post(f"/api/questions/{q}/forecasts", json={"probability": SECRET_P})
        shown = team.client("forecaster").get(f"/api/questions/{q}").json()
        assert bool(shown["forecasts"]) is visible, rule
    bad = other.post("/api/questions", json={"title": "Bad rule", "resolve_by": "in 9 days",
                                             "visibility": "sometimes"})
    assert bad.status_code == 422
