"""What a user publishes and checks: `ledger head`, `verify --against`, `ledger prove`,
`ledger check-proof`."""

from __future__ import annotations

import hashlib
import json

import pytest
from tests.store.conftest import sql


def test_ledger_head_prints_seq_and_hash(run, seeded):
    r = run("ledger", "head")
    assert r.exit_code == 0
    assert r.stdout == f"7 {seeded.hash_of(7)}\n"
    r = run("ledger", "head", "--json")
    assert json.loads(r.stdout) == {"seq": 7, "hash": seeded.hash_of(7)}


def test_head_of_an_empty_ledger(run, workspace):
    r = run("ledger", "head")
    assert r.stdout == f"0 {'0' * 64}\n"


@pytest.mark.parametrize("form", ["{seq} {hash}", "{seq}:{hash}", "{hash}", "{short}"])
def test_verify_against_a_published_head(run, seeded, form):
    h5 = seeded.hash_of(5)
    head = form.format(seq=5, hash=h5, short=h5[:12])
    r = run("verify", "--against", head)
    assert r.exit_code == 0, r.output
    shown = f"5 {h5[:16]}…" if "{seq}" in form else (h5[:16] + "…" if form == "{hash}"
                                                    else h5[:12])
    assert f"In the chain at entry 5: published head ({shown})." in r.stdout.splitlines()


def test_verify_json_reports_what_it_checked(run, seeded):
    r = run("verify", "--json", "--against", f"5:{seeded.hash_of(5)}")
    data = json.loads(r.stdout)
    assert data["ok"] is True
    assert (data["entries"], data["rows"]) == (7, 7)
    assert data["rows_by_table"]["forecasts"] == 4
    assert data["head"] == {"seq": 7, "hash": seeded.hash_of(7)}
    assert data["heads"] == [{"label": "published head", "seq": 5, "hash": seeded.hash_of(5),
                              "found_at": 5}]


@pytest.mark.parametrize("bad", ["abc", "7 xyz", "0123456789a", "g" * 64, "1" * 65])
def test_a_malformed_head_is_refused(run, seeded, bad):
    r = run("verify", "--against", bad)
    assert r.exit_code == 1
    assert r.stderr == (f"Error: {bad!r} is not a ledger head: give the line `forethought "
                        "ledger head` printed (SEQ HASH), or the hash alone (at least its first "
                        "12 hex digits)\n")
    assert r.stdout == ""


def test_a_head_from_elsewhere_is_not_in_the_chain(run, seeded):
    r = run("verify", "--against", "3:" + "ab" * 32)
    assert r.exit_code == 1
    assert f"MISMATCH published head (3 {'ab' * 8}…): is not in the chain: entry 3 now has " \
           "another hash" in r.stdout


# ---- proofs --------------------------------------------------------------------------------

def test_prove_prints_the_entries_linking_a_question_to_the_head(run, seeded):
    r = run("ledger", "prove", "treaty")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == (f"Question treaty: 4 record(s) linked to head 7 {seeded.hash_of(7)} "
                        "through 7 entries.")
    rows = [line.split()[:3] for line in lines[3:]]
    h = {s: seeded.hash_of(s)[:16] + "…" for s in range(1, 8)}
    assert rows == [["1", h[1], "question:treaty"], ["2", h[2], "forecast:1"],
                    ["3", h[3], "forecast:2"], ["…", h[6], "3"], ["7", h[7], "forecast:4"]]
    assert "3 other records (entries 4–6)" in lines[6]
    assert "bob 0.55 made 2024-03-01T00:00:00.000000Z" in lines[5]


def test_prove_against_an_earlier_head_leaves_later_records_out(run, seeded):
    r = run("ledger", "prove", "bridge", "--to", f"5:{seeded.hash_of(5)}")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(f"Question bridge: 2 record(s) linked to head 5 "
                               f"{seeded.hash_of(5)} through 2 entries.")
    assert "Recorded after that head, so not covered: entries 6." in r.stderr


def test_prove_refuses_a_head_older_than_the_question(run, seeded):
    r = run("ledger", "prove", "bridge", "--to", seeded.hash_of(3))
    assert r.exit_code == 1
    assert r.stderr == ("Error: question 'bridge' was recorded after head 3 (its first entry is "
                        "4), so that head cannot vouch for it; prove it against a later head\n")


def test_prove_refuses_a_head_not_in_the_ledger(run, seeded):
    r = run("ledger", "prove", "bridge", "--to", "cd" * 32)
    assert r.exit_code == 1
    assert r.stderr.startswith(f"Error: head {'cd' * 8}… is not in this ledger: it was "
                               "published from another database")


def test_prove_refuses_a_broken_ledger(run, seeded):
    sql(seeded.url, "UPDATE ledger SET entity = 'forecast:9' WHERE seq = 5")
    r = run("ledger", "prove", "treaty")
    assert r.exit_code == 1
    assert r.stderr == ("Error: cannot prove 'treaty': the ledger between entries 1 and 7 does "
                        "not check (entry 5's hash does not match its content); run "
                        "`forethought verify`\n")


@pytest.fixture
def proof_file(run, seeded, tmp_path):
    r = run("ledger", "prove", "treaty", "--json", "--to", f"7 {seeded.hash_of(7)}")
    assert r.exit_code == 0
    path = tmp_path / "proof.json"
    path.write_text(r.stdout, encoding="utf-8")
    return path


def test_a_proof_rederives_with_nothing_but_sha256(proof_file, seeded):
    doc = json.loads(proof_file.read_text())
    assert doc["proves"] == [1, 2, 3, 7] and doc["later"] == []
    prev = doc["entries"][0]["prev_hash"]
    for e in doc["entries"]:  # a second, independent implementation of the documented rule
        assert e["prev_hash"] == prev
        data = "\n".join([prev, e["kind"], e["entity"], e["written_at"], e["payload"]])
        prev = hashlib.sha256(data.encode("utf-8")).hexdigest()
        assert prev == e["hash"]
    assert prev == doc["head"]["hash"] == seeded.hash_of(7)


def test_check_proof_holds(run, proof_file, seeded):
    r = run("ledger", "check-proof", str(proof_file), "--head", f"7:{seeded.hash_of(7)}")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == (f"OK: 4 record(s) of question treaty existed when head 7 "
                        f"{seeded.hash_of(7)} was made (7 entries re-derived).")
    assert lines[3] == "  3  forecast:2  bob 0.55 made 2024-03-01T00:00:00.000000Z"


def _edit(path, change) -> None:
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))


def _set_payload(doc) -> None:
    doc["entries"][2]["payload"] = doc["entries"][2]["payload"].replace("0.55", "0.95")


def _claim_other(doc) -> None:
    doc["proves"].append(4)


@pytest.mark.parametrize(("change", "problem"), [
    (_set_payload, "entry 3's hash does not match its content"),
    (_claim_other, "entry 4 (question:bridge) is not a record of question 'treaty'"),
    (lambda d: d["entries"].pop(3), "entry 5 does not link to the entry before it"),
])
def test_check_proof_catches_an_edited_proof(run, proof_file, change, problem):
    _edit(proof_file, change)
    r = run("ledger", "check-proof", str(proof_file))
    assert r.exit_code == 1
    assert f"MISMATCH {problem}" in r.stdout.splitlines()
    assert r.stderr.startswith("Error: the proof does not hold: ")


def test_check_proof_against_another_head(run, proof_file, seeded):
    r = run("ledger", "check-proof", str(proof_file), "--head", f"6 {seeded.hash_of(6)}")
    assert r.exit_code == 1
    assert r.stderr == (f"Error: the proof does not hold: the proof leads to head 7 "
                        f"{seeded.hash_of(7)[:16]}…, not to the published head 6 "
                        f"{seeded.hash_of(6)[:16]}…\n")


def test_check_proof_refuses_other_files(run, workspace, tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text("{not json")
    r = run("ledger", "check-proof", str(bad))
    assert r.exit_code == 1
    assert r.stderr.startswith(f"Error: {bad} cannot be read as a JSON proof (")
    bad.write_text('{"format": "something-else"}')
    r = run("ledger", "check-proof", str(bad))
    assert r.stderr == ('Error: this is not a forethought proof (no "format": '
                        '"forethought-proof/1")\n')
