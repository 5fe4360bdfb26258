"""``score_table``: per-question policy scores for each forecaster, grouped into a table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forethought.domain.choices import (
    BEFORE_FIRST,
    BY_KEYS,
    CROWDS,
    PER_FORECAST_POLICIES,
    POLICIES,
    RULES,
    SKILL_RULES,
    SKILLS,
)
from forethought.errors import InvalidInput
from forethought.scoring._checks import check_choice, check_clip
from forethought.scoring.columns import Column, score_columns
from forethought.scoring.frames import Prepared, prepare
from forethought.scoring.grid import Grid, build_grid, crowd_forecasts
from forethought.scoring.groups import group_scores, horizon_labels
from forethought.scoring.policies import (
    WEIGHTED,
    day_count,
    days_before,
    interval_weights,
    weighted_sums,
)
from forethought.scoring.rules import LOG_CLIP

SKILL_MEANING = {
    "0.5": "a constant 0.5 (1/K for K options) standing over the same time",
    "base-rate": "a constant forecast of the base rate (share of the scored binary questions "
                 "resolved yes, in this table; 1/K for multiple choice) over the same time",
    "crowd": "the crowd aggregate standing at the same moments",
}


@dataclass
class ScoreResult:
    """``frame``: one row per group; ``meta``: how it was computed and what was left out;
    ``pairs``: the per (question, forecaster) policy scores behind the rows."""

    frame: pd.DataFrame
    meta: dict
    pairs: pd.DataFrame = field(repr=False)


def score_table(questions: pd.DataFrame, forecasts: pd.DataFrame,
                tags: pd.DataFrame | None = None, *, rules: Sequence[str] = ("brier", "log"),
                policy: str = "time-averaged", brier_scale: int = 1,
                by: Sequence[str] = ("forecaster",), before_first: str = "skip",
                crowd: str | None = None, skill: str | None = None, since: object = None,
                until: object = None,
                log_clip: tuple[float, float] | None = LOG_CLIP) -> ScoreResult:
    """Score every (question, forecaster) pair under ``policy`` and average them by ``by``.

    See :mod:`forethought.scoring.policies` for the policies, :mod:`.grid` for the crowd
    (``crowd`` adds the pseudo-forecaster ``crowd:<method>``) and :mod:`.rules` for the rules.
    Per pair the policy score is computed first; a group's value is the plain mean over its
    pairs (under ``each``, weighted by the pair's forecasts). ``questions`` counts distinct
    questions, ``forecasts`` the forecasts used (with a non-zero weight). Group keys:
    ``forecaster``; ``source`` (the pair's first forecast's source, else the question's);
    ``tag``; ``horizon`` (resolve_by − the pair's first forecast's date, bucketed); ``type``;
    ``month`` (of the close, ``YYYY-MM``).

    ``peer`` and ``relative-brier`` compare a forecaster with the others standing at each
    moment (0 while alone); under ``metaculus`` (one denominator per question) a question's peer
    scores sum to 0, under ``time-averaged`` each forecaster's average runs over their own span
    so they need not. ``skill`` adds ``<rule>_skill = (S̄ − S̄_ref)/(S_perfect − S̄_ref)``
    (``1 − S̄/S̄_ref`` for Brier and log) for brier, log and spherical, where S̄ and S̄_ref are the
    group means of the pair scores and of the reference's scores under the same policy and times
    (``SKILL_MEANING``). ``since``/``until`` select questions by close.
    """
    rules, by, clip = _checked_options(rules, policy, before_first, by, brier_scale, crowd,
                                       skill, log_clip)
    P = prepare(questions, forecasts, since, until)
    daily_fill = policy == "daily" and before_first != "skip"
    need_cells = (crowd is not None or skill == "crowd" or any(r in ("peer", "relative-brier")
                  for r in rules) or (daily_fill and before_first == "crowd"))
    G = build_grid(P, need_cells) if (need_cells or daily_fill) else None
    method = crowd or "median"
    c_out = c_ss = None
    if need_cells and G is not None:
        c_out, c_ss = crowd_forecasts(P, G, method)
    columns = score_columns(P, G, rules, skill, before_first, brier_scale, clip, c_out, c_ss)
    crowd_name = f"crowd:{crowd}" if crowd else None
    pairs = _pair_table(P, G, columns, policy, daily_fill, crowd_name)
    valid = pairs["_den"].to_numpy() > 0
    pairs = pairs[valid].drop(columns="_den").reset_index(drop=True)

    value_cols = [c.name for c in columns]
    table = group_scores(pairs, by, value_cols, tags, crowd_name, policy in WEIGHTED,
                         per_forecast=policy in PER_FORECAST_POLICIES)
    if skill is not None:
        _add_skill_scores(table, rules)
    table = table.drop(columns=[c for c in table.columns if c.startswith("ref:")])
    meta = _meta(P, rules, policy, brier_scale, by, before_first, crowd, skill, clip,
                 int((~valid).sum()))
    meta["n_clipped"] = _n_clipped(P, policy, rules, clip)
    return ScoreResult(table, meta, pairs)


def _checked_options(rules: Sequence[str], policy: str, before_first: str, by: Sequence[str],
                     brier_scale: int, crowd: str | None, skill: str | None,
                     log_clip: tuple[float, float] | None
                     ) -> tuple[list[str], list[str], tuple[float, float] | None]:
    """Check every choice against the vocabulary; return the rules and groups without
    repeats, and the log clipping."""
    rules = list(dict.fromkeys(rules))
    for r in rules:
        check_choice(r, RULES, "rule")
    if not rules:
        raise InvalidInput("choose at least one rule")
    check_choice(policy, POLICIES, "policy")
    check_choice(before_first, BEFORE_FIRST, "before-first")
    by = list(dict.fromkeys(by))
    for b in by:
        check_choice(b, BY_KEYS, "group")
    if brier_scale not in (1, 2):
        raise InvalidInput(f"brier scale must be 1 (0–1) or 2 (0–2); got {brier_scale!r}")
    if crowd is not None:
        check_choice(crowd, CROWDS, "crowd")
    if skill is not None:
        check_choice(skill, SKILLS, "skill reference")
    return rules, by, check_clip(log_clip)


def _add_skill_scores(table: pd.DataFrame, rules: list[str]) -> None:
    """``<rule>_skill`` = (S̄ − S̄_ref)/(S_perfect − S̄_ref) from the group means of the rule and
    of its ``ref:`` column; NaN where the reference is already perfect."""
    for r in rules:
        if r in SKILL_RULES:
            s, ref = table[r].to_numpy(float), table[f"ref:{r}"].to_numpy(float)
            with np.errstate(divide="ignore", invalid="ignore"):
                table[f"{r}_skill"] = np.where(ref == SKILL_RULES[r], np.nan,
                                               (s - ref) / (SKILL_RULES[r] - ref))


@dataclass
class _Pairs:
    """Per (question, forecaster) pair — the crowd's pairs after the forecasters' — the keys
    of its row and its weighted score sums."""

    first: np.ndarray         # each forecaster pair's first forecast
    q: np.ndarray             # question index
    first_t: np.ndarray       # when the pair's first forecast was made
    who: np.ndarray           # code into ``names``
    names: np.ndarray
    source: np.ndarray
    count: np.ndarray         # forecasts with a weight
    den: np.ndarray           # total weight
    nums: dict[str, np.ndarray]  # per column, the weighted sum of its scores


def _pair_table(P: Prepared, G: Grid | None, columns: list[Column], policy: str,
                daily_fill: bool, crowd_name: str | None) -> pd.DataFrame:
    pairs = _forecaster_pairs(P, G, columns, policy)
    if crowd_name is not None and G is not None:
        _add_crowd_pairs(pairs, P, G, columns, policy, crowd_name)
    if daily_fill and G is not None:
        _fill_before_first(pairs, P, G, columns)
    if policy == "metaculus":
        den = (P.sched[pairs.q] - P.opened[pairs.q]).astype(float)
        pairs.den = np.where(pairs.count > 0, den, 0.0)
    return _pair_frame(P, pairs)


def _forecaster_pairs(P: Prepared, G: Grid | None, columns: list[Column], policy: str
                      ) -> _Pairs:
    """Each real forecaster's pairs, with every column's weighted sum under ``policy``."""
    n_real = P.n_pairs
    first = np.flatnonzero(np.r_[True, P.pair[1:] != P.pair[:-1]]) if len(P.pair) else np.zeros(
        0, dtype=np.int64)
    last_f = P.end == P.close[P.fq]
    wf = interval_weights(policy, P, P.t, P.end, P.fq, np.ones(len(P.t), bool), last_f)
    count = np.bincount(P.pair, weights=(wf > 0).astype(float), minlength=n_real)
    den = np.bincount(P.pair, weights=wf, minlength=n_real)
    nums = {c.name: np.zeros(n_real) for c in columns}
    wc = None
    if G is not None and G.cell_f is not None and any(c.on != "forecast" for c in columns):
        cf, cs = G.cell_f, G.cell_seg
        wc = interval_weights(policy, P, G.seg_a[cs], G.seg_b[cs], G.seg_q[cs],
                              G.seg_a[cs] == P.t[cf], G.seg_b[cs] == P.close[G.seg_q[cs]])
    for c in columns:
        if c.on == "forecast":
            nums[c.name] = weighted_sums(P.pair, wf, c.real, n_real)
        else:
            assert wc is not None and G is not None and G.cell_f is not None
            nums[c.name] = weighted_sums(P.pair[G.cell_f], wc, c.real, n_real)
    return _Pairs(first, P.fq[first], P.t[first], P.who[first], P.names, P.f_source[first],
                  count, den, nums)


def _add_crowd_pairs(pairs: _Pairs, P: Prepared, G: Grid, columns: list[Column], policy: str,
                     crowd_name: str) -> None:
    """Append the crowd as one more forecaster, standing on every segment of every question
    someone forecast on."""
    has = G.q_first[1:] > G.q_first[:-1]
    cq = np.flatnonzero(has)
    crowd_pair = np.full(len(P.qid), -1)
    crowd_pair[cq] = np.arange(len(cq))
    sp = crowd_pair[G.seg_q]
    ws = interval_weights(policy, P, G.seg_a, G.seg_b, G.seg_q, np.ones(G.n, bool),
                          G.seg_b == P.close[G.seg_q])
    pairs.q = np.r_[pairs.q, cq]
    pairs.first_t = np.r_[pairs.first_t, G.seg_a[G.q_first[cq]]]
    pairs.names = np.r_[pairs.names, np.array([crowd_name], dtype=object)]
    pairs.who = np.r_[pairs.who, np.full(len(cq), len(pairs.names) - 1)]
    pairs.source = np.r_[pairs.source, P.q_source[cq]]
    pairs.count = np.r_[pairs.count,
                        np.bincount(sp, weights=(ws > 0).astype(float), minlength=len(cq))]
    pairs.den = np.r_[pairs.den, np.bincount(sp, weights=ws, minlength=len(cq))]
    for c in columns:
        assert c.crowd is not None
        pairs.nums[c.name] = np.r_[pairs.nums[c.name], weighted_sums(sp, ws, c.crowd, len(cq))]


def _fill_before_first(pairs: _Pairs, P: Prepared, G: Grid, columns: list[Column]) -> None:
    """``daily`` with a before-first fill: add the days before each pair's first forecast, from
    per-question prefix sums over segments (the fill's score), and before anyone forecast (the
    column's ``nobody`` score)."""
    n_real = P.n_pairs
    seg_days = day_count(P, G.seg_a, G.seg_b, G.seg_q)
    cum_days = np.r_[0.0, np.cumsum(seg_days)]
    start_seg = G.q_first[pairs.q]
    first_seg = np.r_[G.f_seg[pairs.first], start_seg[n_real:]]
    t0 = G.seg_a[np.minimum(start_seg, G.n - 1)]
    before_q = days_before(P, t0, pairs.q)
    pairs.den = pairs.den + cum_days[first_seg] - cum_days[start_seg] + before_q
    for c in columns:
        assert c.fill is not None and c.nobody is not None
        live = seg_days > 0
        cum = np.r_[0.0, np.cumsum(np.where(live, seg_days * np.where(live, c.fill, 0), 0))]
        pairs.nums[c.name] = (pairs.nums[c.name] + cum[first_seg] - cum[start_seg]
                              + np.where(before_q > 0, before_q * c.nobody[pairs.q], 0.0))


def _pair_frame(P: Prepared, pairs: _Pairs) -> pd.DataFrame:
    """One row per pair: its keys, how many forecasts and how much of the question it covers,
    each column's policy score (NaN without weight) and the weight ``_den``."""
    pair_q, den = pairs.q, pairs.den
    span = (P.close[pair_q] - P.opened[pair_q]).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = np.where(span > 0, np.clip((P.close[pair_q] - pairs.first_t) / span, 0, 1),
                            1.0)
        data = {name: np.where(den > 0, num / den, np.nan) for name, num in pairs.nums.items()}
    frame = pd.DataFrame({  # text as categoricals: a string object per pair costs more than scoring
        "question": pd.Categorical.from_codes(pair_q, categories=P.qid),
        "forecaster": pd.Categorical.from_codes(pairs.who, categories=pairs.names),
        "source": pd.Categorical(pairs.source), "type": pd.Categorical(P.qtype[pair_q]),
        "horizon": horizon_labels(P.resolve_day[pair_q], pairs.first_t),
        "month": _month_labels(P.month[pair_q]), "forecasts": pairs.count.astype(np.int64),
        "coverage": coverage,
        **data, "_den": den,
    })
    assert len(frame) == len(pair_q)
    return frame


def _month_labels(months: np.ndarray) -> pd.Categorical:
    """``YYYY-MM`` labels for months since 1970-01, as a categorical (a string per pair would
    cost more than the scoring)."""
    values, codes = np.unique(months, return_inverse=True)
    labels = np.datetime_as_string(values.astype("datetime64[M]")).astype(object)
    return pd.Categorical.from_codes(codes.astype(np.int64), categories=labels, ordered=True)


def _n_clipped(P: Prepared, policy: str, rules: list[str],
               clip: tuple[float, float] | None) -> int:
    if clip is None or not any(r in ("log", "baseline", "peer") for r in rules):
        return 0
    wf = interval_weights(policy, P, P.t, P.end, P.fq, np.ones(len(P.t), bool),
                          P.end == P.close[P.fq])
    outside = (P.f_out < clip[0]) | (P.f_out > clip[1])
    return int((outside & (wf > 0)).sum())


def _scale(rule: str, scale: int, has_multi: bool, clip: tuple[float, float] | None) -> str:
    if rule == "brier":
        if has_multi and scale == 1:
            return ("Brier 0–1 for binary, 0–2 summed over options for multiple choice "
                    "(lower is better)")
        return f"Brier 0–{scale} (lower is better)"
    clip_text = f"clipped to [{clip[0]:g}, {clip[1]:g}]" if clip else "unclipped"
    return {
        "log": f"log score in bits, probabilities {clip_text} (lower is better)",
        "spherical": "spherical 0–1 (higher is better)",
        "baseline": "Metaculus baseline 100·ln(K·f)/ln K (higher is better; 0 = uniform forecast)",
        "peer": "Metaculus peer, 100 × ln-score difference from the other forecasters standing "
                "(higher is better; 0 when alone)",
        "relative-brier": "Brier minus the median Brier of the forecasters standing "
                          "(lower is better)",
    }[rule]


def _meta(P: Prepared, rules: list[str], policy: str, scale: int, by: list[str],
          before_first: str, crowd: str | None, skill: str | None,
          clip: tuple[float, float] | None, n_dropped: int) -> dict:
    has_multi = bool((~np.isfinite(P.yes)).any())
    scales = {r: _scale(r, scale, has_multi, clip) for r in rules}
    notes = []
    if policy == "metaculus" and any(r in ("brier", "log", "spherical") for r in rules):
        notes.append("metaculus policy: time before a forecaster's first forecast adds 0, which "
                     "is neutral for baseline and peer but counts as a perfect score for Brier "
                     "and log")
    meta = {
        "policy": policy, "scale": "; ".join(scales.values()), "scales": scales, "rules": rules,
        "brier_scale": scale, "by": by, "log_clip": list(clip) if clip else None,
        "before_first": before_first if policy == "daily" else None, "crowd": crowd,
        "skill": skill, "skill_reference": SKILL_MEANING.get(skill or ""),
        "horizon": "resolve_by minus the date of the forecaster's first forecast on the question",
        "n_after_close": P.counts["n_after_close"],
        "n_unscored_questions": P.counts["n_unscored_questions"],
        "n_forecasts_on_unscored_questions": P.counts["n_forecasts_on_unscored_questions"],
        "n_superseded": P.counts["n_superseded"],
        "n_pairs_without_weight": n_dropped, "notes": notes,
        "has_multiple_choice": has_multi,
    }
    return meta
