"""The analysis API: open a workspace and get pandas DataFrames, scores and calibration.

>>> import forethought
>>> ws = forethought.open_workspace("path/to/folder")        # doctest: +SKIP
>>> ws.forecasts().groupby("forecaster")["probability"].mean()  # doctest: +SKIP
>>> ws.score(by=["forecaster", "tag"]).frame                   # doctest: +SKIP
>>> ws.calibration(forecaster="alice").plot()                  # doctest: +SKIP

Every timestamp column is timezone-aware UTC in microseconds (``datetime64[us, UTC]``, so
that every date the store accepts fits); calendar dates
(resolve_by, published_at, event_date) are ``datetime.date`` objects in an object column. Text
columns use pandas' default string dtype (``object`` under pandas 2, ``str`` under pandas 3);
missing values are None or NaN. The columns, in order:

questions()
    question_id, title, type ("binary" | "multiple"), options (list of str), opened_at,
    resolve_by (date), source_id, scheduled_close (end of the resolve-by day, UTC), outcome
    (latest resolution: "yes", "no", an option, "ambiguous", "annulled"; None while open),
    close_at (its known_at), resolved_at (its recorded time), visibility (the hidden crowd's rule:
    "open", "until-forecast" or "until:YYYY-MM-DD"), tags (list of str), status ("open", "due":
    resolve-by reached without a resolution, or "resolved"), forecasts (int64 count)
forecasts()
    forecast_id (int64), question_id, forecaster, made_at, probability (float64 P(yes); NaN for
    multiple choice), distribution (dict option -> p, or None), source_id, cue, scale,
    recorded_at
resolutions()
    resolution_id (int64), question_id, outcome, known_at, recorded_at, note, evidence (list of
    str), correction (the reason, when it corrects an earlier one), current (bool: the latest
    for its question; earlier ones are superseded)
claims()
    claim_id, source_id, said_by, text, event_date (date), span_start, span_end (Int64),
    recorded_at, status ("unverified", "corroborated", "disputed", "refuted"), status_at,
    grade ("B2"; None if ungraded), reliability ("A"–"F"), credibility (Int64 1–6), graded_at
sources()
    source_id, title, outlet, author, published_at (date), url, sha256, recorded_at
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forethought.errors import WorkspaceNotFound
from forethought.services.workspace import (
    DB_NAME,
    DIR_NAME,
    Workspace,
    find_root,
    locate,
    read_config,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from forethought.domain.records import QuestionView
    from forethought.scoring import ScoreResult



def open_workspace(path_or_url: str | Path | None = None) -> AnalysisWorkspace:
    """Open a workspace for analysis.

    ``path_or_url``: a folder holding `.forethought/` (or any folder below one, found like git
    finds `.git`), a SQLite database file, or a database URL (``sqlite:///…``,
    ``postgresql+psycopg://…``). None: ``$FORETHOUGHT_DB``, else the workspace above the current
    folder. Nothing is created: a path that does not exist raises WorkspaceNotFound.
    """
    if path_or_url is None:
        return AnalysisWorkspace(locate(None))
    text = str(path_or_url)
    if "://" in text:
        return AnalysisWorkspace(Workspace(url=text))
    path = Path(text).expanduser()
    if path.is_dir():
        root = find_root(path.resolve())
        if root is None:
            raise WorkspaceNotFound(
                f"{path} holds no forethought workspace (no {DIR_NAME}/ here or above); run "
                "`forethought init` there, or give a database file or URL"
            )
        config = read_config(root)
        url = str(config.get("db") or root / DIR_NAME / DB_NAME)
        return AnalysisWorkspace(Workspace(url=url, root=root, config=config))
    if path.is_file():
        return AnalysisWorkspace(Workspace(url=str(path)))
    raise WorkspaceNotFound(f"{path} does not exist; give a workspace folder, a database file "
                            "or a database URL")


@dataclass
class Calibration:
    """A calibration table with what produced it; ``plot()`` draws the reliability diagram."""

    table: pd.DataFrame  # lower, upper, n, mean_forecast, observed, interval_low, interval_high
    n: int  # forecasts that entered (weight > 0)
    brier: float | None  # weighted mean Brier of those forecasts, 0–1 scale
    weighting: str
    bins: str
    interval: str
    level: float
    name: str = "everyone"
    decomposition: dict[str, dict[str, float]] | None = None
    arrays: tuple[Any, ...] = field(default=(), repr=False)  # (p, o, weights)

    def plot(self, ax: Axes | None = None, **options: Any) -> Axes:
        """The reliability diagram (see :func:`forethought.charts.plot_calibration`)."""
        from forethought.charts import plot_calibration

        options.setdefault("title", f"Calibration — {self.name}")
        options.setdefault("brier", self.brier)
        options.setdefault("scale_label", "Brier 0–1")
        label = f"{self.level:.0%} interval" if self.interval == "wilson" else \
            f"{self.level:.0%} {self.interval} interval"
        options.setdefault("interval_label", label)
        return plot_calibration(self.table, ax, **options)


class AnalysisWorkspace:
    """One workspace, read as DataFrames. Each call reads the database afresh. A thin facade:
    every method is one use case of :mod:`forethought.services`."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.store = workspace.store()

    def __repr__(self) -> str:
        where = self.workspace.root or self.store.url
        return f"<forethought workspace {where}>"

    def __enter__(self) -> AnalysisWorkspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.workspace.close()

    # -- tables ------------------------------------------------------------------------------
    def questions(self, *, tag: str | None = None) -> pd.DataFrame:
        """One row per question (columns in the module docstring)."""
        from forethought.services import analysis

        return analysis.questions_table(self.store, tag=tag)

    def forecasts(self, *, forecaster: str | None = None, question: str | None = None,
                  tag: str | None = None) -> pd.DataFrame:
        """One row per forecast, oldest id first (columns in the module docstring)."""
        from forethought.services import analysis

        return analysis.forecasts_table(self.store, forecaster=forecaster, question=question,
                                        tag=tag)

    def resolutions(self) -> pd.DataFrame:
        """Every resolution, corrections included (``current`` marks the latest)."""
        from forethought.services import analysis

        return analysis.resolutions_table(self.store)

    def claims(self, *, source: str | None = None) -> pd.DataFrame:
        """One row per claim with its latest status and grade."""
        from forethought.services import analysis

        return analysis.claims_table(self.store, source=source)

    def sources(self) -> pd.DataFrame:
        from forethought.services import analysis

        return analysis.sources_table(self.store)

    def question(self, question: str) -> QuestionView:
        """One question with its forecasts (rationales included) and resolutions."""
        from forethought.services.questions import show

        return show(self.store, question)

    # -- scores --------------------------------------------------------------------------------
    def score(self, rules: Sequence[str] = ("brier", "log"), *, policy: str = "time-averaged",
              by: Sequence[str] = ("forecaster",), brier_scale: int = 1,
              before_first: str = "skip", crowd: str | None = None, skill: str | None = None,
              since: str | None = None, until: str | None = None, tag: str | None = None,
              forecaster: str | None = None) -> ScoreResult:
        """`forethought score` as data: ``.frame`` (one row per group, with ``questions`` and
        ``forecasts``), ``.meta`` (policy, scales, what was left out) and ``.pairs`` (the
        policy score of each question and forecaster). Arguments mirror the CLI flags."""
        from forethought.services.scores import score

        if isinstance(rules, str):
            rules = [rules]
        if isinstance(by, str):
            by = [by]
        return score(self.store, rules=rules, policy=policy, brier_scale=brier_scale, by=by,
                     before_first=before_first, crowd=crowd, skill=skill, since=since,
                     until=until, tag=tag, forecaster=forecaster)

    def calibration(self, *, bins: str | int = "10", interval: str = "wilson",
                    level: float = 0.95, weighting: str = "time", forecaster: str | None = None,
                    tag: str | None = None, consistency: bool = False,
                    decompose: bool = False) -> Calibration:
        """`forethought calibration` as data: resolved binary questions, forecasts made before
        the close, weighted per ``weighting`` (time | each | final); ``forecaster`` may be a
        crowd (``crowd:median``). ``decompose`` adds the Murphy, binned, bias-corrected and
        CORP decompositions."""
        from forethought.services import calibration as service

        series = service.workspace_series(self.store, [forecaster], weighting=weighting, tag=tag)
        name, one = next(iter(series.items()))
        result = service.calibrate({name: one}, bins=str(bins), interval=interval, level=level,
                                   decompose=decompose, consistency=consistency)[name]
        return Calibration(table=result.table, n=result.n, brier=result.brier,
                           weighting=weighting, bins=str(bins), interval=interval, level=level,
                           name=forecaster or "everyone", decomposition=result.decomposition,
                           arrays=(one.p, one.o, one.w))
