"""The inputs that create records: one model per kind of thing a user writes.

Every writer builds these — the commands, the records folders, every importer, ingest and the
server — and `store/` alone turns them into rows and ledger payloads. A model checks what can be
checked from the value alone (ranges, sums, text that cannot be stored); the rules that need the
question or the clock (not before it opened, not in the future, not after the outcome) are in
:mod:`forethought.domain.rules`, shared by the same writers.

Times are aware datetimes in UTC (a naive one is taken to be UTC); ``recorded_at`` left out means
"now, when it is written"; imports of forethought's own files keep the time the file states.

>>> NewForecast(question_id="q", forecaster="ana", made_at="2025-01-02", probability=0.7).made_at
datetime.datetime(2025, 1, 2, 0, 0, tzinfo=datetime.timezone.utc)
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from forethought.domain.ids import SLUG
from forethought.domain.names import normalised
from forethought.domain.records import SPECIAL_OUTCOMES
from forethought.errors import InvalidInput

SUM_TOLERANCE = 1e-9
#: who sees others' forecasts on a question: everyone (``open``), only those who have forecast
#: it (``until-forecast``), or everyone from a day on (``until:YYYY-MM-DD``); all once resolved
VISIBILITY = r"^(open|until-forecast|until:\d{4}-\d{2}-\d{2})$"
MAX_TAG = 120
MAX_NAME = 200
CLAIM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,119}")
RESERVED_OPTIONS = ("yes", "no", *SPECIAL_OUTCOMES)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_CONTROL = re.compile(r"[\x00-\x1f]")
# Text a database can hold: no NUL (PostgreSQL refuses it); a lone surrogate is refused by the
# pattern check itself (it is not text). Checked in pydantic's core, not in Python.
NO_NUL = r"^[^\x00]*$"
NOT_BLANK = r"^[^\x00]*\S[^\x00]*$"


def _storable(value: str) -> str:
    """The same check in Python, for values built outside a model (option names)."""
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains a lone surrogate, which is not text") from None
    return value


def _slug(value: str) -> str:
    if not SLUG.match(value) or len(value) > 120:
        raise ValueError(f"{value!r} is not a valid id: use lower-case letters, digits, '-', "
                         "'.' or '_' and start with a letter or digit")
    return value


def _name(value: str) -> str:
    if _CONTROL.search(value) or not value.strip():
        raise ValueError(f"{value!r} must be 1–{MAX_NAME} printable characters")
    value = normalised(value)  # NFKC, no invisible characters (see domain/names.py)
    if len(value) > MAX_NAME:
        raise ValueError(f"{value[:40]!r}… must be 1–{MAX_NAME} printable characters")
    if value.startswith("crowd:"):
        raise ValueError(f"{value!r}: names starting with 'crowd:' are the crowd aggregates'")
    return value


def _sorted_unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(values))) if len(values) > 1 else values


Moment = Annotated[datetime, AfterValidator(_utc)]
Text = Annotated[str, Field(pattern=NO_NUL)]
Required = Annotated[str, Field(pattern=NOT_BLANK)]
Slug = Annotated[str, AfterValidator(_slug)]
Name = Annotated[str, Field(max_length=MAX_NAME, pattern=NO_NUL), AfterValidator(_name)]
Probability = Annotated[float, Field(ge=0, le=1)]
Links = Annotated[tuple[Annotated[str, Field(pattern=NO_NUL)], ...],
                  AfterValidator(_sorted_unique)]


class NewRecord(BaseModel):
    """Base of the inputs: unknown fields are refused, values cannot change once built."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NewSource(NewRecord):
    id: Slug
    title: Required
    outlet: Text | None = None
    author: Text | None = None
    published_at: date | None = None
    url: Text | None = None
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    recorded_at: Moment | None = None


class NewSourceNote(NewRecord):
    """An interpretive sentence of a source: kept beside it, never scored."""

    source_id: str
    kind: Literal["interpretation"] = "interpretation"
    text: Required
    span_start: int | None = None
    span_end: int | None = None
    recorded_at: Moment | None = None


class NewClaim(NewRecord):
    id: str = Field(pattern=CLAIM_ID.pattern)
    text: Required
    source_id: str | None = None
    said_by: Text | None = None
    event_date: date | None = None
    span_start: int | None = None
    span_end: int | None = None
    recorded_at: Moment | None = None


class NewClaimGrade(NewRecord):
    claim_id: str
    reliability: Literal["A", "B", "C", "D", "E", "F"]
    credibility: int = Field(ge=1, le=6)
    note: Text | None = None
    graded_at: Moment


class NewClaimStatus(NewRecord):
    claim_id: str
    status: Literal["unverified", "corroborated", "disputed", "refuted"]
    evidence: Links = ()
    note: Text | None = None
    marked_at: Moment


class NewQuestion(NewRecord):
    id: Slug
    title: Required
    opened_at: Moment
    resolve_by: date
    type: Literal["binary", "multiple"] = "binary"
    options: tuple[str, ...] = ()
    criteria: Text | None = None
    fine_print: Text | None = None
    condition: Text | None = None
    recorded_at: Moment | None = None
    tags: Links = ()
    source_id: str | None = None
    span_start: int | None = None
    span_end: int | None = None
    claims: Links = ()
    visibility: str = Field(default="open", pattern=VISIBILITY)

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: tuple[str, ...]) -> tuple[str, ...]:
        for tag in tags:
            if not tag.strip() or len(tag) > MAX_TAG:
                raise ValueError(f"tag {tag!r} must be 1–{MAX_TAG} characters")
        return tags

    @model_validator(mode="after")
    def _shape(self) -> NewQuestion:
        if self.type == "multiple":
            lowered = [o.lower() for o in self.options]
            if len(self.options) < 2 or len(set(lowered)) != len(lowered) or not all(
                    o.strip() for o in self.options):
                raise ValueError(f"options {list(self.options)!r} must be two or more "
                                 "different, non-empty options")
            reserved = sorted(set(lowered) & set(RESERVED_OPTIONS))
            if reserved:
                raise ValueError(f"option {reserved[0]!r} is reserved for outcomes "
                                 f"({', '.join(RESERVED_OPTIONS)})")
            for o in self.options:
                _storable(o)
        elif self.options:
            raise ValueError(f"a binary question has no options (got {list(self.options)!r})")
        if self.opened_at.date() > self.resolve_by:
            raise ValueError(f"the question opens on {self.opened_at.date()} but resolves by "
                             f"{self.resolve_by}; the resolve-by date must be on or after the "
                             "opening")
        return self

    @property
    def outcomes(self) -> tuple[str, ...]:
        return (self.options if self.type == "multiple" else ("yes", "no")) + SPECIAL_OUTCOMES


class NewForecast(NewRecord):
    question_id: str
    forecaster: Name
    made_at: Moment
    probability: Probability | None = None
    distribution: dict[str, float] | None = None
    recorded_at: Moment | None = None
    rationale: Text | None = None
    entered_as: Text | None = None
    cue: Text | None = Field(default=None, max_length=60)
    scale: Text | None = Field(default=None, max_length=30)
    p_low: Probability | None = None
    p_high: Probability | None = None
    source_id: str | None = None
    claims: Links = ()

    @model_validator(mode="after")
    def _value(self) -> NewForecast:
        if (self.probability is None) == (self.distribution is None):
            raise ValueError("give either a probability (binary) or a distribution (multiple "
                             "choice)")
        if self.distribution is not None:
            values = list(self.distribution.values())
            if not values or any(not 0 <= v <= 1 for v in values) or abs(
                    math.fsum(values) - 1) > SUM_TOLERANCE:
                raise ValueError(f"distribution {self.distribution!r} must give each option "
                                 "0–1, summing to 1")
        return self


class NewResolution(NewRecord):
    question_id: str
    outcome: Required
    known_at: Moment
    recorded_at: Moment | None = None
    note: Text | None = None
    evidence: Links = ()
    correction: Text | None = None


class NewAccount(NewRecord):
    """An account on the team server, named as its forecaster."""

    name: Name
    role: Literal["viewer", "forecaster", "resolver", "admin"]
    recorded_at: Moment | None = None


class NewAccountEvent(NewRecord):
    """A change to an account: a new role, disabled or enabled, a new password (the hash is not
    part of the record), a token revoked."""

    account: str
    action: Literal["role", "disable", "enable", "password", "revoke-token"]
    role: Literal["viewer", "forecaster", "resolver", "admin"] | None = None
    token_id: int | None = None
    recorded_at: Moment | None = None


class NewToken(NewRecord):
    """A personal API token (its secret is kept hashed outside the ledger)."""

    account: str
    read_only: int = Field(default=0, ge=0, le=1)
    label: Text | None = None
    recorded_at: Moment | None = None


class NewSetting(NewRecord):
    """A workspace setting's new value; the latest for its key holds."""

    key: str = Field(pattern=r"^[a-z][a-z_]{0,59}$")
    value: Text
    recorded_at: Moment | None = None


def build(model: type[Any], where: str = "", **fields: Any) -> Any:
    """``model(**fields)``, with a validation error turned into :class:`InvalidInput` naming the
    field and the value (``where`` says where the value came from)."""
    try:
        return model(**fields)
    except ValidationError as exc:
        raise InvalidInput(f"{where}{': ' if where else ''}{problem(exc)}") from None


def problem(exc: ValidationError) -> str:
    """The first problem of a validation error, written for a person."""
    errors = exc.errors()
    err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    loc = ".".join(str(p) for p in err["loc"])
    message = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        return f"unknown field {loc!r}; remove it or check its spelling"
    if err["type"] == "missing":
        return f"field {loc!r} is missing"
    if err["type"] == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") in (
            NO_NUL, NOT_BLANK):
        message = ("contains a NUL character" if "\x00" in str(err.get("input", ""))
                   else "cannot be empty")
    elif err["type"] == "string_unicode":
        message = "contains a lone surrogate, which is not text"
    if not loc:
        return message
    shown = err.get("input")
    text = repr(shown) if not isinstance(shown, dict | list) else "the value given"
    if len(text) > 80:
        text = text[:77] + "…"
    return f"field {loc!r}: {message} (got {text})"
