"""Hostile records and JSON files (issue #12, items 4, 5, 7 and 9): anchors and aliases (the
alias bomb), files past the size cap, errors without a location, duplicate keys, values too
large to print, and every character YAML reads as a line break surviving export → import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.helpers import db_fingerprint, workspace_url

from forethought.errors import ImportRejected
from forethought.interop.records import MAX_FILE, read_claims_file, read_question_file

HEAD = """format_version: 1
id: q
title: Will it rain?
opened_at: '2024-01-01T00:00:00.000000Z'
resolve_by: '2025-01-01'
"""
# the classic "billion laughs": 9 levels of 9 aliases, a few hundred bytes
BOMB = "a0: &a0 [lol]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))


def _records(tmp_path: Path, text: str, name: str = "q.yaml") -> tuple[Path, Path]:
    folder = tmp_path / "records"
    (folder / "forecasts").mkdir(parents=True, exist_ok=True)
    path = folder / "forecasts" / name
    path.write_text(text, encoding="utf-8")
    return folder, path


def _refused(run, workspace, folder: Path) -> str:
    url = workspace_url(workspace)
    before = db_fingerprint(url)
    r = run("import", "records", str(folder))
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    assert db_fingerprint(url) == before
    assert len(r.stderr.splitlines()) == 1, r.stderr
    return r.stderr.strip()


def test_an_alias_is_refused(run, workspace, tmp_path):
    """forethought never writes anchors or aliases; a file that has one is not its own."""
    folder, path = _records(tmp_path, HEAD + "criteria: &c Rain at noon\nfine_print: *c\n")
    assert _refused(run, workspace, folder) == (
        f"Error: {path}: line 6, column 11: YAML syntax error: an anchor (&c) is not allowed: "
        "forethought never writes anchors or aliases; write each value out")


def test_the_alias_bomb_is_refused_before_it_expands(run, workspace, tmp_path):
    folder, path = _records(tmp_path, BOMB)
    assert _refused(run, workspace, folder).startswith(
        f"Error: {path}: line 1, column 5: YAML syntax error: an anchor (&a0) is not allowed")


def test_an_alias_without_its_anchor_in_a_claims_file(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text("format_version: 1\nclaims:\n- *nowhere\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match=r"line 3, column 3: YAML syntax error: an alias "
                                             r"\(\*nowhere\) is not allowed"):
        read_claims_file(path)


def test_a_records_file_past_the_cap_is_refused_unread(run, workspace, tmp_path):
    """A sparse file: the size is refused from the file system, nothing is read."""
    folder, path = _records(tmp_path, "")
    with path.open("r+b") as fh:
        fh.truncate(MAX_FILE + 1)
    assert _refused(run, workspace, folder) == (
        f"Error: {path}: 64 MB is more than a records file can be (64 MB, like a JSONL line); "
        "this is not a forethought records file")


def test_a_yaml_error_always_names_its_line(tmp_path):
    """A character YAML cannot take carries no mark; its position still names the line."""
    path = tmp_path / "q.yaml"
    path.write_text(HEAD + "criteria: bell\x07\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as err:
        read_question_file(path)
    assert str(err.value).startswith(f"{path}: line 6, column 15: YAML syntax error: ")


@pytest.mark.parametrize(("text", "line", "key", "first"), [
    (HEAD + "title: Will it snow?\n", 6, "title", 3),
    (HEAD + "forecasts:\n- forecaster: ana\n  made_at: '2024-02-01T00:00:00Z'\n"
            "  probability: 0.4\n  probability: 0.9\n", 10, "probability", 9),
], ids=["question", "forecast"])
def test_a_key_given_twice_is_refused_naming_key_and_line(tmp_path, text, line, key, first):
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRejected) as err:
        read_question_file(path)
    assert str(err.value) == (f"{path}: line {line}, column 3: YAML syntax error: the key "
                              f"{key!r} appears twice in one mapping (first on line {first}); "
                              "keep one").replace("column 3", f"column {1 if line == 6 else 3}")


def test_a_merge_key_is_refused(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text(HEAD + "<<: {criteria: x}\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match=r"line 6, column 1: YAML syntax error: merge keys"):
        read_question_file(path)


def test_a_json_document_with_a_key_twice_is_refused_naming_key_and_line(tmp_path):
    from forethought.interop.common import load_document

    path = tmp_path / "doc.json"
    path.write_text('{"a": 1,\n "items": [\n   {"x": 1},\n   {"y": 2,\n    "y": 3}\n ]\n}\n',
                    encoding="utf-8")
    with pytest.raises(ImportRejected) as err:
        load_document(path, "test")
    assert str(err.value) == (f"{path}, line 4: the object starting here gives the key 'y' "
                              "twice; keep one; nothing was imported")


@pytest.mark.parametrize("value", ["[" + ", ".join(["1"] * 200_000) + "]", "x" * 1_000_000],
                         ids=["long list", "long text"])
def test_a_message_never_carries_a_whole_value(tmp_path, value):
    path = tmp_path / "q.yaml"
    path.write_text(HEAD + f"span: {value}\ntags: {value}\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as err:
        read_question_file(path)
    assert len(str(err.value)) < 300, str(err.value)[:300]


# ---- every character YAML reads as a line break, and every control ---------------------------

#: C0 controls but NUL (no database stores it) and newline (written as is), DEL, every C1
#: control (U+0085 NEL among them), the Unicode line and paragraph separators, the BOM
CONTROLS = "".join(chr(c) for c in (*range(0x01, 0x0a), *range(0x0b, 0x20), *range(0x7f, 0xa0),
                                    0x2028, 0x2029, 0xfeff))


@pytest.fixture
def controls(run):
    """A question whose text fields hold the characters of CONTROLS inside words: the title
    U+0085 alone (the issue's case: alone it was written raw and read back as a space), the
    criteria all of them, and one forecast per character whose rationale holds it alone."""
    text = "".join(f"{c}x" for c in CONTROLS)
    steps = [("ask", "Will it\x85rain?", "--by", "2030-01-01", "--id", "ctl", "--criteria",
              f"Rain{text}\nat noon", "--tag", f"t{CONTROLS}t", "--opened", "2024-01-01")]
    steps += [("forecast", "ctl", "0.6", "--at", f"2024-02-01T00:{i // 60:02d}:{i % 60:02d}",
               "--why", f"be{c}cause") for i, c in enumerate(CONTROLS)]
    steps.append(("resolve", "ctl", "yes", "--note", f"so{text}it was"))
    for args in steps:
        r = run(*args)
        assert r.exit_code == 0, r.output
    return text


def _question(run, *db: str) -> dict:
    return json.loads(run("show", "ctl", "--json", *db).stdout)


def test_records_keep_every_control_character(run, controls, empty_db, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert run("export", "records", "--out", str(first)).exit_code == 0
    other = empty_db()
    r = run("import", "records", str(first), "--db", other)
    assert r.exit_code == 0, r.output
    mine, theirs = _question(run), _question(run, "--db", other)
    assert theirs["question"]["title"] == "Will it\x85rain?"
    assert controls in theirs["question"]["criteria"]
    for part, name in (("question", "title"), ("question", "criteria"), ("question", "tags")):
        assert theirs[part][name] == mine[part][name]
    assert [f["rationale"] for f in theirs["forecasts"]] == [f"be{c}cause" for c in CONTROLS]
    assert theirs["resolutions"][0]["note"] == mine["resolutions"][0]["note"]
    assert run("export", "records", "--out", str(second), "--db", other).exit_code == 0
    path = Path("forecasts") / "ctl.yaml"
    assert (first / path).read_bytes() == (second / path).read_bytes()
    written = (first / path).read_text(encoding="utf-8")
    assert not set(written) & set(CONTROLS)  # each one written as an escape


def test_jsonl_keeps_every_control_character_on_one_line(run, controls, empty_db, tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert run("export", "jsonl", "--out", str(first)).exit_code == 0
    text = first.read_text(encoding="utf-8")
    assert text.splitlines() == text.split("\n")[:-1]  # no line break but the newline
    other = empty_db()
    assert run("import", "jsonl", str(first), "--db", other).exit_code == 0
    assert _question(run, "--db", other)["question"]["title"] == _question(run)["question"][
        "title"]
    assert run("export", "jsonl", "--out", str(second), "--db", other).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
