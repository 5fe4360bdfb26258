"""Use cases for `forethought chart history` and `forethought chart scores`, and the inputs the
report draws its per-question charts from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forethought.domain.choices import BY_KEYS, CHART_RULES, brier_range
from forethought.domain.records import Forecast, QuestionView
from forethought.errors import InvalidInput
from forethought.store.engine import Store

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from matplotlib.axes import Axes

#: rules `chart scores` can draw, and the scale label each chart names
SCORE_RULES = CHART_RULES
GROUPS = tuple(k for k in BY_KEYS if k != "month")


@dataclass
class Chart:
    """A drawn chart: the file written, its Axes (for tests and notebooks) and what it shows."""

    path: Path
    ax: Axes
    info: dict[str, Any] = field(default_factory=dict)


def forecasts_frame(forecasts: Sequence[Forecast]) -> pd.DataFrame:
    """forecaster, made_at (UTC), probability, distribution: one row per forecast."""
    import pandas as pd

    from forethought.services.analysis import utc_series

    frame = pd.DataFrame({
        "forecaster": [f.forecaster for f in forecasts],
        "made_at": utc_series([f.made_at for f in forecasts]),
        "probability": [f.probability for f in forecasts],
        "distribution": [f.distribution for f in forecasts],
    })
    frame["probability"] = frame["probability"].astype("float64")
    return frame


def crowd_history(forecasts: pd.DataFrame, options: Sequence[str] | None = None
                  ) -> pd.DataFrame:
    """The crowd median over time: at each moment someone forecast, the median of every
    forecaster's standing forecast (their latest at or before it).

    Binary: columns made_at, probability. Multiple choice (``options``): made_at and
    distribution, the median per option renormalised to sum to 1.

    >>> crowd_history(frame)                         # doctest: +SKIP
    """
    import numpy as np
    import pandas as pd

    f = forecasts.sort_values("made_at", kind="stable")
    if options is None:
        median = _standing_median(f, f["probability"].to_numpy(dtype=float))
        return pd.DataFrame({"made_at": median.index, "probability": median.to_numpy(float)})
    medians = {}
    for option in options:
        shares = np.asarray([(d or {}).get(option, 0.0) for d in f["distribution"]], dtype=float)
        medians[option] = _standing_median(f, shares)
    table = pd.DataFrame(medians)
    table = table.div(table.sum(axis=1).where(lambda s: s > 0), axis=0).fillna(0.0)
    return pd.DataFrame({"made_at": table.index,
                         "distribution": [dict(zip(options, row, strict=True))
                                          for row in table.to_numpy(float).tolist()]})


def _standing_median(f: pd.DataFrame, values: np.ndarray) -> pd.Series:
    """At each moment someone forecast (``f`` in time order), the median of every forecaster's
    standing value: their last one at or before it. Missing values are skipped."""
    import numpy as np
    import pandas as pd

    keep = ~np.isnan(values) & f["made_at"].notna().to_numpy()
    times = pd.DatetimeIndex(f["made_at"][keep])
    moments = times.unique()
    row = moments.get_indexer(times)
    col = pd.factorize(f["forecaster"][keep])[0]
    n_cols = int(col.max()) + 1 if len(col) else 0
    # the last of one forecaster's forecasts at one moment stands
    key = row * n_cols + col
    _, from_end = np.unique(key[::-1], return_index=True)
    last = len(key) - 1 - from_end
    wide = np.full((len(moments), n_cols), np.nan)
    wide[row[last], col[last]] = values[keep][last]
    return pd.DataFrame(wide, index=moments).ffill().median(axis=1, skipna=True)


def history_inputs(view: QuestionView, *, forecaster: str | None = None,
                   now: datetime | None = None) -> dict[str, Any] | None:
    """Keyword arguments for :func:`forethought.charts.plot_history` for one question, or None
    when it has no forecasts. A multiple-choice chart shows one forecaster (``forecaster``, else
    the one with the most forecasts) against the crowd."""
    q = view.question
    if not view.forecasts:
        return None
    frame = forecasts_frame(view.forecasts)
    names = frame["forecaster"].value_counts(sort=True)
    options = list(q.options) if q.type == "multiple" else None
    if forecaster is not None and forecaster not in names.index:
        raise InvalidInput(f"{forecaster!r} has not forecast on {q.id}; forecasters there: "
                           f"{', '.join(map(str, names.index))}")
    crowd = crowd_history(frame, options) if len(names) > 1 else None
    if options is None:
        if forecaster is not None:
            frame = frame[frame["forecaster"] == forecaster]
        frame = frame.drop(columns="distribution")
    elif forecaster is None:
        forecaster = str(names.index[0])
    res = view.resolution
    return {"forecasts": frame.reset_index(drop=True), "title": q.title,
            "resolve_by": q.resolve_by, "outcome": res.outcome if res else None,
            "known_at": res.known_at if res else None, "crowd": crowd, "options": options,
            "forecaster": forecaster if options else None,
            "now": now if res is None else None}


def history_chart(store: Store, question: str, out: Path, *, forecaster: str | None = None,
                  now: datetime | None = None) -> Chart:
    """Draw one question's forecasts over time (per forecaster, with the crowd median, the
    resolve-by date and the outcome) to ``out`` (.png, .svg or .pdf)."""
    from forethought.charts import plot_history, save_figure
    from forethought.domain.timeparse import utcnow
    from forethought.services.questions import show

    view = show(store, question)
    inputs = history_inputs(view, forecaster=forecaster, now=now or utcnow())
    if inputs is None:
        inputs = {"forecasts": forecasts_frame([]).drop(columns="distribution"),
                  "title": view.question.title, "resolve_by": view.question.resolve_by,
                  "now": now or utcnow()}
    data = inputs.pop("forecasts")
    ax = plot_history(data, **inputs)
    path = save_figure(ax, out)
    forecasters = sorted(set(data["forecaster"])) if len(data) else []
    return Chart(path, ax, {"question": view.question.id, "forecasts": len(data),
                            "forecasters": forecasters,
                            "crowd": inputs.get("crowd") is not None,
                            "outcome": inputs.get("outcome")})


def scale_label(rule: str, brier_scale: int, multiple_choice: bool = False) -> str:
    """The rule and its scale, as the chart's axis names it ("Brier 0–1"); Brier scores of
    multiple-choice questions averaged in say so (:func:`brier_range`)."""
    return {"brier": f"Brier {brier_range(brier_scale, multiple_choice)}", "log": "Log bits",
            "baseline": "Baseline", "peer": "Peer"}[rule]


def score_history(store: Store, *, rule: str = "brier", group: str | None = None,
                  policy: str = "time-averaged", brier_scale: int = 1, tag: str | None = None,
                  forecaster: str | None = None) -> tuple[pd.DataFrame, dict]:
    """The score by month of close (``month``, ``questions``, ``forecasts``, the rule's
    column), per ``group`` if given, with the scoring engine's meta."""
    from forethought.services.scores import score

    if rule not in SCORE_RULES:
        raise InvalidInput(f"chart scores draws one of {', '.join(SCORE_RULES)}, not {rule!r}")
    if group is not None and group not in GROUPS:
        raise InvalidInput(f"--by month can be combined with one of {', '.join(GROUPS)}, "
                           f"not {group!r}")
    by = ["month"]
    if group is not None:
        by.append(group)
    if forecaster is not None and "forecaster" not in by:
        by.append("forecaster")
    result = score(store, rules=[rule], policy=policy, brier_scale=brier_scale, by=by, tag=tag,
                   forecaster=forecaster)
    frame = result.frame
    if group is not None:
        frame = frame.assign(**{group: frame[group].astype(object).where(
            frame[group].notna(), "(none)").astype(str)})
    return frame.reset_index(drop=True), result.meta


def scores_chart(store: Store, out: Path, *, rule: str = "brier", group: str | None = None,
                 policy: str = "time-averaged", brier_scale: int = 1, tag: str | None = None,
                 forecaster: str | None = None) -> Chart:
    """Draw the score by month (one line per ``group`` value if given) to ``out``."""
    from forethought.charts import plot_score_history, save_figure

    frame, meta = score_history(store, rule=rule, group=group, policy=policy,
                                brier_scale=brier_scale, tag=tag, forecaster=forecaster)
    label = scale_label(rule, brier_scale, bool(meta.get("has_multiple_choice")))
    title_parts = [f"{label.split()[0]} score by month of close"]
    if forecaster:
        title_parts.append(f"— {forecaster}")
    if tag:
        title_parts.append(f"(tag {tag})")
    ax = plot_score_history(frame, rule=rule, scale_label=label,
                            by=group, title=" ".join(title_parts) + f", {policy}")
    path = save_figure(ax, out)
    return Chart(path, ax, {"months": int(frame["month"].nunique()) if len(frame) else 0,
                            "rows": frame, "policy": policy, "scale": meta.get("scale")})
