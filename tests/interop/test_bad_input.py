"""Bad files stop with `Error:` naming the file, the line or row, the field and the value; the
exit code is non-zero and the database is byte-for-byte unchanged."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from tests.interop.conftest import FB_FILES, FIXTURES

FATEBOOK = (FIXTURES / "fatebook.csv").read_text(encoding="utf-8")
PB_JSON = (FIXTURES / "predictionbook.json").read_text(encoding="utf-8")


def _jsonl_lines() -> list[str]:
    base = {"format_version": 1, "title": "Q", "opened_at": "2024-01-01T00:00:00.000000Z",
            "resolve_by": "2024-02-01"}
    return [json.dumps(base | {"id": f"q{i}", "forecasts": [
        {"forecaster": "ann", "made_at": "2024-01-02T00:00:00.000000Z", "probability": 0.5}]})
        for i in range(3)]


def _jsonl(*lines: str) -> str:
    return "\n".join(lines) + "\n"


GOOD = _jsonl_lines()
CASES = {
    # name: (format, file name, content (str, or bytes), expected fragments of the message)
    "jsonl truncated": ("jsonl", "x.jsonl", _jsonl(*GOOD[:2], GOOD[2][:40]),
                        ["line 3:", "not valid JSON"]),
    "jsonl probability 1.7": ("jsonl", "x.jsonl", _jsonl(GOOD[0], GOOD[1].replace('0.5', '1.7')),
                              ["line 2:", "'forecasts.0.probability'", "1.7"]),
    "jsonl probability seventy": ("jsonl", "x.jsonl",
                                  _jsonl(GOOD[0], GOOD[1].replace('0.5', '"seventy"')),
                                  ["line 2:", "'forecasts.0.probability'", "'seventy'"]),
    "jsonl unknown date": ("jsonl", "x.jsonl",
                           _jsonl(GOOD[0], GOOD[1].replace("2024-01-02T00:00:00.000000Z",
                                                           "02/01/2024 noon")),
                           ["line 2:", "'forecasts.0.made_at'", "'02/01/2024 noon'"]),
    "jsonl unknown field": ("jsonl", "x.jsonl", _jsonl(GOOD[0].replace('"title"', '"titel"')),
                            ["line 1:", "'titel'"]),
    "fatebook missing column": ("fatebook", "f.csv",
                                FATEBOOK.replace("Forecast created at,", "", 1),
                                ["line 1:", "column 'Forecast created at' is missing"]),
    "fatebook renamed column": ("fatebook", "f.csv",
                                FATEBOOK.replace("(scale = 0-1)", "(scale = 0-100)", 1),
                                ["line 1:", "column 'Forecast (scale = 0-1)' is missing"]),
    "fatebook probability 1.7": ("fatebook", "f.csv",
                                 FATEBOOK.replace('"Bob",1,2024-01-05', '"Bob",1.7,2024-01-05'),
                                 ["line 3:", "'Forecast (scale = 0-1)'", "1.7"]),
    "fatebook probability seventy": ("fatebook", "f.csv",
                                     FATEBOOK.replace(',"Alice",0.35,', ',"Alice",seventy,'),
                                     ["line 14:", "'Forecast (scale = 0-1)'", "'seventy'"]),
    "fatebook unknown date": ("fatebook", "f.csv",
                              FATEBOOK.replace("0,2024-01-06 08:00:0,", "0,06/01/2024 8am,"),
                              ["line 4:", "'Forecast created at'", "'06/01/2024 8am'"]),
    "fatebook latin-1": ("fatebook", "f.csv", FATEBOOK.encode("latin-1"),
                         ["line 2:", "not UTF-8", "0xe9"]),
    "fatebook bad resolution": ("fatebook", "f.csv", FATEBOOK.replace('"NO",2024-02-11',
                                                                      '"MAYBE",2024-02-11'),
                                ["line 5:", "'Resolution'", "'MAYBE'"]),
    "predictionbook truncated": ("predictionbook", "p.json", PB_JSON[:700],
                                 [f"line {PB_JSON[:700].count(chr(10)) + 1}, column",
                                  "not valid JSON"]),
    "predictionbook confidence 170": ("predictionbook", "p.json",
                                      PB_JSON.replace('"confidence": 40', '"confidence": 170'),
                                      ["predictions[0]", "responses[1]", "'confidence'", "170"]),
    "csv probability seventy": ("csv", "c.csv",
                                "question_id,question_title,question_type,options,criteria,"
                                "opened_at,resolve_by,tags,forecaster,made_at,probability,"
                                "distribution,rationale,outcome,known_at\n"
                                "q1,Q,binary,,,2024-01-01,2024-02-01,[],ann,2024-01-02,0.4,,,,\n"
                                "q1,Q,binary,,,2024-01-01,2024-02-01,[],bob,2024-01-02,seventy,,,,\n",
                                ["line 3:", "'probability'", "'seventy'"]),
}


@pytest.fixture
def seeded(run, fixtures):
    """A workspace that already holds data, so "unchanged" means something."""
    assert run("import", "metaculus", str(fixtures / "metaculus")).exit_code == 0


def _refused(run, fingerprint, args, fragments):
    before = fingerprint()
    result = run("import", *args)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: "), result.stderr
    message = result.stderr.splitlines()[0]
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert "nothing was imported" in message
    assert "Traceback" not in result.output
    assert fingerprint() == before
    return message


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_is_refused_and_nothing_changes(run, seeded, fingerprint, tmp_path, case):
    fmt, name, content, fragments = CASES[case]
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    message = _refused(run, fingerprint, [fmt, str(path)], fragments)
    assert message.startswith(f"Error: {path}")


def test_bad_row_late_in_a_file_rolls_back_earlier_rows(run, seeded, fingerprint, tmp_path):
    """5,000 good questions (several chunks, already written) then one bad line."""
    base = json.loads(GOOD[0])
    lines = [json.dumps(base | {"id": f"bulk-{i}", "forecasts": [
        {"forecaster": f"f{j}", "made_at": f"2024-01-02T00:00:{j:02d}.000000Z",
         "probability": 0.5} for j in range(5)]}) for i in range(5000)]
    lines.append(GOOD[1].replace("0.5", "1.7"))
    path = tmp_path / "late.jsonl"
    path.write_text(_jsonl(*lines), encoding="utf-8")
    _refused(run, fingerprint, ["jsonl", str(path)], ["line 5001:", "1.7"])


def test_metaculus_zip_without_question_data(run, seeded, fingerprint, tmp_path, fixtures):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.write(fixtures / "metaculus" / "forecast_data.csv", "forecast_data.csv")
    _refused(run, fingerprint, ["metaculus", str(path)],
             ["no question_data.csv (found forecast_data.csv)"])


def test_metaculus_garbage_zip(run, seeded, fingerprint, tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    _refused(run, fingerprint, ["metaculus", str(path)], ["not a ZIP file"])


def test_forecastbench_truncated(run, seeded, fingerprint, tmp_path):
    from tests.conftest import shared

    path = tmp_path / "questions.json"
    path.write_bytes(shared("data", "forecastbench", FB_FILES[0].name).read_bytes()[:5000])
    _refused(run, fingerprint, ["forecastbench", str(path), str(FB_FILES[1]), str(FB_FILES[2])],
             ["not valid JSON"])


def _garbage(path: Path, size: int) -> None:
    block = os.urandom(2**20)
    with path.open("wb") as fh:
        for _ in range(size // 2**20):
            fh.write(block)


@pytest.mark.parametrize(("fmt", "name"), [("jsonl", "g.jsonl"), ("fatebook", "g.csv"),
                                           ("csv", "g.csv"), ("predictionbook", "g.json"),
                                           ("metaculus", "g.zip")])
def test_200_mb_of_garbage_is_refused_quickly(run, seeded, fingerprint, tmp_path, fmt, name):
    path = tmp_path / name
    _garbage(path, 200 * 2**20)
    message = _refused(run, fingerprint, [fmt, str(path)], [str(path)])
    assert "line 1" in message or "not a ZIP" in message  # refused at the start: streamed
