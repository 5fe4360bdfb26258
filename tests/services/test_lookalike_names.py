"""Look-alike forecaster names (issue #12, item 10): `bob`, `Bob`, `bob` with a zero-width
space and a Cyrillic `bоb` were four forecasters that print the same. A new name that prints
like an existing one is refused, by the commands and by every import."""

from __future__ import annotations

import json

import pytest
from tests.helpers import db_fingerprint, workspace_url

ATTACKS = [
    ("Bob", "Error: forecaster 'Bob' looks like the forecaster 'bob' (the names differ "
            "only in letter case or in characters that print alike); if that is you, use 'bob', "
            "else choose a name that reads differently"),
    ("b\u043eb", "Error: forecaster 'b\u043eb' looks like the forecaster 'bob'"),
    ("bob\u200b", "Error: forecaster name 'bob\\u200b' holds an invisible character, U+200B "
                  "(zero width space); type the name without it"),
]


@pytest.fixture
def bob(run, workspace):
    assert run("ask", "Will it rain?", "--by", "2030-01-01", "--id", "q").exit_code == 0
    assert run("forecast", "q", "0.4", "--as", "bob").exit_code == 0
    return workspace_url(workspace)


@pytest.mark.parametrize(("name", "message"), ATTACKS, ids=["case", "cyrillic", "zero-width"])
def test_a_look_alike_forecaster_is_refused(run, bob, name, message):
    before = db_fingerprint(bob)
    r = run("forecast", "q", "0.9", "--as", name)
    assert r.exit_code == 1
    assert r.stderr.startswith(message), r.stderr
    assert db_fingerprint(bob) == before


def test_a_fullwidth_name_is_the_same_forecaster(run, bob):
    assert run("forecast", "q", "0.5", "--as", "ｂｏｂ").exit_code == 0
    shown = json.loads(run("show", "q", "--json").stdout)
    assert [f["forecaster"] for f in shown["forecasts"]] == ["bob", "bob"]


def test_an_import_refuses_a_look_alike_naming_the_line(run, bob, tmp_path):
    line = {"format_version": 1, "id": "other", "title": "Other?",
            "opened_at": "2024-01-01T00:00:00.000000Z", "resolve_by": "2030-01-01",
            "forecasts": [{"forecaster": "bob", "made_at": "2024-02-01T00:00:00.000000Z",
                           "probability": 0.3},
                          {"forecaster": "B\u043eb", "made_at": "2024-02-02T00:00:00.000000Z",
                           "probability": 0.9}]}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    before = db_fingerprint(bob)
    r = run("import", "jsonl", str(path))
    assert r.exit_code == 1
    assert r.stderr.startswith(f"Error: {path}, line 1, forecasts[1], field 'forecaster': "
                               "forecaster 'B\u043eb' looks like the forecaster 'bob'")
    assert r.stderr.rstrip().endswith("nothing was imported")
    assert db_fingerprint(bob) == before


def test_two_new_look_alikes_in_one_import_are_refused(run, workspace, tmp_path):
    line = {"format_version": 1, "id": "fresh", "title": "Fresh?",
            "opened_at": "2024-01-01T00:00:00.000000Z", "resolve_by": "2030-01-01",
            "forecasts": [{"forecaster": "carol", "made_at": "2024-02-01T00:00:00.000000Z",
                           "probability": 0.3},
                          {"forecaster": "Carol", "made_at": "2024-02-02T00:00:00.000000Z",
                           "probability": 0.9}]}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    r = run("import", "jsonl", str(path))
    assert r.exit_code == 1
    assert "forecaster 'Carol' looks like the forecaster 'carol'" in r.stderr
