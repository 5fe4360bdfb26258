"""PredictionBook: the API JSON (lossless) and the CSV (lossy, and saying so)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tests.interop.conftest import FIXTURES, questions_in


def test_json_every_response_with_a_confidence_is_a_forecast(run, fixtures, ws_url):
    result = run("import", "predictionbook", str(fixtures / "predictionbook.json"))
    assert result.exit_code == 0, result.output
    assert "Added 4 questions, 6 forecasts, 3 resolutions" in result.stderr
    assert "Skipped 1: responses without a confidence (comments)" in result.stderr
    assert "Lossy" not in result.stderr
    qs = questions_in(ws_url)
    bill = qs["predictionbook-101"]
    assert bill.question.title == 'The "clean air" bill passes'
    assert bill.question.resolve_by.isoformat() == "2015-06-01"
    assert [(f.forecaster, f.probability, f.rationale, f.entered_as) for f in bill.forecasts] == [
        ("predictionbook:me", 0.7, "gut feeling", "70%"),
        ("predictionbook:other", 0.4, "I doubt it", "40%")]
    assert [(r.outcome, r.known_at) for r in bill.resolutions] == [
        ("yes", datetime(2015, 6, 2, 8, tzinfo=UTC))]
    rain = qs["predictionbook-104"]
    assert [f.probability for f in rain.forecasts] == [0.9, 1.0]
    assert rain.resolution.outcome == "no"


def test_withdrawn_is_annulled_and_an_undone_judgement_is_open(run, fixtures, ws_url):
    result = run("import", "predictionbook", str(fixtures / "predictionbook.json"))
    qs = questions_in(ws_url)
    assert qs["predictionbook-102"].resolution.outcome == "annulled"
    assert qs["predictionbook-102"].forecasts[0].probability == 0.0
    assert qs["predictionbook-103"].resolutions == []
    assert "judgements that were undone are left open" in result.stderr


def test_me_maps_your_responses(run, fixtures, ws_url):
    run("import", "predictionbook", str(fixtures / "predictionbook.json"), "--me", "me")
    bill = questions_in(ws_url)["predictionbook-101"]
    assert [f.forecaster for f in bill.forecasts] == ["alice", "predictionbook:other"]


def test_csv_is_lossy_and_says_so(run, fixtures, ws_url):
    result = run("import", "predictionbook", str(fixtures / "predictionbook.csv"))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Lossy: PredictionBook's CSV holds only each prediction's "
                                    "mean confidence")
    qs = questions_in(ws_url)
    assert {qid: [(f.forecaster, f.probability) for f in v.forecasts] for qid, v in qs.items()} \
        == {"predictionbook-101": [("predictionbook:mean_confidence", 0.55)],
            "predictionbook-102": [("predictionbook:mean_confidence", 0.0)],
            "predictionbook-103": [("predictionbook:mean_confidence", 1.0)],
            "predictionbook-104": [("predictionbook:mean_confidence", 0.95)]}
    assert qs["predictionbook-102"].resolution.outcome == "annulled"
    assert qs["predictionbook-103"].resolutions == []


def test_csv_after_json_matches_the_same_questions(run, fixtures, fingerprint):
    run("import", "predictionbook", str(fixtures / "predictionbook.json"))
    result = run("import", "predictionbook", str(fixtures / "predictionbook.csv"))
    assert "Added 4 forecasts" in result.stderr
    assert "Already there (unchanged): 4 questions, 3 resolutions" in result.stderr
    before = fingerprint()
    run("import", "predictionbook", str(fixtures / "predictionbook.json"))
    run("import", "predictionbook", str(fixtures / "predictionbook.csv"))
    assert fingerprint() == before


def _one_prediction(tmp_path, **fields):
    doc = json.loads((FIXTURES / "predictionbook.json").read_text(encoding="utf-8"))
    doc["predictions"] = [{**doc["predictions"][0], **fields}]
    path = tmp_path / "my_predictions.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_a_judgement_dated_in_2100_is_refused_as_resolve_refuses_it(run, tmp_path, fingerprint):
    """The rules of `resolve --known-at` hold for every importer: an outcome is known when it
    has happened, not in 2100."""
    path = _one_prediction(tmp_path, last_judgement_at="2100-01-01T00:00:00Z")
    before = fingerprint()
    result = run("import", "predictionbook", str(path))
    assert result.exit_code == 1
    assert ("the outcome is dated known at 2100-01-01 00:00 UTC, in the future; an outcome is "
            "known when it has happened") in result.stderr
    assert "nothing was imported" in result.stderr and "Traceback" not in result.output
    assert fingerprint() == before


def test_a_deadline_in_2914_is_scored_everywhere(run, tmp_path):
    """A deadline typed as 2914-12-31 (real PredictionBook data): past pandas' nanosecond
    range, so every command that scores or tabulates must count in microseconds."""
    path = _one_prediction(tmp_path, deadline="2914-12-31T00:00:00Z")
    assert run("import", "predictionbook", str(path)).exit_code == 0
    assert "2914-12-31" in run("list").stdout
    scored = run("score", "--json")
    assert scored.exit_code == 0, scored.output
    rows = json.loads(scored.stdout)["rows"]
    assert {r["forecaster"] for r in rows} == {"predictionbook:me", "predictionbook:other"}
    assert run("score", "--by", "horizon", "--policy", "daily").exit_code == 0
    calibration = run("calibration", "--json")
    assert calibration.exit_code == 0, calibration.output
    assert sum(b["n"] for b in json.loads(calibration.stdout)["bins"]) == 2
    assert run("show", "predictionbook-101").exit_code == 0


def test_the_analysis_tables_hold_a_2914_deadline(tmp_path, store):
    from forethought.services import analysis
    from forethought.services.interop import import_predictionbook

    import_predictionbook(store, _one_prediction(tmp_path, deadline="2914-12-31T00:00:00Z"))
    questions = analysis.questions_table(store)
    assert str(questions["resolve_by"].iloc[0]) == "2914-12-31"
    assert questions["status"].iloc[0] == "resolved"
    known = analysis.utc_series([datetime(2914, 12, 31, tzinfo=UTC), None])
    assert str(known.dtype) == "datetime64[us, UTC]" and known.iloc[0].year == 2914
