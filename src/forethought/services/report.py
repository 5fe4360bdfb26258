"""`forethought report --out DIR`: gather the workspace into a static HTML site.

Per-question pages are bounded: at most ``max_pages`` (default 100) questions get a page, chosen
in this order: the ones asked for with ``questions``, the most recent resolutions shown on the
index, due questions (resolve-by reached, unresolved) by resolve-by date, open questions by
resolve-by date, then the most recently resolved. Every question is still listed in the paginated
question list; the report says how many got a page and how to get more. Source pages are bounded
the same way (sources carrying the most forecasts first).

Charts are drawn once: a chart whose inputs did not change since an earlier report is copied
from the workspace's chart cache (:mod:`forethought.report.chart_cache`). The question charts
are drawn as of the start of the report's UTC day (:func:`start_of_day`), so re-running the
report the same day redraws only the charts of questions that changed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forethought.domain.records import SPECIAL_OUTCOMES, QuestionView
from forethought.domain.timeparse import utcnow
from forethought.errors import InvalidInput
from forethought.report.model import (
    RECENT_ON_INDEX,
    QuestionInfo,
    Site,
    SourceInfo,
    SourceLine,
)
from forethought.services.scores import load_frames
from forethought.store import repository as repo
from forethought.store.columns import Frames
from forethought.store.engine import Store

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

DEFAULT_MAX_PAGES = 100
CROWD = "crowd:median"


@dataclass
class ReportResult:
    out: Path
    index: Path
    pages: int
    charts: int
    questions: int
    question_pages: int
    sources: int
    source_pages: int
    selection: str
    seconds: float
    charts_drawn: int = 0  # the others were copied from the chart cache


def build_report(store: Store, out: Path, *, questions: Sequence[str] = (),
                 max_pages: int = DEFAULT_MAX_PAGES, now: datetime | None = None,
                 workers: int | None = None, chart_cache: Path | None = None) -> ReportResult:
    """Write the report for the workspace in ``store`` to the folder ``out`` (replaced whole if
    it holds an earlier report) and say what was written.

    Charts whose inputs did not change since an earlier report are copied from ``chart_cache``
    (default: :func:`default_chart_cache`) instead of drawn."""
    from forethought.report.site import check_target, write_site

    if max_pages < 0:
        raise InvalidInput("--max-pages must be 0 or more")
    started = time.perf_counter()
    out = Path(out)
    check_target(out.absolute())
    site = gather(store, questions=questions, max_pages=max_pages, now=now)
    written = write_site(site, out, workers=workers,
                         chart_cache=chart_cache or default_chart_cache(store))
    return ReportResult(out=out, index=out / "index.html", pages=written.pages,
                        charts=written.charts, questions=len(site.questions),
                        question_pages=len(site.pages), sources=len(site.sources),
                        source_pages=len(site.source_pages), selection=site.selection,
                        seconds=time.perf_counter() - started, charts_drawn=written.drawn)


def default_chart_cache(store: Store) -> Path | None:
    """`.forethought/cache/charts/` beside a workspace's SQLite database; None for any other
    database (a server's, a file named with --db), whose caller passes a folder or goes
    without."""
    from forethought.services.workspace import DIR_NAME

    if store.path is None or store.path.parent.name != DIR_NAME:
        return None
    return store.path.parent / "cache" / "charts"


def gather(store: Store, *, questions: Sequence[str] = (), max_pages: int = DEFAULT_MAX_PAGES,
           now: datetime | None = None) -> Site:
    """Everything the report shows, read in one pass over the store's frames."""
    import pandas as pd

    from forethought.scoring import score_table
    from forethought.scoring.groups import group_scores

    now = now or utcnow()
    with store.read() as conn:
        requested = [repo.find_question_id(conn, q) for q in questions]
    data = full_frames(store)
    qf, ff = data.questions, data.forecasts
    table = status_table(qf, ff, now)
    scorable = qf["outcome"].notna() & ~qf["outcome"].isin(SPECIAL_OUTCOMES)
    if scorable.any():
        result = score_table(qf, ff, data.tags, rules=("brier", "log"), policy="time-averaged",
                             by=("forecaster",), crowd="median")
        frame, meta, pairs = result.frame, result.meta, result.pairs
        people = pairs[pairs["forecaster"] != CROWD]
        monthly = group_scores(people, ["month"], ["brier", "log"], None, None, True)
    else:  # nothing resolved yet, so nothing to score
        frame, meta, monthly = pd.DataFrame(), {"policy": "time-averaged"}, pd.DataFrame()
        pairs = pd.DataFrame(columns=["question", "forecaster", "source", "month", "forecasts",
                                      "coverage", "brier", "log"])
    calibration, brier, n_cal = _calibration(data)
    chosen = choose_pages(table, requested, max_pages)
    selection = _selection_text(len(chosen), len(table), max_pages, bool(requested))
    pages = _question_pages(store, table, pairs, chosen, meta, now)
    sources, source_pages, source_note = _sources(store, table, data, pairs, max_pages)
    return Site(generated=now, today=now.date(), questions=table, pages=pages, sources=sources,
                source_pages=source_pages, scoreboard=_board(frame), score_meta=meta,
                monthly=monthly, calibration=calibration,
                calibration_brier=brier, calibration_n=n_cal, selection=selection,
                source_selection=source_note,
                counts={"questions": len(qf), "forecasts": len(ff),
                        "forecasters": int(ff["forecaster"].nunique())})


def full_frames(store: Store, *, tag: str | None = None) -> Frames:
    """The store's frames with every documented column, optionally one tag's questions only."""
    return load_frames(store, tag=tag, full=True)


def status_table(qf: pd.DataFrame, ff: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """One row per question: its status (open, due, resolved), forecast count and the median
    of each forecaster's latest forecast (binary questions)."""
    import numpy as np
    import pandas as pd

    t = qf[["question_id", "title", "type", "resolve_by", "outcome", "close_at",
            "resolved_at", "source_id"]].copy()
    resolved = t["outcome"].notna().to_numpy()
    by = np.asarray(t["resolve_by"].tolist(), dtype="datetime64[D]")
    due = ~resolved & (by <= np.datetime64(now.date(), "D"))
    t["status"] = np.select([resolved, due], ["resolved", "due"], "open") if len(t) else []
    # codes of the questions' own order: one pass over the forecasts' question ids
    q = pd.Index(t["question_id"]).get_indexer(ff["question_id"])
    t["forecasts"] = np.bincount(q[q >= 0], minlength=len(t)).astype("int64")
    p = ff["probability"].to_numpy(dtype=float)
    keep = (q >= 0) & ~np.isnan(p)
    last = _last_per_pair(q[keep], pd.factorize(ff["forecaster"])[0][keep],
                          ff["made_at"].to_numpy(dtype="datetime64[us]").view("int64")[keep],
                          ff["forecast_id"].to_numpy()[keep])
    medians = pd.Series(p[keep][last]).groupby(q[keep][last]).median()
    t["median"] = medians.reindex(range(len(t))).to_numpy()
    return t.reset_index(drop=True)


def _last_per_pair(q: np.ndarray, w: np.ndarray, t: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Positions of each (q, w) pair's latest entry by t, then id."""
    import numpy as np

    if len(q) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((ids, t, w, q))
    qs, ws = q[order], w[order]
    return order[np.r_[(qs[1:] != qs[:-1]) | (ws[1:] != ws[:-1]), True]]


def latest_per_pair(f: pd.DataFrame) -> pd.DataFrame:
    """Each (question, forecaster)'s latest forecast by made_at (then id), in pair order.
    Sorted on integer codes: sorting a million tz-aware timestamps as objects takes seconds."""
    import pandas as pd

    if f.empty:
        return f
    return f.iloc[_last_per_pair(pd.factorize(f["question_id"])[0],
                                 pd.factorize(f["forecaster"])[0],
                                 f["made_at"].to_numpy(dtype="datetime64[us]").view("int64"),
                                 f["forecast_id"].to_numpy())]


def choose_pages(table: pd.DataFrame, requested: Sequence[str], max_pages: int) -> list[str]:
    """The question ids that get a page, in priority order (see the module docstring)."""
    resolved = table[table["status"] == "resolved"].sort_values(
        ["resolved_at", "close_at", "question_id"], ascending=[False, False, True])
    due = table[table["status"] == "due"].sort_values(["resolve_by", "question_id"])
    open_ = table[table["status"] == "open"].sort_values(["resolve_by", "question_id"])
    order: list[str] = list(dict.fromkeys(requested))
    budget = max(max_pages, len(order))
    for part in (resolved["question_id"].head(RECENT_ON_INDEX), due["question_id"],
                 open_["question_id"], resolved["question_id"]):
        if len(order) >= budget:
            break
        order.extend(part.head(budget).tolist())
        order = list(dict.fromkeys(order))
    return order[:budget]


def _selection_text(n: int, total: int, max_pages: int, requested: bool) -> str:
    if n >= total:
        return f"Every question ({total:,}) has its own page."
    asked = "the questions asked for, " if requested else ""
    return (f"Pages for {n:,} of {total:,} questions (at most {max_pages:,}): {asked}the "
            f"{RECENT_ON_INDEX} most recent resolutions, then due questions and open questions "
            "by resolve-by date, then the most recently resolved. The other "
            f"{total - n:,} are listed without a page; run `forethought report --max-pages N` "
            "or `--question ID` for more.")


def _calibration(data: Frames) -> tuple[Any, float | None, int]:
    from forethought.services.calibration import calibrate, frame_series

    result = calibrate(frame_series(data, [None]))["everyone"]
    if result.n == 0:
        return None, None, 0
    return result.table, result.brier, result.n


def resolved_binary(qf: pd.DataFrame) -> pd.Series:
    """Which questions are binary and resolved yes or no: the only ones calibration uses."""
    return (qf["type"] == "binary") & qf["outcome"].isin(["yes", "no"])


def _board(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    top = frame.sort_values(["questions", "forecaster"], ascending=[False, True]).head(200)
    return top.sort_values(["brier", "forecaster"], na_position="last").reset_index(drop=True)


def _question_pages(store: Store, table: pd.DataFrame, pairs: pd.DataFrame, chosen: list[str],
                    meta: dict, now: datetime) -> dict[str, QuestionInfo]:
    from forethought.services.charts import history_inputs

    status = dict(zip(table["question_id"], table["status"], strict=True))
    mine = pairs[pairs["question"].isin(chosen)]
    scores = {k: g for k, g in mine.groupby("question", sort=False)}
    note = f"Policy: {meta.get('policy')}. {meta.get('scale', '')}."
    chart_day = start_of_day(now)
    pages: dict[str, QuestionInfo] = {}
    with store.read() as conn:
        qs: dict[str, Any] = {}
        res: dict[str, list] = {}
        for i in range(0, len(chosen), 500):
            part = chosen[i:i + 500]
            qs.update({q.id: q for q in repo.questions(conn, part)})
            for r in repo.resolutions(conn, part):
                res.setdefault(r.question_id, []).append(r)
        forecasts = {qid: repo.forecasts(conn, qid) for qid in chosen}
        claim_ids = {c for q in qs.values() for c in q.claims}
        claim_ids |= {c for fs in forecasts.values() for f in fs for c in f.claims}
        claims = {c.id: c for c in repo.claims(conn, ids=sorted(claim_ids))} if claim_ids else {}
        sources = {s.id: s for s in repo.sources(conn)}
    for qid in chosen:
        q = qs[qid]
        view = QuestionView(question=q, forecasts=forecasts[qid], resolutions=res.get(qid, []))
        linked = list(dict.fromkeys([*q.claims, *(c for f in view.forecasts for c in f.claims)]))
        frame = scores.get(qid)
        if frame is not None:
            frame = frame.sort_values("brier", kind="stable")
        pages[qid] = QuestionInfo(
            question=q, forecasts=view.forecasts, resolutions=view.resolutions,
            claims=[claims[c] for c in linked if c in claims],
            source=sources.get(q.source_id) if q.source_id else None,
            scores=frame, history=history_inputs(view, now=chart_day), status=status[qid],
            score_note=note)
    return pages


def start_of_day(now: datetime) -> datetime:
    """The start of ``now``'s UTC day (a naive ``now`` is UTC). The report draws its charts as
    of then, so that a day's charts are the same and drawn once (the chart cache): the last
    step of an unresolved question runs to the day, not the second, of the report, which at a
    chart's scale of weeks does not show."""
    aware = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    return aware.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _sources(store: Store, table: pd.DataFrame, data: Frames, pairs: pd.DataFrame,
             max_pages: int) -> tuple[list[SourceLine], dict[str, SourceInfo], str]:
    from forethought.services.claims import list_sources

    qf, ff, tags = data.questions, data.forecasts, data.tags
    carried = ff[ff["source_id"].notna()]
    per_source = carried.groupby("source_id", sort=False).size()
    lines = [SourceLine(s.source, s.claims, s.by_status, int(per_source.get(s.source.id, 0)))
             for s in list_sources(store)]
    ranked = sorted(lines, key=lambda x: (-x.forecasts, -x.claims, x.source.id))
    chosen = [x.source.id for x in ranked[:max(max_pages, 0)]]
    groups = {k: g for k, g in carried[carried["source_id"].isin(chosen)].groupby("source_id")}
    pages: dict[str, SourceInfo] = {}
    by_id = {x.source.id: x for x in lines}
    with store.read() as conn:
        claims = {sid: repo.claims(conn, source_id=sid) for sid in chosen}
    for sid in chosen:
        f = groups.get(sid, ff.iloc[0:0])
        touched = qf[qf["question_id"].isin(f["question_id"].unique())]
        calibration, brier, n = (_calibration(Frames(touched, f, tags)) if len(f)
                                 else (None, None, 0))
        drawn = table[table["source_id"] == sid][["question_id", "title", "status", "outcome"]]
        pages[sid] = SourceInfo(source=by_id[sid].source, claims=claims[sid],
                                questions=drawn.reset_index(drop=True),
                                assessments=_assessments(f, table, pairs),
                                calibration=calibration, brier=brier, n_calibration=n)
    note = (f"Every source ({len(lines):,}) has its own page." if len(chosen) >= len(lines)
            else f"Pages for the {len(chosen):,} sources carrying the most forecasts, of "
                 f"{len(lines):,}; raise --max-pages for more.")
    return lines, pages, note


def _assessments(f: pd.DataFrame, table: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Per (question, forecaster) among forecasts carrying a source: count, latest forecast,
    outcome and the time-averaged Brier and log scores (NaN while unresolved)."""
    import pandas as pd

    columns = ["question_id", "title", "forecaster", "forecasts", "latest", "status", "outcome",
               "brier", "log", "last_at"]
    if f.empty:
        return pd.DataFrame(columns=columns)
    counts = f.groupby(["question_id", "forecaster"], sort=False).size().rename("forecasts")
    out = latest_per_pair(f)[["question_id", "forecaster", "probability", "made_at"]].rename(
        columns={"probability": "latest", "made_at": "last_at"})
    out = out.merge(counts.reset_index(), on=["question_id", "forecaster"], how="left")
    out = out.merge(table[["question_id", "title", "status", "outcome"]], on="question_id",
                    how="left")
    scored = pairs.loc[pairs["question"].isin(out["question_id"].unique()),
                       ["question", "forecaster", "brier", "log"]].rename(
        columns={"question": "question_id"})
    out = out.merge(scored, on=["question_id", "forecaster"], how="left")
    return out.sort_values(["last_at", "question_id"], ascending=[False, True])[columns] \
        .reset_index(drop=True)
