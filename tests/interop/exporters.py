"""Platform files written the way the platforms' own exporters write them, for the tests (and
bench/platform_import_bench.py).

* Metaculus: ``utils/csv_utils.py: generate_data`` in Metaculus/metaculus — Python's
  ``csv.writer`` (excel dialect: ``\\r\\n``, minimal quoting), ``str()`` of every value (times as
  ``2024-01-01 00:00:00+00:00``, lists as Python's repr, ``None`` as an empty field). Each
  forecast row ends with "Probability of Resolution" and, only once the question is resolved,
  "PDF at Resolution": an unresolved question's rows have one field fewer than the header.
  People's forecasts come first (by question, then start), the aggregates after all of them.
* Fatebook: ``lib/web/export.ts: jsonToCsv`` in Sage-Future/fatebook — the keys of the first
  row as an unquoted header, strings in double quotes, dates as ``YYYY-MM-DD HH:MM:S`` (seconds
  not padded), numbers and booleans bare, nothing for a missing value; rows joined by ``\\n``
  with no newline at the end. Three layouts over time, and a tournament's export.

These write what the exporters write; they are not forethought's own writers.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

# ---- Metaculus -------------------------------------------------------------------------------

Q_HEADER_2026 = ["Question ID", "Question URL", "Question Title", "Post ID",
                 "Post Curation Status", "Post Published Time", "Default Project",
                 "Default Project ID", "Categories", "Leaderboard Tags", "Label",
                 "Question Type", "MC Options (Current)", "MC Options (All)",
                 "MC Options History", "Lower Bound", "Open Lower Bound", "Upper Bound",
                 "Open Upper Bound", "Continuous Range", "Open Time", "CP Reveal Time",
                 "Scheduled Close Time", "Actual Close Time", "Resolution",
                 "Resolution Known Time", "Include Bots in Aggregates", "Question Weight"]
# mid-2024: one "MC Options" column, no categories or tags
Q_HEADER_2024 = [h for h in Q_HEADER_2026 if h not in (
    "Categories", "Leaderboard Tags", "MC Options (Current)", "MC Options (All)",
    "MC Options History")]
Q_HEADER_2024.insert(Q_HEADER_2024.index("Question Type") + 1, "MC Options")
F_TAIL = ["Start Time", "End Time", "Forecaster Count", "Probability Yes",
          "Probability Yes Per Category", "Continuous CDF", "Probability Below Lower Bound",
          "Probability Above Upper Bound", "5th Percentile", "25th Percentile", "Median",
          "75th Percentile", "95th Percentile", "Probability of Resolution",
          "PDF at Resolution"]


@dataclass
class MQuestion:
    id: int
    title: str
    open_time: datetime
    scheduled_close: datetime
    type: str = "binary"                # binary, multiple_choice, numeric, date, discrete
    options: list[str] | None = None
    categories: list[str] = field(default_factory=list)
    resolution: str | None = None
    resolved_at: datetime | None = None
    label: str | None = None


@dataclass
class MForecast:
    question: int
    start: datetime
    end: datetime | None = None
    user: tuple[int, str] | None = None          # (id, username); None for an aggregate
    method: str = "recency_weighted"             # an aggregate's method
    p_yes: float | None = None
    per_category: list[float | None] | None = None
    count: int | None = None
    is_bot: bool = False


def _cell(value: Any) -> Any:
    return "" if value is None else value


def _at_resolution(q: MQuestion, f: MForecast) -> list[Any]:
    """The exporter's last one or two fields: nothing more while the question is open."""
    if q.resolution is None or q.resolution in ("annulled", "ambiguous"):
        return [None]
    if q.type == "binary":
        p = f.p_yes if f.p_yes is not None else (f.per_category or [None, None])[1]
        return [p if q.resolution == "yes" else 1 - p, None]
    index = (q.options or []).index(q.resolution)
    return [(f.per_category or [])[index], None]


def metaculus_export(folder: Path, questions: list[MQuestion], forecasts: list[MForecast],
                     scores: list[tuple[int, tuple[int, str] | None, str, str, float, float]]
                     | None = None, *, anonymized: bool = False, layout: str = "2026",
                     zip_name: str | None = None) -> Path:
    """Write question_data.csv, forecast_data.csv (and score_data.csv: rows of (question,
    user or None, aggregation method, score type, score, coverage)) into ``folder``, or into a
    ZIP named ``zip_name`` inside it; returns what to import."""
    folder.mkdir(parents=True, exist_ok=True)
    by_id = {q.id: q for q in questions}
    files = {"question_data.csv": _question_rows(questions, layout),
             "forecast_data.csv": _forecast_rows(by_id, forecasts, anonymized, layout)}
    if scores is not None:
        files["score_data.csv"] = _score_rows(scores, anonymized)
    if zip_name is None:
        for name, text in files.items():
            (folder / name).write_bytes(text.encode("utf-8"))
        return folder
    path = folder / zip_name
    with zipfile.ZipFile(path, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return path


def _question_rows(questions: list[MQuestion], layout: str) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    header = Q_HEADER_2026 if layout == "2026" else Q_HEADER_2024
    w.writerow(header)
    for q in questions:
        values = {
            "Question ID": q.id, "Question URL": f"https://www.metaculus.com/questions/{q.id}/",
            "Question Title": q.title, "Post ID": q.id + 10_000, "Post Curation Status":
            "approved", "Post Published Time": q.open_time, "Default Project": "Test Cup",
            "Default Project ID": 99, "Categories": q.categories, "Leaderboard Tags": [],
            "Label": q.label, "Question Type": q.type, "MC Options (Current)": q.options,
            "MC Options (All)": q.options, "MC Options History": None, "MC Options": q.options,
            "Open Lower Bound": False, "Open Upper Bound": False, "Open Time": q.open_time,
            "CP Reveal Time": q.open_time, "Scheduled Close Time": q.scheduled_close,
            "Actual Close Time": q.resolved_at or q.scheduled_close,
            "Resolution": q.resolution, "Resolution Known Time": q.resolved_at,
            "Include Bots in Aggregates": False, "Question Weight": 1.0}
        w.writerow([_cell(values.get(h)) for h in header])
    return out.getvalue()


def _forecast_rows(by_id: dict[int, MQuestion], forecasts: list[MForecast], anonymized: bool,
                   layout: str) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    who = ["Forecaster (Anonymized)"] if anonymized else ["Forecaster ID", "Forecaster Username"]
    w.writerow(["Question ID", *who, *(["Is Bot"] if layout == "2026" else []), *F_TAIL])
    people = sorted((f for f in forecasts if f.user is not None),
                    key=lambda f: (f.question, f.start))
    aggregates = sorted((f for f in forecasts if f.user is None),
                        key=lambda f: (f.question, f.start))
    for f in people + aggregates:
        q = by_id[f.question]
        if f.user is None:
            name = [f.method] if anonymized else [None, f.method]
        elif anonymized:
            name = [hashlib.sha256(str(f.user[0]).encode()).hexdigest()]
        else:
            name = [f.user[0], f.user[1]]
        bot = ([f.is_bot if f.user is not None else None] if layout == "2026" else [])
        row = [f.question, *name, *bot, f.start, f.end, f.count, f.p_yes, f.per_category, None,
               *([None] * 7), *_at_resolution(q, f)]
        w.writerow([_cell(v) for v in row])
    return out.getvalue()


def _score_rows(scores: list, anonymized: bool) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    who = ["User (Anonymized)"] if anonymized else ["User ID", "User Username"]
    w.writerow(["Question ID", *who, "Score Type", "Score", "Coverage"])
    for question, user, method, kind, score, coverage in scores:
        if anonymized:
            name = [hashlib.sha256(str(user[0]).encode()).hexdigest() if user else method]
        else:
            name = [user[0], user[1]] if user else [None, method]
        w.writerow([_cell(v) for v in [question, *name, kind, score, coverage]])
    return out.getvalue()


# ---- Fatebook --------------------------------------------------------------------------------

FATEBOOK_LAYOUTS = {
    # July 2023 – September 2024
    "2023": ["Question title", "Forecast created by", "Forecast (scale = 0-1)",
             "Forecast created at", "Question created by", "Question created at",
             "Question resolution", "Question resolve by", "Question resolved at",
             "Your Brier score for this question", "Your relative Brier score for this question",
             "Question notes", "Question shared with", "Question shared publicly",
             "Question comments"],
    # September 2024 – January 2025: multiple choice
    "2024": ["Question title", "Multiple choice option", "Forecast created by",
             "Forecast (scale = 0-1)", "Forecast created at", "Question created by",
             "Question created at", "Question resolve by", "Resolution", "Resolved at",
             "Your Brier score for this question", "Your relative Brier score for this question",
             "Question notes", "Question shared with", "Question shared publicly",
             "Question comments"],
    # January 2025 on: tags
    "2025": ["Question title", "Multiple choice option", "Forecast created by",
             "Forecast (scale = 0-1)", "Forecast created at", "Question created by",
             "Question created at", "Question resolve by", "Resolution", "Resolved at",
             "Your Brier score for this question", "Your relative Brier score for this question",
             "Question notes", "Question shared with", "Question shared publicly",
             "Question comments", "Question tags"],
    # a tournament's export (April 2025 on)
    "tournament": ["Tournament name", "Question title", "Multiple choice option",
                   "Forecast created by", "Forecast (scale = 0-1)", "Forecast created at",
                   "Question created by", "Question created at", "Question resolve by",
                   "Resolution", "Resolved at", "Question notes"],
}
RENAMED = {"Question resolution": "Resolution", "Question resolved at": "Resolved at"}


def _js(value: Any) -> str:
    """``printForCsv`` and JavaScript's own conversion of what it returns."""
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d} {value:%H}:{value:%M}:{value.second}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value).replace("e-0", "e-")


def fatebook_export(path: Path, rows: list[dict[str, Any]], layout: str = "2025") -> Path:
    """Rows given with the current column names (``Resolution``, ``Resolved at``…); each is
    written under the layout's names, missing values empty."""
    header = FATEBOOK_LAYOUTS[layout]
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join(_js(row.get(RENAMED.get(h, h))) for h in header))
    path.write_bytes("\n".join(lines).encode("utf-8"))
    return path
