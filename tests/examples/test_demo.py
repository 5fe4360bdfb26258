"""The example track record in claims/ and forecasts/, and `make demo` that shows it.

Checks what the example promises without fixing its scores: enough resolved questions,
forecasts, sources and fictional forecasters; a ledger that verifies; dated public evidence
behind every standing resolution (examples/evidence.yaml gives each address's date); nothing
known before its question opened or before its evidence was published; and a demo that runs
from a fresh folder to the report and charts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from forethought.cli.main import cli

REPO = Path(__file__).resolve().parents[2]
EVIDENCE = REPO / "examples" / "evidence.yaml"


def _cli(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The repository's records imported into a fresh SQLite database, read back as JSONL."""
    folder = tmp_path_factory.mktemp("demo")
    db = str(folder / "demo.db")
    _cli("import", "records", str(REPO), "--db", db)
    _cli("export", "jsonl", "--out", str(folder / "all.jsonl"), "--db", db)
    lines = [json.loads(x) for x in (folder / "all.jsonl").read_text().splitlines()]
    return {"db": db,
            "sources": [x for x in lines if "source" in x],
            "questions": [x for x in lines if "title" in x]}


def test_the_example_is_big_enough_to_mean_something(demo):
    questions = demo["questions"]
    resolved = [q for q in questions if q.get("resolutions")]
    forecasts = [f for q in questions for f in q.get("forecasts", [])]
    fictional = {f["forecaster"] for f in forecasts if f["forecaster"].startswith("example:")}
    assert len(resolved) >= 40
    assert len(forecasts) >= 150
    assert len(demo["sources"]) >= 7
    assert len(fictional) >= 2
    words = json.loads(_cli("words", "--json", "--db", demo["db"]))
    assert len({row["cue"] for row in words}) >= 8


def test_the_ledger_verifies(demo):
    assert "OK: every record matches the ledger" in _cli("verify", "--db", demo["db"])


def test_every_standing_resolution_rests_on_dated_public_evidence(demo):
    dates = {url: entry["published"]
             for url, entry in yaml.safe_load(EVIDENCE.read_text())["sources"].items()}
    for q in demo["questions"]:
        history = q.get("resolutions", [])
        if not history:
            continue
        standing = history[-1]
        urls = [e for e in standing.get("evidence", []) if e.startswith(("http://", "https://"))]
        assert urls, f"{q['id']}: the standing resolution cites no http(s) address"
        for resolution in history:
            known = _when(resolution["known_at"])
            assert known >= _when(q["opened_at"]), f"{q['id']}: known before it opened"
            for url in resolution.get("evidence", []):
                if not url.startswith(("http://", "https://")):
                    continue
                assert url in dates, f"{q['id']}: {url} is not in examples/evidence.yaml"
                assert isinstance(dates[url], date)
                assert known.date() >= dates[url], (
                    f"{q['id']}: known at {known:%Y-%m-%d}, before its evidence of {dates[url]}")


def test_no_example_question_is_left_open_past_its_resolve_by_date(demo):
    """A tracker that leaves its own example unresolved teaches the wrong habit (issue 13)."""
    today = date.today()
    open_past = [q["id"] for q in demo["questions"]
                 if not q.get("resolutions") and date.fromisoformat(q["resolve_by"]) < today]
    assert not open_past, f"resolve these against their criteria: {open_past}"


def test_every_address_in_the_evidence_table_is_cited(demo):
    cited = {url for q in demo["questions"] for r in q.get("resolutions", [])
             for url in r.get("evidence", [])}
    listed = set(yaml.safe_load(EVIDENCE.read_text())["sources"])
    assert listed <= cited, f"listed but never cited: {sorted(listed - cited)}"


def test_no_forecast_comes_after_its_outcome_was_known(demo):
    for q in demo["questions"]:
        if not q.get("resolutions"):
            continue
        known = _when(q["resolutions"][-1]["known_at"])
        late = [f["forecaster"] for f in q.get("forecasts", []) if _when(f["made_at"]) >= known]
        assert not late, f"{q['id']}: forecasts after the outcome was known by {late}"


def test_the_committed_calibration_chart_is_small():
    chart = REPO / "docs" / "img" / "demo-calibration.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert chart.stat().st_size < 60_000


def test_make_demo_runs_end_to_end(tmp_path):
    folder = tmp_path / "demo"
    bin_dir = str(Path(sys.executable).parent)
    env = dict(os.environ, DEMO_DIR=str(folder), PATH=bin_dir + os.pathsep + os.environ["PATH"])
    env.pop("FORETHOUGHT_DB", None)
    done = subprocess.run(["bash", str(REPO / "scripts" / "demo.sh")], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for heading in ("== Scoreboard by forecaster", "== Scoreboard by source", "== Calibration",
                    "== How often each estimative word came true"):
        assert heading in out
    assert "example:ines" in out and "example:bram" in out
    assert "OK: every record matches the ledger" in out
    assert "Nothing is due." in out + done.stderr
    for name in ("calibration.png", "words.png", "history.png", "scores.png",
                 "report/index.html"):
        assert (folder / name).stat().st_size > 0, name
