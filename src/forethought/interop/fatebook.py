"""Fatebook's CSV export (read and write).

One row per forecast, in this column order: Question title, Multiple choice option, Forecast
created by, Forecast (scale = 0-1), Forecast created at, Question created by, Question created
at, Question resolve by, Resolution, Resolved at, Your Brier score for this question, Your
relative Brier score for this question, Question notes, Question shared with, Question shared
publicly, Question comments, Question tags.

* Earlier layouts are read too (``USED``, ``ALIASES``): columns by name in any order,
  ``Question resolution``/``Question resolved at`` before September 2024, no option or tag
  columns before then, a tournament's export with ``Tournament name`` (a tag).
* Questions have no id: rows are grouped by (title, question created at) and the question gets
  ``fatebook-<slug>-<8 hex of sha256(title, created at)>``, the same on every import.
* Times are UTC, written like ``2024-03-05 14:07:9`` (seconds not zero-padded).
* A multiple-choice question has one row per option per forecast; the option rows a forecaster
  wrote at one time are one forecast (a distribution). Missing options keep that forecaster's
  earlier value, or share what is left (Fatebook's own rule); sums within 0.02 of 1 (rounding)
  are renormalised, others skipped and counted.
* Resolution: ``YES``, ``NO``, ``AMBIGUOUS`` or empty (open); for multiple choice each option's
  own resolution, the ``YES`` option being the outcome.
* Everyone's forecasts are in the file; the Brier columns are the exporting user's score for
  the question (0–2 scale), repeated on every row. They are kept for the comparison, never
  imported as scores. Comments and sharing are not imported (forethought has neither).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from forethought.domain.inputs import NewForecast, NewQuestion, NewResolution
from forethought.domain.records import Forecast, Question, Resolution
from forethought.domain.timeparse import iso
from forethought.interop.common import (
    CsvRows,
    QuestionBundle,
    Reader,
    clean,
    forecaster_name,
    new,
    parse_float,
    parse_number,
    parse_time,
    spreadsheet_safe,
    stable_id,
)

COLUMNS = ("Question title", "Multiple choice option", "Forecast created by",
           "Forecast (scale = 0-1)", "Forecast created at", "Question created by",
           "Question created at", "Question resolve by", "Resolution", "Resolved at",
           "Your Brier score for this question", "Your relative Brier score for this question",
           "Question notes", "Question shared with", "Question shared publicly",
           "Question comments", "Question tags")
REQUIRED = ("Question title", "Forecast created by", "Forecast (scale = 0-1)",
            "Forecast created at", "Question created at", "Question resolve by", "Resolution",
            "Resolved at")
# Read when present: exports before September 2024 have no "Multiple choice option", before
# January 2025 no "Question tags"; a tournament's export has "Tournament name" and no scores.
USED = ("Multiple choice option", "Question notes", "Question tags", "Question comments",
        "Your Brier score for this question", "Your relative Brier score for this question",
        "Tournament name")
KNOWN = ("Question created by", "Question shared with", "Question shared publicly")
# the names Fatebook's export used from July 2023 until it gained multiple choice (Sept. 2024)
ALIASES = {"Question resolution": "Resolution", "Question resolved at": "Resolved at"}
OUTCOMES = {"YES": "yes", "NO": "no", "AMBIGUOUS": "ambiguous"}
PLATFORM = "fatebook"
MC_TOLERANCE = 0.02
FLOAT_NOISE = 1e-9   # a sum of decimals written exactly can miss 1 by this in binary


@dataclass
class _Group:
    title: str
    created: datetime
    line: int
    first: dict[str, str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


class FatebookReader(Reader):
    """Questions of a Fatebook export. ``me``: the exporting user's name as the file writes it;
    their forecasts are recorded as ``as_me`` (the workspace's forecaster), everyone else's as
    ``fatebook:<name>``."""

    name = "Fatebook export"

    def __init__(self, path: Path, me: str | None = None, as_me: str | None = None) -> None:
        super().__init__(path)
        self.me, self.as_me = me, as_me
        self.names: dict[str, set[str]] = {}   # raw name → question ids, for the comparison

    def __iter__(self) -> Iterator[QuestionBundle]:
        table = CsvRows(self.path, self.name, REQUIRED, used=USED, known=KNOWN,
                        aliases=ALIASES, notes=self.notes, unprotect=True)
        self.total = table.total
        group: _Group | None = None
        for line, row in table:
            where = f"{self.path}, line {line}"
            title = row["Question title"]
            created = parse_time(row["Question created at"], where, "Question created at")
            if group is None or (title, created) != (group.title, group.created):
                if group is not None:
                    yield self._bundle(group, table.position)
                group = _Group(title, created, line, row)
            group.rows.append((line, row))
        if group is not None:
            yield self._bundle(group, table.position)

    def _cell(self, row: dict[str, str], name: str) -> str:
        return row.get(name, "") or ""

    def _bundle(self, g: _Group, position: int) -> QuestionBundle:
        where = f"{self.path}, line {g.line}"
        first = g.first
        resolve_by = parse_time(first["Question resolve by"], where, "Question resolve by").date()
        tags = [t.strip() for t in self._cell(first, "Question tags").split(";") if t.strip()]
        tournament = clean(self._cell(first, "Tournament name"))
        if tournament is not None:
            tags.append(tournament[:120])
        options = list(dict.fromkeys(o for _, r in g.rows
                                     if (o := self._cell(r, "Multiple choice option").strip())))
        if options and any(not self._cell(r, "Multiple choice option").strip()
                           for _, r in g.rows):
            raise self.reject(f", line {g.line}", "field 'Multiple choice option' is empty "
                                                  "on some rows of a multiple-choice question")
        question = new(NewQuestion, where, id=stable_id(PLATFORM, g.title, iso(g.created) or ""),
                       title=g.title, opened_at=g.created, resolve_by=resolve_by,
                       criteria=clean(self._cell(first, "Question notes")),
                       tags=tuple(sorted(set(tags) | {PLATFORM})),
                       type="multiple" if options else "binary", options=tuple(options))
        q = QuestionBundle(question, where=where, progress=position)
        parsed = []
        for line, r in g.rows:
            at = f"{self.path}, line {line}"
            name = r["Forecast created by"].strip()
            if not name:
                raise self.reject(f", line {line}", "field 'Forecast created by' is empty")
            value = r["Forecast (scale = 0-1)"]
            p = parse_number(value, at, "Forecast (scale = 0-1)")
            made = parse_time(r["Forecast created at"], at, "Forecast created at")
            parsed.append((line, name, self._cell(r, "Multiple choice option").strip(), p,
                           value.strip(), made))
            self.names.setdefault(name, set()).add(q.id)
        q.forecasts = (self._distributions(q.id, parsed) if options
                       else self._binary(q.id, parsed))
        self._resolve(q, g)
        for key, col in (("brier", "Your Brier score for this question"),
                         ("relative", "Your relative Brier score for this question")):
            text = clean(self._cell(first, col))
            q.extra[key] = None if text is None else parse_float(text, where, col)
        if clean(self._cell(first, "Question comments")):
            self.skipped["comments (forethought does not hold comments)"] += 1
        return q

    def _who(self, name: str) -> str:
        return forecaster_name(PLATFORM, name, self.me, self.as_me)

    def _binary(self, qid: str, parsed: list) -> list[NewForecast]:
        out: dict[tuple[str, datetime], NewForecast] = {}
        for line, name, _option, p, text, made in parsed:
            key = (name, made)
            if key in out:
                self.skipped["forecasts in the same second as another by the same person "
                             "(the later row kept)"] += 1
            out[key] = new(NewForecast, f"{self.path}, line {line}", question_id=qid,
                           forecaster=self._who(name), made_at=made, probability=p,
                           entered_as=text)
        return list(out.values())

    def _distributions(self, qid: str, parsed: list) -> list[NewForecast]:
        options = list(dict.fromkeys(option for _, _, option, _, _, _ in parsed))
        by_time: dict[tuple[str, datetime], dict[str, float]] = {}
        for _line, name, option, p, _text, made in parsed:
            by_time.setdefault((name, made), {})[option] = p
        standing: dict[str, dict[str, float]] = {}
        out = []
        for (name, made), given in sorted(by_time.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            dist = dict(standing.get(name, {}))
            dist.update(given)
            missing = [o for o in options if o not in dist]
            if missing:
                rest = max(0.0, 1.0 - sum(dist.values())) / len(missing)
                dist.update({o: rest for o in missing})
            total = sum(dist.values())
            if abs(total - 1) > MC_TOLERANCE:
                self.skipped["multiple-choice forecasts whose options do not sum to 1"] += 1
                continue
            if total != 1:
                dist = {o: v / total for o, v in dist.items()}
                if abs(total - 1) > FLOAT_NOISE:  # not the last bits of a float sum
                    self.notes["multiple-choice forecasts whose options summed to within 0.02 "
                               "of 1 were renormalised"] += 1
            standing[name] = dist
            entered = ",".join(f"{o}={given[o]:g}" for o in options if o in given)
            out.append(new(NewForecast, f"{self.path}", question_id=qid,
                           forecaster=self._who(name), made_at=made,
                           distribution={o: dist[o] for o in options}, entered_as=entered))
        return out

    def _resolve(self, q: QuestionBundle, g: _Group) -> None:
        marks: dict[str, str] = {}
        resolved_at = None
        for line, r in g.rows:
            text = r["Resolution"].strip().upper()
            if not text:
                continue
            if text not in OUTCOMES:
                raise self.reject(f", line {line}", f"field 'Resolution': {r['Resolution']!r} "
                                                    "is not YES, NO, AMBIGUOUS or empty")
            marks[self._cell(r, "Multiple choice option").strip()] = text
            if clean(r["Resolved at"]):
                resolved_at = parse_time(r["Resolved at"], f"{self.path}, line {line}",
                                         "Resolved at")
        if not marks:
            return
        if q.question.type == "multiple":
            yes = [o for o, m in marks.items() if m == "YES"]
            if "AMBIGUOUS" in marks.values():
                outcome = "ambiguous"
            elif len(yes) == 1:
                outcome = yes[0]
            else:
                self.skipped["multiple-choice resolutions naming no single option (left "
                             "open)"] += 1
                return
        else:
            outcome = OUTCOMES[next(iter(marks.values()))]
        if resolved_at is None:
            self.notes["resolutions without 'Resolved at' are dated at the resolve-by date"] += 1
            resolved_at = datetime.combine(q.question.resolve_by, datetime.min.time(),
                                           q.question.opened_at.tzinfo)
        q.resolutions.append(new(NewResolution, q.where, question_id=q.id, outcome=outcome,
                                 known_at=resolved_at))


# ---- writing -------------------------------------------------------------------------------

class _Bare(str):
    """A value Fatebook writes without quotes (its dates)."""


def _cell(value: Any, for_spreadsheet: bool = True) -> str:
    """Fatebook's quoting: text in double quotes (quotes doubled) and formula-safe
    (``common.spreadsheet_safe``) unless ``for_spreadsheet`` is False; numbers, booleans and
    dates bare; nothing for a missing value."""
    if value is None:
        return ""
    if isinstance(value, _Bare):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = spreadsheet_safe(str(value)) if for_spreadsheet else str(value)
    return '"' + text.replace('"', '""') + '"'


def _time(value: datetime | None) -> _Bare | None:
    return None if value is None else _Bare(value.strftime("%Y-%m-%d %H:%M:%S"))


def header() -> str:
    return ",".join(COLUMNS) + "\n"


def _mark(resolution: Resolution | None, option: str | None) -> str | None:
    if resolution is None:
        return None
    if resolution.outcome in ("ambiguous", "annulled"):
        return "AMBIGUOUS"
    if option is None:
        return resolution.outcome.upper()
    return "YES" if resolution.outcome == option else "NO"


def rows(q: Question, forecasts: list[Forecast], resolution: Resolution | None,
         for_spreadsheet: bool = True) -> str:
    """Fatebook export rows for one question (none if it has no forecasts, as in Fatebook);
    text formula-safe unless ``for_spreadsheet`` is False."""
    lines = []
    tags = "; ".join(t for t in sorted(q.tags) if t != PLATFORM)
    for f in sorted(forecasts, key=lambda f: (f.made_at, f.forecaster, f.id)):
        name = f.forecaster.removeprefix(f"{PLATFORM}:")
        values = ([(o, f.distribution.get(o, 0.0)) for o in q.options] if f.distribution
                  else [(None, f.probability)])
        for option, p in values:
            lines.append(",".join(_cell(v, for_spreadsheet) for v in (
                q.title, option, name, p, _time(f.made_at), None, _time(q.opened_at),
                _Bare(q.resolve_by.strftime("%Y-%m-%d 00:00:00")), _mark(resolution, option),
                _time(resolution.known_at) if resolution else None, None, None, q.criteria,
                None, False, None, tags or None)))
    return "".join(line + "\n" for line in lines)
