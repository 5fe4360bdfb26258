"""PredictionBook's exports (the site went read-only in January 2024).

* **JSON** — its API's ``my_predictions`` answer, often saved to disk: ``{"user": {...},
  "predictions": [{<prediction fields>, "responses": [{"comment", "confidence", "created_at",
  "id", "updated_at", "user_id", "user_label"}]}]}``. Lossless for forecasts: each response with
  a confidence (0–100) is a forecast by its user, dated when it was made, with its comment as
  the rationale. Responses without a confidence are comments and are skipped (counted).
* **CSV** (``my_predictions.csv``): ``created_at, creator_id, creator_label, deadline,
  description_with_group, description, group_id, id, mean_confidence, outcome,
  prediction_group_id, last_judgement_at, updated_at, uuid, version, visibility, withdrawn``.
  Lossy: only ``mean_confidence``, the average over everyone's responses. Each prediction gets
  one forecast by ``predictionbook:mean_confidence`` dated at the prediction's creation.

Both: the question id is ``predictionbook-<id>``; ``deadline`` is the resolve-by date;
``outcome`` true → yes, false → no, empty → open (a judgement that was undone is empty again:
open); ``withdrawn`` → annulled; ``last_judgement_at`` (else ``updated_at``) is when the outcome
became known.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from forethought.domain.inputs import NewForecast, NewQuestion, NewResolution
from forethought.interop.common import (
    CsvRows,
    QuestionBundle,
    Reader,
    clean,
    forecaster_name,
    load_document,
    new,
    parse_number,
    parse_time,
    platform_id,
)

PLATFORM = "predictionbook"
CSV_COLUMNS = ("created_at", "creator_id", "creator_label", "deadline",
               "description_with_group", "description", "group_id", "id", "mean_confidence",
               "outcome", "prediction_group_id", "last_judgement_at", "updated_at", "uuid",
               "version", "visibility", "withdrawn")
CSV_REQUIRED = ("created_at", "deadline", "description", "id", "mean_confidence", "outcome",
                "updated_at", "withdrawn")
CSV_USED = ("description_with_group", "last_judgement_at")
MEAN = f"{PLATFORM}:mean_confidence"
LOSSY = ("PredictionBook's CSV holds only each prediction's mean confidence over everyone's "
         f"responses: each prediction gets one forecast by {MEAN}, dated when the prediction "
         "was created. Import the API's JSON (my_predictions) for every response.")
_TRUE = ("true", "t", "1", "yes")
_FALSE = ("false", "f", "0", "no", "")


def _flag(value: Any, where: str, name: str, reader: Reader) -> bool | None:
    """True, False, or None (empty / null)."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return None if text == "" else False
    raise reader.reject(where, f"field {name!r}: {value!r} is not true, false or empty")


class _Base(Reader):
    def __init__(self, path: Path, me: str | None = None, as_me: str | None = None) -> None:
        super().__init__(path)
        self.me, self.as_me = me, as_me

    def _question(self, p: dict[str, Any], where: str, at: str, progress: int) -> QuestionBundle:
        def text(name: str) -> str:
            value = p.get(name)
            return "" if value is None else str(value)

        ident = clean(text("id"))
        if ident is None:
            raise self.reject(where, "field 'id' is empty")
        title = clean(text("description_with_group")) or clean(text("description"))
        if title is None:
            raise self.reject(where, "field 'description' is empty")
        question = new(
            NewQuestion, at, id=platform_id(PLATFORM, ident), title=title,
            opened_at=parse_time(text("created_at"), at, "created_at"),
            resolve_by=parse_time(text("deadline"), at, "deadline").date(),
            fine_print=f"Imported from https://predictionbook.com/predictions/{ident}",
            tags=(PLATFORM,))
        q = QuestionBundle(question, where=at, progress=progress)
        judged = clean(text("last_judgement_at"))
        known = parse_time(judged or text("updated_at"), at,
                           "last_judgement_at" if judged else "updated_at")
        outcome = _flag(p.get("outcome"), where, "outcome", self)
        if _flag(p.get("withdrawn"), where, "withdrawn", self):
            q.resolutions.append(new(NewResolution, at, question_id=q.id, outcome="annulled",
                                     known_at=known, note="withdrawn"))
        elif outcome is not None:
            q.resolutions.append(new(NewResolution, at, question_id=q.id,
                                     outcome="yes" if outcome else "no", known_at=known))
        elif judged:
            self.notes["judgements that were undone are left open"] += 1
        return q


class PredictionBookJsonReader(_Base):
    """The API's ``my_predictions`` document: every response with a confidence."""

    name = "PredictionBook JSON"

    def __iter__(self) -> Iterator[QuestionBundle]:
        doc = load_document(self.path, self.name)
        predictions = doc.get("predictions") if isinstance(doc, dict) else None
        if not isinstance(predictions, list):
            raise self.reject("", "field 'predictions' is missing; is this PredictionBook's "
                                  "my_predictions JSON?")
        self.total = len(predictions)
        for i, p in enumerate(predictions):
            where = f", predictions[{i}]"
            if not isinstance(p, dict):
                raise self.reject(where, "expected an object")
            at = f"{self.path}{where} (id {p.get('id')})"
            q = self._question(p, where, at, i + 1)
            responses = p.get("responses") or []
            if not isinstance(responses, list):
                raise self.reject(where, "field 'responses' is not a list")
            q.forecasts = self._forecasts(q.id, responses, where, at)
            yield q

    def _forecasts(self, qid: str, responses: list, where: str, at: str) -> list[NewForecast]:
        out: dict[tuple[str, datetime], NewForecast] = {}
        for j, r in enumerate(responses):
            here = f"{at}, responses[{j}]"
            if not isinstance(r, dict):
                raise self.reject(f"{where}, responses[{j}]", "expected an object")
            if r.get("confidence") is None:
                self.skipped["responses without a confidence (comments)"] += 1
                continue
            p = parse_number(r["confidence"], here, "confidence", top=100)
            user = clean(str(r.get("user_label") or r.get("user_id") or ""))
            if user is None:
                raise self.reject(f"{where}, responses[{j}]", "field 'user_label' is empty")
            made = parse_time(str(r.get("created_at") or ""), here, "created_at")
            who = forecaster_name(PLATFORM, user, self.me, self.as_me)
            if (who, made) in out:
                self.skipped["responses in the same second as another by the same user "
                             "(the later kept)"] += 1
            out[(who, made)] = new(
                NewForecast, here, question_id=qid, forecaster=who, made_at=made, probability=p,
                entered_as=f"{r['confidence']}%", rationale=clean(r.get("comment")))
        return list(out.values())


class PredictionBookCsvReader(_Base):
    """``my_predictions.csv``: one mean-confidence forecast per prediction (lossy)."""

    name = "PredictionBook CSV"

    def __init__(self, path: Path, me: str | None = None, as_me: str | None = None) -> None:
        super().__init__(path, me, as_me)
        self.lossy = LOSSY

    def __iter__(self) -> Iterator[QuestionBundle]:
        table = CsvRows(self.path, self.name, CSV_REQUIRED, used=CSV_USED,
                        known=CSV_COLUMNS, notes=self.notes)
        self.total = table.total
        for line, row in table:
            where = f", line {line}"
            at = f"{self.path}{where}"
            q = self._question(row, where, at, table.position)
            mean = clean(row["mean_confidence"])
            if mean is None:
                self.skipped["predictions without a mean confidence"] += 1
            else:
                q.forecasts.append(new(
                    NewForecast, at, question_id=q.id, forecaster=MEAN,
                    made_at=q.question.opened_at,
                    probability=parse_number(mean, at, "mean_confidence", top=100),
                    entered_as=f"{mean}%"))
            yield q
