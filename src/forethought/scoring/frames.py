"""Turn the store's question and forecast frames into sorted arrays the policies work on.

Conventions applied here (``docs/scoring.md``):

* a question's **close** is ``close_at`` (the resolution's known_at), else ``resolved_at``;
* unresolved, ``ambiguous`` and ``annulled`` questions are never scored, only counted;
* forecasts made at or after the close are never scored, only counted (``n_after_close``);
* a forecast stands from ``made_at`` until the same forecaster's next forecast on the question
  (or the close). Two forecasts by one forecaster at the same instant: the later ``forecast_id``
  stands and the other is dropped (counted as ``n_superseded``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from forethought.errors import InvalidInput

DAY_US = 86_400 * 10**6  # the engine counts time in microseconds since the epoch
NAT = np.iinfo(np.int64).min
UNSCORED = ("unresolved", "ambiguous", "annulled")

Q_COLUMNS = ("question_id", "type", "options", "opened_at", "resolve_by", "scheduled_close",
             "outcome", "close_at", "resolved_at", "source_id")
F_COLUMNS = ("forecast_id", "question_id", "forecaster", "made_at", "probability",
             "distribution", "source_id")


@dataclass
class Prepared:
    """Scoreable questions (index ``qi``) and their forecasts made before the close, sorted by
    (question, forecaster, made_at, forecast_id)."""

    qid: np.ndarray
    qtype: np.ndarray
    opened: np.ndarray          # int64 µs
    close: np.ndarray
    sched: np.ndarray
    resolve_day: np.ndarray     # float days since epoch (NaN if unknown)
    k: np.ndarray               # number of options (2 for binary)
    outcome_k: np.ndarray       # index of the outcome option (binary: 0 = yes, 1 = no)
    yes: np.ndarray             # 1.0 / 0.0 for binary, NaN for multiple choice
    q_source: np.ndarray
    month: np.ndarray           # month of the close (int64 months since 1970-01)
    fq: np.ndarray              # forecasts: question index
    who: np.ndarray             # forecaster code into ``names``
    names: np.ndarray
    t: np.ndarray               # made_at, int64 µs
    end: np.ndarray             # when it stops standing, int64 µs
    fid: np.ndarray
    f_out: np.ndarray           # probability given to what happened
    ss: np.ndarray              # sum of squares of the forecast vector
    p_yes: np.ndarray           # binary only; NaN for multiple choice
    f_source: np.ndarray
    pair: np.ndarray            # (question, forecaster) code
    multi_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    multi_vals: np.ndarray = field(default_factory=lambda: np.zeros(0))  # dense, K per forecast
    counts: dict = field(default_factory=dict)

    @property
    def n_pairs(self) -> int:
        return int(self.pair[-1]) + 1 if len(self.pair) else 0


def to_us(values: object) -> np.ndarray:
    """Timestamps as int64 microseconds since the epoch (UTC; naive values are read as UTC);
    missing values become ``NAT``. Microseconds, not pandas' default nanoseconds, so that every
    date the store accepts (years 1–9999) fits."""
    s = pd.Series(values)
    if not isinstance(s.dtype, pd.DatetimeTZDtype):
        s = pd.to_datetime(s, utc=True)
    s = s.dt.tz_convert("UTC").dt.as_unit("us")
    out = s.to_numpy(dtype="datetime64[us]").astype(np.int64)
    out[s.isna().to_numpy()] = NAT
    return out


def _bound(value: object, end: bool) -> int | None:
    """``since`` / ``until`` as µs. A bare date (or 'YYYY-MM-DD') means the whole UTC day, so
    ``until`` includes that day."""
    if value is None:
        return None
    is_day = (isinstance(value, str) and len(value.strip()) == 10) or (
        hasattr(value, "year") and not hasattr(value, "hour"))
    ts = pd.Timestamp(value)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    us = int(np.datetime64(ts.tz_convert(None).as_unit("us"), "us").astype(np.int64))
    return us + DAY_US if (end and is_day) else (us + 1 if end else us)


def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InvalidInput(f"the {what} table lacks the column(s) {', '.join(missing)}")


def prepare(questions: pd.DataFrame, forecasts: pd.DataFrame, since: object = None,
            until: object = None, binary_only: bool = False) -> Prepared:
    """Validate the frames and build :class:`Prepared`. ``since``/``until`` select resolved
    questions by close, both inclusive (since ≤ close ≤ until); a bare date
    (``datetime.date`` or ``'YYYY-MM-DD'``) covers its whole UTC day. Unresolved questions have
    no close and are always counted."""
    _require(questions, Q_COLUMNS, "questions")
    _require(forecasts, F_COLUMNS, "forecasts")
    q = questions.reset_index(drop=True)
    outcome = q["outcome"].astype(object).where(q["outcome"].notna(), None).to_numpy()
    close = _closes(q)
    status = _statuses(outcome, close)
    in_window = _in_window(close, status, since, until)
    qtype = _question_types(q)
    scored = in_window & (status == "resolved")
    if binary_only:
        scored &= qtype == "binary"
    counts: dict[str, Any] = {
        "n_unscored_questions": {r: int(((status == r) & in_window).sum()) for r in UNSCORED}}
    keep = np.flatnonzero(scored)
    qs = q.iloc[keep].reset_index(drop=True)
    k, outcome_k, yes = _outcomes(qs, outcome[keep])
    cls = close[keep]
    opened, sched, resolve_day, month = _question_times(qs, cls)
    qid = qs["question_id"].astype(object).to_numpy()

    f = forecasts.reset_index(drop=True)
    use, fq, t = _forecasts_before_close(q, f, keep, cls, counts)
    use, fq, t, fid, who, names = _standing_forecasts(f, use, fq, t, counts)
    pair, end = _pairs_and_ends(fq, who, t, cls)
    f_src = f["source_id"].astype(object).to_numpy()[use]
    q_source = qs["source_id"].astype(object).to_numpy()
    f_src = np.where(pd.isna(f_src), q_source[fq], f_src)
    binary = qtype[keep][fq] == "binary"
    p_yes, f_out, ss = _binary_values(f["probability"], use, binary, yes[fq], fid, qid[fq])
    prep = Prepared(qid, qs["type"].astype(object).to_numpy(), opened, cls, sched, resolve_day,
                    k, outcome_k, yes, q_source, month, fq, who, np.asarray(names, dtype=object),
                    t, end, fid, f_out, ss, p_yes, f_src, pair, counts=counts)
    if (~binary).any():
        _multi(prep, qs, f["distribution"].to_numpy(dtype=object)[use], ~binary)
    return prep


def _closes(q: pd.DataFrame) -> np.ndarray:
    """Each question's close in µs: the resolution's known_at, else when it was resolved."""
    close = to_us(q["close_at"])
    resolved = to_us(q["resolved_at"])
    return np.where(close == NAT, resolved, close)


def _statuses(outcome: np.ndarray, close: np.ndarray) -> np.ndarray:
    """``resolved``, ``unresolved`` (no outcome, or no close), ``ambiguous`` or ``annulled``."""
    status = np.array(["resolved"] * len(outcome), dtype=object)
    status[pd.isna(outcome)] = "unresolved"
    status[outcome == "ambiguous"] = "ambiguous"
    status[outcome == "annulled"] = "annulled"
    status[(status == "resolved") & (close == NAT)] = "unresolved"
    return status


def _in_window(close: np.ndarray, status: np.ndarray, since: object, until: object
               ) -> np.ndarray:
    """Which questions closed in [since, until]; unresolved ones are always in."""
    lo, hi = _bound(since, False), _bound(until, True)
    in_window = np.ones(len(close), dtype=bool)
    if lo is not None:
        in_window &= close >= lo
    if hi is not None:
        in_window &= close < hi
    in_window |= status == "unresolved"  # no close to filter on: always counted
    return in_window


def _question_types(q: pd.DataFrame) -> np.ndarray:
    """The questions' types, each checked to be binary or multiple."""
    qtype = q["type"].astype(object).to_numpy()
    bad_type = ~np.isin(qtype, ("binary", "multiple"))
    if bad_type.any():
        i = int(np.flatnonzero(bad_type)[0])
        raise InvalidInput(f"question {q['question_id'].iloc[i]} has type {qtype[i]!r}; "
                           "expected 'binary' or 'multiple'")
    return qtype


def _question_times(qs: pd.DataFrame, cls: np.ndarray) -> tuple[np.ndarray, ...]:
    """(opened, scheduled close, resolve-by day, month of the close) of the scored questions;
    a missing opened_at or scheduled close falls back to the close."""
    opened = to_us(qs["opened_at"])
    sched = to_us(qs["scheduled_close"])
    opened = np.where(opened == NAT, cls, opened)
    sched = np.where(sched == NAT, cls, sched)
    rb = _days(qs["resolve_by"])
    resolve_day = rb.astype("float64")
    resolve_day[np.isnat(rb)] = np.nan
    month = cls.astype("datetime64[us]").astype("datetime64[M]").astype(np.int64)
    return opened, sched, resolve_day, month


def _forecasts_before_close(q: pd.DataFrame, f: pd.DataFrame, keep: np.ndarray,
                            cls: np.ndarray, counts: dict[str, Any]
                            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The forecasts made on a scored question before its close: (rows of ``f``, scored
    question index, made_at). The others are counted in ``counts``."""
    fq_all = _positions(pd.Index(q["question_id"].astype(object)), f["question_id"])
    known = fq_all >= 0
    qmap = np.full(len(q), -1)
    qmap[keep] = np.arange(len(keep))
    fq_all = np.where(known, qmap[np.where(known, fq_all, 0)], -1)
    on_scored = fq_all >= 0
    counts["n_forecasts_on_unscored_questions"] = int((known & ~on_scored).sum())
    counts["n_forecasts_unknown_question"] = int((~known).sum())
    t_all = to_us(f["made_at"])
    if (t_all[on_scored] == NAT).any():
        raise InvalidInput("every forecast needs a made_at time")
    if len(cls):
        after = on_scored & (t_all >= np.where(on_scored, cls[np.maximum(fq_all, 0)], 0))
    else:  # no question is scoreable yet: nothing can be after its close
        after = np.zeros(len(f), dtype=bool)
    counts["n_after_close"] = int(after.sum())
    use = np.flatnonzero(on_scored & ~after)
    return use, fq_all[use], t_all[use]


def _standing_forecasts(f: pd.DataFrame, use: np.ndarray, fq: np.ndarray, t: np.ndarray,
                        counts: dict[str, Any]) -> tuple[np.ndarray, ...]:
    """Sort by (question, forecaster, made_at, forecast_id) and drop the forecasts that never
    stand: (use, fq, t, forecast ids, forecaster codes, forecaster names)."""
    fid = f["forecast_id"].to_numpy()[use]
    who_codes, names = _factorize(f["forecaster"], use)
    # one int64 key for (question, forecaster), then (made_at, forecast_id) within it
    order = _pair_order(fq.astype(np.int64) * (len(names) + 1) + (who_codes + 1), t, fid)
    use, fq, t, fid, who = use[order], fq[order], t[order], fid[order], who_codes[order]
    # the later of two forecasts at the same instant stands; the earlier never does
    same_next = np.zeros(len(fq), dtype=bool)
    same_next[:-1] = (fq[1:] == fq[:-1]) & (who[1:] == who[:-1]) & (t[1:] == t[:-1])
    counts["n_superseded"] = int(same_next.sum())
    live = ~same_next
    return use[live], fq[live], t[live], fid[live], who[live], names


def _pairs_and_ends(fq: np.ndarray, who: np.ndarray, t: np.ndarray, cls: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Each sorted forecast's (question, forecaster) pair code and when it stops standing: the
    pair's next forecast, else the question's close."""
    new_pair = np.ones(len(fq), dtype=bool)
    new_pair[1:] = (fq[1:] != fq[:-1]) | (who[1:] != who[:-1])
    pair = np.cumsum(new_pair) - 1
    end = cls[fq].copy()
    cont = ~new_pair[1:]
    end[:-1][cont] = t[1:][cont]
    return pair, end


def _binary_values(probability: pd.Series, use: np.ndarray, binary: np.ndarray,
                   yes: np.ndarray, fid: np.ndarray, qid: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(P(yes), probability given to what happened, sum of squares) per forecast, checked to
    lie in 0–1 on binary questions; NaN on multiple-choice ones (``yes`` and ``qid`` are per
    forecast)."""
    prob = pd.to_numeric(probability, errors="coerce").to_numpy(dtype=float)[use]
    bad = binary & ~((prob >= 0) & (prob <= 1))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidInput(f"forecast {fid[i]} on question {qid[i]} needs a probability "
                           f"between 0 and 1; got {prob[i]}")
    p_yes = np.where(binary, prob, np.nan)
    f_out = np.where(yes == 1, p_yes, 1 - p_yes)
    ss = p_yes**2 + (1 - p_yes) ** 2
    return p_yes, f_out, ss


def _days(values: pd.Series) -> np.ndarray:
    """Calendar dates (``datetime.date`` objects, or a datetime64 column) as datetime64[D];
    missing ones are NaT. No pandas timestamps: every year the store accepts fits."""
    if np.issubdtype(values.dtype, np.datetime64):
        return values.to_numpy().astype("datetime64[D]")
    return np.asarray([d if isinstance(d, date) else None for d in values],
                      dtype="datetime64[D]")


def _positions(index: pd.Index, values: pd.Series) -> np.ndarray:
    """Where each value sits in ``index`` (-1 if absent); a categorical is looked up once per
    category."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        at = index.get_indexer(values.cat.categories.astype(object))
        codes = values.cat.codes.to_numpy()
        return np.where(codes >= 0, np.r_[at, -1][codes], -1)
    return index.get_indexer(values.astype(object))


def _factorize(values: pd.Series, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` of ``values[rows]`` (codes in order of first appearance), through the
    integer codes when the column is categorical."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, seen = pd.factorize(values.cat.codes.to_numpy()[rows])
        names = values.cat.categories.to_numpy(dtype=object)[np.maximum(seen, 0)]
        missing = seen < 0
    else:
        codes, found = pd.factorize(values.astype(object).to_numpy()[rows])
        names, missing = np.asarray(found, dtype=object), codes < 0
    if missing.any():
        raise InvalidInput("every forecast needs a forecaster")
    return codes, names


def _pair_order(key: np.ndarray, t: np.ndarray, fid: np.ndarray) -> np.ndarray:
    """The order sorting by (key, t, fid). Rows usually arrive in id order, which within one
    key is nearly always time order too: a stable sort on the key alone, checked, is ~15x
    faster than the three-key lexsort it falls back to."""
    order = np.argsort(key, kind="stable")
    k, tt, ff = key[order], t[order], fid[order]
    later = (tt[1:] > tt[:-1]) | ((tt[1:] == tt[:-1]) & (ff[1:] > ff[:-1]))
    if bool(np.all((k[1:] != k[:-1]) | later)):
        return order
    return np.lexsort((fid, t, key))


def _outcomes(qs: pd.DataFrame, outcome: np.ndarray) -> tuple[np.ndarray, ...]:
    n = len(qs)
    k = np.full(n, 2.0)
    outcome_k = np.zeros(n, dtype=np.int64)
    yes = np.full(n, np.nan)
    types = qs["type"].to_numpy(dtype=object)
    b = types == "binary"
    bad = b & ~np.isin(outcome.astype(str), ("yes", "no"))
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        raise InvalidInput(f"binary question {qs['question_id'].iloc[j]} resolved as "
                           f"{outcome[j]!r}; expected yes, no, ambiguous or annulled")
    yes[b] = (outcome[b] == "yes").astype(float)
    outcome_k[b] = np.where(outcome[b] == "yes", 0, 1)
    for i in np.flatnonzero(~b):  # one pass per multiple-choice question, not per forecast
        raw = qs["options"].iloc[i]
        opts = [] if raw is None or (isinstance(raw, float) and np.isnan(raw)) else list(raw)
        if len(opts) < 2:
            raise InvalidInput(f"question {qs['question_id'].iloc[i]} needs at least two options")
        if outcome[i] not in opts:
            raise InvalidInput(f"question {qs['question_id'].iloc[i]} resolved as {outcome[i]!r}, "
                               f"which is not one of its options: {', '.join(map(str, opts))}")
        k[i] = len(opts)
        outcome_k[i] = opts.index(outcome[i])
    return k, outcome_k, yes


def _multi(prep: Prepared, qs: pd.DataFrame, dists: np.ndarray, is_multi: np.ndarray) -> None:
    """Dense option table for multiple-choice forecasts: for forecast i, K rows in option order
    (a missing option reads as 0). Fills f_out and ss; checks each forecast sums to 1."""
    rows = np.flatnonzero(is_multi)
    multi_q = np.flatnonzero(qs["type"].to_numpy(dtype=object) == "multiple")
    opt_frame = pd.DataFrame({"qi": multi_q})
    opt_frame["option"] = [list(o) for o in qs["options"].iloc[opt_frame["qi"]]]
    opt_frame = opt_frame.explode("option")
    opt_frame["k"] = opt_frame.groupby("qi").cumcount()
    dense = pd.DataFrame({"row": rows, "qi": prep.fq[rows]}).merge(opt_frame, on="qi")
    given_r: list[int] = []
    given_o: list[object] = []
    given_v: list[object] = []
    for row, d in zip(rows.tolist(), dists[rows], strict=True):
        if not isinstance(d, dict) or not d:
            raise InvalidInput(f"forecast {prep.fid[row]} on question {prep.qid[prep.fq[row]]} "
                               "needs a distribution over the options")
        given_r.extend([row] * len(d))
        given_o.extend(d.keys())
        given_v.extend(d.values())
    given = pd.DataFrame({"row": given_r, "option": given_o,
                          "value": pd.to_numeric(pd.Series(given_v), errors="coerce")})
    merged = given.merge(dense[["row", "option", "k"]], on=["row", "option"], how="left")
    unknown = merged["k"].isna().to_numpy()
    if unknown.any():
        r = int(merged["row"].iloc[int(np.flatnonzero(unknown)[0])])
        raise InvalidInput(f"forecast {prep.fid[r]} gives a probability to "
                           f"{merged['option'][unknown].iloc[0]!r}, which is not an option of "
                           f"question {prep.qid[prep.fq[r]]}")
    v = merged["value"].to_numpy(dtype=float)
    if not ((v >= 0) & (v <= 1)).all():
        bad_row = int(merged["row"].to_numpy()[~((v >= 0) & (v <= 1))][0])
        raise InvalidInput(f"forecast {prep.fid[bad_row]} has a probability outside 0–1")
    dense = dense.merge(merged[["row", "k", "value"]], on=["row", "k"], how="left")
    dense["value"] = dense["value"].fillna(0.0)
    dense = dense.sort_values(["row", "k"], kind="stable")
    r_arr = dense["row"].to_numpy()
    vals = dense["value"].to_numpy(dtype=float)
    n = len(prep.fq)
    sums = np.bincount(r_arr, weights=vals, minlength=n)
    off = np.abs(sums[rows] - 1) > 1e-6
    if off.any():
        first = int(rows[off][0])
        raise InvalidInput(f"forecast {prep.fid[first]} on question {prep.qid[prep.fq[first]]} "
                           f"sums to {sums[first]:.6g}; a distribution must sum to 1")
    hit = dense["k"].to_numpy() == prep.outcome_k[prep.fq[r_arr]]
    prep.f_out[rows] = np.bincount(r_arr[hit], weights=vals[hit], minlength=n)[rows]
    prep.ss[rows] = np.bincount(r_arr, weights=vals**2, minlength=n)[rows]
    prep.multi_rows, prep.multi_vals = r_arr, vals
