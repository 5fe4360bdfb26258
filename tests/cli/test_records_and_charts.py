"""Records folders refused cleanly; calibration, words and ingest --edit through the CLI."""

import json
import sys
from pathlib import Path

import pytest
from tests.conftest import shared
from tests.helpers import db_fingerprint, workspace_url

SEED = Path(__file__).resolve().parents[2] / "examples" / "seed"


def test_seed_records_import_idempotently_and_round_trip(run, tmp_path):
    first = run("import", "records", str(SEED))
    assert first.exit_code == 0, first.output
    assert "3 questions" in first.stderr and "11 claims" in first.stderr
    again = run("import", "records", str(SEED), "--json")
    assert json.loads(again.stdout)["added"] == {}
    run("export", "records", "--out", str(tmp_path / "a"))
    run("export", "records", "--out", str(tmp_path / "b"))
    for path in sorted((tmp_path / "a").rglob("*.yaml")):
        twin = tmp_path / "b" / path.relative_to(tmp_path / "a")
        assert path.read_bytes() == twin.read_bytes()
    assert run("verify").exit_code == 0


def _folder(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / name
    (folder / "forecasts").mkdir(parents=True)
    (folder / "forecasts" / "q.yaml").write_text(text, encoding="utf-8")
    return folder


GOOD = """format_version: 1
id: q
title: Will it happen?
opened_at: '2024-01-01T00:00:00.000000Z'
resolve_by: '2024-12-31'
forecasts:
- forecaster: alice
  made_at: '2024-01-02T00:00:00.000000Z'
  probability: 0.6
"""


@pytest.mark.parametrize(("name", "text", "message"), [
    ("syntax", GOOD + "  probability: [0.6\n", "YAML syntax error"),
    ("unknown", GOOD.replace("title:", "titel: x\ntitle:"), "unknown field 'titel'"),
    ("contradiction", GOOD.replace("probability: 0.6", "probability: 0.9"),
     "field 'forecasts[0].probability' is 0.9 in the file but 0.6 in the database"),
    ("python-tag", GOOD + "evil: !!python/object/apply:os.system ['echo hi']\n", "YAML"),
])
def test_bad_records_are_refused_and_nothing_changes(run, workspace, tmp_path, name, text,
                                                     message):
    assert run("import", "records", str(_folder(tmp_path, "good", GOOD))).exit_code == 0
    url = workspace_url(workspace)
    before = db_fingerprint(url)
    r = run("import", "records", str(_folder(tmp_path, name, text)))
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: ") and message in r.stderr, r.stderr
    assert "q.yaml" in r.stderr
    assert "Traceback" not in r.output
    assert db_fingerprint(url) == before


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_calibration_chart_compare_and_corp(run, workspace):
    run("ask", "A", "--by", "2024-03-01", "--opened", "2024-01-01", "--id", "a")
    run("ask", "B", "--by", "2024-03-01", "--opened", "2024-01-01", "--id", "b")
    for q, p, outcome in (("a", "0.8", "yes"), ("b", "0.3", "no")):
        run("forecast", q, p, "--at", "2024-01-02")
        run("forecast", q, "0.5", "--at", "2024-01-03", "--as", "bob")
        run("resolve", q, outcome, "--known-at", "2024-02-01")
    out = workspace / "cal.png"
    r = run("calibration", "--out", str(out), "--compare", "alice,bob,crowd:median", "--corp",
            "--json")
    assert r.exit_code == 0, r.output
    assert out.stat().st_size > 10_000 and out.read_bytes()[:4] == b"\x89PNG"
    data = json.loads(r.stdout)
    assert set(data["series"]) == {"alice", "bob", "crowd:median"}
    assert sum(b["n"] for b in data["series"]["alice"]["bins"]) == 2
    assert data["series"]["bob"]["decomposition"]["corp"]["score"] == pytest.approx(0.25)
    bad = run("calibration", "--out", str(workspace / "cal.jpg"))
    assert bad.exit_code == 1 and "use a file name ending in .png, .svg or .pdf" in bad.stderr


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_words_chart_and_ingest_edit(run, workspace, tmp_path, monkeypatch):
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, re\n"
        "path = sys.argv[1]\n"
        "text = open(path).read()\n"
        "text = re.sub(r'p: 0.7\\b', 'p: 0.65', text, count=1)\n"
        "open(path, 'w').write(text)\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    doc = shared("documents", "ukraine-war-escalates-2024-11.txt")
    r = run("ingest", str(doc), "--published", "2024-11-28", "--as", "Wire", "--edit",
            "--accept")
    assert r.exit_code == 0, r.output
    standing = sorted(q["standing"]["Wire"] for q in json.loads(run("list", "--json").stdout))
    assert standing == [0.4, 0.45, 0.65]
    qid = next(q["id"] for q in json.loads(run("list", "--json").stdout)
               if q["standing"]["Wire"] == 0.65)
    run("resolve", qid, "yes", "--known-at", "2024-12-13")
    out = workspace / "words.png"
    w = run("words", "--out", str(out))
    assert w.exit_code == 0 and out.read_bytes()[:4] == b"\x89PNG"
    assert "1 of 1" in w.stdout and "likely" in w.stdout
