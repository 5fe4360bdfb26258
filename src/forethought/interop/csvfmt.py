"""forethought's CSV: one row per forecast, for spreadsheets.

Columns, in this order (times are ISO 8601 UTC, ``2024-03-05T14:07:09.000000Z``):

=================  ============================================================================
question_id        the question's id (a slug)
question_title     its title
question_type      ``binary`` or ``multiple``
options            multiple choice: the options as a JSON list (``["A","B"]``); else empty
criteria           resolution criteria (may be empty)
opened_at          when the question opened
resolve_by         the calendar date it resolves by (``YYYY-MM-DD``)
tags               the tags as a JSON list (``["ai","2025"]``)
forecaster         who forecast; empty on the one row of a question without forecasts
made_at            when the forecast was made
probability        binary: P(yes), a number from 0 to 1
distribution       multiple choice: a JSON object option → probability, summing to 1
rationale          the forecaster's reasons (may be empty)
outcome            the latest resolution: ``yes``, ``no``, an option, ``ambiguous``,
                   ``annulled``; empty while open
known_at           when that outcome became known
=================  ============================================================================

Question columns repeat on every row of the question and must agree. The format keeps the
current resolution only (corrections and recorded times live in JSONL and records).

A text cell that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) — or that starts with ``'`` — is written with a leading ``'``
(``common.spreadsheet_safe``), and reading drops it again, so files round-trip byte for byte.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from forethought.domain.inputs import NewForecast, NewQuestion, NewResolution
from forethought.domain.records import Forecast, Question, Resolution
from forethought.domain.timeparse import iso, parse_day
from forethought.errors import ForethoughtError
from forethought.interop.common import (
    CsvRows,
    QuestionBundle,
    Reader,
    clean,
    csv_text,
    new,
    parse_number,
    parse_time,
)

COLUMNS = ("question_id", "question_title", "question_type", "options", "criteria",
           "opened_at", "resolve_by", "tags", "forecaster", "made_at", "probability",
           "distribution", "rationale", "outcome", "known_at")
QUESTION_COLUMNS = ("question_title", "question_type", "options", "criteria", "opened_at",
                    "resolve_by", "tags", "outcome", "known_at")


def header() -> str:
    return ",".join(COLUMNS) + "\n"


def rows(q: Question, forecasts: list[Forecast], resolution: Resolution | None,
         for_spreadsheet: bool = True) -> str:
    """The CSV lines of one question (one per forecast, or one with empty forecast columns);
    text cells formula-safe unless ``for_spreadsheet`` is False."""
    base = [q.id, q.title, q.type, json.dumps(q.options, ensure_ascii=False) if q.options else "",
            q.criteria, iso(q.opened_at), q.resolve_by.isoformat(),
            json.dumps(sorted(q.tags), ensure_ascii=False)]
    end = [resolution.outcome if resolution else None,
           iso(resolution.known_at) if resolution else None]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    ordered: list[Forecast | None] = [*sorted(forecasts, key=lambda f: (f.made_at,
                                                                        f.forecaster, f.id))]
    for f in ordered or [None]:
        middle: list[Any] = [None] * 5
        if f is not None:
            dist = (json.dumps({o: f.distribution[o] for o in q.options}, ensure_ascii=False)
                    if f.distribution else None)
            middle = [f.forecaster, iso(f.made_at), f.probability, dist, f.rationale]
        writer.writerow([csv_text(v, for_spreadsheet) for v in base + middle + end])
    return out.getvalue()


def _json_list(text: str, where: str, name: str, reject) -> list[str]:
    if not text.strip():
        return []
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise reject(where, f"field {name!r}: {text!r} is not a JSON list of text "
                            '(write it as ["a","b"])')
    return value


class CsvReader(Reader):
    """Rows of a forethought CSV, grouped into questions (rows of a question are contiguous;
    a question met again later is matched like any re-imported question)."""

    name = "forethought CSV"

    def __iter__(self) -> Iterator[QuestionBundle]:
        table = CsvRows(self.path, self.name, COLUMNS, notes=self.notes, unprotect=True)
        self.total = table.total
        current: QuestionBundle | None = None
        first: dict[str, str] = {}
        for line, row in table:
            where = f", line {line}"
            qid = row["question_id"].strip()
            if current is None or qid != current.id:
                if current is not None:
                    yield current
                current, first = self._question(row, where), row
                current.progress = table.position
            else:
                for name in QUESTION_COLUMNS:
                    if row[name] != first[name]:
                        raise self.reject(where, f"field {name!r} is {row[name]!r} here but "
                                                 f"{first[name]!r} on the question's first row")
            current.progress = table.position
            if clean(row["forecaster"]) is None:
                if any(clean(row[c]) for c in ("made_at", "probability", "distribution")):
                    raise self.reject(where, "field 'forecaster' is empty but the row has a "
                                             "forecast")
                continue
            current.forecasts.append(self._forecast(row, where, current))
        if current is not None:
            yield current

    def _question(self, row: dict[str, str], where: str) -> QuestionBundle:
        path = f"{self.path}{where}"
        kind = row["question_type"].strip() or "binary"
        if kind not in ("binary", "multiple"):
            raise self.reject(where, f"field 'question_type': {kind!r} is not binary or multiple")
        try:
            resolve_by = parse_day(row["resolve_by"].strip())
        except ForethoughtError:
            raise self.reject(where, f"field 'resolve_by': cannot read {row['resolve_by']!r} as "
                                     "a date (YYYY-MM-DD)") from None
        question = new(
            NewQuestion, path, id=row["question_id"].strip(), title=row["question_title"],
            type=kind, options=tuple(_json_list(row["options"], where, "options", self.reject)),
            criteria=clean(row["criteria"]),
            opened_at=parse_time(row["opened_at"], path, "opened_at"), resolve_by=resolve_by,
            tags=tuple(_json_list(row["tags"], where, "tags", self.reject)))
        q = QuestionBundle(question, where=path)
        outcome = clean(row["outcome"])
        if outcome is not None:
            if clean(row["known_at"]) is None:
                raise self.reject(where, "field 'known_at' is empty but 'outcome' is set")
            q.resolutions.append(new(
                NewResolution, path, question_id=question.id, outcome=outcome,
                known_at=parse_time(row["known_at"], path, "known_at")))
        return q

    def _forecast(self, row: dict[str, str], where: str, q: QuestionBundle) -> NewForecast:
        path = f"{self.path}{where}"
        value: dict[str, Any] = {}
        if q.question.type == "multiple":
            try:
                dist = json.loads(row["distribution"])
            except ValueError:
                dist = None
            if not isinstance(dist, dict):
                raise self.reject(where, f"field 'distribution': {row['distribution']!r} is not "
                                         'a JSON object such as {"A":0.6,"B":0.4}')
            value["distribution"] = {str(k): parse_number(v, path, f"distribution.{k}")
                                     for k, v in dist.items()}
        else:
            value["probability"] = parse_number(row["probability"], path, "probability")
        return new(NewForecast, path, question_id=q.id, forecaster=row["forecaster"].strip(),
                   made_at=parse_time(row["made_at"], path, "made_at"),
                   rationale=clean(row["rationale"]), **value)
