"""The report's chart cache: a chart whose inputs did not change is copied, not drawn, and the
report is the same byte for byte; the key sees every input; the folder stays bounded."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from forethought.report.chart_cache import ChartCache, chart_key
from forethought.report.charts import ChartJob


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def report(sample: dict, out: Path, cache: Path | None, *, now: datetime | None = None,
           workers: int = 1):
    from forethought.services.report import build_report
    from forethought.services.workspace import locate

    ws = locate(None, sample["folder"])
    try:
        return build_report(ws.store(), out, now=now or sample["now"], workers=workers,
                            chart_cache=cache)
    finally:
        ws.close()


def test_a_rerun_copies_every_chart_and_writes_the_same_report(sample, tmp_path):
    cache = tmp_path / "cache"
    first = report(sample, tmp_path / "first", cache)
    assert first.charts > 20 and first.charts_drawn == first.charts
    assert len(list(cache.glob("*.png"))) == first.charts
    again = report(sample, tmp_path / "again", cache)
    assert again.charts_drawn == 0
    assert files(tmp_path / "again") == files(tmp_path / "first")
    # later the same day: the charts are drawn as of the start of the day, so none changed
    later = report(sample, tmp_path / "later", cache, now=sample["now"] + timedelta(hours=5))
    assert later.charts_drawn == 0


def test_a_new_forecast_redraws_only_its_question_chart(sample, tmp_path):
    from forethought.services import questions as q_svc
    from forethought.services.workspace import locate

    cache = tmp_path / "cache"
    report(sample, tmp_path / "before", cache)
    ws = locate(None, sample["folder"])
    try:
        q_svc.forecast(ws.store(), "synthetic-17", "60%", forecaster="dora",
                       at="2025-05-30", now=sample["now"])
    finally:
        ws.close()
    after = report(sample, tmp_path / "after", cache)
    assert after.charts_drawn == 1
    before, now = files(tmp_path / "before"), files(tmp_path / "after")
    changed = sorted(name for name in now if name.endswith(".png") and now[name] != before[name])
    assert changed == ["img/q/synthetic-17.png"]


def test_charts_drawn_by_the_worker_pool_are_the_charts_drawn_here(sample, tmp_path):
    one = report(sample, tmp_path / "one", tmp_path / "cache-one", workers=1)
    two = report(sample, tmp_path / "two", tmp_path / "cache-two", workers=2)
    assert two.charts_drawn == one.charts_drawn == one.charts > 12  # enough for the pool
    assert files(tmp_path / "two") == files(tmp_path / "one")


def test_a_cache_that_cannot_be_written_costs_a_redraw_not_the_report(sample, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    result = report(sample, tmp_path / "rep", blocked)
    assert result.charts_drawn == result.charts
    assert (tmp_path / "rep/img/q/synthetic-17.png").exists()
    assert blocked.read_text() == "not a folder"


def test_the_cli_keeps_the_cache_beside_a_sqlite_workspace(run, sample, backend):
    result = run("report", "--out", "rep", "--workers", "1", "--max-pages", "3")
    assert result.exit_code == 0, result.output
    cache = sample["folder"] / ".forethought/cache/charts"
    drawn = len(list((sample["folder"] / "rep").rglob("*.png")))
    if backend.startswith("sqlite"):
        assert len(list(cache.glob("*.png"))) == drawn
    else:  # a server's database has no workspace folder of its own to hold it
        assert not cache.exists()


def test_the_report_draws_as_of_the_start_of_its_utc_day():
    from forethought.services.report import start_of_day

    day = datetime(2025, 6, 1, tzinfo=UTC)
    assert start_of_day(datetime(2025, 6, 1, 23, 59, 59, 999_999, tzinfo=UTC)) == day
    assert start_of_day(datetime(2025, 6, 1, 13, 5)) == day  # naive is UTC
    # 01:30 in Paris on 2 June is still 1 June in UTC
    assert start_of_day(pd.Timestamp("2025-06-02 01:30", tz="Europe/Paris")) == day


def _job(**change) -> ChartJob:
    t = pd.to_datetime(["2025-01-01 10:00", "2025-01-05 09:00"]).tz_localize("UTC")
    data = pd.DataFrame({"forecaster": ["ann", "bo"], "made_at": t, "probability": [0.3, 0.7]})
    options = {"title": "Will it?", "resolve_by": datetime(2025, 2, 1).date(), "crowd": None,
               "options": None, "now": datetime(2025, 1, 10, tzinfo=UTC)}
    fields = {"kind": "history", "path": Path("img/q/x.png"), "data": data, "options": options,
              "dpi": 110, "fixed": True}
    fields.update(change)
    return ChartJob(**fields)


def test_the_key_sees_every_input_and_not_where_the_chart_goes():
    base = _job()
    assert chart_key(base) == chart_key(_job(path=Path("elsewhere/y.png")))
    nudged = base.data.assign(probability=[0.3 + 1e-15, 0.7])
    paris = base.data.assign(made_at=base.data["made_at"].dt.tz_convert("Europe/Paris"))
    renamed = base.data.assign(forecaster=["ann", "bob"])
    variants = [
        _job(data=nudged), _job(data=paris), _job(data=renamed), _job(data=base.data.iloc[:1]),
        _job(options={**base.options, "title": "Will it? "}),
        _job(options={**base.options, "now": datetime(2025, 1, 11, tzinfo=UTC)}),
        _job(options={**base.options, "crowd": base.data[["made_at", "probability"]]}),
        _job(dpi=150), _job(fixed=False), _job(kind="calibration"),
    ]
    keys = {chart_key(v) for v in variants}
    assert chart_key(base) not in keys and len(keys) == len(variants)


def test_an_input_without_an_exact_encoding_is_refused():
    with pytest.raises(TypeError, match="no exact encoding"):
        chart_key(_job(options={"title": object()}))


def test_prune_drops_the_least_recently_used_but_never_a_chart_in_use(tmp_path):
    cache = ChartCache(tmp_path)
    for i in range(5):
        path = tmp_path / f"k{i}.png"
        path.write_bytes(b"x" * 100)
        os.utime(path, (1_000 + i, 1_000 + i))
    assert cache.prune({"k0"}, limit=250) == 3
    assert sorted(p.stem for p in tmp_path.glob("*.png")) == ["k0", "k4"]
    assert cache.prune({"k0"}, limit=250) == 0


def test_fetch_copies_and_marks_the_chart_recently_used(tmp_path):
    cache = ChartCache(tmp_path / "cache")
    drawn = tmp_path / "drawn.png"
    drawn.write_bytes(b"png bytes")
    assert not cache.fetch("abc", tmp_path / "out/a.png")
    assert cache.keep("abc", drawn)
    os.utime(tmp_path / "cache/abc.png", (1_000, 1_000))
    assert cache.fetch("abc", tmp_path / "out/a.png")
    assert (tmp_path / "out/a.png").read_bytes() == b"png bytes"
    assert (tmp_path / "cache/abc.png").stat().st_mtime > 1_000
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["abc.png"]  # no temporary left
