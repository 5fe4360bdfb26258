"""Round trips: export → import into an empty workspace → export gives the same bytes, and
`verify` passes after each step (jsonl, records, csv)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.interop.conftest import FB_FILES


@pytest.fixture
def small_history(run, fixtures):
    """A workspace with a source, graded and marked claims, binary and multiple-choice
    questions, forecasts citing claims, a corrected resolution and a Fatebook export."""
    def ok(*args):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        return result

    ok("source", "add", "--title", "War analysis, late November", "--outlet", "Example Wire",
       "--published", "2024-11-28", "--id", "war-analysis")
    ok("claim", "add", "Ukraine's air force reported a record 188 drones on 27 November",
       "--source", "war-analysis", "--event-date", "2024-11-27", "--id", "drones")
    ok("claim", "grade", "drones", "B2", "--note", "official, unconfirmed")
    ok("claim", "mark", "drones", "corroborated", "--evidence", "https://example.org/a, b")
    ok("ask", 'Will fighting "intensify", sharply,\nby 28 December?', "--by", "2024-12-28",
       "--id", "fighting", "--tag", "ukraine", "--criteria", "Élan; commas, quotes \"x\"",
       "--opened", "2024-11-28", "--claim", "drones")
    ok("forecast", "fighting", "70%", "--at", "2024-11-29", "--why", "momentum", "--claim",
       "drones")
    ok("forecast", "fighting", "likely", "--at", "2024-12-02T10:00:00+02:00", "--as", "bob")
    ok("resolve", "fighting", "yes", "--known-at", "2024-12-28", "--note", "reports")
    ok("resolve", "fighting", "no", "--known-at", "2024-12-28", "--correct", "misread report")
    ok("ask", "Which alliance moves first?", "--by", "2025-03-01", "--option", "NATO",
       "--option", "EU", "--option", "Neither", "--opened", "2024-11-28", "--id", "alliance")
    ok("forecast", "alliance", "NATO=0.5,EU=0.3,Neither=0.2", "--at", "2024-11-30")
    ok("ask", "Will talks start?", "--by", "2025-06-30", "--opened", "2024-11-28")
    ok("import", "fatebook", str(fixtures / "fatebook.csv"))


@pytest.fixture
def history(run, small_history):
    """The small history plus a ForecastBench round (968 questions, 7,693 forecasts)."""
    from tests.conftest import shared

    shared("data", "forecastbench")
    assert run("import", "forecastbench", *map(str, FB_FILES)).exit_code == 0


def _verified(run, *db):
    result = run("verify", *db)
    assert result.exit_code == 0, result.output


def test_jsonl_round_trip_is_byte_identical(run, history, empty_db, tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert run("export", "jsonl", "--out", str(first)).exit_code == 0
    other = empty_db()
    result = run("import", "jsonl", str(first), "--db", other)
    assert result.exit_code == 0, result.output
    _verified(run, "--db", other)
    assert run("export", "jsonl", "--out", str(second), "--db", other).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    again = run("import", "jsonl", str(first), "--db", other)
    assert "Added nothing" in again.stderr
    _verified(run)


def test_records_round_trip_is_byte_identical(run, small_history, empty_db, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert run("export", "records", "--out", str(first)).exit_code == 0
    other = empty_db()
    result = run("import", "records", str(first), "--db", other)
    assert result.exit_code == 0, result.output
    _verified(run, "--db", other)
    assert run("export", "records", "--out", str(second), "--db", other).exit_code == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*.yaml"))
    assert files == sorted(p.relative_to(second) for p in second.rglob("*.yaml"))
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_jsonl_and_records_agree(run, small_history, empty_db, tmp_path):
    """Records exported from a JSONL re-import equal records exported from the original."""
    run("export", "jsonl", "--out", str(tmp_path / "all.jsonl"))
    run("export", "records", "--out", str(tmp_path / "r1"))
    other = empty_db()
    run("import", "jsonl", str(tmp_path / "all.jsonl"), "--db", other)
    run("export", "records", "--out", str(tmp_path / "r2"), "--db", other)
    for p in (tmp_path / "r1").rglob("*.yaml"):
        assert p.read_bytes() == (tmp_path / "r2" / p.relative_to(tmp_path / "r1")).read_bytes()


def test_csv_round_trip_is_byte_identical(run, history, empty_db, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run("export", "csv", "--out", str(first)).exit_code == 0
    other = empty_db()
    result = run("import", "csv", str(first), "--db", other)
    assert result.exit_code == 0, result.output
    _verified(run, "--db", other)
    assert run("export", "csv", "--out", str(second), "--db", other).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ("question_id,question_title,question_type,options,criteria,"
                                    "opened_at,resolve_by,tags,forecaster,made_at,probability,"
                                    "distribution,rationale,outcome,known_at")
    assert '"Will fighting ""intensify"", sharply,\nby 28 December?"' in text


def test_export_writes_nothing_partial(run, history, tmp_path: Path):
    out = tmp_path / "deep" / "a.jsonl"
    assert run("export", "jsonl", "--out", str(out)).exit_code == 0
    assert not list(out.parent.glob(".*.tmp"))
