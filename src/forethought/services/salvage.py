"""`export jsonl --salvage`: every record a damaged database still holds, as forethought JSONL,
with a report of what could not be read (see store/salvage.py for how it reads).

The file is the lossless interchange, so `forethought import jsonl` brings the rescued history
into a new workspace (its recorded times kept as stated; the new ledger vouches for the import).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from forethought.domain.records import (
    Claim,
    ClaimGrade,
    ClaimStatus,
    Forecast,
    Question,
    Resolution,
    Source,
)
from forethought.interop import jsonl
from forethought.store.engine import Store
from forethought.store.salvage import Salvaged, salvage


@dataclass
class SalvageReport:
    """What went into the file (``written``: questions, forecasts…), how many records came
    from their rows because their ledger entry was unreadable, what was read around
    (``unreadable``: rows or pages whose records may have come back from the other copy) and
    the records known to be lost."""

    out: str
    written: dict[str, int] = field(default_factory=dict)
    from_rows: int = 0
    unreadable: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


def salvage_jsonl(url: str, out: Path) -> SalvageReport:
    """Write what can still be read of the database at ``url`` to ``out`` (JSONL)."""
    from forethought.services.interop import write_atomically

    store = Store(url, check=False)
    try:
        found = salvage(store)
    finally:
        store.dispose()
    report = SalvageReport(str(out), from_rows=sum(found.from_table.values()),
                           unreadable=list(found.unreadable), lost=list(found.lost))
    records = _Records(found, report)
    write_atomically(out, records.lines())
    report.written = records.counts
    return report


class _Records:
    """Domain records built from salvaged values, in the order an export writes them."""

    def __init__(self, found: Salvaged, report: SalvageReport) -> None:
        self.found, self.report = found, report
        self.counts: dict[str, int] = defaultdict(int)

    def _build(self, model: type, kind: str, values: dict[str, Any], **extra: Any) -> Any:
        try:
            return model(**values, **extra)
        except ValidationError as exc:
            key = values.get("id")
            self.report.lost.append(f"{kind} {key}: its stored values are not valid any more "
                                    f"({exc.errors()[0]['loc']}: {exc.errors()[0]['msg']})")
            return None

    def _children(self, kind: str, parent: str) -> dict[Any, list[dict]]:
        out: dict[Any, list[dict]] = defaultdict(list)
        for key in sorted(self.found.records[kind]):
            values = self.found.records[kind][key]
            out[values[parent]].append(values)
        return out

    def lines(self) -> Iterator[str]:
        yield from self._claims_lines()
        yield from self._question_lines()

    def _claims_lines(self) -> Iterator[str]:
        grades = self._children("claim_grade", "claim_id")
        statuses = self._children("claim_status", "claim_id")
        by_source: dict[Any, list[Claim]] = defaultdict(list)
        for key in sorted(self.found.records["claim"]):
            values = self.found.records["claim"][key]
            claim = self._build(Claim, "claim", values, grades=[
                ClaimGrade(reliability=g["reliability"], credibility=g["credibility"],
                           graded_at=g["graded_at"], note=g["note"])
                for g in grades.get(key, [])], statuses=[
                ClaimStatus(status=s["status"], evidence=s["evidence"], note=s["note"],
                            marked_at=s["marked_at"]) for s in statuses.get(key, [])])
            if claim is not None:
                by_source[claim.source_id].append(claim)
                self.counts["claims"] += 1
        for key in sorted(self.found.records["source"]):
            source = self._build(Source, "source", self.found.records["source"][key])
            if source is not None:
                self.counts["sources"] += 1
                yield jsonl.claims_line(source, by_source.pop(key, []))
        if by_source.get(None):
            yield jsonl.claims_line(None, by_source.pop(None))
        for source_id, claims in by_source.items():
            self.report.lost += [f"claim {c.id}: its source {source_id!r} could not be read"
                                 for c in claims]

    def _question_lines(self) -> Iterator[str]:
        forecasts = self._children("forecast", "question_id")
        resolutions = self._children("resolution", "question_id")
        for key in sorted(self.found.records["question"]):
            question = self._build(Question, "question", self.found.records["question"][key])
            if question is None:
                continue
            fs = [f for f in (self._build(Forecast, "forecast", v)
                              for v in forecasts.get(key, [])) if f is not None]
            rs = [r for r in (self._build(Resolution, "resolution", v)
                              for v in resolutions.get(key, [])) if r is not None]
            self.counts["questions"] += 1
            self.counts["forecasts"] += len(fs)
            self.counts["resolutions"] += len(rs)
            yield jsonl.question_line(question, fs, rs)
