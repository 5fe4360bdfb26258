"""Import and export use cases for the interchange and platform formats (records: see
`services.records`).

Every import is one transaction through the one import engine (`services.imports`):
all-or-nothing, idempotent, and reported (added, already there, skipped and why). Every export
is deterministic and written to a temporary file that replaces ``out`` only when complete.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from forethought.domain.records import Question, in_option_order_all
from forethought.interop import csvfmt, fatebook, ics, jsonl
from forethought.interop.common import Reader
from forethought.services.imports import ImportReport, run_import
from forethought.store import repository as repo
from forethought.store.engine import Connection, Store

Progress = Callable[[int, int], None]   # (done, total) in the reader's units
EXPORT_CHUNK = 1000


def _run(store: Store, reader: Reader, fmt: str, *, dry_run: bool, progress: Progress | None,
         after: Callable[[Connection, ImportReport], None] | None = None,
         bundles: Iterable[Any] | None = None, files: list[Path] | None = None
         ) -> ImportReport:
    report = ImportReport(format=fmt, files=[str(p) for p in (files or [reader.path])])
    tick = None if progress is None else (lambda done: progress(done, reader.total))
    run_import(store, bundles if bundles is not None else reader, report, dry_run=dry_run,
               progress=tick, after=after)
    report.skipped.update(reader.skipped)
    report.notes += [f"{n} {message}" if n > 1 else message
                     for message, n in sorted(reader.notes.items())]
    report.lossy = reader.lossy
    return report


def import_jsonl(store: Store, path: Path, *, dry_run: bool = False,
                 progress: Progress | None = None) -> ImportReport:
    """Import a forethought JSONL file (the lossless interchange)."""
    return _run(store, jsonl.JsonlReader(path), "jsonl", dry_run=dry_run, progress=progress)


def import_csv(store: Store, path: Path, *, dry_run: bool = False,
               progress: Progress | None = None) -> ImportReport:
    """Import a forethought CSV file (one row per forecast)."""
    return _run(store, csvfmt.CsvReader(path), "csv", dry_run=dry_run, progress=progress)


def import_fatebook(store: Store, path: Path, *, me: str | None = None, as_me: str | None = None,
                    dry_run: bool = False, progress: Progress | None = None,
                    compare: bool = True) -> ImportReport:
    """Import a Fatebook CSV export and (``compare``) compare Fatebook's Brier scores in it with
    forethought's ``daily`` policy on the 0–2 scale (``report.comparison``)."""
    reader = fatebook.FatebookReader(path, me, as_me)
    scores: dict[str, float | None] = {}

    def bundles() -> Iterator[Any]:
        for b in reader:
            scores[b.id] = b.extra.get("brier")
            yield b

    def after(conn: Connection, report: ImportReport) -> None:
        from forethought.services.comparisons import compare_fatebook

        report.comparison = compare_fatebook(conn, scores, reader, me, as_me)

    return _run(store, reader, "fatebook", dry_run=dry_run, progress=progress,
                after=after if compare else None, bundles=bundles())


def import_predictionbook(store: Store, path: Path, *, me: str | None = None,
                          as_me: str | None = None, dry_run: bool = False,
                          progress: Progress | None = None) -> ImportReport:
    """Import PredictionBook's API JSON (lossless) or its CSV export (lossy: says so)."""
    from forethought.interop import predictionbook as pb

    with Path(path).open("rb") as fh:
        start = fh.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    reader: Reader = (pb.PredictionBookJsonReader(path, me, as_me) if start.startswith(b"{")
                      else pb.PredictionBookCsvReader(path, me, as_me))
    return _run(store, reader, "predictionbook", dry_run=dry_run, progress=progress)


def import_metaculus(store: Store, path: Path, *, me: str | None = None,
                     as_me: str | None = None, dry_run: bool = False,
                     progress: Progress | None = None, compare: bool = True) -> ImportReport:
    """Import a Metaculus data export (ZIP or folder); with ``score_data.csv`` (and
    ``compare``), compare its baseline and peer scores with forethought's ``metaculus``
    policy."""
    from forethought.interop import metaculus

    reader = metaculus.MetaculusReader(path, me, as_me)
    platform = metaculus.read_scores(reader) if compare else []

    def after(conn: Connection, report: ImportReport) -> None:
        if platform:
            from forethought.services.comparisons import compare_metaculus

            report.comparison = compare_metaculus(conn, platform)

    return _run(store, reader, "metaculus", dry_run=dry_run, progress=progress, after=after)


def import_forecastbench(store: Store, questions: Path, forecasts: Path, resolutions: Path, *,
                         dry_run: bool = False, progress: Progress | None = None
                         ) -> ImportReport:
    """Import one ForecastBench round: its question, forecast and resolution sets."""
    from forethought.interop.forecastbench import ForecastBenchReader

    reader = ForecastBenchReader(questions, forecasts, resolutions)
    return _run(store, reader, "forecastbench", dry_run=dry_run, progress=progress,
                files=[Path(questions), Path(forecasts), Path(resolutions)])


# ---- exports -------------------------------------------------------------------------------

def _questions_in_chunks(conn: Connection) -> Iterator[tuple[list[Question], dict, dict]]:
    """Questions sorted by id, EXPORT_CHUNK at a time, with their forecasts and resolutions."""
    ids = sorted(repo.question_ids(conn))
    for i in range(0, len(ids), EXPORT_CHUNK):
        chunk = ids[i:i + EXPORT_CHUNK]
        questions = sorted(repo.questions(conn, chunk), key=lambda q: q.id)
        forecasts: dict[str, list] = {}
        for f in repo.forecasts_of(conn, chunk):
            forecasts.setdefault(f.question_id, []).append(f)
        resolutions: dict[str, list] = {}
        for r in repo.resolutions(conn, chunk):
            resolutions.setdefault(r.question_id, []).append(r)
        yield questions, forecasts, resolutions


def write_atomically(out: Path, chunks: Iterable[str]) -> None:
    """Write ``chunks`` to a temporary file beside ``out`` and move it into place when
    complete, so ``out`` is never left half written."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            for text in chunks:
                fh.write(text)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def _export(store: Store, out: Path, head: str,
            body: Callable[[Question, list, list], str]) -> dict[str, int]:
    counts = {"questions": 0, "forecasts": 0}

    def chunks() -> Iterator[str]:
        yield head
        with store.read() as conn:
            for questions, forecasts, resolutions in _questions_in_chunks(conn):
                for q in questions:
                    text = body(q, in_option_order_all(q, forecasts.get(q.id, [])),
                                resolutions.get(q.id, []))
                    if text:
                        counts["questions"] += 1
                        counts["forecasts"] += len(forecasts.get(q.id, []))
                    yield text

    write_atomically(out, chunks())
    return counts


def export_jsonl(store: Store, out: Path) -> dict[str, int]:
    """Claims lines (one per source), then one line per question sorted by id."""
    with store.read() as conn:
        sources = repo.sources(conn)
        claims = repo.claims(conn)
    by_source: dict[str | None, list] = {}
    for c in claims:
        by_source.setdefault(c.source_id, []).append(c)
    head = "".join(jsonl.claims_line(s, by_source.get(s.id, [])) for s in sources)
    if by_source.get(None):
        head += jsonl.claims_line(None, by_source[None])
    counts = _export(store, out, head, jsonl.question_line)
    counts["sources"] = len(sources)
    return counts


def export_csv(store: Store, out: Path, *, for_spreadsheet: bool = True) -> dict[str, int]:
    """One row per forecast; ``for_spreadsheet``: cells that would run as formulas are
    protected (see interop/common.py, spreadsheet_safe)."""
    return _export(store, out, csvfmt.header(), lambda q, fs, rs: csvfmt.rows(
        q, fs, rs[-1] if rs else None, for_spreadsheet))


def export_fatebook(store: Store, out: Path, *, for_spreadsheet: bool = True
                    ) -> dict[str, int]:
    """Fatebook's export layout (questions without forecasts have no rows, as in Fatebook);
    ``for_spreadsheet`` as for :func:`export_csv`."""
    return _export(store, out, fatebook.header(), lambda q, fs, rs: fatebook.rows(
        q, fs, rs[-1] if rs else None, for_spreadsheet))


def export_ics(store: Store, out: Path) -> dict[str, int]:
    """The resolve-by dates of the open questions as calendar events."""
    with store.read() as conn:
        latest = repo.latest_resolutions(conn)
        open_questions = [q for q in repo.questions(conn) if q.id not in latest]
    write_atomically(out, [ics.calendar(open_questions)])
    return {"questions": len(open_questions), "forecasts": 0}
