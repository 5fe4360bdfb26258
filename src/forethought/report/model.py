"""What a report is made of: plain data gathered by `services/report.py`, rendered by the pages.

Nothing here reads the database; every field is a domain record, a DataFrame or a value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from forethought.domain.choices import brier_range
from forethought.domain.records import Claim, Forecast, Question, Resolution, Source

if TYPE_CHECKING:
    import pandas as pd

#: questions listed per page of the full question list
LIST_PAGE_SIZE = 500
#: rows shown in the index's open, due and recent tables before "and N more"
INDEX_ROWS = 50
#: recent resolutions on the index (each of them gets a page first)
RECENT_ON_INDEX = 20


@dataclass
class QuestionInfo:
    """One question page: the question, every forecast and resolution, the claims it links."""

    question: Question
    forecasts: list[Forecast]
    resolutions: list[Resolution]
    claims: list[Claim]
    source: Source | None
    scores: pd.DataFrame  # per forecaster: forecaster, forecasts, coverage, brier, log
    history: dict[str, Any] | None  # keyword arguments for charts.plot_history, or None
    status: str  # open, due, resolved
    score_note: str = ""


@dataclass
class SourceInfo:
    """One source page: its claims, the questions drawn from it, its assessments and scores."""

    source: Source
    claims: list[Claim]
    questions: pd.DataFrame  # question_id, title, status, outcome
    assessments: pd.DataFrame  # question_id, title, forecaster, forecasts, latest, status,
    #                            outcome, brier, log (time-averaged; NaN while unresolved)
    calibration: pd.DataFrame | None  # calibration table of its forecasts, None if none scored
    brier: float | None = None
    n_calibration: int = 0


@dataclass
class SourceLine:
    source: Source
    claims: int
    by_status: dict[str, int]
    forecasts: int


@dataclass
class Site:
    """Everything one report shows."""

    generated: datetime
    today: date
    questions: pd.DataFrame  # question_id, title, type, resolve_by, status, outcome, close_at,
    #                          resolved_at, forecasts, median (standing median of latest forecasts)
    pages: dict[str, QuestionInfo]  # question id -> page, in priority order
    sources: list[SourceLine]
    source_pages: dict[str, SourceInfo]
    scoreboard: pd.DataFrame
    score_meta: dict[str, Any]
    monthly: pd.DataFrame  # month, questions, forecasts, brier, log
    calibration: pd.DataFrame | None
    calibration_brier: float | None
    calibration_n: int
    selection: str  # what was done about per-question pages, in words
    source_selection: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def brier_range(self) -> str:
        """The range of the time-averaged Brier scores the report shows ("0–1", or with
        multiple-choice questions scored, "0–1 binary, 0–2 multiple choice")."""
        return brier_range(1, bool(self.score_meta.get("has_multiple_choice")))
