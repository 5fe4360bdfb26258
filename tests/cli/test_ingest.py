"""ingest / rescale / words / source show, end to end on the real document."""

import json

import pytest
from tests.conftest import SHARED, needs_shared
from tests.helpers import db_fingerprint, workspace_url

DOC = SHARED / "documents" / "ukraine-war-escalates-2024-11.txt"
pytestmark = needs_shared


def ingest(run, *extra):
    return run("ingest", str(DOC), "--published", "2024-11-28", "--as", "Wire analysis", *extra)


def test_ingest_proposes_without_storing(run, workspace):
    before = db_fingerprint(workspace_url(workspace))
    r = ingest(run, "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    kinds = [c["kind"] for c in data["candidates"]]
    assert kinds.count("forecast") == 3
    forecasts = [c for c in data["candidates"] if c["kind"] == "forecast"]
    assert [c["cue"] for c in forecasts] == ["likely", "could", "may"]
    assert forecasts[0]["resolve_by"] == "2024-12-26"
    for c in data["candidates"]:
        assert DOC.read_text()[c["start"]:c["end"]].strip() == c["text"].strip()
    drone = next(c for c in data["candidates"] if 188 in (c.get("numbers") or []))
    assert drone["said_by"] == "Ukraine's Air Force"
    assert drone["event_date"] == "2024-11-27"
    assert db_fingerprint(workspace_url(workspace)) == before
    assert "Nothing stored" in ingest(run).stderr


def test_accept_stores_and_reingest_changes_nothing(run, workspace):
    r = ingest(run, "--accept")
    assert r.exit_code == 0, r.output
    assert "3 questions with 3 forecasts" in r.stderr
    questions = json.loads(run("list", "--json").stdout)
    assert len(questions) == 3
    standing = sorted(q["standing"]["Wire analysis"] for q in questions)
    assert standing == [0.4, 0.45, 0.7]
    shown = json.loads(run("show", questions[0]["id"], "--json").stdout)
    assert shown["question"]["source_id"] == "ukraine-war-escalates-2024-11"
    assert shown["question"]["span_start"] is not None
    assert shown["forecasts"][0]["cue"] == "likely"
    assert shown["forecasts"][0]["scale"] == "icd203"
    assert shown["forecasts"][0]["made_at"].startswith("2024-11-28T00:00:00")
    before = db_fingerprint(workspace_url(workspace))
    again = ingest(run, "--accept")
    assert again.exit_code == 0
    assert "Already ingested as source 'ukraine-war-escalates-2024-11'" in again.stderr
    assert db_fingerprint(workspace_url(workspace)) == before
    assert run("verify").exit_code == 0


def test_accept_some(run):
    data = json.loads(ingest(run, "--json").stdout)
    numbers = [c["n"] for c in data["candidates"] if c["kind"] == "forecast"][:1]
    r = ingest(run, "--accept", ",".join(map(str, numbers)))
    assert "0 claims, 0 notes, 1 questions" in r.stderr


def test_rescale_words_and_source_record(run):
    ingest(run, "--accept")
    qid = next(q["id"] for q in json.loads(run("list", "--json").stdout)
               if q["standing"]["Wire analysis"] == 0.7)
    run("resolve", qid, "yes", "--known-at", "2024-12-13")
    r = run("rescale", "ukraine-war-escalates-2024-11", "--scale", "kent")
    assert "Wire analysis@kent: added 3" in r.stderr
    again = run("rescale", "ukraine-war-escalates-2024-11", "--scale", "kent")
    assert "added 0, already there 3" in again.stderr
    rows = {row["forecaster"]: row for row in json.loads(run("score", "--json").stdout)["rows"]}
    assert rows["Wire analysis"]["brier"] == pytest.approx(0.09)
    assert rows["Wire analysis@kent"]["brier"] == pytest.approx(0.0625)  # Kent: likely = 0.75
    words = json.loads(run("words", "--json").stdout)
    assert [(w["cue"], w["n"], w["happened"]) for w in words] == [("likely", 1, 1)]
    assert words[0]["assumed"] == 0.7
    record = json.loads(run("source", "show", "ukraine-war-escalates-2024-11", "--json").stdout)
    assert record["by_status"]["unverified"] == len(record["claims"]) > 5
    assert len(record["notes"]) == 3
    scored = [a for a in record["assessments"] if a["brier"] is not None]
    assert sorted(a["brier"] for a in scored) == pytest.approx([0.0625, 0.09])
    by_source = json.loads(run("score", "--by", "source", "--json").stdout)["rows"]
    assert by_source[0]["source"] == "ukraine-war-escalates-2024-11"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_bad_documents(run, workspace, tmp_path):
    url = workspace_url(workspace)
    before = db_fingerprint(url)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02garbage" * 100)
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Le d\xe9bat aura lieu.".encode("latin-1"))
    cases = [
        ((str(empty),), f"Error: {empty} is empty: there is nothing to ingest"),
        ((str(binary),), f"Error: {binary} looks like a binary file"),
        ((str(big),), f"Error: {big} is 52.4 MB; ingest reads documents up to 10 MB"),
        ((str(latin),), f"Error: {latin} is not UTF-8 text"),
        ((str(DOC), "--published", "tomorrow-ish"), "Error: cannot read 'tomorrow-ish' as a date"),
        ((str(DOC), "--scale", "vibes"), "Error: unknown scale 'vibes'"),
    ]
    for args, message in cases:
        r = run("ingest", *args, "--accept")
        assert r.exit_code == 1, args
        assert r.stderr.startswith(message), r.stderr
        assert "Traceback" not in r.output
    assert db_fingerprint(url) == before


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_no_sentences_means_nothing_found(run, tmp_path):
    doc = tmp_path / "blank.md"
    doc.write_text("   \n\n  \n")
    r = run("ingest", str(doc), "--accept")
    assert r.exit_code == 0
    assert "Nothing found" in r.stderr
