"""ask / forecast / predict / resolve / list / show / due, on SQLite and PostgreSQL."""

import json

from tests.helpers import db_fingerprint, workspace_url


def test_ask_forecast_update_show(run):
    r = run("ask", "Will it rain in Paris on 1 December?", "--by", "2030-12-01",
            "--criteria", "Météo-France reports rain", "--tag", "weather", "--opened",
            "2024-11-01")
    assert r.exit_code == 0, r.output
    qid = r.stdout.strip()
    assert qid == "will-it-rain-in-paris-on-1-december"
    assert run("forecast", "will-it", "70%", "--at", "2024-11-02", "--why", "clouds").exit_code == 0
    assert run("forecast", "will", "3:1", "--as", "bob").exit_code == 0
    assert run("forecast", "will", "likely").exit_code == 0  # an update is a new forecast
    shown = json.loads(run("show", "will", "--json").stdout)
    assert [f["probability"] for f in shown["forecasts"]] == [0.7, 0.75, 0.7]
    assert [f["forecaster"] for f in shown["forecasts"]] == ["alice", "bob", "alice"]
    assert shown["forecasts"][0]["made_at"].startswith("2024-11-02T00:00:00")
    assert shown["forecasts"][0]["rationale"] == "clouds"
    assert shown["forecasts"][2]["entered_as"] == "likely"
    assert shown["forecasts"][2]["cue"] == "likely"
    assert shown["forecasts"][2]["scale"] == "icd203"
    assert shown["question"]["criteria"] == "Météo-France reports rain"
    text = run("show", "will").stdout
    assert "clouds" in text and "bob" in text and "75%" in text


def test_predict_multiple_choice_and_resolve(run):
    r = run("predict", "Who wins the 2030 final?", "A=0.5,B=0.3,C=0.2", "--option", "A",
            "--option", "B", "--option", "C", "--by", "2030-07-01", "--json")
    data = json.loads(r.stdout)
    assert data["question"]["type"] == "multiple"
    assert data["forecast"]["distribution"] == {"A": 0.5, "B": 0.3, "C": 0.2}
    r = run("resolve", "who", "b", "--known-at", "2024-01-01T00:00", "--note", "B won")
    assert r.exit_code == 1
    assert "before the question opened" in r.stderr
    r = run("resolve", "who", "b", "--note", "B won", "--evidence", "https://example.org/final")
    assert r.exit_code == 0, r.output
    shown = json.loads(run("show", "who", "--json").stdout)
    assert shown["resolutions"][0]["outcome"] == "B"
    assert shown["resolutions"][0]["evidence"] == ["https://example.org/final"]


def test_resolve_again_needs_correct_and_keeps_history(run):
    run("ask", "Q one", "--by", "2030-01-01", "--opened", "2024-01-01")
    assert run("resolve", "q-one", "yes", "--known-at", "2024-06-01").exit_code == 0
    r = run("resolve", "q-one", "no")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: question 'q-one' is already resolved as 'yes'")
    assert "--correct" in r.stderr
    assert run("resolve", "q-one", "no", "--correct", "misread the report").exit_code == 0
    shown = json.loads(run("show", "q-one", "--json").stdout)
    assert [x["outcome"] for x in shown["resolutions"]] == ["yes", "no"]
    assert shown["resolutions"][1]["correction"] == "misread the report"


def test_forecast_after_known_at_is_kept_and_flagged(run):
    run("ask", "Flagged", "--by", "2030-01-01", "--opened", "2024-01-01")
    run("forecast", "flagged", "0.6", "--at", "2024-02-01")
    run("resolve", "flagged", "yes", "--known-at", "2024-03-01")
    run("forecast", "flagged", "0.99", "--at", "2024-03-02")
    shown = json.loads(run("show", "flagged", "--json").stdout)
    assert [f["after_outcome_known"] for f in shown["forecasts"]] == [False, True]
    text = run("show", "flagged").stdout
    assert "99% (not scored)" in text
    assert ("not scored: alice's forecast made 2024-03-02 00:00: made 2024-03-02 00:00 UTC, "
            "after the outcome was known (2024-03-01 00:00 UTC)") in text


def test_list_filters_and_due(run):
    run("ask", "Past due", "--by", "2024-01-10", "--opened", "2024-01-01", "--tag", "x")
    run("ask", "Open later", "--by", "2099-01-01", "--tag", "y")
    run("ask", "Done", "--by", "2099-01-01")
    run("resolve", "done", "annulled")
    run("forecast", "open-later", "0.2", "--as", "bob")
    ids = lambda *a: [x["id"] for x in json.loads(run("list", *a, "--json").stdout)]  # noqa: E731
    assert ids() == ["past-due", "done", "open-later"]
    assert ids("--open") == ["past-due", "open-later"]
    assert ids("--resolved") == ["done"]
    assert ids("--due") == ["past-due"]
    assert ids("--tag", "y") == ["open-later"]
    assert ids("--as", "bob") == ["open-later"]
    assert [x["id"] for x in json.loads(run("due", "--json").stdout)] == ["past-due"]
    assert "past-due" in run("due").stdout


def test_backdated_entries_keep_the_real_write_time(run, workspace):
    run("ask", "Old one", "--by", "2024-02-01", "--opened", "2023-12-01")
    run("forecast", "old", "0.4", "--at", "2024-01-01")
    shown = json.loads(run("show", "old", "--json").stdout)
    f = shown["forecasts"][0]
    assert f["made_at"].startswith("2024-01-01")
    assert f["recorded_at"][:4] >= "2025"  # recorded now, not backdated
    assert db_fingerprint(workspace_url(workspace))  # the database is readable


def test_a_correction_keeps_the_earlier_known_at_unless_given(run):
    run("ask", "Corrected", "--by", "2030-01-01", "--opened", "2024-01-01")
    run("resolve", "corrected", "yes", "--known-at", "2024-06-01")
    run("resolve", "corrected", "no", "--correct", "misread the report")
    run("resolve", "corrected", "yes", "--correct", "it did happen", "--known-at", "2024-07-01")
    shown = json.loads(run("show", "corrected", "--json").stdout)
    assert [r["known_at"][:10] for r in shown["resolutions"]] == [
        "2024-06-01", "2024-06-01", "2024-07-01"]
