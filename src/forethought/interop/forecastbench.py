"""ForecastBench's question, forecast and resolution sets (JSON documents, CC BY-SA 4.0).

* Question set: ``{"forecast_due_date", "question_set", "questions": [{"id", "source",
  "question", "resolution_criteria", "background", "url", "freeze_datetime",
  "freeze_datetime_value", "resolution_dates", "combination_of", "market_info_close_datetime",
  ...}]}``.
* Forecast set: ``{"forecast_due_date", "forecasts": [{"id", "source", "forecast",
  "resolution_date" (null for market questions), "reasoning", "user_id", ...}]}``.
* Resolution set: ``{"forecast_due_date", "resolutions": [{"id", "source", "resolution_date",
  "resolved_to", "resolved"}]}``.

Mapping: a market question (manifold, metaculus, polymarket, infer) is one forethought question
``fb-<source>-<id>``; a dataset question (acled, dbnomics, fred, wikipedia, yfinance) is asked at
several resolution dates, each its own question ``fb-<source>-<id>-<date>``. Combination
questions (a list as id) are skipped. Questions open, and every forecast is made, on the
forecast due date (00:00 UTC). Each forecaster is ``fb:<user_id>``. A resolution with
``resolved`` false is not an outcome (its ``resolved_to`` is the market's current value): the
question stays open. A market question listed at several dates is decided by the earliest
resolved one. Tags: ``forecastbench:<source>`` and ``forecastbench:dataset|market``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from forethought.domain.inputs import NewForecast, NewQuestion, NewResolution
from forethought.errors import ImportRejected
from forethought.interop.common import (
    NOTHING,
    QuestionBundle,
    Reader,
    clean,
    load_document,
    new,
    parse_number,
    platform_id,
)

MARKETS = ("manifold", "metaculus", "polymarket", "infer")
DATASETS = ("acled", "dbnomics", "fred", "wikipedia", "yfinance")
WHAT = {"questions": "ForecastBench question set", "forecasts": "ForecastBench forecast set",
        "resolutions": "ForecastBench resolution set"}


def _day(value: Any, where: str, name: str) -> date:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ImportRejected(f"{where}: field {name!r}: cannot read {value!r} as a date "
                             f"(YYYY-MM-DD); {NOTHING}") from None


def _text(value: Any) -> str | None:
    return None if value in (None, "N/A") else clean(str(value))


class ForecastBenchReader(Reader):
    name = "ForecastBench"

    def __init__(self, questions: Path, forecasts: Path, resolutions: Path) -> None:
        super().__init__(Path(questions))
        self.paths = {"questions": Path(questions), "forecasts": Path(forecasts),
                      "resolutions": Path(resolutions)}

    def _load(self, kind: str) -> tuple[dict, list]:
        path = self.paths[kind]
        doc = load_document(path, WHAT[kind])
        items = doc.get(kind) if isinstance(doc, dict) else None
        if not isinstance(items, list):
            raise ImportRejected(f"{path}: field {kind!r} is missing or not a list; is this a "
                                 f"{WHAT[kind]}? {NOTHING}")
        return doc, items

    def __iter__(self) -> Iterator[QuestionBundle]:
        qdoc, questions = self._load("questions")
        fdoc, forecasts = self._load("forecasts")
        rdoc, resolutions = self._load("resolutions")
        qpath = self.paths["questions"]
        due = _day(qdoc.get("forecast_due_date"), str(qpath), "forecast_due_date")
        for kind, doc in (("forecasts", fdoc), ("resolutions", rdoc)):
            theirs = doc.get("forecast_due_date")
            if theirs is not None and _day(theirs, str(self.paths[kind]),
                                           "forecast_due_date") != due:
                raise ImportRejected(f"{self.paths[kind]}: field 'forecast_due_date' is "
                                     f"{theirs!r} but the question set's is {due.isoformat()}; "
                                     f"give the three files of one round; {NOTHING}")
        opened = datetime(due.year, due.month, due.day, tzinfo=UTC)
        outcomes = self._resolutions(resolutions)
        by_key = self._forecasts(forecasts, opened)
        self.total = len(questions)
        used: set[tuple[str, str, str | None]] = set()
        for i, q in enumerate(questions):
            where = f"{qpath}, questions[{i}]"
            if not isinstance(q, dict):
                raise ImportRejected(f"{where}: expected an object; {NOTHING}")
            if isinstance(q.get("id"), list) or _text(q.get("combination_of")):
                self.skipped["combination questions"] += 1
                continue
            for bundle in self._questions(q, where, due, opened, outcomes, by_key, used):
                bundle.progress = i + 1
                yield bundle
        for key, items in by_key.items():
            if key not in used:
                self.skipped["forecasts on questions (or dates) not in the question set"] += len(
                    items)
        extra = {(s, i) for s, i, _ in outcomes} - {(s, i) for s, i, _ in used}
        if extra:
            self.skipped["resolutions of questions not in the question set"] += sum(
                len(outcomes[k]) for k in outcomes if (k[0], k[1]) in extra)

    def _resolutions(self, items: list) -> dict[tuple[str, str, str | None], list]:
        """(source, id, date or None for markets) → [(date, resolved, value)]."""
        path = self.paths["resolutions"]
        out: dict[tuple[str, str, str | None], list] = defaultdict(list)
        for i, r in enumerate(items):
            where = f"{path}, resolutions[{i}]"
            if not isinstance(r, dict):
                raise ImportRejected(f"{where}: expected an object; {NOTHING}")
            if isinstance(r.get("id"), list):
                self.skipped["resolutions of combination questions"] += 1
                continue
            source = str(r.get("source", ""))
            day = _day(r.get("resolution_date"), where, "resolution_date").isoformat()
            value = r.get("resolved_to")
            resolved = r.get("resolved")
            if not isinstance(resolved, bool):
                raise ImportRejected(f"{where}: field 'resolved': {resolved!r} is not true or "
                                     f"false; {NOTHING}")
            key = (source, str(r.get("id")), None if source in MARKETS else day)
            out[key].append((day, resolved, value, where))
        return out

    def _forecasts(self, items: list, made_at: datetime) -> dict:
        path = self.paths["forecasts"]
        out: dict[tuple[str, str, str | None], dict[str, dict]] = defaultdict(dict)
        for i, f in enumerate(items):
            where = f"{path}, forecasts[{i}]"
            if not isinstance(f, dict):
                raise ImportRejected(f"{where}: expected an object; {NOTHING}")
            if isinstance(f.get("id"), list):
                self.skipped["forecasts on combination questions"] += 1
                continue
            source = str(f.get("source", ""))
            day = f.get("resolution_date")
            key = (source, str(f.get("id")), None if source in MARKETS or day is None
                   else _day(day, where, "resolution_date").isoformat())
            user = clean(str(f.get("user_id") or ""))
            if user is None:
                raise ImportRejected(f"{where}: field 'user_id' is empty; {NOTHING}")
            if f.get("forecast") is None:
                raise ImportRejected(f"{where}: field 'forecast' is missing; {NOTHING}")
            p = parse_number(f.get("forecast"), where, "forecast")
            if user in out[key]:
                self.skipped["repeated forecasts by one forecaster (the later kept)"] += 1
            out[key][user] = {"forecaster": f"fb:{user}", "made_at": made_at, "probability": p,
                              "rationale": _text(f.get("reasoning")), "where": where}
        return out

    def _questions(self, q: dict, where: str, due: date, opened: datetime, outcomes: dict,
                   by_key: dict, used: set) -> Iterator[QuestionBundle]:
        source = _text(q.get("source"))
        ident = _text(q.get("id"))
        text = _text(q.get("question"))
        if source is None or ident is None or text is None:
            missing = "source" if source is None else "id" if ident is None else "question"
            raise ImportRejected(f"{where}: field {missing!r} is empty; {NOTHING}")
        dates = q.get("resolution_dates")
        market = source in MARKETS or not isinstance(dates, list)
        family = "market" if market else "dataset"
        tags = [f"forecastbench:{source}", f"forecastbench:{family}"]
        base = platform_id(f"fb-{source}", ident)
        fine = "\n\n".join(x for x in (
            _text(q.get("background")),
            f"Value at the freeze ({_text(q.get('freeze_datetime'))}): "
            f"{_text(q.get('freeze_datetime_value'))} — "
            f"{_text(q.get('freeze_datetime_value_explanation')) or ''}".rstrip(" —")
            if _text(q.get("freeze_datetime_value")) else None,
            f"Source: {_text(q.get('url'))}" if _text(q.get("url")) else None) if x)
        keys = [(source, ident, None)] if market else [
            (source, ident, _day(d, where, "resolution_dates").isoformat())
            for d in (dates if isinstance(dates, list) else [])]
        for key in keys:
            used.add(key)
            day = key[2]
            fill = {"{forecast_due_date}": due.isoformat(),
                    "{resolution_date}": day or "the resolution date"}
            title, criteria = text, _text(q.get("resolution_criteria"))
            for k, v in fill.items():
                title = title.replace(k, v)
                criteria = criteria.replace(k, v) if criteria else criteria
            question = new(
                NewQuestion, where, id=base if day is None else f"{base}-{day}", title=title,
                criteria=criteria, fine_print=fine or None, opened_at=opened,
                resolve_by=date.fromisoformat(day) if day else self._close(q, outcomes[key],
                                                                           due),
                tags=tuple(tags))
            bundle = QuestionBundle(question, where=where)
            bundle.forecasts = [new(NewForecast, f.pop("where"), question_id=question.id, **f)
                                for f in by_key.get(key, {}).values()]
            self._resolve(bundle, outcomes.get(key, []), opened)
            yield bundle

    @staticmethod
    def _close(q: dict, resolutions: list, due: date) -> date:
        close = _text(q.get("market_info_close_datetime"))
        if close:
            try:
                return max(date.fromisoformat(close[:10]), due)
            except ValueError:
                pass
        days = [date.fromisoformat(r[0]) for r in resolutions]
        return max([due, *days])

    def _resolve(self, bundle: QuestionBundle, entries: list, opened: datetime) -> None:
        decided = sorted((e for e in entries if e[1]), key=lambda e: e[0])
        if not decided:
            return
        day, _, value, where = decided[0]
        if value not in (0, 1, 0.0, 1.0) or isinstance(value, bool):
            self.skipped["resolved to a value other than 0 or 1 (left open)"] += 1
            return
        known = max(datetime.fromisoformat(day).replace(tzinfo=UTC), opened)
        bundle.resolutions.append(new(
            NewResolution, where, question_id=bundle.id, outcome="yes" if value == 1 else "no",
            known_at=known, note=f"ForecastBench resolution set ({day}: resolved to {value})"))
