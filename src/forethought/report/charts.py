"""Draw the report's charts, in parallel when there are many.

A chart job names a `forethought.charts` renderer, its arguments and the file to write. Jobs are
plain picklable data, so a pool of worker processes can draw them: matplotlib draws on one core,
and a report that draws every chart (a first report, or one whose charts all changed) spends
most of its time drawing. Charts whose inputs did not change are not drawn at all: the report
copies them from its chart cache (:mod:`forethought.report.chart_cache`), so the pool is only
started for a dozen or more new charts.

Why a pool and no gc switch (measured with `bench/report_bench.py` and the same reports drawn
serially and by the pool, on the shared 2-core machine): the pool costs the same CPU time as
drawing here, so it shortens a cold report only where a core is idle, and a cold report is the
one that needs it. The `gc.freeze()` the parent used to call before forking, against the
workers' collector copying the inherited heap, made no difference to the CPU time even with
1,000,000 forecasts loaded, so it is gone.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

#: below this many charts a pool costs more than it saves
POOL_FROM = 12


@dataclass
class ChartJob:
    kind: str  # "history", "calibration" or "score_history"
    path: Path
    data: Any
    options: dict[str, Any] = field(default_factory=dict)
    dpi: int = 150
    fixed: bool = False  # history only: fixed layout, no tight bounding box (labels are short)


def render(job: ChartJob) -> Path:
    """Draw one chart to ``job.path`` and return the path."""
    from forethought import charts
    from forethought.charts.fonts import chart_fonts

    if job.kind == "history" and job.fixed:
        # Many per report: a fixed layout and no tight bounding box (a second full draw)
        # make each about a third cheaper; PNG without a timestamp, as save_figure writes it.
        ax = charts.plot_history(job.data, _fixed_axes((9.5, 4.8)), **job.options)
        job.path.parent.mkdir(parents=True, exist_ok=True)
        figure = charts.root_figure(ax)
        with chart_fonts(figure):
            figure.savefig(job.path, format="png", dpi=job.dpi, metadata={"Software": None},
                           facecolor="white")
        return job.path
    if job.kind == "history":
        ax = charts.plot_history(job.data, **job.options)
    elif job.kind == "calibration":
        ax = charts.plot_calibration(job.data, **job.options)
    elif job.kind == "score_history":
        ax = charts.plot_score_history(job.data, **job.options)
    else:  # pragma: no cover - programming error
        raise ValueError(f"unknown chart kind {job.kind!r}")
    return charts.save_figure(ax, job.path, dpi=job.dpi)


def _fixed_axes(size: tuple[float, float]) -> Any:
    """Axes at a fixed place in a figure without a layout engine, with room on the right for
    the legend and above for a two-line title."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size)
    FigureCanvasAgg(fig)
    return fig.add_axes((0.085, 0.11, 0.63, 0.77))


def _warm() -> None:
    """Import matplotlib and draw once before forking, so each worker starts with the fonts
    loaded and the modules imported instead of paying for them again (seconds each)."""
    import io

    from forethought import charts
    from forethought.charts import calibration, history, score_history  # noqa: F401

    ax = charts.axes_or_new(None, (2, 1))
    ax.set_title("warm-up 0%")
    charts.root_figure(ax).savefig(io.BytesIO(), format="png", bbox_inches="tight")


def default_workers() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


def render_all(jobs: Sequence[ChartJob], workers: int | None = None,
               meanwhile: Callable[[], T] | None = None) -> T | None:
    """Draw every job and return what ``meanwhile()`` returned.

    With ``workers`` > 1 (default: the CPUs this process may use, at most 8) and enough jobs,
    the charts are drawn in forked worker processes while this process runs ``meanwhile`` (the
    report writes its pages then). Where fork is unavailable (Windows, macOS' default) they are
    drawn here, one after the other, before ``meanwhile`` runs."""
    workers = default_workers() if workers is None else max(1, workers)
    if workers == 1 or len(jobs) < POOL_FROM or not sys.platform.startswith("linux"):
        for job in jobs:
            render(job)
        return meanwhile() if meanwhile is not None else None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _warm()
    context = multiprocessing.get_context("fork")
    chunk = max(1, len(jobs) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        drawn = pool.map(render, jobs, chunksize=chunk)
        result = meanwhile() if meanwhile is not None else None
        for _ in drawn:  # re-raises a worker's error here
            pass
        return result
