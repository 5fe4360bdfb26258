"""Metaculus data exports: a ZIP (or its unpacked folder) of CSV files.

* ``question_data.csv`` (required): Question ID, Question URL, Question Title, Label, Question
  Type, MC Options (All) (or MC Options), Categories, Open Time, Scheduled Close Time, Actual
  Close Time, Resolution, Resolution Known Time, … Binary and multiple-choice questions are
  imported as ``metaculus-<Question ID>``, opened at Open Time, resolving by the scheduled close;
  numeric, discrete and date questions are skipped and counted.
* ``forecast_data.csv``: Question ID, Forecaster ID, Forecaster Username, Is Bot, Start Time,
  End Time, Probability Yes, Probability Yes Per Category, … Each row is a forecast standing on
  [Start Time, End Time). Rows without a Forecaster ID are the aggregates (``recency_weighted``,
  ``metaculus_prediction``, …), imported as forecaster ``metaculus:<name>``; people are
  ``metaculus-user:<username>``. A forecast that ended with no later one (withdrawn or expired)
  is counted: forethought keeps a forecast standing until the same forecaster's next one.
* Columns are read by name (``common.CsvRows``): mid-2024 layouts and anonymized exports
  (people named by the hash Metaculus writes) are read, a row of an unresolved question that
  ends before the unused ``PDF at Resolution`` is read, and what was tolerated is noted.
  People's forecasts come first in the file and the aggregates after all of them: a question
  met again comes as a ``more`` bundle.
* ``score_data.csv`` (optional): Question ID, User ID, User Username, Score Type, Score,
  Coverage — Metaculus's own scores, read for the comparison only.
"""

from __future__ import annotations

import ast
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from forethought.domain.inputs import NewForecast, NewQuestion, NewResolution
from forethought.errors import ImportRejected
from forethought.interop.common import (
    NOTHING,
    CsvRows,
    QuestionBundle,
    Reader,
    clean,
    forecaster_name,
    new,
    parse_float,
    parse_number,
    parse_time,
    platform_id,
)

PLATFORM = "metaculus"
PEOPLE = "metaculus-user"
# What each file must have, what is read when present, and the documented columns forethought
# does not read (Metaculus's exporter, utils/csv_utils.py; older exports lack some of them).
Q_REQUIRED = ("Question ID", "Question Title", "Question Type", "Open Time",
              "Scheduled Close Time", "Resolution", "Resolution Known Time")
Q_USED = ("Question URL", "Post Published Time", "Categories", "Label", "MC Options (All)",
          "Actual Close Time")
Q_KNOWN = ("Post ID", "Post Curation Status", "Default Project", "Default Project ID",
           "Leaderboard Tags", "MC Options (Current)", "MC Options History", "Lower Bound",
           "Open Lower Bound", "Upper Bound", "Open Upper Bound", "Continuous Range",
           "CP Reveal Time", "Include Bots in Aggregates", "Question Weight")
Q_ALIASES = {"MC Options": "MC Options (All)"}   # before options could change over time
F_REQUIRED = ("Question ID", "Forecaster Username", "Start Time", "End Time",
              "Probability Yes", "Probability Yes Per Category")
F_USED = ("Forecaster ID",)
F_KNOWN = ("Is Bot", "Forecaster Count", "Continuous CDF", "Probability Below Lower Bound",
           "Probability Above Upper Bound", "5th Percentile", "25th Percentile", "Median",
           "75th Percentile", "95th Percentile", "Probability of Resolution",
           "PDF at Resolution")
S_REQUIRED = ("Question ID", "User Username", "Score Type", "Score")
S_USED = ("User ID", "Coverage")
# an anonymized export names people by sha256(user id) in one column, aggregates by method
ANONYMIZED = {"Forecaster (Anonymized)": "Forecaster Username",
              "User (Anonymized)": "User Username"}
HASHED = re.compile(r"^[0-9a-f]{64}$")
KINDS = {"binary": "binary", "multiple_choice": "multiple", "multiple choice": "multiple"}
SUM_SLACK = 1e-6


@dataclass
class _Member:
    label: str
    opener: Any
    size: int


class Export:
    """The CSV files of an export, from a ZIP or a folder."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.members: dict[str, _Member] = {}
        if self.path.is_dir():
            for p in sorted(self.path.rglob("*.csv")):
                self.members.setdefault(p.name, _Member(str(p), _file_opener(p),
                                                        p.stat().st_size))
        else:
            try:
                archive = zipfile.ZipFile(self.path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise ImportRejected(f"{self.path}: not a ZIP file or folder ({exc}); give "
                                     f"Metaculus's data export; {NOTHING}") from None
            for info in archive.infolist():
                name = info.filename.rsplit("/", 1)[-1]
                if name.endswith(".csv") and not info.is_dir():
                    self.members.setdefault(name, _Member(
                        f"{self.path}:{info.filename}", _zip_opener(archive, info),
                        info.file_size))
        if "question_data.csv" not in self.members:
            found = ", ".join(sorted(self.members)) or "no CSV files"
            raise ImportRejected(f"{self.path}: no question_data.csv (found {found}); is this "
                                 f"a Metaculus data export? {NOTHING}")

    def rows(self, name: str, what: str, required: tuple[str, ...], notes: Counter[str], *,
             used: tuple[str, ...] = (), known: tuple[str, ...] = (),
             aliases: dict[str, str] | None = None) -> CsvRows:
        m = self.members[name]
        return CsvRows(m.label, what, required, opener=m.opener, size=m.size, used=used,
                       known=known, aliases={**ANONYMIZED, **(aliases or {})}, notes=notes)


def _file_opener(path: Path) -> Any:
    return lambda: path.open("rb")


def _zip_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Any:
    def opener() -> IO[bytes]:
        return archive.open(info)

    return opener


def _literal_list(text: str, where: str, name: str) -> list[Any]:
    """``['A', 'B']`` (Python's repr, as Metaculus writes lists) or a JSON list."""
    text = text.strip()
    if not text:
        return []
    try:
        value = ast.literal_eval(text.replace("null", "None").replace("NaN", "None"))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        value = None
    if not isinstance(value, list | tuple):
        raise ImportRejected(f"{where}: field {name!r}: {text[:80]!r} is not a list; {NOTHING}")
    return list(value)


class MetaculusReader(Reader):
    name = "Metaculus export"

    def __init__(self, path: Path, me: str | None = None, as_me: str | None = None) -> None:
        super().__init__(path)
        self.me, self.as_me = me, as_me
        self.export = Export(path)

    @property
    def has_scores(self) -> bool:
        return "score_data.csv" in self.export.members

    def __iter__(self) -> Iterator[QuestionBundle]:
        questions = self._questions()
        emitted: set[str] = set()
        if "forecast_data.csv" in self.export.members:
            table = self.export.rows("forecast_data.csv", self.name, F_REQUIRED, self.notes,
                                     used=F_USED, known=F_KNOWN)
            self.total = table.total
            group: list[tuple[int, dict[str, str]]] = []
            for line, row in table:
                if group and row["Question ID"] != group[0][1]["Question ID"]:
                    yield from self._bundle(questions, group, table, emitted)
                    group = []
                group.append((line, row))
            if group:
                yield from self._bundle(questions, group, table, emitted)
        else:
            self.notes["the export has no forecast_data.csv: questions only"] += 1
        for q in questions.values():
            if q is not None and q.id not in emitted:
                yield q

    def _questions(self) -> dict[str, QuestionBundle | None]:
        table = self.export.rows("question_data.csv", self.name, Q_REQUIRED, self.notes,
                                 used=Q_USED, known=Q_KNOWN, aliases=Q_ALIASES)
        out: dict[str, QuestionBundle | None] = {}
        for line, row in table:
            where = f"{table.path}, line {line}"
            ident = row["Question ID"].strip()
            if not ident:
                raise ImportRejected(f"{where}: field 'Question ID' is empty; {NOTHING}")
            kind = KINDS.get(row["Question Type"].strip().lower())
            if kind is None:
                self.skipped[f"{row['Question Type'].strip() or 'untyped'} questions "
                             "(forethought holds binary and multiple choice)"] += 1
                out[ident] = None
                continue
            title = row["Question Title"].strip()
            if clean(row.get("Label")):
                title = f"{title} — {row['Label'].strip()}"
            opened = clean(row["Open Time"]) or clean(row.get("Post Published Time"))
            categories = _literal_list(row.get("Categories", ""), where, "Categories")
            options: tuple[str, ...] = ()
            if kind == "multiple":
                options = tuple(str(o) for o in _literal_list(
                    row.get("MC Options (All)", ""), where, "MC Options (All)"))
            question = new(
                NewQuestion, where, id=platform_id(PLATFORM, ident), title=title, type=kind,
                options=options, opened_at=parse_time(opened or "", where, "Open Time"),
                resolve_by=parse_time(row["Scheduled Close Time"], where,
                                      "Scheduled Close Time").date(),
                fine_print=clean(row.get("Question URL")),
                tags=tuple(sorted({PLATFORM} | {str(c).strip() for c in categories
                                                if str(c).strip()})))
            q = QuestionBundle(question, where=where)
            self._resolve(q, row, where)
            q.extra["actual_close"] = clean(row.get("Actual Close Time"))
            out[ident] = q
        return out
    def _resolve(self, q: QuestionBundle, row: dict[str, str], where: str) -> None:
        text = clean(row["Resolution"])
        if text is None:
            return
        outcomes = {o.lower(): o for o in (q.question.options or ["yes", "no"])}
        outcomes.update({"annulled": "annulled", "ambiguous": "ambiguous"})
        outcome = outcomes.get(text.lower())
        if outcome is None:
            raise ImportRejected(f"{where}: field 'Resolution': {text!r} is not an outcome of "
                                 f"this question ({', '.join(outcomes.values())}); {NOTHING}")
        known = clean(row["Resolution Known Time"]) or clean(row.get("Actual Close Time"))
        q.resolutions.append(new(NewResolution, where, question_id=q.id, outcome=outcome,
                                 known_at=parse_time(known or "", where,
                                                     "Resolution Known Time")))

    def _bundle(self, questions: dict[str, QuestionBundle | None],
                group: list[tuple[int, dict[str, str]]], table: CsvRows,
                emitted: set[str]) -> Iterator[QuestionBundle]:
        """The question of ``group`` with the group's forecasts; a question met again (Metaculus
        writes everyone's forecasts first and the aggregates after them) comes as ``more``."""
        ident = group[0][1]["Question ID"].strip()
        if ident not in questions:
            self.skipped["forecasts on questions missing from question_data.csv"] += len(group)
            return
        q = questions[ident]
        if q is None:
            self.skipped["forecasts on numeric, discrete or date questions"] += len(group)
            return
        if q.id in emitted:
            q = QuestionBundle(q.question, resolutions=q.resolutions, where=q.where, more=True)
        q.progress = table.position
        spans: dict[str, list[tuple[datetime, str, str | None, str]]] = {}
        for line, row in group:
            where = f"{table.path}, line {line}"
            f = self._forecast(q, row, where)
            if f is None:
                continue
            q.forecasts.append(f)
            spans.setdefault(f.forecaster, []).append(
                (f.made_at, row["Start Time"].strip(), clean(row["End Time"]), where))
        self._count_withdrawn(q, spans)
        emitted.add(q.id)
        yield q

    def _who(self, row: dict[str, str], where: str) -> str:
        name = row["Forecaster Username"].strip()
        if not name:
            raise ImportRejected(f"{where}: field 'Forecaster Username' is empty; {NOTHING}")
        if "Forecaster ID" not in row:  # anonymized: people are hashes, aggregates methods
            if HASHED.match(name):
                return f"{PEOPLE}:{name}"
            return f"{PLATFORM}:{name}"
        if clean(row["Forecaster ID"]) is None:
            return f"{PLATFORM}:{name}"
        return forecaster_name(PEOPLE, name, self.me, self.as_me)

    def _forecast(self, q: QuestionBundle, row: dict[str, str], where: str
                  ) -> NewForecast | None:
        who = self._who(row, where)
        made = parse_time(row["Start Time"], where, "Start Time")
        options = q.question.options
        if q.question.type == "binary":
            return new(NewForecast, where, question_id=q.id, forecaster=who, made_at=made,
                       probability=self._yes(row, where))
        values = _literal_list(row["Probability Yes Per Category"], where,
                               "Probability Yes Per Category")
        if len(values) != len(options):
            raise ImportRejected(f"{where}: field 'Probability Yes Per Category' has "
                                 f"{len(values)} values for {len(options)} options; {NOTHING}")
        if any(v is None for v in values):
            self.notes["multiple-choice forecasts made before some options existed: those "
                       "options read as 0 (Metaculus writes None)"] += 1
        dist = {o: (0.0 if v is None else parse_number(v, where, "Probability Yes Per Category"))
                for o, v in zip(options, values, strict=True)}
        total = sum(dist.values())
        if abs(total - 1) > SUM_SLACK:
            self.skipped["multiple-choice forecasts whose options do not sum to 1"] += 1
            return None
        if total != 1:
            dist = {o: v / total for o, v in dist.items()}
        return new(NewForecast, where, question_id=q.id, forecaster=who, made_at=made,
                   distribution=dist)

    def _yes(self, row: dict[str, str], where: str) -> float:
        """P(yes) of a binary forecast. Metaculus writes its geometric_mean aggregate of a
        binary question as the pair [P(no), P(yes)] under 'Probability Yes Per Category'."""
        if clean(row["Probability Yes"]) is None and clean(row["Probability Yes Per Category"]):
            pair = _literal_list(row["Probability Yes Per Category"], where,
                                 "Probability Yes Per Category")
            if len(pair) == 2 and pair[1] is not None:
                self.notes["binary forecasts written as [P(no), P(yes)] (Metaculus's "
                           "geometric_mean rows) read as P(yes)"] += 1
                return parse_number(pair[1], where, "Probability Yes Per Category")
        return parse_number(row["Probability Yes"], where, "Probability Yes")
    def _count_withdrawn(self, q: QuestionBundle,
                         spans: dict[str, list[tuple[datetime, str, str | None, str]]]) -> None:
        """Count forecasts that ended before the forecaster's next one (or the close). An end
        written as the next forecast's start is a plain update: no time to parse."""
        close = q.resolutions[0].known_at if q.resolutions else None
        for items in spans.values():
            items.sort(key=lambda s: s[0])
            for (_made, _start, end, where), nxt in zip(items, [*items[1:], None], strict=True):
                if end is None or (nxt is not None and end == nxt[1]):
                    continue
                ended = parse_time(end, where, "End Time")
                if nxt is not None and nxt[0] <= ended:
                    continue
                if close is None or ended < close:
                    self.notes["forecasts ended (withdrawn or expired) before the next one or "
                               "the close; forethought keeps them standing"] += 1


@dataclass(frozen=True)
class PlatformScore:
    question_id: str          # forethought's id
    forecaster: str
    score_type: str
    score: float
    coverage: float | None


def read_scores(reader: MetaculusReader) -> list[PlatformScore]:
    """Metaculus's own scores from ``score_data.csv`` (empty if the export has none)."""
    if not reader.has_scores:
        return []
    table = reader.export.rows("score_data.csv", "Metaculus score_data.csv", S_REQUIRED,
                               reader.notes, used=S_USED)
    out = []
    for line, row in table:
        where = f"{table.path}, line {line}"
        name = row["User Username"].strip()
        if "User ID" not in row:
            who = f"{PEOPLE if HASHED.match(name) else PLATFORM}:{name}"
        elif clean(row["User ID"]) is None:
            who = f"{PLATFORM}:{name}"
        else:
            who = forecaster_name(PEOPLE, name, reader.me, reader.as_me)
        coverage = clean(row.get("Coverage"))
        out.append(PlatformScore(platform_id(PLATFORM, row["Question ID"].strip()), who,
                                 row["Score Type"].strip().lower(),
                                 parse_float(row["Score"], where, "Score"),
                                 parse_float(coverage, where, "Coverage") if coverage else None))
    return out
