"""Domain records: what services return and accept. ORM rows never leave `store/`.

Times are timezone-aware UTC datetimes; ``resolve_by`` and ``published_at`` are calendar dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

QuestionType = Literal["binary", "multiple"]
ClaimStatusValue = Literal["unverified", "corroborated", "disputed", "refuted"]
SPECIAL_OUTCOMES = ("ambiguous", "annulled")
BINARY_OUTCOMES = ("yes", "no")


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Record):
    id: str
    title: str
    outlet: str | None = None
    author: str | None = None
    published_at: date | None = None
    url: str | None = None
    sha256: str | None = None
    recorded_at: datetime


class ClaimGrade(Record):
    reliability: str  # A–F
    credibility: int  # 1–6
    graded_at: datetime
    note: str | None = None

    @property
    def code(self) -> str:
        return f"{self.reliability}{self.credibility}"


class ClaimStatus(Record):
    status: ClaimStatusValue
    evidence: list[str] = Field(default_factory=list)
    note: str | None = None
    marked_at: datetime


class Claim(Record):
    id: str
    source_id: str | None
    said_by: str | None
    text: str
    event_date: date | None = None
    span_start: int | None = None
    span_end: int | None = None
    recorded_at: datetime
    grades: list[ClaimGrade] = Field(default_factory=list)
    statuses: list[ClaimStatus] = Field(default_factory=list)

    @property
    def grade(self) -> ClaimGrade | None:
        return self.grades[-1] if self.grades else None

    @property
    def status(self) -> str:
        return self.statuses[-1].status if self.statuses else "unverified"


class Forecast(Record):
    id: int
    question_id: str
    forecaster: str
    probability: float | None = None  # binary: P(yes)
    distribution: dict[str, float] | None = None  # multiple choice: option → p
    made_at: datetime
    recorded_at: datetime
    rationale: str | None = None
    entered_as: str | None = None
    cue: str | None = None
    scale: str | None = None
    p_low: float | None = None
    p_high: float | None = None
    source_id: str | None = None
    claims: list[str] = Field(default_factory=list)


class Resolution(Record):
    id: int
    question_id: str
    outcome: str
    known_at: datetime
    recorded_at: datetime
    note: str | None = None
    evidence: list[str] = Field(default_factory=list)
    correction: str | None = None  # the reason, when this resolution corrects an earlier one


class Question(Record):
    id: str
    title: str
    criteria: str | None = None
    fine_print: str | None = None
    type: QuestionType = "binary"
    options: list[str] = Field(default_factory=list)
    opened_at: datetime
    resolve_by: date
    recorded_at: datetime
    tags: list[str] = Field(default_factory=list)
    source_id: str | None = None
    span_start: int | None = None
    span_end: int | None = None
    condition: str | None = None
    claims: list[str] = Field(default_factory=list)
    visibility: str = "open"

    @property
    def outcomes(self) -> tuple[str, ...]:
        base = tuple(self.options) if self.type == "multiple" else BINARY_OUTCOMES
        return base + SPECIAL_OUTCOMES


class Standing(Record):
    """Whether a forecast counts (see domain/rules.py, forecast_exclusion), and what the ledger
    vouches for: ``written_at`` is when this workspace's ledger wrote it; ``imported`` says its
    recorded_at is not that moment but a time its file stated (history brought in by an
    import); ``not_counted`` gives, per trust level, why it never counts (None: it counts)."""

    written_at: datetime
    imported: bool
    not_counted: dict[str, str | None]


class QuestionView(Record):
    """A question with its forecasts and resolution history, oldest first. ``authors``: the
    account that wrote each record on the team server (by ledger entity, ``forecast:12``);
    records written from the command line have none. ``standing`` (by forecast id) where the
    ledger was read."""

    question: Question
    forecasts: list[Forecast]
    resolutions: list[Resolution]
    authors: dict[str, str] = Field(default_factory=dict)
    standing: dict[int, Standing] = Field(default_factory=dict)

    @property
    def resolution(self) -> Resolution | None:
        return self.resolutions[-1] if self.resolutions else None


def in_option_order_all(q: Question, forecasts: Sequence[Forecast]) -> list[Forecast]:
    """``forecasts`` with each distribution in ``q``'s declared option order (the store keeps
    them with sorted keys), so every file and screen lists "Low, Medium, High" as asked."""
    from forethought.domain.probability import in_option_order

    if not q.options:
        return list(forecasts)
    return [f if f.distribution is None else f.model_copy(update={
        "distribution": in_option_order(f.distribution, q.options)}) for f in forecasts]
