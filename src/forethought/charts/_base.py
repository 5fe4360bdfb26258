"""Plumbing shared by the chart renderers: a fresh Agg figure, the palette, and saving by suffix.

Nothing here imports matplotlib, numpy or pandas at module level, so `import forethought.charts`
stays cheap; the imports happen when a chart is drawn. New figures are built from
`matplotlib.figure.Figure` with an Agg canvas, never through pyplot, so no global backend state is
touched and the charts render the same on a laptop, in CI and on a server without a display.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forethought.errors import InvalidInput

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Okabe & Ito's colour-blind-safe palette (black moved last, yellow dropped: too pale on white).
PALETTE = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
)
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h")
SAVE_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
MUTED = "0.45"  # grey for reference lines and notes


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def marker(i: int) -> str:
    return MARKERS[i % len(MARKERS)]


def axes_or_new(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """Return `ax`, or the single Axes of a new constrained-layout Agg figure."""
    if ax is not None:
        return ax
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    return fig.add_subplot()


def style_axes(ax: Axes) -> None:
    """Light grid behind the data, no top/right frame."""
    ax.grid(True, color="0.88", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def note_on_axes(ax: Axes, text: str, y: float = 0.5) -> None:
    """A grey note across the middle of an empty chart ("No forecasts yet")."""
    ax.text(
        0.5,
        y,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        color=MUTED,
        fontsize=11,
    )


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InvalidInput(
            f"The {what} has no column {', '.join(repr(c) for c in missing)}; "
            f"it has {', '.join(repr(str(c)) for c in frame.columns) or 'no columns'}."
        )


def split_scale(scale_label: str) -> tuple[str, str]:
    """'Brier 0–1' -> ('Brier', '0–1'); a label without a space is all rule name."""
    rule, _, scale = scale_label.strip().partition(" ")
    return rule, scale.strip()


def format_count(n: float) -> str:
    """412 -> '412'; a weighted count such as 37.25 keeps one decimal."""
    return str(int(round(n))) if abs(n - round(n)) < 1e-9 else f"{n:.1f}"


def root_figure(fig_or_ax: Any) -> Figure:
    """The top-level Figure of a Figure, SubFigure or Axes."""
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

    if isinstance(fig_or_ax, Axes | SubFigure):
        return fig_or_ax.get_figure(root=True)  # type: ignore[return-value]
    if isinstance(fig_or_ax, Figure):
        return fig_or_ax
    raise InvalidInput(
        f"save_figure needs a matplotlib Figure or Axes, not {type(fig_or_ax).__name__}."
    )


def save_figure(fig_or_ax: Any, path: str | Path, *, dpi: int = 150) -> Path:
    """Write the figure holding `fig_or_ax` to `path`, as .png, .svg or .pdf by its suffix.

    The output carries no creation date, so saving the same chart twice gives the same bytes (a
    report kept in git does not change for nothing). Missing parent folders are created. Text in
    scripts the default font lacks is drawn with an installed fallback font, or named in one
    :class:`~forethought.charts.fonts.MissingGlyphs` warning (:mod:`forethought.charts.fonts`).

    >>> ax = plot_calibration(table)                      # doctest: +SKIP
    >>> save_figure(ax, "out/calibration.svg")            # doctest: +SKIP
    """
    import matplotlib

    path = Path(path)
    fmt = SAVE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        shown = f"'{path.suffix}'" if path.suffix else "no suffix"
        raise InvalidInput(
            f"Cannot save a chart as {path.name!r} ({shown}): "
            "use a file name ending in .png, .svg or .pdf."
        )
    fig = root_figure(fig_or_ax)
    if fig.canvas is None or type(fig.canvas).__name__ == "FigureCanvasBase":
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
    metadata: dict[str, Any] = {
        "png": {"Software": None},
        "svg": {"Date": None},
        "pdf": {"CreationDate": None},
    }[fmt]
    path.parent.mkdir(parents=True, exist_ok=True)
    from forethought.charts.fonts import chart_fonts

    with chart_fonts(fig), matplotlib.rc_context({"svg.hashsalt": "forethought",
                                                  "svg.fonttype": "path"}):
        fig.savefig(
            path, format=fmt, dpi=dpi, metadata=metadata, facecolor="white", bbox_inches="tight"
        )
    return path
