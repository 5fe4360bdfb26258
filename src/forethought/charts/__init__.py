"""Pure chart rendering: plain tables in, a matplotlib Axes out (optuna's "render" half).

Each `plot_*` function takes DataFrames and values, draws into `ax` or into a new Agg figure, and
returns the Axes; `save_figure` writes it as .png, .svg or .pdf. Nothing here reads the database
or imports the CLI, and matplotlib, numpy and pandas are imported only when a chart is drawn, so
importing this package is cheap.
"""

from __future__ import annotations

from forethought.charts._base import axes_or_new, root_figure, save_figure
from forethought.charts.calibration import plot_calibration
from forethought.charts.history import plot_history
from forethought.charts.score_history import plot_score_history

__all__ = ["axes_or_new", "plot_calibration", "plot_history", "plot_score_history",
           "root_figure", "save_figure"]
