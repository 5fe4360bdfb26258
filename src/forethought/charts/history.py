"""One question's forecast history: each forecaster's standing probability over time, as steps.

A forecast stands until the same forecaster's next one, so every forecaster is one step line
(`drawstyle="steps-post"`) with a dot at each update. The last step runs to the close: known_at
when the question is resolved, else the latest of the last forecast, resolve-by and `now`.
Forecasts made after known_at are never scored (DESIGN.md); they are drawn as hollow dots off the
line so they are visible but clearly apart.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from forethought.charts._base import (
    MUTED,
    axes_or_new,
    colour,
    note_on_axes,
    require_columns,
    style_axes,
)
from forethought.errors import InvalidInput

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

When = date | datetime | str
SPECIAL = ("ambiguous", "annulled")


def plot_history(
    forecasts: pd.DataFrame,
    ax: Axes | None = None,
    *,
    title: str,
    resolve_by: When | None = None,
    outcome: str | None = None,
    known_at: When | None = None,
    crowd: pd.DataFrame | None = None,
    options: Sequence[str] | None = None,
    forecaster: str | None = None,
    now: When | None = None,
) -> Axes:
    """Draw one question's forecasts over time and return the Axes.

    Binary question (`options` None): `forecasts` has `forecaster`, `made_at` (timezone-aware;
    naive values are taken as UTC) and `probability` (P(yes)); one step line per forecaster, the
    crowd median (`crowd`: `made_at`, `probability`) as a dashed black step line, a dotted
    vertical line at `resolve_by`, and the outcome at `known_at`: a star at P = 1 for yes or 0
    for no, a labelled vertical line for ambiguous or annulled.

    Multiple choice (`options` given): `forecasts` has a `distribution` column (option ->
    probability) and ONE forecaster's history is drawn, one step line per option: the only
    forecaster in the frame, or the one named by `forecaster`. A crowd frame with a
    `distribution` column is drawn dashed in the option colours. The winning option gets the star.

    >>> plot_history(frame, title="Will X happen?", resolve_by=date(2024, 12, 25))  # doctest: +SKIP
    """
    frame, crowd, when = _timeline(forecasts, crowd, resolve_by, known_at, now)
    ax = axes_or_new(ax, (9.5, 4.8))
    if options is None:
        require_columns(forecasts, ("probability",), "forecast history")
        _check_probabilities(frame["probability"], "probability")
        lines = _binary_lines(frame, crowd)
        ylabel = "P(yes)"
    else:
        frame = _one_forecaster(frame, forecaster)
        if len(frame):
            title = f"{title} — {frame['forecaster'].iloc[0]}"
        lines = _option_lines(frame, crowd, list(options))
        ylabel = "Probability"
    _draw_lines(ax, lines, when.end, when.closed)
    if when.by is not None:
        _draw_resolve_by(ax, when.by, when.tz)
    _draw_outcome(ax, outcome, when.closed, when.end, when.tz, list(options) if options else None)
    if not lines:
        note_on_axes(ax, "No forecasts yet")
    span = [t for t in (*when.stamps, when.end) if t is not None]
    _format_axes(ax, ylabel, when.tz, span, frame)
    # y given: nothing sits above these axes, so matplotlib need not look for room on each draw
    ax.set_title("\n".join(textwrap.wrap(title, 72)), fontsize=11.5, y=1.0)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5, frameon=False)
    return ax


@dataclass
class _When:
    """The chart's moments in UTC (``closed`` is known_at), and the display time zone."""

    tz: Any
    by: pd.Timestamp | None
    closed: pd.Timestamp | None
    stamps: list[pd.Timestamp]
    end: pd.Timestamp | None


def _timeline(
    forecasts: pd.DataFrame,
    crowd: pd.DataFrame | None,
    resolve_by: When | None,
    known_at: When | None,
    now: When | None,
) -> tuple[pd.DataFrame, pd.DataFrame | None, _When]:
    """The forecasts and the crowd with made_at in UTC (checked), and the chart's moments. The
    last step ends at known_at, else at the latest forecast, resolve-by or ``now``."""
    import pandas as pd

    require_columns(forecasts, ("forecaster", "made_at"), "forecast history")
    frame = forecasts.copy()
    frame["made_at"] = _utc(frame["made_at"], "made_at")
    tz = _display_tz(forecasts["made_at"])
    by = _timestamp(resolve_by, tz, "resolve_by")
    closed = _timestamp(known_at, tz, "known_at")
    stamps = [frame["made_at"].max()] if len(frame) else []
    if crowd is not None:
        require_columns(crowd, ("made_at",), "crowd history")
        crowd = crowd.copy()
        crowd["made_at"] = _utc(crowd["made_at"], "crowd made_at")
        stamps += [crowd["made_at"].max()] if len(crowd) else []
    stamps += [t for t in (by, _timestamp(now, tz, "now")) if t is not None]
    stamps = [t for t in stamps if not pd.isna(t)]
    end = closed if closed is not None else (max(stamps) if stamps else None)
    return frame, crowd, _When(tz, by, closed, stamps, end)


def _draw_resolve_by(ax: Axes, by: pd.Timestamp, tz: Any) -> None:
    ax.axvline(
        _num(by),
        color=MUTED,
        ls=":",
        lw=1.4,
        gid="resolve-by",
        label=f"Resolve by {_day(by.tz_convert(tz))}",
        zorder=1,
    )


def _utc(values: pd.Series, what: str) -> pd.Series:
    import pandas as pd

    try:
        stamps = pd.to_datetime(values)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(
            f"The {what} column holds a value that is not a date-time: {exc}."
        ) from exc
    if stamps.dt.tz is None:
        stamps = stamps.dt.tz_localize("UTC")
    return stamps.dt.tz_convert("UTC")


def _display_tz(values: pd.Series) -> Any:
    tz = getattr(getattr(values, "dt", None), "tz", None) if len(values) else None
    return tz if tz is not None else "UTC"


def _timestamp(value: When | None, tz: Any, what: str) -> pd.Timestamp | None:
    """A date or date-time in the display time zone (a bare date is its midnight), as UTC."""
    import pandas as pd

    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"{what} is not a date or date-time: {value!r}.") from exc
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(tz)
    return stamp.tz_convert("UTC")


def _num(stamps: Any) -> Any:
    """Matplotlib date numbers for a Timestamp or a sequence of UTC Timestamps."""
    import matplotlib.dates as mdates
    import pandas as pd

    if isinstance(stamps, pd.Timestamp):
        return mdates.date2num(stamps.tz_convert("UTC").tz_localize(None).to_datetime64())
    index = pd.DatetimeIndex(stamps).tz_convert("UTC").tz_localize(None)
    return mdates.date2num(index.to_numpy())


def _day(stamp: pd.Timestamp) -> str:
    return f"{stamp.day} {stamp:%b %Y}"


def _check_probabilities(values: pd.Series, what: str) -> None:
    import pandas as pd

    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.isna().any() or ((numbers < 0) | (numbers > 1)).any():
        raise InvalidInput(f"Every {what} in a forecast history must be a number from 0 to 1.")


# A line to draw: label, colour, dashed?, made_at (UTC) and probabilities, in time order.
Line = tuple[str, str, bool, "pd.Series", "pd.Series"]


def _binary_lines(frame: pd.DataFrame, crowd: pd.DataFrame | None) -> list[Line]:
    frame = frame.sort_values("made_at", kind="stable")
    first = frame.groupby("forecaster", sort=False)["made_at"].min().sort_values(kind="stable")
    lines: list[Line] = []
    for i, name in enumerate(first.index):
        rows = frame[frame["forecaster"] == name]
        lines.append((str(name), colour(i), False, rows["made_at"], rows["probability"]))
    if crowd is not None and len(crowd):
        require_columns(crowd, ("probability",), "crowd history")
        _check_probabilities(crowd["probability"], "crowd probability")
        crowd = crowd.sort_values("made_at", kind="stable")
        lines.append(("Crowd median", "0.15", True, crowd["made_at"], crowd["probability"]))
    return lines


def _one_forecaster(frame: pd.DataFrame, forecaster: str | None) -> pd.DataFrame:
    require_columns(frame, ("distribution",), "multiple-choice forecast history")
    names = list(dict.fromkeys(frame["forecaster"]))
    if forecaster is not None:
        if forecaster not in names:
            raise InvalidInput(
                f"{forecaster!r} has no forecasts on this question; "
                f"forecasters here: {', '.join(map(str, names)) or 'none'}."
            )
        return frame[frame["forecaster"] == forecaster]
    if len(names) > 1:
        raise InvalidInput(
            "A multiple-choice history shows one forecaster at a time; pass forecaster= one of "
            f"{', '.join(map(str, names))}."
        )
    return frame


def _option_lines(
    frame: pd.DataFrame, crowd: pd.DataFrame | None, options: list[str]
) -> list[Line]:
    import pandas as pd

    lines: list[Line] = []
    sources = [(frame, False)]
    if crowd is not None and len(crowd) and "distribution" in crowd.columns:
        sources.append((crowd, True))
    for rows, dashed in sources:
        rows = rows.sort_values("made_at", kind="stable")
        for i, option in enumerate(options):
            p = pd.Series([_share(d, option) for d in rows["distribution"]], index=rows.index)
            _check_probabilities(p, f"probability of {option!r}")
            label = f"{option} (crowd median)" if dashed else str(option)
            lines.append((label, colour(i), dashed, rows["made_at"], p))
    return lines


def _share(distribution: Any, option: str) -> float:
    if not isinstance(distribution, dict):
        raise InvalidInput(
            "Each multiple-choice forecast needs a distribution: a dict of option -> probability."
        )
    return float(distribution.get(option, 0.0))


def _draw_lines(
    ax: Axes, lines: list[Line], end: pd.Timestamp | None, closed: pd.Timestamp | None
) -> None:
    for label, col, dashed, made_at, p in lines:
        scored = made_at <= closed if closed is not None else made_at.notna()
        x = list(made_at[scored])
        y = list(p[scored].astype(float))
        if x:
            stop = max(end, x[-1]) if end is not None else x[-1]
            x_num = _num([*x, stop])
            ax.plot(
                x_num,
                [*y, y[-1]],
                drawstyle="steps-post",
                color=col,
                ls="--" if dashed else "-",
                lw=2.0 if dashed else 1.8,
                marker=None if dashed else "o",
                markevery=list(range(len(x))),
                ms=4,
                label=label,
                gid="history-step",
                zorder=3 if dashed else 2,
            )
        if (~scored).any():
            ax.plot(
                _num(list(made_at[~scored])),
                p[~scored].astype(float),
                ls="none",
                marker="o",
                ms=5,
                mfc="white",
                mec=col,
                mew=1.3,
                gid="late-forecast",
                label=f"{label}: after known_at, not scored",
            )


def _draw_outcome(
    ax: Axes,
    outcome: str | None,
    closed: pd.Timestamp | None,
    end: pd.Timestamp | None,
    tz: Any,
    options: list[str] | None,
) -> None:
    at = closed if closed is not None else end
    if at is None or (outcome is None and closed is None):
        return
    when = f" ({_day(closed.tz_convert(tz))})" if closed is not None else ""
    if closed is not None:
        ax.axvline(_num(closed), color="0.3", lw=1.0, gid="known-at", zorder=1)
    if outcome is None or outcome.lower() in SPECIAL:
        text = f"Resolved {outcome.lower()}" if outcome else "Closed"
        ax.annotate(
            text,
            (_num(at), 0.0),
            xytext=(-4, 4),
            textcoords="offset points",
            rotation=90,
            ha="right",
            va="bottom",
            fontsize=9,
            color="0.2",
            gid="outcome",
            bbox={"fc": "white", "ec": "none", "alpha": 0.85, "pad": 1.5},
        )
        ax.plot([], [], color="0.3", lw=1.0, label=f"{text}{when}")
        return
    y, col, short = _outcome_point(outcome, options)
    ax.plot(
        [_num(at)],
        [y],
        ls="none",
        marker="*",
        ms=15,
        color=col,
        mec="black",
        mew=0.7,
        clip_on=False,
        gid="outcome",
        label=f"Resolved {short}{when}",
        zorder=5,
    )
    ax.annotate(
        short,
        (_num(at), y),
        xytext=(-9, -12 if y > 0.5 else 12),
        textcoords="offset points",
        ha="right",
        va="center",
        fontsize=9,
        fontweight="bold",
        color="0.15",
        annotation_clip=False,
    )


def _outcome_point(outcome: str, options: list[str] | None) -> tuple[float, str, str]:
    if options is None:
        word = outcome.lower()
        if word not in ("yes", "no"):
            raise InvalidInput(
                f"A binary question resolves yes, no, ambiguous or annulled, not {outcome!r}."
            )
        return (1.0, "#009E73", "YES") if word == "yes" else (0.0, "#D55E00", "NO")
    if outcome not in options:
        raise InvalidInput(
            f"The outcome {outcome!r} is not one of the options: {', '.join(options)}."
        )
    return 1.0, colour(options.index(outcome)), outcome


def _format_axes(ax: Axes, ylabel: str, tz: Any, stamps: list[Any], frame: pd.DataFrame) -> None:
    import matplotlib.dates as mdates
    import pandas as pd
    from matplotlib.ticker import MultipleLocator, PercentFormatter

    ax.set_ylim(-0.03, 1.03)
    ax.yaxis.set_major_locator(MultipleLocator(0.25))
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    ax.set_ylabel(ylabel)
    times = [*stamps, *(frame["made_at"].tolist() if len(frame) else [])]
    times = [t for t in times if not pd.isna(t)]
    if times:
        lo, hi = min(times), max(times)
        pad = max((hi - lo) * 0.04, pd.Timedelta(hours=12))
        ax.set_xlim(_num(lo - pad), _num(hi + pad))
    ax.xaxis_date(tz)
    locator = mdates.AutoDateLocator(tz=tz, minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=tz))
    style_axes(ax)
