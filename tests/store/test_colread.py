"""The packed, parallel scoring read on SQLite gives exactly the frame the plain read gives."""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from forethought.services.interop import import_jsonl
from forethought.store import colread, frames
from forethought.store.engine import Store

REPO = Path(__file__).resolve().parents[2]


def _stamp(d: datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _jsonl(path: Path, n_questions: int, seed: int = 5) -> None:
    """Binary and multiple-choice questions, five forecasters with revisions, some resolved."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n_questions):
            opened = start + timedelta(hours=5 * i)
            multi = i % 4 == 3
            forecasts = []
            for who in rng.sample(["ann", "bo", "cy", "di", "ed"], 3):
                for k in range(2):
                    made = opened + timedelta(hours=1 + 30 * k, minutes=rng.randint(0, 59))
                    row = {"forecaster": who, "made_at": _stamp(made), "recorded_at": _stamp(made)}
                    if multi:
                        a = round(rng.random() * 0.6, 2)
                        row["distribution"] = {"red": a, "blue": round(1 - a, 2)}
                    else:
                        row["probability"] = round(rng.random(), 2)
                    forecasts.append(row)
            doc = {"format_version": 1, "id": f"q-{i:04d}", "title": f"Question {i}",
                   "type": "multiple" if multi else "binary", "opened_at": _stamp(opened),
                   "resolve_by": (opened + timedelta(days=20)).date().isoformat(),
                   "recorded_at": _stamp(opened), "forecasts": forecasts, "resolutions": []}
            if multi:
                doc["options"] = ["red", "blue"]
            if i % 3 == 0:
                doc["resolutions"] = [{"outcome": "red" if multi else "yes",
                                       "known_at": _stamp(opened + timedelta(days=3)),
                                       "recorded_at": _stamp(opened + timedelta(days=3))}]
            fh.write(json.dumps(doc) + "\n")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A SQLite workspace with the seed records (forecasts citing a source) and 600 more
    questions: 3,609 forecasts, enough that a helper's answer overflows a pipe's buffer."""
    from click.testing import CliRunner

    from forethought.cli.main import cli

    path = tmp_path / "f.db"
    result = CliRunner().invoke(cli, ["import", "records", str(REPO), "--db", str(path)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = tmp_path / "more.jsonl"
    _jsonl(data, 600)
    store = Store(str(path))
    import_jsonl(store, data)
    store.dispose()
    return path


def _plain(store: Store) -> pd.DataFrame:
    with store.read() as conn:
        f = frames.forecasts_frame(conn, frames.SCORING_COLUMNS)
    for col in ("question_id", "forecaster"):
        f[col] = f[col].astype(object)
    return f


def _packed(store: Store, helpers: int) -> pd.DataFrame:
    with store.read() as conn:
        started = frames.start_scoring_read(conn, helpers=helpers)
        f = frames.scoring_forecasts_frame(conn, started)
    for col in ("question_id", "forecaster"):
        assert isinstance(f[col].dtype, pd.CategoricalDtype)
        f[col] = f[col].astype(object)
    return f


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b)
    assert a["source_id"].notna().any() and a["distribution"].notna().any()  # both kinds seen


@pytest.mark.parametrize("helpers", [0, 1, 2])
def test_packed_read_equals_the_plain_read(db: Path, helpers: int) -> None:
    store = Store(str(db))
    _same(_packed(store, helpers), _plain(store))
    store.dispose()


def test_small_chunks_and_many_names_give_the_same_frame(db: Path, monkeypatch) -> None:
    monkeypatch.setattr(colread, "CHUNK", 7)
    monkeypatch.setattr(colread, "MAX_CODED", 2)  # names come as strings, not SQL codes
    store = Store(str(db))
    _same(_packed(store, 0), _plain(store))
    store.dispose()


@pytest.mark.parametrize("where", ["caller", "helper"])
def test_gaps_in_ids_and_odd_stored_times(db: Path, where: str) -> None:
    """Rows edited behind forethought's back (which `verify` reports) still read the same
    way, whether they fall in the caller's range or a helper's; so do ids of 0 and below."""
    raw = sqlite3.connect(db)
    top = raw.execute("SELECT max(id) FROM forecasts").fetchone()[0]
    gone, odd = ((5, 40), 90) if where == "caller" else ((top - 50, top - 7), top - 20)
    raw.execute(f"DELETE FROM forecast_claims WHERE forecast_id IN {gone}")
    raw.execute(f"DELETE FROM forecasts WHERE id IN {gone}")
    raw.execute(f"UPDATE forecasts SET made_at = '2024-01-03 10:00:00' WHERE id = {odd}")
    raw.execute("UPDATE forecasts SET id = -3 WHERE id = 2")
    raw.commit()
    raw.close()
    store = Store(str(db))
    packed, plain = _packed(store, 1), _plain(store)
    _same(packed, plain)
    assert gone[0] not in set(packed["forecast_id"]) and -3 in set(packed["forecast_id"])
    assert packed.loc[packed["forecast_id"] == odd, "made_at"].iloc[0] == pd.Timestamp(
        "2024-01-03 10:00:00", tz="UTC")
    store.dispose()


def test_a_helper_answering_nonsense_has_its_range_read_here(db: Path, tmp_path: Path,
                                                             monkeypatch) -> None:
    fake = tmp_path / "fake-python"
    fake.write_text("#!/bin/sh\necho 'a sitecustomize that prints'\nexit 0\n")
    fake.chmod(0o755)
    store = Store(str(db))
    plain = _plain(store)
    monkeypatch.setattr(sys, "executable", str(fake))
    _same(_packed(store, 1), plain)
    store.dispose()


def test_a_module_planted_in_the_current_folder_is_not_run(db: Path, tmp_path: Path,
                                                            monkeypatch) -> None:
    planted = tmp_path / "cwd" / "forethought" / "store"
    planted.mkdir(parents=True)
    for folder in (planted.parent, planted):
        (folder / "__init__.py").write_text("")
    marker = tmp_path / "ran"
    (planted / "colread.py").write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    monkeypatch.chdir(planted.parent.parent)
    store = Store(str(db))
    _same(_packed(store, 1), _plain(store))
    assert not marker.exists()
    store.dispose()


def test_helpers_are_stopped_when_the_read_fails(db: Path, monkeypatch) -> None:
    from forethought.errors import InvalidInput
    from forethought.services.scores import load_frames

    started: list[colread.Pending] = []
    real_init = colread.Pending.__init__

    def spy(self, path, ranges):
        real_init(self, path, ranges)
        started.append(self)

    def broken(*args, **kwargs):
        raise InvalidInput("the questions could not be read")

    monkeypatch.setattr(colread.Pending, "__init__", spy)
    monkeypatch.setattr(colread, "MIN_PARALLEL", 10)
    monkeypatch.setattr(colread, "_cores", lambda: 2)
    monkeypatch.setattr(frames, "questions_frame", broken)
    store = Store(str(db))
    with pytest.raises(InvalidInput):
        load_frames(store)
    assert started and all(p.procs == [] for p in started)
    store.dispose()


def test_a_failed_helper_has_its_range_read_here(db: Path, monkeypatch) -> None:
    store = Store(str(db))
    plain = _plain(store)
    monkeypatch.setattr(sys, "executable", "/bin/false")  # starts, exits 1, prints nothing
    _same(_packed(store, 1), plain)
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")  # cannot start at all
    _same(_packed(store, 1), plain)
    store.dispose()


def test_helpers_read_the_callers_snapshot(db: Path) -> None:
    """A forecast written after the read began is in neither the caller's nor a helper's
    range, even though the helper opens its own connection later."""
    from forethought.services import questions

    store = Store(str(db))
    before = _plain(store)
    other = Store(str(db))
    with store.read() as conn:
        started = frames.start_scoring_read(conn, helpers=1)
        questions.forecast(other, "q-0001", "0.9", forecaster="late")
        f = frames.scoring_forecasts_frame(conn, started)
    f["question_id"] = f["question_id"].astype(object)
    f["forecaster"] = f["forecaster"].astype(object)
    _same(f, before)
    assert "late" in set(_plain(store)["forecaster"])
    other.dispose()
    store.dispose()


def test_scores_from_the_packed_read_match_the_plain_read(db: Path) -> None:
    """The engine reads the categorical columns of the packed read exactly as the plain
    read's object columns: scores, groups and calibration weights."""
    import numpy as np

    from forethought.scoring import calibration_weights, score_table

    store = Store(str(db))
    with store.read() as conn:
        q = frames.questions_frame(conn, with_title=False)
        t = frames.tags_frame(conn)
        packed = frames.scoring_forecasts_frame(conn, frames.start_scoring_read(conn, 1))
    plain = _plain(store)
    assert isinstance(packed["forecaster"].dtype, pd.CategoricalDtype)
    for crowd, by in ((None, ("forecaster",)), ("median", ("forecaster",)),
                      ("mean", ("source", "tag")), (None, ("type", "month", "horizon"))):
        a = score_table(q, packed, t, rules=("brier", "log", "peer"), crowd=crowd, by=by)
        b = score_table(q, plain, t, rules=("brier", "log", "peer"), crowd=crowd, by=by)
        pd.testing.assert_frame_equal(a.frame, b.frame)
        assert a.meta == b.meta and len(a.frame) >= 2
    for weighting in ("time", "each", "final"):
        for got, want in zip(calibration_weights(q, packed, weighting),
                             calibration_weights(q, plain, weighting), strict=True):
            np.testing.assert_array_equal(got, want)
    mine = (packed["forecaster"] == "ann").to_numpy()
    np.testing.assert_array_equal(calibration_weights(q, packed[mine], "time")[0],
                                  calibration_weights(q, plain[plain["forecaster"] == "ann"],
                                                      "time")[0])
    store.dispose()


def test_a_forecast_without_a_forecaster_is_refused(db: Path) -> None:
    from forethought.errors import InvalidInput
    from forethought.scoring import score_table

    store = Store(str(db))
    with store.read() as conn:
        q = frames.questions_frame(conn, with_title=False)
    for f in (_plain(store), _packed(store, 0)):
        f.loc[3, "forecaster"] = None
        with pytest.raises(InvalidInput, match="needs a forecaster"):
            score_table(q, f, None, rules=("brier",))
    store.dispose()


def _with_early(store: Store, early: colread.Early) -> pd.DataFrame:
    with store.read() as conn:
        started = frames.start_scoring_read(conn, early=early)
        f = frames.scoring_forecasts_frame(conn, started)
    for col in ("question_id", "forecaster"):
        f[col] = f[col].astype(object)
    return f


def test_helpers_started_before_the_store_opens(db: Path, monkeypatch) -> None:
    """`prestart` (what `score` and `calibration` call before their imports) reads up to the
    max id it saw; the caller reads the rest, including forecasts written in between."""
    from forethought.services import questions

    monkeypatch.setattr(colread, "MIN_PARALLEL", 10)
    monkeypatch.setattr(colread, "_cores", lambda: 2)
    assert colread.prestart(str(db.parent / "missing.db")) is None
    assert colread.prestart("postgresql+psycopg://u@h/db") is None
    early = colread.prestart(f"sqlite:///{db}")
    assert early is not None and early.own_hi < early.top
    store = Store(str(db))
    questions.forecast(store, "q-0001", "0.9", forecaster="late")  # after the helpers began
    got = _with_early(store, early)
    _same(got, _plain(store))
    assert "late" in set(got["forecaster"])
    store.dispose()


def test_early_helpers_for_another_file_are_dropped(db: Path, tmp_path: Path,
                                                    monkeypatch) -> None:
    import shutil

    monkeypatch.setattr(colread, "MIN_PARALLEL", 10)
    monkeypatch.setattr(colread, "_cores", lambda: 2)
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    raw = sqlite3.connect(copy)  # the copy differs in a row its helper would read
    raw.execute("UPDATE forecasts SET probability = 0.123 WHERE id = "
                "(SELECT max(id) - 1 FROM forecasts)")
    raw.commit()
    raw.close()
    early = colread.prestart(str(copy))
    assert early is not None
    store = Store(str(db))
    _same(_with_early(store, early), _plain(store))  # the store's rows, not the copy's
    assert early.pending.procs == []
    store.dispose()


def test_early_helpers_are_dropped_when_the_schema_moved(db: Path, monkeypatch) -> None:
    monkeypatch.setattr(colread, "MIN_PARALLEL", 10)
    monkeypatch.setattr(colread, "_cores", lambda: 2)
    early = colread.prestart(str(db))
    assert early is not None
    early.revision = "an older one"  # as if the store upgraded itself on open
    store = Store(str(db))
    _same(_with_early(store, early), _plain(store))
    assert early.pending.procs == []  # cancelled, nothing left running
    store.dispose()


def test_score_and_calibration_commands_with_early_helpers(db: Path, monkeypatch) -> None:
    """The commands give the same output whether or not helpers read for them."""
    from click.testing import CliRunner

    from forethought.cli.main import cli

    def both(*args: str) -> str:
        result = CliRunner().invoke(cli, [*args, "--db", str(db)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    plain = [both("score", "--crowd", "median"), both("calibration", "--decompose"),
             both("calibration", "--compare", "ann,crowd:mean", "--json")]
    monkeypatch.setattr(colread, "MIN_PARALLEL", 10)
    monkeypatch.setattr(colread, "_cores", lambda: 2)
    helped = [both("score", "--crowd", "median"), both("calibration", "--decompose"),
              both("calibration", "--compare", "ann,crowd:mean", "--json")]
    assert helped == plain
    assert "ann" in plain[0] and "crowd:median" in plain[0]
