"""Export and import the records folders (`forecasts/`, `claims/`).

Import goes through the one import engine (``services.imports``), like every other format:
all-or-nothing (one transaction) and idempotent; records already in the database are matched and
compared, new ones are appended. Forecasts are matched by (question, forecaster, made_at);
resolutions, grades and status changes are histories, so the database's history must be a prefix
of the file's. A file that contradicts a recorded fact is refused with the file, the field and
both values, and nothing is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from forethought.domain.records import in_option_order_all
from forethought.interop import records as fmt
from forethought.services.imports import ImportReport, run_import
from forethought.store import repository as repo
from forethought.store.engine import Store

Progress = Callable[[int, int], None]   # (done, total) in the reader's units


# ---- export --------------------------------------------------------------------------------

def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def export_records(store: Store, out: Path) -> dict[str, int]:
    """Write `out/forecasts/<id>.yaml` and `out/claims/<source-id>.yaml`; return file counts."""
    with store.read() as conn:
        questions = repo.questions(conn)
        forecasts = repo.forecasts(conn)
        resolutions = repo.resolutions(conn)
        sources = repo.sources(conn)
        claims = repo.claims(conn)
    by_q: dict[str, list] = {}
    for f in forecasts:
        by_q.setdefault(f.question_id, []).append(f)
    res_by_q: dict[str, list] = {}
    for r in resolutions:
        res_by_q.setdefault(r.question_id, []).append(r)
    for q in questions:
        doc = fmt.question_document(q, in_option_order_all(q, by_q.get(q.id, [])),
                                    res_by_q.get(q.id, []))
        _write(out / "forecasts" / f"{q.id}.yaml", fmt.dump_yaml(doc))
    claims_by_source: dict[str | None, list] = {}
    for c in claims:
        claims_by_source.setdefault(c.source_id, []).append(c)
    for s in sources:
        doc = fmt.claims_document(s, claims_by_source.get(s.id, []))
        _write(out / "claims" / fmt.claims_file_name(s.id), fmt.dump_yaml(doc))
    if claims_by_source.get(None):
        doc = fmt.claims_document(None, claims_by_source[None])
        _write(out / "claims" / fmt.claims_file_name(None), fmt.dump_yaml(doc))
    return {"questions": len(questions), "sources": len(sources) + (1 if None in
                                                                     claims_by_source else 0)}


# ---- import --------------------------------------------------------------------------------

def import_records(store: Store, folder: Path, *, dry_run: bool = False,
                   progress: Progress | None = None, now: datetime | None = None
                   ) -> ImportReport:
    """Import every `claims/*.yaml` and `forecasts/*.yaml` under ``folder`` in one transaction,
    through the one import engine (idempotent, all-or-nothing)."""
    reader = fmt.RecordsReader(Path(folder))
    report = ImportReport(format="records", files=[str(folder)])
    tick = None if progress is None else (lambda done: progress(done, reader.total))
    return run_import(store, reader, report, dry_run=dry_run, progress=tick, now=now)
