"""Fixtures for the attacks: a small seeded workspace and raw SQL against its database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from tests.helpers import workspace_url

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)


def sql(url: str, *statements: str, **params) -> list:
    """Run raw SQL in one transaction, behind forethought's back; return the last result rows."""
    engine = create_engine(url)
    rows: list = []
    try:
        with engine.begin() as conn:
            for statement in statements:
                result = conn.execute(text(statement), params)
                rows = list(result) if result.returns_rows else []
    finally:
        engine.dispose()
    return rows


@dataclass
class Seeded:
    folder: Path
    url: str

    def hash_of(self, seq: int) -> str:
        return sql(self.url, "SELECT hash FROM ledger WHERE seq = :s", s=seq)[0][0]


@pytest.fixture
def seeded(workspace: Path) -> Seeded:
    """Seven ledger entries, in this order:

    1 question:treaty (tag diplomacy)  2 forecast:1 alice 70%  3 forecast:2 bob 0.55
    4 question:bridge  5 forecast:3 alice likely  6 resolution:1 bridge yes
    7 forecast:4 carol 3:1
    """
    from forethought.services import questions as qs
    from forethought.services.workspace import locate

    ws = locate(None, workspace)
    store = ws.store()
    qs.ask(store, "Will the treaty be signed?", "2025-01-01", id="treaty", opened="2024-01-01",
           tags=["diplomacy"], now=NOW)
    qs.forecast(store, "treaty", "70%", forecaster="alice", at="2024-02-01", now=NOW)
    qs.forecast(store, "treaty", "0.55", forecaster="bob", at="2024-03-01", now=NOW)
    qs.ask(store, "Will the bridge open?", "2024-12-01", id="bridge", opened="2024-01-01",
           now=NOW)
    qs.forecast(store, "bridge", "likely", forecaster="alice", at="2024-02-02", now=NOW)
    qs.resolve(store, "bridge", "yes", known_at="2024-05-01", now=NOW)
    qs.forecast(store, "treaty", "3:1", forecaster="carol", at="2024-04-01", now=NOW)
    ws.close()
    return Seeded(workspace, workspace_url(workspace))
