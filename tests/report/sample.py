"""A sample workspace for the report, chart and API tests: the seed records (examples/seed, the
repository's records before the example track record grew), hostile text in every field a person
types, and synthetic forecasters over several months."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

SEED = Path(__file__).resolve().parents[2] / "examples" / "seed"
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
XSS = "<script>alert(1)</script>"
HOSTILE = {
    "source": "<b>Evil</b> & <script>alert('source')</script> Times",
    "outlet": "<i>outlet</i>",
    "claim": "<img src=x onerror=alert('claim')> said so",
    "said_by": "<em>someone</em>",
    "grade_note": "<script>alert('grade')</script>",
    "status_note": "<script>alert('status')</script>",
    "tag": "<tag>&amp;",
    "criteria": "<b>criteria</b> <script>alert('criteria')</script>",
    "rationale": "<script>alert('why')</script> because",
    "forecaster": "<u>mallory</u>",
    "note": "<script>alert('note')</script> resolved",
    "evidence": "<script>alert('evidence')</script>",
}
SYNTHETIC = ("synthetic:sharp", "synthetic:overconfident", "synthetic:hedger")


def populate(store, now: datetime = NOW) -> dict:
    """Fill ``store`` and return the ids the tests look for."""
    from forethought.services import claims as claim_svc
    from forethought.services import questions as q_svc
    from forethought.services.records import import_records

    import_records(store, SEED, now=now)
    src = claim_svc.add_source(store, title=HOSTILE["source"], outlet=HOSTILE["outlet"],
                               url="javascript:alert('url')", id="evil-source",
                               published="2025-01-02", now=now)
    claim = claim_svc.add_claim(store, HOSTILE["claim"], source=src.id,
                                said_by=HOSTILE["said_by"], now=now)
    claim_svc.grade(store, claim.id, "B2", note=HOSTILE["grade_note"], now=now)
    claim_svc.mark(store, claim.id, "disputed", evidence=["https://example.org/?q=<x>"],
                   note=HOSTILE["status_note"], now=now)
    q = q_svc.ask(store, XSS, "2025-03-01", criteria=HOSTILE["criteria"], tags=[HOSTILE["tag"]],
                  id="xss-question", opened="2025-01-05", source_id=src.id, span=(10, 42),
                  claims=[claim.id], now=now)
    q_svc.forecast(store, q.id, "70%", forecaster=HOSTILE["forecaster"], at="2025-01-06",
                   why=HOSTILE["rationale"], claims=[claim.id], source_id=src.id, now=now)
    q_svc.forecast(store, q.id, "55%", forecaster="alice", at="2025-01-20", now=now)
    q_svc.resolve(store, q.id, "yes", known_at="2025-02-20", note=HOSTILE["note"],
                  evidence=[HOSTILE["evidence"], "https://example.org/result"], now=now)
    multi = q_svc.ask(store, "Which colour wins?", "2025-08-01", options=["Red", "Green", "Blue"],
                      id="multi-question", opened="2025-02-01", tags=["synthetic"], now=now)
    q_svc.forecast(store, multi.id, "Red=0.5,Green=0.3,Blue=0.2", forecaster="alice",
                   at="2025-02-02", now=now)
    q_svc.forecast(store, multi.id, "Red=0.2,Green=0.3,Blue=0.5", forecaster="bob",
                   at="2025-02-10", now=now)
    q_svc.forecast(store, multi.id, "Red=0.4,Green=0.4,Blue=0.2", forecaster="alice",
                   at="2025-03-01", now=now)
    _synthetic(store, now)
    return {"xss": q.id, "source": src.id, "claim": claim.id, "multi": multi.id}


def _synthetic(store, now: datetime, n_resolved: int = 16, n_open: int = 4) -> None:
    """Synthetic forecasters on synthetic questions, labelled as such: one sharp and
    calibrated, one overconfident, one hedging near 50%."""
    from forethought.domain.inputs import NewQuestion, NewResolution
    from forethought.domain.records import Question
    from forethought.services.questions import new_forecast
    from forethought.store import repository as repo

    rng = np.random.default_rng(7)
    start = datetime(2024, 12, 1, tzinfo=UTC)

    def work(conn) -> None:
        questions, forecasts, resolutions = [], [], []
        for i in range(n_resolved + n_open):
            opened = start + timedelta(days=int(10 * i))
            resolved = i < n_resolved
            by = (opened + timedelta(days=45)).date() if resolved else date(2025, 9, 1)
            chance = float(rng.beta(0.7, 0.7))
            yes = bool(rng.random() < chance)
            new = NewQuestion(id=f"synthetic-{i:02d}", title=f"Synthetic question {i}",
                              resolve_by=by, opened_at=opened,
                              criteria="Synthetic data for the report tests.",
                              tags=("synthetic", "even" if i % 2 == 0 else "odd"))
            questions.append(new)
            question = Question(**{**new.__dict__, "recorded_at": now})
            for k, who in enumerate(SYNTHETIC):
                for step in range(2):
                    made = opened + timedelta(days=3 + 10 * step + k)
                    p = {0: chance, 1: 0.5 + 1.6 * (chance - 0.5), 2: 0.5 + 0.3 * (chance - 0.5)}[k]
                    p = float(np.clip(p + rng.normal(0, 0.05), 0.02, 0.98))
                    forecasts.append(new_forecast(question, who, f"{round(p, 2)}", made,
                                                  rationale=f"synthetic ({who})"))
            if resolved:
                resolutions.append(NewResolution(
                    question_id=new.id, outcome="yes" if yes else "no",
                    known_at=datetime.combine(by, datetime.min.time(), UTC), note="synthetic"))
        repo.add(conn, questions, now)
        repo.add(conn, forecasts, now)
        repo.add(conn, resolutions, now)

    store.write(work)
