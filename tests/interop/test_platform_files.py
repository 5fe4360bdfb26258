"""Genuine platform files, as the platforms' exporters write them (tests/interop/exporters.py):
short rows, new and reordered columns, earlier column names, anonymized exports. What is
tolerated is said in the import's notes; only what would lose or invent data is refused."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from tests.interop.conftest import questions_in
from tests.interop.exporters import MForecast, MQuestion, fatebook_export, metaculus_export

T0 = datetime(2025, 3, 1, tzinfo=UTC)
ALICE, BOB = (11, "alice_m"), (12, "bob_m")


def _questions() -> list[MQuestion]:
    return [
        MQuestion(501, "Will the dam be finished by June 2025?", T0, T0 + timedelta(days=90),
                  categories=["Infrastructure"], resolution="yes",
                  resolved_at=T0 + timedelta(days=60)),
        MQuestion(502, "Which city hosts the summit?", T0, T0 + timedelta(days=90),
                  type="multiple_choice", options=["Oslo", "Rome", "Lima"]),
        MQuestion(503, "Will the strike end before July?", T0, T0 + timedelta(days=120)),
    ]


def _forecasts() -> list[MForecast]:
    day = timedelta(days=1)
    return [
        MForecast(501, T0 + day, T0 + 5 * day, user=ALICE, p_yes=0.6),
        MForecast(501, T0 + 5 * day, None, user=ALICE, p_yes=0.8),
        MForecast(501, T0 + 2 * day, None, user=BOB, p_yes=0.3),
        MForecast(502, T0 + day, None, user=ALICE, per_category=[0.5, 0.3, 0.2]),
        MForecast(503, T0 + 3 * day, None, user=BOB, p_yes=0.25),
        # the aggregates: written after everyone's forecasts on every question
        MForecast(501, T0 + day, T0 + 2 * day, p_yes=0.6, count=1),
        MForecast(501, T0 + 2 * day, None, p_yes=0.45, count=2),
        MForecast(502, T0 + day, None, per_category=[0.5, 0.3, 0.2], count=1),
        # geometric_mean writes a binary question's forecast as [P(no), P(yes)]
        MForecast(503, T0 + 3 * day, None, method="geometric_mean", per_category=[0.75, 0.25],
                  count=1),
    ]


def _import(run, path, *extra):
    result = run("import", "metaculus", str(path), "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_2026_metaculus_export_with_short_rows_is_read(run, tmp_path, ws_url):
    """Unresolved questions' rows have 18 fields under the 19-column header."""
    path = metaculus_export(tmp_path / "m", _questions(), _forecasts(), zip_name="export.zip")
    report = _import(run, path)
    assert report["added"] == {"questions": 3, "forecasts": 9, "resolutions": 1}
    assert report["unchanged"] == {}
    notes = " | ".join(report["notes"])
    assert ("4 rows of forecast_data.csv end before the header's last column(s) 'PDF at "
            "Resolution', which forethought does not read (18 of 19 fields)") in notes
    assert "geometric_mean" in notes
    qs = questions_in(ws_url)
    dam = qs["metaculus-501"]
    assert dam.question.tags == ["Infrastructure", "metaculus"]
    assert dam.resolution.outcome == "yes"
    assert {f.forecaster for f in dam.forecasts} == {
        "metaculus-user:alice_m", "metaculus-user:bob_m", "metaculus:recency_weighted"}
    strike = {f.forecaster: f.probability for f in qs["metaculus-503"].forecasts}
    assert strike == {"metaculus-user:bob_m": 0.25, "metaculus:geometric_mean": 0.25}
    assert qs["metaculus-502"].question.options == ["Oslo", "Rome", "Lima"]
    again = _import(run, path)
    assert again["added"] == {}
    assert again["unchanged"] == {"questions": 3, "forecasts": 9, "resolutions": 1}


def test_an_anonymized_export_names_people_by_their_hash(run, tmp_path, ws_url):
    scores = [(501, ALICE, "", "baseline", 40.0, 1.0), (501, None, "recency_weighted",
                                                         "baseline", 30.0, 1.0)]
    path = metaculus_export(tmp_path / "m", _questions(), _forecasts(), scores, anonymized=True)
    report = _import(run, path)
    assert report["added"]["forecasts"] == 9
    names = {f.forecaster for f in questions_in(ws_url)["metaculus-501"].forecasts}
    hashed = {n for n in names if n.startswith("metaculus-user:")}
    assert len(hashed) == 2 and all(len(n.split(":")[1]) == 64 for n in hashed)
    assert "metaculus:recency_weighted" in names
    assert "read column 'Forecaster (Anonymized)' as 'Forecaster Username'" in \
        " | ".join(report["notes"])
    alice = "metaculus-user:" + hashlib.sha256(b"11").hexdigest()
    assert alice in hashed
    rows = report["comparison"]["rows"]
    assert {r["forecaster"] for r in rows} == {alice, "metaculus:recency_weighted"}


def test_an_older_metaculus_layout_is_read(run, tmp_path, ws_url):
    """Mid-2024 exports: one 'MC Options' column, no categories, no 'Is Bot'."""
    path = metaculus_export(tmp_path / "m", _questions(), _forecasts(), layout="2024")
    report = _import(run, path)
    assert report["added"]["questions"] == 3
    notes = " | ".join(report["notes"])
    assert "read column 'MC Options' as 'MC Options (All)'" in notes
    assert "question_data.csv has no column 'Categories'" in notes
    assert questions_in(ws_url)["metaculus-502"].question.options == ["Oslo", "Rome", "Lima"]


def test_new_and_reordered_columns_are_read_and_named(run, tmp_path, ws_url):
    folder = metaculus_export(tmp_path / "m", _questions(), _forecasts())
    table = (folder / "forecast_data.csv").read_text(encoding="utf-8").splitlines()
    rows = [line.split(",", 3) for line in table]  # no quoted commas in the first 3 fields
    moved = [",".join([r[2], r[0], r[1], r[3]]) for r in rows]
    moved[0] += ",Forecast Weight"
    (folder / "forecast_data.csv").write_text("\r\n".join(moved) + "\r\n", encoding="utf-8")
    report = _import(run, folder)
    assert report["added"]["forecasts"] == 9
    assert ("forecast_data.csv: column(s) 'Forecast Weight' are new to forethought and were "
            "not read") in " | ".join(report["notes"])


@pytest.mark.parametrize(("change", "message"), [
    (lambda row: row.rsplit(",", 12)[0],
     "the row ends before column 'Probability Yes', which forethought reads"),
    (lambda row: row + ",0.5", "the extra value '0.5' belongs to no column"),
])
def test_rows_that_would_lose_or_invent_data_are_refused(run, tmp_path, fingerprint, change,
                                                         message):
    folder = metaculus_export(tmp_path / "m", _questions(), _forecasts())
    lines = (folder / "forecast_data.csv").read_bytes().decode("utf-8").split("\r\n")
    lines[2] = change(lines[2])
    (folder / "forecast_data.csv").write_bytes("\r\n".join(lines).encode("utf-8"))
    before = fingerprint()
    result = run("import", "metaculus", str(folder))
    assert result.exit_code == 1
    assert "forecast_data.csv, line 3:" in result.stderr and message in result.stderr, \
        result.stderr
    assert "nothing was imported" in result.stderr
    assert fingerprint() == before


# ---- Fatebook --------------------------------------------------------------------------------

def _fatebook_rows() -> list[dict]:
    created, by = datetime(2024, 5, 2, 9, 3, 7), datetime(2024, 6, 1)
    base = {"Question title": "Will the library reopen by June?",
            "Question created by": "Ann", "Question created at": created,
            "Question resolve by": by, "Resolution": "YES",
            "Resolved at": datetime(2024, 5, 20, 16, 0, 4),
            "Your Brier score for this question": 0.0872,
            "Your relative Brier score for this question": -0.01,
            "Question notes": "Per the council's notice", "Question shared publicly": False}
    return [{**base, "Forecast created by": "Ann", "Forecast (scale = 0-1)": 0.7,
             "Forecast created at": datetime(2024, 5, 2, 9, 4, 0)},
            {**base, "Forecast created by": "Ann", "Forecast (scale = 0-1)": 0.85,
             "Forecast created at": datetime(2024, 5, 9, 18, 30, 5)}]


@pytest.mark.parametrize("layout", ["2023", "2024", "2025"])
def test_every_fatebook_layout_reads_the_same(run, tmp_path, ws_url, layout):
    path = fatebook_export(tmp_path / "fatebook.csv", _fatebook_rows(), layout)
    result = run("import", "fatebook", str(path), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["added"] == {"questions": 1, "forecasts": 2, "resolutions": 1}
    (view,) = questions_in(ws_url).values()
    assert [(r.outcome, r.known_at) for r in view.resolutions] == [
        ("yes", datetime(2024, 5, 20, 16, 0, 4, tzinfo=UTC))]
    assert [f.probability for f in view.forecasts] == [0.7, 0.85]
    notes = " | ".join(report["notes"])
    if layout == "2023":
        assert ("read column 'Question resolution' as 'Resolution', 'Question resolved at' as "
                "'Resolved at'") in notes
        assert "no column 'Multiple choice option', 'Question tags'" in notes
    else:
        assert "read column" not in notes


def test_a_fatebook_tournament_export_is_read(run, tmp_path, ws_url):
    rows = [{**r, "Tournament name": "Spring Cup"} for r in _fatebook_rows()]
    path = fatebook_export(tmp_path / "tournament-forecasts.csv", rows, "tournament")
    result = run("import", "fatebook", str(path))
    assert result.exit_code == 0, result.output
    assert "Added 1 questions, 2 forecasts, 1 resolutions" in result.stderr
    (view,) = questions_in(ws_url).values()
    assert view.question.tags == ["Spring Cup", "fatebook"]


# ---- the bulk path ---------------------------------------------------------------------------

def test_aggregates_listed_after_everyone_do_not_reread_the_question(run, tmp_path,
                                                                     monkeypatch):
    """Metaculus lists the aggregates after every person's forecasts: the question met again
    reads back only the aggregates' own forecasts, not everyone's (that made the import read
    back nearly every row it had just written)."""
    from forethought.store import codec

    decoded = []
    real = codec.decode

    def counting(table, row):
        decoded.append(table.name)
        return real(table, row)

    monkeypatch.setattr(codec, "decode", counting)
    path = metaculus_export(tmp_path / "m", _questions(), _forecasts())
    assert _import(run, path)["added"]["forecasts"] == 9
    assert decoded.count("forecasts") == 0


def test_an_import_without_the_comparison_never_loads_pandas(tmp_path):
    import subprocess
    import sys

    path = fatebook_export(tmp_path / "fatebook.csv", _fatebook_rows(), "2025")
    code = ("import sys\n"
            "from pathlib import Path\n"
            "from forethought.services.interop import import_fatebook\n"
            "from forethought.store.engine import Store\n"
            f"store = Store('sqlite:///{tmp_path / 'x.db'}', upgrade=True)\n"
            f"report = import_fatebook(store, Path({str(path)!r}), compare=False)\n"
            "assert report.added['forecasts'] == 2 and report.comparison is None\n"
            "print('pandas' in sys.modules, 'forethought.scoring' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
