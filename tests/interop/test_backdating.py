"""Issue #12, item 1: a forecast recorded after its question's outcome was known is kept, never
counts, and says so in `show` and `show --json`; imported history is marked as imported and
counts as its file states (the "stated" trust level) but not on the ledger's word alone
("recorded"). `verify` is unchanged: the rows are honest records of what was typed."""

from __future__ import annotations

import json

import pytest


def _ok(run, *args):
    result = run(*args)
    assert result.exit_code == 0, (args, result.output)
    return result


@pytest.fixture
def resolved(run):
    """bob forecasts honestly, then the outcome is recorded (known now)."""
    _ok(run, "ask", "Will it rain?", "--by", "2099-06-30", "--opened", "2026-01-01", "--id", "q")
    _ok(run, "forecast", "q", "0.3", "--as", "bob")
    _ok(run, "resolve", "q", "yes")


def _forecasts(run):
    return {f["forecaster"]: f for f in json.loads(run("show", "q", "--json").stdout)["forecasts"]}


def test_a_forecast_backdated_after_the_outcome_is_kept_and_flagged(run, resolved):
    """The attack: `forecast --at` before the outcome, typed after it was known."""
    _ok(run, "forecast", "q", "0.99", "--as", "mallory", "--at", "2026-01-02")
    shown = _forecasts(run)
    mallory = shown["mallory"]
    assert mallory["probability"] == 0.99  # kept
    assert mallory["imported"] is False
    assert mallory["written_at"] == mallory["recorded_at"]
    for trust in ("stated", "recorded"):
        assert ", after the outcome was known (" in mallory["not_counted"][trust]
    assert shown["bob"]["not_counted"] == {"stated": None, "recorded": None}
    text = run("show", "q").stdout
    assert "99% (not scored)" in text
    assert "not scored: mallory's forecast made 2026-01-02 00:00: recorded " in text
    assert _ok(run, "verify").stdout.rstrip().endswith(
        "OK: every record matches the ledger and the chain is unbroken.")


def test_an_import_cannot_backdate_onto_an_outcome_this_workspace_recorded(run, resolved,
                                                                         tmp_path):
    """The same attack through `import jsonl`, with the file stating an early recorded time."""
    out = tmp_path / "all.jsonl"
    _ok(run, "export", "jsonl", "--out", str(out))
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["forecasts"].append({"forecaster": "mallory", "made_at": "2026-01-02T00:00:00.000000Z",
                             "recorded_at": "2026-01-02T00:00:00.000000Z",
                             "probability": 0.99})
    out.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    _ok(run, "import", "jsonl", str(out))
    mallory = _forecasts(run)["mallory"]
    assert mallory["imported"] is True
    assert mallory["recorded_at"].startswith("2026-01-02T00:00:00")
    assert "after it had recorded the outcome" in mallory["not_counted"]["stated"]
    assert ", after the outcome was known (" in mallory["not_counted"]["recorded"]
    assert "imported 20" in run("show", "q").stdout


def test_restored_history_counts_as_stated_and_not_on_the_ledger_alone(run, resolved,
                                                                       empty_db, tmp_path):
    out = tmp_path / "all.jsonl"
    _ok(run, "export", "jsonl", "--out", str(out))
    other = empty_db()
    _ok(run, "import", "jsonl", str(out), "--db", other)
    bob = json.loads(run("show", "q", "--json", "--db", other).stdout)["forecasts"][0]
    original = _forecasts(run)["bob"]
    assert bob["recorded_at"] == original["recorded_at"]  # the file's word, kept
    assert bob["imported"] is True and bob["written_at"] != bob["recorded_at"]
    assert bob["not_counted"]["stated"] is None
    assert bob["not_counted"]["recorded"].startswith(f"recorded {bob['written_at'][:10]}")
    assert original["imported"] is False and original["not_counted"]["stated"] is None


def test_an_import_without_recorded_times_states_them_as_made(run, fixtures):
    """A platform file stamps a forecast when it is made: that is the stated recorded time."""
    _ok(run, "import", "fatebook", str(fixtures / "fatebook.csv"))
    qid = json.loads(run("list", "--resolved", "--json").stdout)[0]["id"]
    forecasts = json.loads(run("show", qid, "--json").stdout)["forecasts"]
    assert forecasts
    for f in forecasts:
        assert f["recorded_at"] == f["made_at"]
        assert f["imported"] is True
