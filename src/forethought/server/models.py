"""The JSON the API accepts: pydantic models, unknown fields refused. What it answers is the
services' own records (``model_dump``), so a field added to a record reaches the API without a
second shape to keep in step."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ErrorOut(BaseModel):
    """Every error the API answers: a short label and the detail, written for a person."""

    error: str
    detail: str | list[dict[str, str]]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginIn(In):
    name: str = Field(max_length=200)
    password: str = Field(max_length=1000)


class AskIn(In):
    title: str = Field(max_length=2000)
    resolve_by: str = Field(max_length=40, description="a date as `ask --by` takes it")
    criteria: str | None = Field(default=None, max_length=20_000)
    fine_print: str | None = Field(default=None, max_length=20_000)
    tags: list[str] = Field(default_factory=list, max_length=50)
    options: list[str] = Field(default_factory=list, max_length=50)
    opened: str | None = Field(default=None, max_length=40)
    visibility: str | None = Field(default=None, max_length=40,
                                   description="open | until-forecast | until:YYYY-MM-DD")
    id: str | None = Field(default=None, max_length=120)
    claims: list[str] = Field(default_factory=list, max_length=100)


class ForecastIn(In):
    probability: str | float = Field(description="anything `forecast` accepts: 0.7, \"70%\", "
                                                 "\"3:1\", \"1 in 20\", \"likely\", "
                                                 "\"A=0.5,B=0.5\"")
    rationale: str | None = Field(default=None, max_length=20_000)
    claims: list[str] = Field(default_factory=list, max_length=100)
    at: str | None = Field(default=None, max_length=40, description="backdate (as `--at`)")
    scale: str = Field(default="icd203", max_length=30)


class ResolveIn(In):
    outcome: str = Field(max_length=200)
    known_at: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=20_000)
    evidence: list[str] = Field(default_factory=list, max_length=50)
    correct: str | None = Field(default=None, max_length=2000,
                                description="the reason, when this corrects a resolution")


class SourceIn(In):
    title: str = Field(max_length=2000)
    outlet: str | None = Field(default=None, max_length=500)
    author: str | None = Field(default=None, max_length=500)
    published: str | None = Field(default=None, max_length=40)
    url: str | None = Field(default=None, max_length=2000)
    id: str | None = Field(default=None, max_length=120)


class ClaimIn(In):
    text: str = Field(max_length=20_000)
    source: str | None = Field(default=None, max_length=120)
    said_by: str | None = Field(default=None, max_length=500)
    event_date: str | None = Field(default=None, max_length=40)


class TokenIn(In):
    user: str | None = Field(default=None, max_length=200,
                             description="whose token (admins only; default: yourself)")
    read_only: bool = False
    label: str | None = Field(default=None, max_length=200)


class VerifyIn(In):
    against: list[str] = Field(default_factory=list, max_length=20)
