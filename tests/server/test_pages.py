"""The web pages through the ASGI test client, on SQLite and PostgreSQL: every form round trip
(log in, ask, forecast, resolve, tokens, ingest, verify), forged CSRF tokens refused with the
database unchanged, what a viewer sees, hostile content escaped on every page, and the hidden
crowd on the question page, the list, the desk, the scores and the charts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.helpers import db_fingerprint
from tests.server.conftest import PASSWORD, Team

SECRET_P = "83.17%"
SECRET_WHY = "SECRET-RATIONALE-5c1e"
HOSTILE = ('<script>alert("x")</script></script><img src=x onerror=alert(1)> '
           "\u202eevil\u202c مرحبا 🎉 " + "Z" * 400)
DOCUMENT = """Harbour expansion review

The port authority said on 3 March 2025 that cargo volumes rose by 12 percent last year.
Officials say the new container terminal is likely to open within the next six months.
The city council will probably approve the second phase of the project by the end of the year.
"""


def field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]* value="([^"]*)"', html)
    assert found, f"no field {name}"
    return found.group(1)


def log_in(team: Team, name: str) -> tuple[Any, str]:
    """A client logged in through the login form, and its session's CSRF token."""
    from fastapi.testclient import TestClient

    client = TestClient(team.app, raise_server_exceptions=True)
    form = client.get("/login?next=/questions")
    r = client.post("/login", data={"name": name, "password": PASSWORD, "next": "/questions",
                                    "login_token": field(form.text, "login_token")},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/questions", r.text
    return client, field(client.get("/").text, "csrf_token")


def ask(client: Any, csrf: str, **fields: str) -> str:
    data = {"csrf_token": csrf, "title": "Will the bridge reopen?", "resolve_by": "2099-06-30",
            "kind": "binary", "visibility": "", **fields}
    r = client.post("/questions", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"].split("/questions/")[1].split("?")[0]


def post(client: Any, path: str, csrf: str, **data: Any) -> Any:
    return client.post(path, data={"csrf_token": csrf, **data}, follow_redirects=False)


def writing_forms(html: str) -> list[str]:
    return [f for f in re.findall(r"<form[^>]*>", html)
            if 'method="post"' in f and 'class="session"' not in f]


# ---- logging in -----------------------------------------------------------------------------

def test_logging_in_and_out(team):
    from fastapi.testclient import TestClient

    client = TestClient(team.app)
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2F"
    answers = [client.post("/login", data={"name": name, "password": pw, "login_token": field(
        client.get("/login").text, "login_token")})
        for name, pw in (("forecaster", "wrong password!"), ("nobody", PASSWORD))]
    assert [a.status_code for a in answers] == [401, 401]
    assert all("Wrong name or password." in a.text for a in answers)
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil"):
        token = field(client.get("/login").text, "login_token")
        r = client.post("/login", data={"name": "forecaster", "password": PASSWORD,
                                        "login_token": token, "next": target},
                        follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/", target
        csrf = field(client.get("/").text, "csrf_token")
        assert post(client, "/logout", csrf).headers["location"] == "/login"
        assert client.get("/", follow_redirects=False).status_code == 303


def test_the_login_form_is_not_forgeable_and_is_throttled(team):
    from fastapi.testclient import TestClient

    before = db_fingerprint(team.url)
    forged = TestClient(team.app).post("/login", data={"name": "forecaster",
                                                       "password": PASSWORD,
                                                       "login_token": "made-up"})
    assert forged.status_code == 403 and "forethought_session" not in forged.cookies
    assert db_fingerprint(team.url) == before
    client = TestClient(team.app)
    for attempt in range(6):
        token = field(client.get("/login").text, "login_token")
        r = client.post("/login", data={"name": "viewer", "password": "not the password",
                                        "login_token": token})
        assert r.status_code == (429 if attempt == 5 else 401)
    assert int(r.headers["retry-after"]) > 0 and "Too many failed logins" in r.text


# ---- the loop -------------------------------------------------------------------------------

def test_ask_forecast_and_resolve_through_the_forms(team):
    bob, csrf = log_in(team, "forecaster")
    qid = ask(bob, csrf, title="Will the ferry run in May?", criteria="A scheduled crossing.",
              fine_print="Charters do not count.", tags="transport, harbour")
    page = bob.get(f"/questions/{qid}?done=asked").text
    assert "Your question is recorded" in page and "Charters do not count." in page
    assert "<bdi>harbour</bdi></a>" in page and "asked by <bdi>forecaster</bdi>" in page
    for typed, shown in (("likely", "70%"), ("3:1", "75%"), ("1 in 20", "5%")):
        r = post(bob, f"/questions/{qid}/forecasts", csrf, probability=typed,
                 rationale=f"typed {typed}")
        assert r.status_code == 303 and r.headers["location"].endswith("?done=forecast#mine")
        mine = bob.get(r.headers["location"]).text.split('id="mine"')[1].split('id="crowd"')[0]
        assert shown in mine and f"typed {typed}" in mine
    before = db_fingerprint(team.url)
    refused = post(bob, f"/questions/{qid}/forecasts", csrf, probability="120%",
                   rationale="kept when refused")
    assert refused.status_code == 422 and "outside 0–1" in refused.text
    assert 'value="120%"' in refused.text and "kept when refused" in refused.text
    assert db_fingerprint(team.url) == before

    rita, rcsrf = log_in(team, "resolver")
    r = post(rita, f"/questions/{qid}/resolutions", rcsrf, outcome="no", note="Cancelled.",
             evidence="https://example.org/ferry\njavascript:alert(1)")
    assert r.status_code == 303
    page = rita.get(r.headers["location"]).text
    assert "The resolution is recorded." in page and 'href="https://example.org/ferry"' in page
    assert 'href="javascript' not in page and "javascript:alert(1)" in page
    again = post(rita, f"/questions/{qid}/resolutions", rcsrf, outcome="yes")
    assert again.status_code == 409 and "already resolved" in again.text
    fixed = post(rita, f"/questions/{qid}/resolutions", rcsrf, outcome="yes",
                 correct="The ferry ran after all.")
    assert fixed.status_code == 303
    assert "Correction: <span dir=\"auto\">The ferry ran after all." in rita.get(
        f"/questions/{qid}").text
    desk = bob.get("/").text
    assert "Will the ferry run in May?" in desk.split('id="resolved"')[1]
    assert "/charts/desk.png?v=" in desk and bob.get("/charts/desk.png").status_code == 200


def test_multiple_choice_and_visibility_from_the_ask_form(team):
    bob, csrf = log_in(team, "forecaster")
    qid = ask(bob, csrf, title="Which line opens first?", kind="multiple",
              options="North\r\nSouth\r\nEast", visibility="until",
              visible_from="2099-01-01")
    r = post(bob, f"/questions/{qid}/forecasts", csrf, **{"p:North": "50%", "p:South": "0.3",
                                                          "p:East": "20%"})
    assert r.status_code == 303
    page = bob.get(f"/questions/{qid}").text
    assert "North 50% · South 30% · East 20%" in page and "until 2099-01-01" in page
    bad = post(bob, f"/questions/{qid}/forecasts", csrf, **{"p:North": "50%", "p:South": "10%"})
    assert bad.status_code == 422 and "add up to 1" in bad.text.replace("sum to", "add up to")


def test_forms_without_the_session_csrf_token_are_refused(team):
    bob, csrf = log_in(team, "forecaster")
    qid = ask(bob, csrf)
    admin, _ = log_in(team, "admin")
    before = db_fingerprint(team.url)
    for client, path, data in (
            (bob, "/questions", {"title": "Forged", "resolve_by": "2099-01-01"}),
            (bob, f"/questions/{qid}/forecasts", {"probability": "40%"}),
            (bob, f"/questions/{qid}/resolutions", {"outcome": "yes"}),
            (bob, "/tokens", {"label": "forged"}), (bob, "/tokens/1/revoke", {}),
            (bob, "/ingest", {"text": DOCUMENT}), (bob, "/ingest/accept", {"accept": "1"}),
            (bob, "/logout", {}), (admin, "/integrity/verify", {})):
        for token in ("", "x" * 43, csrf if client is admin else "wrong"):
            r = client.post(path, data={**data, "csrf_token": token} if token else data,
                            follow_redirects=False)
            assert r.status_code == 403, (path, token, r.status_code)
            assert "CSRF token is missing or wrong" in r.text
    assert db_fingerprint(team.url) == before
    assert bob.get("/").status_code == 200  # the forged logout did not end the session


# ---- who sees what --------------------------------------------------------------------------

def test_a_viewer_sees_no_forms_and_cannot_post(team):
    bob, csrf = log_in(team, "forecaster")
    qid = ask(bob, csrf, visibility="open")
    post(bob, f"/questions/{qid}/forecasts", csrf, probability="40%")
    vic, vcsrf = log_in(team, "viewer")
    for path in ("/", "/questions", f"/questions/{qid}", "/scores", "/sources", "/integrity",
                 "/tokens"):
        html = vic.get(path).text
        assert writing_forms(html) == [], path
        assert 'href="/ask"' not in html and 'href="/ingest"' not in html
    assert vic.get("/ask").status_code == 200  # the page exists, its post is refused
    before = db_fingerprint(team.url)
    for path, data in (("/questions", {"title": "T", "resolve_by": "2099-01-01"}),
                       (f"/questions/{qid}/forecasts", {"probability": "40%"}),
                       (f"/questions/{qid}/resolutions", {"outcome": "yes"})):
        r = post(vic, path, vcsrf, **data)
        assert r.status_code == 403 and "viewers cannot" in r.text, path
    assert vic.get("/ingest").status_code == 403
    assert db_fingerprint(team.url) == before
    forms = writing_forms(bob.get(f"/questions/{qid}").text)
    assert any("/forecasts" in f for f in forms) and any("/resolutions" in f for f in forms)


def test_the_crowd_stays_hidden_on_every_page_until_you_forecast(team):
    other, ocsrf = log_in(team, "forecaster2")
    qid = ask(other, ocsrf, title="Will the treaty be signed?")
    post(other, f"/questions/{qid}/forecasts", ocsrf, probability=SECRET_P,
         rationale=SECRET_WHY)
    me, csrf = log_in(team, "forecaster")
    pages = [f"/questions/{qid}", "/questions", "/", "/scores?crowd=median&rule=peer",
             "/scores?person=forecaster2"]
    seen = "".join(me.get(p).text for p in pages)
    assert SECRET_WHY not in seen and "83.17" not in seen
    assert "forecaster2" not in me.get(f"/questions/{qid}").text.split('id="crowd"')[1]
    assert me.get(f"/charts/history/{qid}.png").status_code == 404
    assert ">hidden</span>" in me.get("/questions").text
    r = post(me, f"/questions/{qid}/forecasts", csrf, probability="40%")
    page = me.get(r.headers["location"]).text
    from forethought.server.render import pct

    assert SECRET_WHY in page and "83.17%" in page
    assert f"<strong>{pct((0.40 + 0.8317) / 2)}</strong>" in page  # the median of the two
    chart = me.get(f"/charts/history/{qid}.png")
    assert chart.status_code == 200 and chart.content.startswith(b"\x89PNG")
    assert ">2</td>" in me.get("/questions").text  # forecasters, now that it is visible


def test_hostile_content_is_text_on_every_page(team):
    bob, csrf = log_in(team, "forecaster")
    qid = ask(bob, csrf, title=HOSTILE, criteria=HOSTILE, fine_print=HOSTILE,
              tags="<b>tag</b>", visibility="open")
    post(bob, f"/questions/{qid}/forecasts", csrf, probability="30%", rationale=HOSTILE)
    bob.post("/api/sources", headers={"X-CSRF-Token": csrf},
             json={"title": HOSTILE, "url": "javascript:alert(1)", "outlet": HOSTILE})
    source = bob.get("/api/sources").json()[0]["id"]
    rita, rcsrf = log_in(team, "resolver")
    post(rita, f"/questions/{qid}/resolutions", rcsrf, outcome="yes", note=HOSTILE,
         evidence="javascript:alert(2)\ndata:text/html,<script>x</script>")
    for path in (f"/questions/{qid}", "/questions", "/", "/sources", f"/sources/{source}",
                 "/scores", "/questions?text=%3Cscript%3E"):
        html = bob.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert 'href="javascript' not in html and 'href="data:' not in html, path
        assert re.findall(r"<script[^>]*>", html) == [
            '<script src="/static/local-time.js" defer>'], path
    page = bob.get(f"/questions/{qid}").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page and "مرحبا 🎉" in page
    assert "Z" * 400 in page and "&lt;b&gt;tag&lt;/b&gt;" in page


def test_every_page_carries_the_security_headers(team):
    bob, _ = log_in(team, "forecaster")
    for path in ("/", "/questions", "/login", "/static/pages.css", "/no-such-page"):
        r = bob.get(path)
        assert "script-src 'self'" in r.headers["content-security-policy"], path
        assert r.headers["x-frame-options"] == "DENY"
    assert bob.get("/no-such-page").status_code == 404
    assert bob.get("/").headers["cache-control"] == "no-store"


# ---- tokens, ingest, integrity, scores --------------------------------------------------------

def test_a_token_is_shown_once_and_can_be_revoked(team):
    bob, csrf = log_in(team, "forecaster")
    r = post(bob, "/tokens", csrf, label="notebook", read_only="1")
    secret = re.search(r'id="new-token">(ft_[^<]+)<', r.text).group(1)
    assert r.status_code == 201 and secret not in bob.get("/tokens").text
    from fastapi.testclient import TestClient

    api = TestClient(team.app, headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/me").json()["read_only"] is True
    row = next(r for r in bob.get("/tokens").text.split("<tr>") if "<bdi>notebook<" in r)
    token_id = re.search(r'action="/tokens/(\d+)/revoke"', row).group(1)
    assert post(bob, f"/tokens/{token_id}/revoke", csrf).headers["location"] == (
        "/tokens?done=revoked")
    assert api.get("/api/me").status_code == 401


def test_ingest_review_edit_and_accept_two(team):
    bob, csrf = log_in(team, "forecaster")
    r = bob.post("/ingest", data={"csrf_token": csrf, "published": "2025-03-05",
                                  "as_name": "Harbour Weekly"},
                 files={"file": ("harbour-review.md", DOCUMENT.encode(), "text/markdown")})
    assert r.status_code == 200 and "Review the candidates" in r.text
    kinds = re.findall(r'Accept (\d+): (\w+)</label>', r.text)
    picked = [n for n, kind in kinds if kind == "forecast"]
    assert len(picked) == 2
    data = {"csrf_token": csrf, "document": field(r.text, "document"),
            "name": field(r.text, "name"), "published": "2025-03-05",
            "as_name": "Harbour Weekly", "scale": "icd203", "accept": picked,
            f"title_suggestion-{picked[0]}": "Will the terminal open by September?",
            f"p-{picked[1]}": "65%"}
    for n in picked:
        for name in ("criteria_suggestion", "resolve_by", "said_by"):
            data[f"{name}-{n}"] = field(r.text, f"{name}-{n}") if name != "criteria_suggestion" \
                else re.search(rf'name="{name}-{n}"[^>]*>([^<]*)<', r.text).group(1)
        data.setdefault(f"title_suggestion-{n}", field(r.text, f"title_suggestion-{n}"))
        data.setdefault(f"p-{n}", field(r.text, f"p-{n}"))
    done = bob.post("/ingest/accept", data=data, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("?done=ingested")
    source = done.headers["location"].split("/sources/")[1].split("?")[0]
    listed = bob.get(f"/questions?source={source}").text
    assert "Will the terminal open by September?" in listed
    ids = re.findall(r'<td><a href="/questions/([^"]+)"><bdi>([^<]+)</bdi>', listed)
    assert len(ids) == 2
    other = next(q for q, title in ids if title != "Will the terminal open by September?")
    assert ">65%" in bob.get(f"/questions/{other}").text.split('id="crowd"')[1]
    page = bob.get(f"/sources/{source}?done=ingested").text
    assert "The accepted candidates are recorded." in page and "Harbour Weekly" in page
    again = bob.post("/ingest/accept", data=data, follow_redirects=False)
    assert again.headers["location"].endswith("?done=already")


def test_integrity_head_and_verify(team):
    bob, _ = log_in(team, "forecaster")
    page = bob.get("/integrity").text
    head = team.client("admin").get("/api/ledger/head").json()
    assert f'{head["seq"]} {head["hash"]}' in page and writing_forms(page) == []
    admin, csrf = log_in(team, "admin")
    r = post(admin, "/integrity/verify", csrf, against=f'{head["seq"]}:{head["hash"]}')
    assert r.status_code == 200
    assert "OK: every record matches the ledger and the chain is unbroken." in r.text
    assert f"In the chain at entry {head['seq']}" in r.text
    bad = post(admin, "/integrity/verify", csrf, against="not a head")
    assert bad.status_code == 422 and "is not a ledger head" in bad.text


def test_the_scores_page_takes_the_cli_choices(team):
    bob, csrf = log_in(team, "forecaster")
    qid = ask(bob, csrf, tags="civic")
    post(bob, f"/questions/{qid}/forecasts", csrf, probability="80%")
    rita, rcsrf = log_in(team, "resolver")
    post(rita, f"/questions/{qid}/resolutions", rcsrf, outcome="yes")
    page = bob.get("/scores?rule=brier&rule=spherical&policy=final&by=tag&brier_scale=2").text
    assert "Policy: final." in page and "Brier 0–2" in page and ">civic<" in page
    assert bob.get("/scores?policy=sometimes").status_code == 422
    chart = re.search(r'src="(/charts/calibration.png\?[^"]+)"', bob.get("/scores").text)
    png = bob.get(chart.group(1).replace("&amp;", "&"))
    assert png.status_code == 200 and png.headers["cache-control"] == "private, max-age=86400"


def test_a_chart_is_drawn_once_per_change(team, tmp_path, monkeypatch):
    monkeypatch.setenv("FORETHOUGHT_CHART_CACHE", str(tmp_path / "charts"))
    bob, csrf = log_in(team, "forecaster")
    qid = ask(bob, csrf, visibility="open")
    post(bob, f"/questions/{qid}/forecasts", csrf, probability="20%")
    first = bob.get(f"/charts/history/{qid}.png").content
    files = sorted((tmp_path / "charts").glob("*.png"))
    assert len(files) == 1
    stamp = files[0].stat().st_mtime_ns
    assert bob.get(f"/charts/history/{qid}.png").content == first
    assert files[0].stat().st_mtime_ns == stamp
    post(bob, f"/questions/{qid}/forecasts", csrf, probability="30%")
    assert bob.get(f"/charts/history/{qid}.png").content != first
    assert len(list((tmp_path / "charts").glob("*.png"))) == 2


@pytest.mark.parametrize("path", ["/questions?page=0", "/questions?status=sometimes",
                                  "/questions/no-such-question", "/sources/nothing",
                                  "/claims/none/c1", "/charts/history/no-such.png"])
def test_bad_addresses_answer_a_page_not_a_traceback(module_team, path):
    client, _ = log_in(module_team, "forecaster")
    r = client.get(path)
    assert r.status_code in (404, 422) and "<h1>" in r.text and "Traceback" not in r.text
