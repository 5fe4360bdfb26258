"""Every import applies the commands' rules to dates (issue #12, item 8): a forecast dated in
the future (`forecast --at` refuses it) and an outcome known in the future (`resolve
--known-at` refuses it) are refused by every format, naming the file, and nothing is written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.helpers import db_fingerprint

FUTURE_FORECAST = "the forecast is dated 2099-02-01 00:00 UTC, in the future"
FUTURE_OUTCOME = "the outcome is dated known at 2099-03-01 00:00 UTC, in the future"
QUESTION = {"format_version": 1, "id": "q", "title": "Will it rain?",
            "opened_at": "2024-01-01T00:00:00.000000Z", "resolve_by": "2099-12-31",
            "forecasts": [{"forecaster": "ana", "made_at": "2024-02-01T00:00:00.000000Z",
                           "probability": 0.4}], "resolutions": []}


def _question(made: str = "2024-02-01", known: str | None = None) -> dict:
    doc = json.loads(json.dumps(QUESTION))
    doc["forecasts"][0]["made_at"] = f"{made}T00:00:00.000000Z"
    if known is not None:
        doc["resolutions"] = [{"outcome": "yes", "known_at": f"{known}T00:00:00.000000Z"}]
    return doc


def jsonl(tmp: Path, fixtures: Path, **dates) -> list[str]:
    path = tmp / "in.jsonl"
    path.write_text(json.dumps(_question(**dates)) + "\n", encoding="utf-8")
    return ["jsonl", str(path)]


def records(tmp: Path, fixtures: Path, **dates) -> list[str]:
    import yaml

    (tmp / "recs" / "forecasts").mkdir(parents=True)
    (tmp / "recs" / "forecasts" / "q.yaml").write_text(yaml.safe_dump(_question(**dates)),
                                                         encoding="utf-8")
    return ["records", str(tmp / "recs")]


def csv(tmp: Path, fixtures: Path, made: str = "2024-02-01", known: str | None = None
        ) -> list[str]:
    path = tmp / "in.csv"
    path.write_text(
        "question_id,question_title,question_type,options,criteria,opened_at,resolve_by,tags,"
        "forecaster,made_at,probability,distribution,rationale,outcome,known_at\n"
        f"q,Will it rain?,binary,,,2024-01-01T00:00:00Z,2099-12-31,[],ana,{made}T00:00:00Z,0.4,"
        f",,{'yes' if known else ''},{f'{known}T00:00:00Z' if known else ''}\n",
        encoding="utf-8")
    return ["csv", str(path)]


def _edited(source: Path, target: Path, old: str, new: str) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new), encoding="utf-8")
    return target


def fatebook(tmp: Path, fixtures: Path, made: str | None = None, known: str | None = None
             ) -> list[str]:
    old, new = (("2024-01-05 12:30:5", f"{made} 00:00:0") if made else
                ("2024-01-11 00:00:0", f"{known} 00:00:0"))
    return ["fatebook", str(_edited(fixtures / "fatebook.csv", tmp / "fb.csv", old, new))]


def predictionbook_json(tmp: Path, fixtures: Path, made: str | None = None,
                        known: str | None = None) -> list[str]:
    old, new = (("2015-03-02T11:00:00Z", f"{made}T00:00:00Z") if made else
                ("2015-06-02T08:00:00Z", f"{known}T00:00:00Z"))
    return ["predictionbook", str(_edited(fixtures / "predictionbook.json", tmp / "pb.json",
                                          old, new))]


def predictionbook_csv(tmp: Path, fixtures: Path, made: str | None = None,
                       known: str | None = None) -> list[str]:
    assert known is not None  # the CSV dates each forecast when its prediction was created
    return ["predictionbook", str(_edited(fixtures / "predictionbook.csv", tmp / "pb.csv",
                                          "2015-06-02 08:00:00 UTC", f"{known} 00:00:00 UTC"))]


def metaculus(tmp: Path, fixtures: Path, made: str | None = None, known: str | None = None
              ) -> list[str]:
    folder = tmp / "metaculus"
    shutil.copytree(fixtures / "metaculus", folder)
    if made:
        _edited(fixtures / "metaculus" / "forecast_data.csv", folder / "forecast_data.csv",
                "2024-01-06 00:00:00+00:00", f"{made} 00:00:00+00:00")
    else:
        _edited(fixtures / "metaculus" / "question_data.csv", folder / "question_data.csv",
                "2024-01-11 00:00:00+00:00", f"{known} 00:00:00+00:00")
    return ["metaculus", str(folder)]


def forecastbench(tmp: Path, fixtures: Path, made: str | None = None, known: str | None = None
                  ) -> list[str]:
    """A one-question round. Every forecast is made on the forecast due date, when the
    question opens: a future one is refused as a question opening in the future."""
    due = made or "2024-07-21"
    docs = {
        "questions": {"forecast_due_date": due, "questions": [
            {"id": "abc", "source": "manifold", "question": "Will it rain?",
             "resolution_criteria": "Rain.", "market_info_close_datetime": "2099-12-31"}]},
        "forecasts": {"forecast_due_date": due, "forecasts": [
            {"id": "abc", "source": "manifold", "forecast": 0.4, "user_id": "u1",
             "resolution_date": None}]},
        "resolutions": {"forecast_due_date": due, "resolutions": [
            {"id": "abc", "source": "manifold", "resolution_date": known or "2024-08-01",
             "resolved_to": 1, "resolved": bool(known)}]},
    }
    paths = []
    for kind, doc in docs.items():
        path = tmp / f"{kind}.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        paths.append(str(path))
    return ["forecastbench", *paths]


MADE = [(jsonl, FUTURE_FORECAST), (records, FUTURE_FORECAST), (csv, FUTURE_FORECAST),
        (fatebook, FUTURE_FORECAST), (predictionbook_json, FUTURE_FORECAST),
        (metaculus, FUTURE_FORECAST),
        (forecastbench, "the question opens 2099-02-01 00:00 UTC, in the future")]
KNOWN = [(jsonl, FUTURE_OUTCOME), (records, FUTURE_OUTCOME), (csv, FUTURE_OUTCOME),
         (fatebook, FUTURE_OUTCOME), (predictionbook_json, FUTURE_OUTCOME),
         (predictionbook_csv, FUTURE_OUTCOME), (metaculus, FUTURE_OUTCOME),
         (forecastbench, FUTURE_OUTCOME)]


def _refused(run, ws_url, args: list[str], message: str) -> None:
    before = db_fingerprint(ws_url)
    r = run("import", *args)
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    assert message in r.stderr, r.stderr
    assert r.stderr.startswith("Error: ") and r.stderr.rstrip().endswith("nothing was imported")
    assert db_fingerprint(ws_url) == before


@pytest.mark.parametrize(("build", "message"), MADE, ids=[b.__name__ for b, _ in MADE])
def test_a_forecast_dated_in_the_future_is_refused(run, ws_url, fixtures, tmp_path, build,
                                                   message):
    _refused(run, ws_url, build(tmp_path, fixtures, made="2099-02-01"), message)


@pytest.mark.parametrize(("build", "message"), KNOWN, ids=[b.__name__ for b, _ in KNOWN])
def test_an_outcome_known_in_the_future_is_refused(run, ws_url, fixtures, tmp_path, build,
                                                   message):
    _refused(run, ws_url, build(tmp_path, fixtures, known="2099-03-01"), message)


def test_predictionbook_known_in_2100(run, ws_url, fixtures, tmp_path):
    _refused(run, ws_url, predictionbook_json(tmp_path, fixtures, known="2100-06-02"),
             "the outcome is dated known at 2100-06-02 00:00 UTC, in the future")
