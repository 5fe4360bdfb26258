"""The JSON API on both backends: the whole loop, the JSON errors, and bad input refused with a
clear 4xx and an unchanged database."""

from __future__ import annotations

import pytest
from tests.helpers import db_fingerprint


def test_ask_forecast_resolve_and_score(team):
    fred, rita = team.client("forecaster"), team.client("resolver")
    r = fred.post("/api/questions", json={"title": "Will the bridge open?",
                                          "resolve_by": "in 30 days", "opened": "10 days ago",
                                          "tags": ["infra"], "criteria": "The city says so"})
    assert r.status_code == 201, r.text
    qid = r.json()["id"]
    assert r.json()["visibility"] == "until-forecast"  # the server's default
    r = fred.post(f"/api/questions/{qid}/forecasts", json={"probability": "3:1",
                                                          "rationale": "on schedule",
                                                          "at": "5 days ago"})
    assert r.status_code == 201, r.text
    assert r.json()["probability"] == 0.75 and r.json()["forecaster"] == "forecaster"
    assert fred.post(f"/api/questions/{qid}/forecasts",
                     json={"probability": "likely"}).json()["cue"] == "likely"
    r = rita.post(f"/api/questions/{qid}/resolutions",
                  json={"outcome": "yes", "evidence": ["https://example.org/opened"]})
    assert r.status_code == 201, r.text
    shown = fred.get(f"/api/questions/{qid}").json()
    assert [f["forecaster"] for f in shown["forecasts"]] == ["forecaster", "forecaster"]
    assert shown["authors"][f"question:{qid}"] == "forecaster"
    assert shown["authors"][f"resolution:{shown['resolutions'][0]['id']}"] == "resolver"
    board = fred.get("/api/score", params={"rule": "brier,log"}).json()
    assert board["rules"] == ["brier", "log"]
    assert [row["forecaster"] for row in board["rows"]] == ["forecaster"]
    cal = fred.get("/api/calibration", params={"bins": "5"}).json()
    assert sum(b["n"] for b in cal["bins"]) == 2
    head = fred.get("/api/ledger/head").json()
    verified = team.client("admin").post("/api/verify", json={}).json()
    assert verified["ok"] and verified["head"] == head


def test_the_cookie_session_needs_its_csrf_token_to_write(team):
    client, csrf = team.login("forecaster")
    body = {"title": "Will it snow?", "resolve_by": "in 10 days"}
    assert client.get("/api/me").json() == {"user": "forecaster", "role": "forecaster",
                                            "read_only": False}
    before = db_fingerprint(team.url)
    for headers in ({}, {"X-CSRF-Token": "forged"}):
        r = client.post("/api/questions", json=body, headers=headers)
        assert r.status_code == 403 and r.json()["error"] == "forbidden"
        assert "CSRF" in r.json()["detail"]
    assert db_fingerprint(team.url) == before
    assert client.post("/api/questions", json=body,
                       headers={"X-CSRF-Token": csrf}).status_code == 201
    assert client.post("/api/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
    assert client.get("/api/me").status_code == 401


def test_logins_are_throttled_and_do_not_say_which_names_exist(team):
    from fastapi.testclient import TestClient

    client = TestClient(team.app)
    unknown = client.post("/api/login", json={"name": "nobody", "password": "x" * 12})
    wrong = client.post("/api/login", json={"name": "forecaster", "password": "x" * 12})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    for _ in range(4):
        client.post("/api/login", json={"name": "forecaster", "password": "y" * 12})
    r = client.post("/api/login", json={"name": "forecaster", "password": "z" * 12})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    # the right password too: the window has to pass
    assert client.post("/api/login", json={"name": "forecaster",
                                           "password": "a long enough password"}
                       ).status_code == 429


def test_revoked_tokens_and_disabled_accounts_stop_at_once(team):
    from forethought.services import accounts
    from forethought.store.engine import Store

    client = team.client("forecaster")
    session, _ = team.login("forecaster")
    assert client.get("/api/me").status_code == 200
    store = Store(team.url)
    try:
        accounts.disable(store, "forecaster")
    finally:
        store.dispose()
    assert client.get("/api/me").status_code == 401
    assert session.get("/api/me").status_code == 401
    admin = team.client("admin")
    token = admin.post("/api/tokens", json={"label": "script"}).json()
    fresh = team.client()
    fresh.headers["Authorization"] = f"Bearer {token['token']}"
    assert fresh.get("/api/me").json()["user"] == "admin"
    assert admin.delete(f"/api/tokens/{token['id']}").status_code == 200
    assert fresh.get("/api/me").status_code == 401


BAD = [
    ("malformed JSON", "post", "/api/questions", {"content": b'{"title": ',
                                                  "headers": {"content-type":
                                                              "application/json"}}, 400),
    ("wrong type", "post", "/api/questions", {"json": {"title": ["x"], "resolve_by": 3}}, 422),
    ("unknown field", "post", "/api/questions", {"json": {"title": "T", "resolve_by": "in 3 days",
                                                          "secretly": True}}, 422),
    ("missing field", "post", "/api/questions", {"json": {"title": "T"}}, 422),
    ("bad date", "post", "/api/questions", {"json": {"title": "T", "resolve_by": "someday"}},
     422),
    ("probability 1.5", "post", "/api/questions/q/forecasts", {"json": {"probability": 1.5}},
     422),
    ("unknown question", "post", "/api/questions/nope/forecasts",
     {"json": {"probability": "70%"}}, 404),
    ("huge body", "post", "/api/questions", {"content": b"x" * 2_000_000,
                                             "headers": {"content-type": "application/json"}},
     413),
    ("unknown outcome", "post", "/api/questions/q/resolutions", {"json": {"outcome": "maybe"}},
     422),
    ("score with an unknown rule", "get", "/api/score", {"params": {"rule": "crps"}}, 422),
]


@pytest.mark.parametrize(("name", "method", "path", "kwargs", "status"), BAD,
                         ids=[b[0] for b in BAD])
def test_bad_input_is_a_clear_4xx_and_changes_nothing(team, name, method, path, kwargs,
                                                      status):
    admin = team.client("admin")
    assert admin.post("/api/questions", json={"title": "Q", "resolve_by": "in 9 days",
                                              "id": "q"}).status_code == 201
    before = db_fingerprint(team.url)
    r = getattr(admin, method)(path, **kwargs)
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error", "detail"} and body["detail"]
    assert "Traceback" not in r.text
    assert db_fingerprint(team.url) == before
