"""Reliability diagram: observed frequency against mean forecast, one point per non-empty bin.

The tables come from the scoring engine (`docs/scoring.md`, "Calibration"): one row per bin with
`lower, upper, n, mean_forecast, observed, interval_low, interval_high` and optionally
`consistency_low, consistency_high`. Empty bins (n = 0) stay in the tables but get no point: a
point needs forecasts behind it. Points sit at the bin's mean forecast, never at the bin centre.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from forethought.charts._base import (
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

TABLE_COLUMNS = (
    "lower",
    "upper",
    "n",
    "mean_forecast",
    "observed",
    "interval_low",
    "interval_high",
)
BAND_COLUMNS = ("consistency_low", "consistency_high")
COUNT_MODES = ("auto", "labels", "strip", "none")
_ONE = ""  # the key of a table passed on its own, not in a dict


def plot_calibration(
    tables: Mapping[str, pd.DataFrame] | pd.DataFrame,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    brier: float | Mapping[str, float] | None = None,
    scale_label: str = "Brier 0–1",
    show_counts: Literal["auto", "labels", "strip", "none"] = "auto",
    consistency: bool = False,
    corp: Mapping[str, Mapping[str, Any]] | None = None,
    interval_label: str = "95% interval",
) -> Axes:
    """Draw a reliability diagram and return its Axes.

    `tables` is one calibration table or a dict of them (series name -> table, for example
    `{"alice": t1, "bob": t2, "crowd:median": t3}`), drawn in one chart with distinct colours and
    markers and a legend. For each series: one point per bin with n > 0 at (mean_forecast,
    observed), its interval as an error bar, and n per bin, either as `n=…` labels beside the
    points (`show_counts="labels"`) or as a bar strip under the diagram (`"strip"`; the strip is
    `ax.child_axes[0]` and carries the x label) or not at all (`"none"`). The default, `"auto"`,
    is labels for one series and the strip for several, where labels would crowd each other.

    `brier` is the score to put in the title (a number) or per series in the legend (a dict);
    `scale_label` names the rule and its scale ("Brier 0–1", "Brier 0–2"), so the title reads
    "Calibration — Brier 0.183 (0–1 scale), 412 forecasts". `consistency=True` shades each
    table's consistency band. `corp` maps a series name to `{"x", "y", "mcb", "dsc", "unc"}` and
    draws the CORP (isotonic) reliability curve as steps, its decomposition in the legend.

    >>> ax = plot_calibration(table, brier=0.183)     # doctest: +SKIP
    >>> save_figure(ax, "calibration.png")            # doctest: +SKIP
    """
    series = _series(tables, consistency)
    counts = _count_mode(show_counts, len(series))
    ax = axes_or_new(ax, (6.4, 7.4 if counts == "strip" else 6.6))
    _draw_frame(ax)
    colours = {name: colour(i) for i, name in enumerate(series)}
    _draw_series(ax, series, colours, brier, interval_label, counts, consistency)
    if corp:
        _draw_corp(ax, corp, colours)
    if counts == "strip":
        _draw_strip(ax, series, colours)
    if all(int((t["n"] > 0).sum()) == 0 for t in series.values()):
        note_on_axes(ax, "No resolved forecasts to show yet", y=0.62)
    ax.set_title(_title(title, brier, scale_label, series), fontsize=11.5, loc="center")
    ax.legend(loc="best", fontsize=8.5, framealpha=0.92, borderaxespad=0.6)
    return ax


def _count_mode(show_counts: str, n_series: int) -> str:
    """The checked ``show_counts``, with ``auto`` made labels for one series, else the strip."""
    if show_counts not in COUNT_MODES:
        raise InvalidInput(
            f"show_counts must be one of {', '.join(COUNT_MODES)}, not {show_counts!r}."
        )
    if show_counts == "auto":
        return "labels" if n_series == 1 else "strip"
    return show_counts


def _draw_series(
    ax: Axes,
    series: dict[str, pd.DataFrame],
    colours: dict[str, str],
    brier: float | Mapping[str, float] | None,
    interval_label: str,
    show_counts: str,
    consistency: bool,
) -> None:
    """Each series' non-empty bins: its band, its points with their intervals, and its counts
    when they go beside the points."""
    single = len(series) == 1
    for i, (name, table) in enumerate(series.items()):
        filled = table[table["n"] > 0].sort_values("mean_forecast")
        if consistency:
            _draw_band(ax, filled, "0.55" if single else colours[name], name)
        label = _series_label(name, filled, brier, interval_label)
        _draw_points(ax, filled, label, colours[name], marker(i))
        if show_counts == "labels":
            _draw_count_labels(ax, filled, colours[name], i)


def _series(
    tables: Mapping[str, pd.DataFrame] | pd.DataFrame, consistency: bool
) -> dict[str, pd.DataFrame]:
    import pandas as pd

    series = {_ONE: tables} if isinstance(tables, pd.DataFrame) else dict(tables)
    if not series:
        raise InvalidInput("plot_calibration needs at least one calibration table; got none.")
    checked = {}
    for name, table in series.items():
        what = f"calibration table {name!r}" if name else "calibration table"
        if not isinstance(table, pd.DataFrame):
            kind = type(table).__name__
            raise InvalidInput(f"The {what} must be a pandas DataFrame, not {kind}.")
        require_columns(table, TABLE_COLUMNS + (BAND_COLUMNS if consistency else ()), what)
        filled = table[table["n"] > 0]
        for col in ("mean_forecast", "observed"):
            values = pd.to_numeric(filled[col], errors="coerce")
            if values.isna().any() or ((values < 0) | (values > 1)).any():
                raise InvalidInput(
                    f"The {what} has a non-empty bin whose {col} is not a number from 0 to 1."
                )
        checked[str(name)] = table
    return checked


def _draw_frame(ax: Axes) -> None:
    from matplotlib.ticker import MultipleLocator, PercentFormatter

    ax.plot(
        [0, 1],
        [0, 1],
        ls="--",
        lw=1,
        color="0.6",
        label="Perfectly calibrated",
        gid="diagonal",
        zorder=1,
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal", adjustable="box")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(MultipleLocator(0.2))
        axis.set_minor_locator(MultipleLocator(0.1))
        axis.set_major_formatter(PercentFormatter(xmax=1))
    ax.set_xlabel("Forecast probability")
    ax.set_ylabel("Observed frequency")
    style_axes(ax)
    ax.grid(True, which="minor", color="0.95", linewidth=0.6)


def _series_label(
    name: str, filled: pd.DataFrame, brier: float | Mapping[str, float] | None, interval: str
) -> str:
    if not name:
        return f"Observed frequency ({interval})"
    label = name
    if isinstance(brier, Mapping) and name in brier:
        label += f" — Brier {float(brier[name]):.3f}, n={format_count(float(filled['n'].sum()))}"
    return label


def _draw_points(ax: Axes, filled: pd.DataFrame, label: str, col: str, mk: str) -> None:
    import numpy as np

    x = filled["mean_forecast"].to_numpy(float)
    y = filled["observed"].to_numpy(float)
    below = np.clip(y - filled["interval_low"].to_numpy(float), 0, None)
    above = np.clip(filled["interval_high"].to_numpy(float) - y, 0, None)
    bars = ax.errorbar(
        x,
        y,
        yerr=np.vstack([below, above]),
        fmt=mk,
        color=col,
        ecolor=col,
        ms=7,
        mec="white",
        mew=0.9,
        elinewidth=1.3,
        capsize=3,
        capthick=1.3,
        label=label,
        zorder=3,
    )
    points, caps, stems = bars.lines
    points.set_gid("calibration-points")
    # Points on the 0 or 1 edge would be cut in half by the axes frame.
    for artist in (points, *caps, *stems):
        artist.set_clip_on(False)


def _draw_count_labels(ax: Axes, filled: pd.DataFrame, col: str, index: int) -> None:
    # Several series share bins: stagger their labels vertically so they do not run together.
    lift = (0, 7, -7, 14, -14)[index % 5]
    for x, y, n in zip(filled["mean_forecast"], filled["observed"], filled["n"], strict=True):
        right = float(x) <= 0.86  # near the right edge the label goes to the left of the point
        dy = lift + (7 if float(y) < 0.03 else -7 if float(y) > 0.97 else -1)  # clear the frame
        ax.annotate(
            f"n={format_count(float(n))}",
            (float(x), float(y)),
            xytext=(7 if right else -7, dy),
            textcoords="offset points",
            ha="left" if right else "right",
            va="center",
            fontsize=7.5,
            color=col,
            gid="count-label",
            annotation_clip=False,
            zorder=4,
        )


def _draw_band(ax: Axes, filled: pd.DataFrame, col: str, name: str) -> None:
    band = filled.dropna(subset=list(BAND_COLUMNS))
    if band.empty:
        return
    label = f"{name} consistency band" if name else "Consistency band"
    ax.fill_between(
        band["mean_forecast"].to_numpy(float),
        band["consistency_low"].to_numpy(float),
        band["consistency_high"].to_numpy(float),
        color=col,
        alpha=0.15,
        lw=0,
        label=label,
        gid="consistency-band",
        zorder=0,
    )


def _draw_corp(ax: Axes, corp: Mapping[str, Mapping[str, Any]], colours: dict[str, str]) -> None:
    import numpy as np

    for j, (name, curve) in enumerate(corp.items()):
        if "x" not in curve or "y" not in curve:
            raise InvalidInput(f"The CORP curve {name!r} needs both 'x' and 'y' arrays.")
        x = np.asarray(curve["x"], dtype=float)
        y = np.asarray(curve["y"], dtype=float)
        if x.shape != y.shape or x.ndim != 1:
            raise InvalidInput(f"The CORP curve {name!r} has 'x' and 'y' of different lengths.")
        order = np.argsort(x, kind="stable")
        if name in colours:
            col = colours[name]
        elif len(colours) == 1 and len(corp) == 1:
            col = next(iter(colours.values()))
        else:
            col = colour(len(colours) + j)
        parts = [f"{k.upper()} {float(curve[k]):.3f}" for k in ("mcb", "dsc", "unc") if k in curve]
        label = f"{name} CORP" if name else "CORP reliability"
        if parts:
            label += f" ({', '.join(parts)})"
        ax.step(
            x[order],
            y[order],
            where="post",
            color=col,
            lw=1.6,
            alpha=0.75,
            label=label,
            gid="corp-curve",
            zorder=2,
        )


def _draw_strip(ax: Axes, series: dict[str, pd.DataFrame], colours: dict[str, str]) -> None:
    from matplotlib.ticker import MaxNLocator

    strip = ax.inset_axes((0.0, -0.25, 1.0, 0.2), sharex=ax)
    strip.set_gid("count-strip")
    k = len(series)
    for i, (name, table) in enumerate(series.items()):
        lower = table["lower"].to_numpy(float).clip(0, 1)
        upper = table["upper"].to_numpy(float).clip(0, 1)
        width = (upper - lower) / k
        strip.bar(
            lower + i * width,
            table["n"].to_numpy(float),
            width=width * 0.92,
            align="edge",
            color=colours[name],
            alpha=0.85,
            label=name or None,
        )
    strip.set_ylabel("n", rotation=0, ha="right", va="center")
    strip.yaxis.set_major_locator(MaxNLocator(3, integer=True))
    strip.tick_params(axis="y", labelsize=7.5)
    strip.set_xlabel(ax.get_xlabel())
    style_axes(strip)
    strip.grid(False, axis="x", which="both")
    ax.set_xlabel("")
    ax.tick_params(axis="x", which="both", labelbottom=False)


def _title(
    title: str | None,
    brier: float | Mapping[str, float] | None,
    scale_label: str,
    series: dict[str, pd.DataFrame],
) -> str:
    head = title or "Calibration"
    rule, scale = split_scale(scale_label)
    scale_note = f" ({scale} scale)" if scale else ""
    stats = []
    if isinstance(brier, Mapping):
        stats.append(f"{rule}{scale_note} per series in the legend")
    elif brier is not None:
        stats.append(f"{rule} {float(brier):.3f}{scale_note}")
    if len(series) == 1:
        n = float(next(iter(series.values()))["n"].sum())
        stats.append(f"{format_count(n)} forecast{'' if n == 1 else 's'}")
    if not stats:
        return head
    tail = ", ".join(stats)
    return f"{head} — {tail}" if len(head) + len(tail) <= 56 else f"{head}\n{tail}"
