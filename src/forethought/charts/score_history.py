"""Score over time: one point per month (per group), with the number of questions behind it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from forethought.charts._base import (
    MUTED,
    axes_or_new,
    colour,
    format_count,
    marker,
    note_on_axes,
    require_columns,
    split_scale,
    style_axes,
)
from forethought.errors import InvalidInput

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

LOWER_IS_BETTER = ("brier", "log")
HIGHER_IS_BETTER = ("baseline", "peer")


def plot_score_history(
    frame: pd.DataFrame,
    ax: Axes | None = None,
    *,
    rule: str = "brier",
    scale_label: str = "Brier 0–1",
    by: str | None = None,
    title: str | None = None,
) -> Axes:
    """Draw a score by month as lines with markers and return the Axes.

    `frame` has `month` ("YYYY-MM"), the score column named by `rule` (e.g. `brier`),
    `questions` and `forecasts`, and, with `by`, a grouping column (e.g. `forecaster`) drawn as
    one line per group. Each point is annotated with its number of questions (`n=…`); a month
    missing from a group or with no score leaves a gap in the line rather than joining across
    it. Brier and log charts say "lower is better"; a Brier chart also shows the score of always
    saying 50% (0.25 on the 0–1 scale, 0.5 on 0–2) as a dotted reference line — none when the
    label names two scales ("Brier 0–1 binary, 0–2 multiple choice"), where no one line is the
    score of not knowing.

    >>> plot_score_history(monthly, by="forecaster")  # doctest: +SKIP
    """
    import numpy as np

    require_columns(
        frame, ("month", rule, "questions", "forecasts", *([by] if by else [])), "score history"
    )
    data = _with_months(frame, rule)
    ax = axes_or_new(ax, (9.0, 4.6))
    rule_name, scale = split_scale(scale_label)
    groups = [] if data.empty else list(dict.fromkeys(data[by])) if by else [None]
    first, last = data["period"].min(), data["period"].max()
    for i, group in enumerate(groups):
        rows = data if group is None else data[data[by] == group]
        _draw_group(ax, rows, rule, first, last, i, len(groups), group)
    reference = _chance_score(rule, scale_label)
    if reference is not None:
        _draw_reference(ax, reference)
    direction = _direction(rule)
    if direction:
        _draw_direction_note(ax, direction)
    _format_axes(ax, data, first, last, reference)
    if data.empty or np.isnan(data[rule].to_numpy(float)).all():
        note_on_axes(ax, "No scored months yet")
    ax.set_ylabel(f"{rule_name} score ({scale}{'' if ',' in scale else ' scale'})" if scale
                  else f"{rule_name} score")
    per = f", per {by}" if by else ""
    ax.set_title(title or f"{rule_name} score by month{per}", fontsize=11.5)
    if ax.get_legend_handles_labels()[0]:
        _legend(ax, outside=by is not None)
    return ax


def _draw_reference(ax: Axes, reference: float) -> None:
    ax.axhline(
        reference,
        color=MUTED,
        ls=":",
        lw=1.2,
        gid="reference",
        label=f"Always 50%: {reference:g}",
        zorder=1,
    )


def _draw_direction_note(ax: Axes, direction: str) -> None:
    ax.text(
        0.995,
        0.985,
        direction,
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=8.5,
        style="italic",
        color=MUTED,
        gid="direction-note",
    )


def _legend(ax: Axes, outside: bool) -> None:
    """Beside the axes when there is a line per group, inside (framed) otherwise."""
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0) if outside else None,
        fontsize=8.5,
        frameon=not outside,
        framealpha=0.92,
    )


def _with_months(frame: pd.DataFrame, rule: str) -> pd.DataFrame:
    import pandas as pd

    data = frame.copy()
    months = data["month"].astype(str)
    bad = ~months.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])")
    if bad.any():
        raise InvalidInput(
            f"A month in the score history is not written YYYY-MM: {months[bad].iloc[0]!r}."
        )
    data["period"] = pd.PeriodIndex(months, freq="M")
    data[rule] = pd.to_numeric(data[rule], errors="coerce")
    return data.sort_values("period", kind="stable")


def _draw_group(
    ax: Axes,
    rows: pd.DataFrame,
    rule: str,
    first: pd.Period,
    last: pd.Period,
    index: int,
    count: int,
    group: object,
) -> None:
    """One group's line over every month from ``first`` to ``last``, and its number of
    questions per month: beside the points for a single line, else in a table under the axes."""
    import pandas as pd

    if rows["period"].duplicated().any():
        raise InvalidInput(
            "The score history has two rows for the same month"
            + (f" and group {group!r}" if group is not None else "")
            + "; pass by= the column that tells them apart."
        )
    # Reindex on every month so a month without a score is a gap, not a straight join.
    months = pd.period_range(first, last, freq="M")
    full = rows.set_index("period").reindex(months)
    x = _num(months)
    col = colour(index)
    ax.plot(
        x,
        full[rule].to_numpy(float),
        color=col,
        marker=marker(index),
        ms=6,
        lw=1.8,
        mec="white",
        mew=0.8,
        label=None if group is None else str(group),
        gid="score-line",
        zorder=3,
    )
    scores = full[rule].to_numpy(float)
    questions = full["questions"].to_numpy(float)
    if count == 1:
        _label_points(ax, x, scores, questions, col)
    else:
        _count_table_row(ax, x, scores, questions, col, index)
        _count_table_heading(ax, group, col, index)


def _label_points(ax: Axes, x: Any, scores: Any, questions: Any, col: str) -> None:
    """``n=…`` beside each scored point, on the side its line segments leave open."""
    import numpy as np

    for j, (xi, score, n) in enumerate(zip(x, scores, questions, strict=True)):
        if np.isnan(score) or np.isnan(n):
            continue
        near = [scores[k] for k in (j - 1, j + 1) if 0 <= k < len(scores)]
        ax.annotate(
            f"n={format_count(n)}",
            (xi, score),
            **_beside(score, [v for v in near if v == v]),
            textcoords="offset points",
            fontsize=7.5,
            color=col,
            gid="questions-label",
            annotation_clip=False,
        )


def _count_table_row(
    ax: Axes, x: Any, scores: Any, questions: Any, col: str, index: int
) -> None:
    """Several groups: a table of counts under the axis, one row per group, as in a survival
    plot's "number at risk", so labels never pile up on crossing lines."""
    import numpy as np

    for xi, score, n in zip(x, scores, questions, strict=True):
        if np.isnan(score) or np.isnan(n):
            continue
        ax.annotate(
            format_count(n),
            (xi, 0),
            xycoords=("data", "axes fraction"),
            xytext=(0, -42 - 11 * index),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=7.5,
            color=col,
            gid="questions-label",
        )


def _count_table_heading(ax: Axes, group: object, col: str, index: int) -> None:
    """The count table's title (above the first row) and the group's name left of its row."""
    if index == 0:
        ax.annotate(
            "questions scored",
            (0, 0),
            xycoords="axes fraction",
            xytext=(-6, -31),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=7.5,
            style="italic",
            color=MUTED,
        )
    ax.annotate(
        str(group),
        (0, 0),
        xycoords="axes fraction",
        xytext=(-6, -42 - 11 * index),
        textcoords="offset points",
        ha="right",
        va="top",
        fontsize=7.5,
        color=col,
    )


def _beside(y: float, neighbours: list[float]) -> dict[str, Any]:
    """Put a point's label where its line segments are not: above a peak, below a trough, on
    the open side of a rising or falling run."""
    if all(v <= y for v in neighbours):
        return {"xytext": (0, 7), "ha": "center", "va": "bottom"}
    if all(v >= y for v in neighbours):
        return {"xytext": (0, -8), "ha": "center", "va": "top"}
    rising = neighbours[0] < y
    return {"xytext": (-5 if rising else 5, 6), "ha": "right" if rising else "left", "va": "bottom"}


def _num(months: pd.PeriodIndex) -> Any:
    import matplotlib.dates as mdates

    return mdates.date2num(months.to_timestamp().to_numpy())


def _chance_score(rule: str, scale_label: str) -> float | None:
    """The Brier score of always forecasting 50%, on the scale the label names."""
    if rule.lower() != "brier":
        return None
    scale = scale_label.replace("-", "–")
    if "0–2" in scale and "0–1" in scale:  # binary and multiple choice averaged together
        return None
    if "0–2" in scale:
        return 0.5
    if "0–1" in scale:
        return 0.25
    return None


def _direction(rule: str) -> str | None:
    if rule.lower() in LOWER_IS_BETTER:
        return "lower is better ↓"
    if rule.lower() in HIGHER_IS_BETTER:
        return "higher is better ↑"
    return None


def _format_axes(
    ax: Axes, data: pd.DataFrame, first: pd.Period, last: pd.Period, reference: float | None
) -> None:
    import math

    import matplotlib.dates as mdates
    import numpy as np
    import pandas as pd

    style_axes(ax)
    if not data.empty:
        span = (last - first).n + 1
        lo = (first.to_timestamp() - pd.Timedelta(days=20)).to_datetime64()
        hi = (last.to_timestamp() + pd.Timedelta(days=20)).to_datetime64()
        ax.set_xlim(mdates.date2num(lo), mdates.date2num(hi))
        ax.xaxis_date()
        locator = mdates.MonthLocator(interval=max(1, math.ceil(span / 12)))
        ax.xaxis.set_major_locator(locator)
        # A January tick reads "Jan 2025", not a bare "2025" beside "Feb", "Mar".
        zero = ["", "%b\n%Y", "%b", "%b-%d", "%H:%M", "%H:%M"]
        if span == 1:  # one month: the concise formatter would label it "00:00 / 2024-Dec-01"
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        else:
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, zero_formats=zero))
    scores = [
        y
        for line in ax.get_lines()
        if line.get_gid() == "score-line"
        for y in np.asarray(line.get_ydata(), dtype=float)
        if y == y
    ]
    if reference is not None:
        scores.append(reference)
    if scores and min(scores) >= 0:
        # Room above the top point for its n label and the direction note.
        ax.set_ylim(0, max(scores) * 1.25 or 1.0)
