"""`forethought.open_workspace(...)`: DataFrames with the documented columns and dtypes
(timezone-aware timestamps), and score/calibration that agree with the command line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.report.sample import SYNTHETIC, XSS, populate

import forethought
from forethought.errors import QuestionNotFound, WorkspaceNotFound

COLUMNS = {
    "questions": ["question_id", "title", "type", "options", "opened_at", "resolve_by",
                  "source_id", "scheduled_close", "outcome", "close_at", "resolved_at",
                  "visibility", "tags", "status", "forecasts"],
    "forecasts": ["forecast_id", "question_id", "forecaster", "made_at", "probability",
                  "distribution", "source_id", "cue", "scale", "recorded_at"],
    "resolutions": ["resolution_id", "question_id", "outcome", "known_at", "recorded_at", "note",
                    "evidence", "correction", "current"],
    "claims": ["claim_id", "source_id", "said_by", "text", "event_date", "span_start",
               "span_end", "recorded_at", "status", "status_at", "grade", "reliability",
               "credibility", "graded_at"],
    "sources": ["source_id", "title", "outlet", "author", "published_at", "url", "sha256",
                "recorded_at"],
}
TIMES = {
    "questions": ["opened_at", "scheduled_close", "close_at", "resolved_at"],
    "forecasts": ["made_at", "recorded_at"],
    "resolutions": ["known_at", "recorded_at"],
    "claims": ["recorded_at", "status_at", "graded_at"],
    "sources": ["recorded_at"],
}
TEXT = {
    "questions": ["question_id", "title", "type"],
    "forecasts": ["question_id", "forecaster"],
    "resolutions": ["question_id", "outcome"],
    "claims": ["claim_id", "text", "status"],
    "sources": ["source_id", "title"],
}


@pytest.fixture
def ws(sample):
    with forethought.open_workspace(sample["folder"]) as opened:
        yield opened


@pytest.mark.parametrize("table", list(COLUMNS))
def test_tables_have_the_documented_columns_and_dtypes(ws, table):
    frame = getattr(ws, table)()
    assert list(frame.columns) == COLUMNS[table]
    assert len(frame) > 0
    for col in TIMES[table]:
        assert isinstance(frame[col].dtype, pd.DatetimeTZDtype), col
        assert str(frame[col].dtype.tz) == "UTC" and frame[col].dtype.unit == "us", col
    for col in TEXT[table]:
        assert pd.api.types.is_string_dtype(frame[col]), col
    documented = forethought.api.__doc__ or ""
    for col in COLUMNS[table]:
        assert col in documented, f"{table}.{col} is not documented"


def test_questions_frame(ws):
    q = ws.questions().set_index("question_id")
    assert q.loc["xss-question", "title"] == XSS
    assert q.loc["xss-question", "tags"] == ["<tag>&amp;"]
    assert q.loc["xss-question", "outcome"] == "yes"
    assert q.loc["xss-question", "close_at"] == pd.Timestamp("2025-02-20", tz="UTC")
    assert q.loc["multi-question", "options"] == ["Red", "Green", "Blue"]
    assert q.loc["multi-question", "forecasts"] == 3
    assert set(q["status"]) <= {"open", "due", "resolved"}
    assert q["forecasts"].dtype == np.int64
    assert q["resolve_by"].map(type).eq(type(pd.Timestamp("2025-01-01").date())).all()
    assert set(ws.questions(tag="even")["question_id"]) == {f"synthetic-{i:02d}"
                                                              for i in range(0, 20, 2)}


def test_forecasts_frame_and_filters(ws):
    f = ws.forecasts()
    assert f["forecast_id"].dtype == np.int64 and f["probability"].dtype == np.float64
    assert f["forecast_id"].is_monotonic_increasing
    multi = ws.forecasts(question="multi")
    assert len(multi) == 3 and multi["probability"].isna().all()
    assert multi["distribution"].iloc[0] == {"Red": 0.5, "Green": 0.3, "Blue": 0.2}
    sharp = ws.forecasts(forecaster="synthetic:sharp")
    assert set(sharp["forecaster"]) == {"synthetic:sharp"} and len(sharp) == 40
    with pytest.raises(QuestionNotFound):
        ws.forecasts(question="no-such")


def test_resolutions_keep_corrections(ws, sample):
    from forethought.services.questions import resolve

    resolve(ws.store, "xss-question", "no", known_at="2025-02-21", correct="misread the news",
            now=sample["now"])
    r = ws.resolutions()
    mine = r[r["question_id"] == "xss-question"]
    assert mine["outcome"].tolist() == ["yes", "no"]
    assert mine["current"].tolist() == [False, True]
    assert mine["correction"].iloc[1] == "misread the news"
    assert r["resolution_id"].dtype == np.int64 and r["current"].dtype == bool
    assert ws.questions().set_index("question_id").loc["xss-question", "outcome"] == "no"


def test_claims_and_sources(ws):
    c = ws.claims().set_index("claim_id")
    evil = c.loc["evil-source/c1"]
    assert evil["grade"] == "B2" and evil["reliability"] == "B" and evil["credibility"] == 2
    assert evil["status"] == "disputed"
    assert c["credibility"].dtype == pd.Int64Dtype() and c["span_start"].dtype == pd.Int64Dtype()
    assert len(ws.claims(source="ukraine-war-escalates-2024-11")) == 11
    s = ws.sources().set_index("source_id")
    assert s.loc["evil-source", "url"] == "javascript:alert('url')"  # data, never a link


def test_score_mirrors_the_command_line(ws, run):
    result = ws.score(by=["forecaster"])
    cli = json.loads(run("score", "--json").stdout)
    assert result.meta["policy"] == cli["policy"] and result.meta["scale"] == cli["scale"]
    got = result.frame.set_index("forecaster")
    for row in cli["rows"]:
        assert got.loc[row["forecaster"], "brier"] == pytest.approx(row["brier"], abs=1e-12)
        assert got.loc[row["forecaster"], "questions"] == row["questions"]
    tagged = ws.score("brier", by="tag", policy="final")
    assert "tag" in tagged.frame.columns and tagged.meta["policy"] == "final"
    assert len(result.pairs) >= len(result.frame)


def test_calibration_table_brier_and_plot(ws):
    from forethought.scoring import calibration_table, calibration_weights

    cal = ws.calibration()
    frames = ws.questions(), ws.forecasts()
    p, o, w = calibration_weights(*frames)
    pd.testing.assert_frame_equal(cal.table, calibration_table(p, o, w))
    assert cal.n == len(p) and cal.table["n"].sum() == cal.n
    # time weighting spreads each pair's weight 1 over how long each forecast stood, so the
    # weighted Brier is the mean of the time-averaged scores over the binary pairs
    everyone = ws.score("brier", by=[])
    assert cal.brier == pytest.approx(float(everyone.frame["brier"].iloc[0]), abs=1e-12)
    sharp = ws.calibration(forecaster=SYNTHETIC[0], bins="5", weighting="each",
                           consistency=True, decompose=True)
    assert len(sharp.table) == 5 and "consistency_low" in sharp.table
    assert sharp.n == 32  # 16 resolved questions, two forecasts each
    parts = sharp.decomposition["murphy"]
    brier = float(np.mean((sharp.arrays[0] - sharp.arrays[1]) ** 2))
    assert parts["rel"] - parts["res"] + parts["unc"] == pytest.approx(brier, abs=1e-12)
    ax = sharp.plot()
    assert ax.get_title().startswith(f"Calibration — {SYNTHETIC[0]}")


def test_calibration_agrees_with_the_command_line(ws, run):
    pytest.importorskip("forethought.services.calibration")
    result = run("calibration", "--json")
    assert result.exit_code == 0, result.output
    bins = json.loads(result.stdout)["bins"]
    table = ws.calibration().table
    assert [b["n"] for b in bins] == table["n"].tolist()
    np.testing.assert_allclose([np.nan if b["observed"] is None else b["observed"]
                                for b in bins], table["observed"], equal_nan=True)


def test_open_workspace_finds_folders_files_and_urls(sample, monkeypatch):
    folder: Path = sample["folder"]
    sub = folder / "deeper/still"
    sub.mkdir(parents=True)
    for target in (folder, str(folder), sub):
        with forethought.open_workspace(target) as ws:
            assert len(ws.questions()) == 25
    url = sample["url"]
    with forethought.open_workspace(url if "://" in url else Path(url)) as ws:
        assert len(ws.forecasts()) > 100
    monkeypatch.chdir(sub)
    with forethought.open_workspace() as ws:
        assert "forethought workspace" in repr(ws)
        assert ws.question("xss").question.title == XSS


def test_open_workspace_refuses_what_is_not_there(tmp_path):
    with pytest.raises(WorkspaceNotFound, match="does not exist"):
        forethought.open_workspace(tmp_path / "missing")
    with pytest.raises(WorkspaceNotFound, match="holds no forethought workspace"):
        forethought.open_workspace(tmp_path)
    assert not list(tmp_path.iterdir())  # nothing was created


def test_empty_workspace_gives_empty_frames(workspace):
    with forethought.open_workspace(workspace) as ws:
        for table in COLUMNS:
            frame = getattr(ws, table)()
            assert frame.empty and list(frame.columns) == COLUMNS[table], table
        cal = ws.calibration()
        assert cal.n == 0 and cal.brier is None and cal.table["n"].sum() == 0


def test_sample_builder_is_deterministic(tmp_path):
    """The notebook and these tests lean on the sample; building it twice gives the same."""
    from forethought.services.workspace import init

    frames = []
    for name in ("a", "b"):
        ws = init(tmp_path / name)
        populate(ws.store())
        ws.close()
        with forethought.open_workspace(tmp_path / name) as opened:
            frames.append(opened.forecasts().drop(columns=["recorded_at"]))
    pd.testing.assert_frame_equal(*frames)
