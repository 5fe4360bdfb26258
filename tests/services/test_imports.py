"""The one import engine: every format goes through it, so every format is refused the same way
for the same contradiction, and every import applies the rules the commands apply."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from tests.helpers import db_fingerprint, workspace_url

QUESTION = {"format_version": 1, "id": "q", "title": "Will it happen?",
            "opened_at": "2024-01-01T00:00:00.000000Z", "resolve_by": "2024-12-31",
            "forecasts": [{"forecaster": "ann", "made_at": "2024-01-02T00:00:00.000000Z",
                           "probability": 0.6}]}


def _jsonl(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    return path


def _records(folder: Path, doc: dict) -> Path:
    (folder / "forecasts").mkdir(parents=True)
    (folder / "forecasts" / f"{doc['id']}.yaml").write_text(yaml.safe_dump(doc),
                                                           encoding="utf-8")
    return folder


def test_the_same_contradiction_reads_the_same_in_every_format(run, tmp_path):
    assert run("import", "jsonl", str(_jsonl(tmp_path / "a.jsonl", QUESTION))).exit_code == 0
    changed = json.loads(json.dumps(QUESTION))
    changed["forecasts"][0]["probability"] = 0.9
    by_jsonl = run("import", "jsonl", str(_jsonl(tmp_path / "b.jsonl", changed)))
    by_records = run("import", "records", str(_records(tmp_path / "rec", changed)))
    tail = ("field 'forecasts[0].probability' is 0.9 in the file but 0.6 in the database; "
            "recorded facts cannot change")
    for result, where in ((by_jsonl, f"{tmp_path / 'b.jsonl'}, line 1"),
                          (by_records, str(tmp_path / "rec" / "forecasts" / "q.yaml"))):
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: {where}: {tail}"), result.stderr


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["forecasts"][0].update(made_at="2099-02-01T00:00:00.000000Z"),
     "forecasts[0]: the forecast is dated 2099-02-01 00:00 UTC, in the future"),
    (lambda d: d["forecasts"][0].update(made_at="2023-12-31T00:00:00.000000Z"),
     "forecasts[0]: the forecast is dated 2023-12-31 00:00 UTC, before the question opened"),
    (lambda d: d.update(resolutions=[{"outcome": "yes",
                                      "known_at": "2100-01-01T00:00:00.000000Z"}]),
     "resolutions[0]: the outcome is dated known at 2100-01-01 00:00 UTC, in the future"),
    (lambda d: d.update(resolutions=[{"outcome": "maybe",
                                      "known_at": "2024-06-01T00:00:00.000000Z"}]),
     "resolutions[0]: 'maybe' is not an outcome of question 'q'"),
    (lambda d: d.update(opened_at="2099-01-01T00:00:00.000000Z", resolve_by="2099-12-31",
                        forecasts=[]),
     "the question opens 2099-01-01 00:00 UTC, in the future"),
])
def test_imports_apply_the_commands_rules(run, workspace, tmp_path, change, message):
    doc = json.loads(json.dumps(QUESTION))
    change(doc)
    url = workspace_url(workspace)
    before = db_fingerprint(url)
    result = run("import", "jsonl", str(_jsonl(tmp_path / "x.jsonl", doc)))
    assert result.exit_code == 1, result.output
    assert message in result.stderr and "nothing was imported" in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert db_fingerprint(url) == before


def test_a_dry_run_checks_everything_and_writes_nothing(run, workspace, tmp_path):
    url = workspace_url(workspace)
    before = db_fingerprint(url)
    result = run("import", "jsonl", str(_jsonl(tmp_path / "a.jsonl", QUESTION)), "--dry-run",
                 "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["dry_run"] and report["added"] == {"questions": 1, "forecasts": 1}
    assert db_fingerprint(url) == before
